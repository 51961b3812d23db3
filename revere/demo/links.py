"""Person-to-person links: org charts, shared meetings and e-mails, communities, acquaintances.

Every pair is stored once with ``a < b``; where several sources give the same pair, the
strongest weight is kept with its source (org chart first).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from revere.demo.activity import Interactions
from revere.demo.world import World

SOURCES = ("org_chart", "met", "emailed", "community", "stated")
ORG, MET, EMAILED, COMMUNITY, STATED = range(5)
COMMUNITY_DENSITY = 0.35  # chance that two members of a community know each other


@dataclass
class Links:
    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    source: np.ndarray  # index into SOURCES
    last_seen: np.ndarray  # epoch seconds, 0 = unknown


def _pairs_within(groups: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs of members sharing a group, with the group: (a, b, group)."""
    order = np.lexsort((members, groups))
    g, m = groups[order], members[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, g.size])
    a_list, b_list, g_list = [], [], []
    for k in np.unique(sizes[sizes > 1]).tolist():
        iu, ju = np.triu_indices(k, 1)
        s = starts[sizes == k]
        a_list.append(m[(s[:, None] + iu[None, :]).ravel()])
        b_list.append(m[(s[:, None] + ju[None, :]).ravel()])
        g_list.append(np.repeat(g[s], iu.size))
    if not a_list:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    return np.concatenate(a_list), np.concatenate(b_list), np.concatenate(g_list)


def make_links(w: World, communities: list[np.ndarray], acts: Interactions) -> Links:
    rng = w.rng
    n = w.n_persons
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray]] = []

    def add(
        a: np.ndarray, b: np.ndarray, weight: np.ndarray | float, source: int, seen: np.ndarray | float = 0.0
    ) -> None:
        keep = a != b
        a, b = a[keep], b[keep]
        parts.append(
            (
                a,
                b,
                np.broadcast_to(np.asarray(weight, dtype=np.float64), keep.shape)[keep],
                source,
                np.broadcast_to(np.asarray(seen, dtype=np.float64), keep.shape)[keep],
            )
        )

    # Org charts: each person and their manager; colleagues under the same manager.
    persons = np.arange(n)
    has_boss = w.p_reports_to >= 0
    add(persons[has_boss], w.p_reports_to[has_boss], 0.8, ORG)
    boss = w.p_reports_to[has_boss]
    order = np.lexsort((persons[has_boss], boss))
    sib, sib_boss = persons[has_boss][order], boss[order]
    nxt = np.r_[sib_boss[1:] == sib_boss[:-1], False]
    add(sib[nxt], np.r_[sib[1:], 0][nxt], 0.5, MET)
    # Own company: every colleague knows a few others across functions.
    own = int(w.c_count[0])
    k = 3
    add(np.repeat(np.arange(own), k), rng.integers(0, own, size=own * k), 0.4, MET)

    # Shared interactions: people on the same meeting met; on the same e-mail were e-mailed together.
    many = np.bincount(acts.part_interaction, minlength=acts.member.size) > 1
    sel = many[acts.part_interaction]
    a, b, g = _pairs_within(acts.part_interaction[sel], acts.part_person[sel])
    if a.size:
        # Repeated co-attendance makes a heavier link; last_seen is the latest shared interaction.
        written = np.isin(acts.kind[g], (2, 3))
        for source, mask in ((MET, ~written), (EMAILED, written)):
            lo, hi = np.minimum(a[mask], b[mask]), np.maximum(a[mask], b[mask])
            key, inverse, counts = np.unique(lo * n + hi, return_inverse=True, return_counts=True)
            last = np.zeros(key.size)
            np.maximum.at(last, inverse, acts.when[g[mask]])
            add(key // n, key % n, 1.0 - 0.8 * np.exp(-counts / 2.0), source, last)

    # Communities: members know each other with probability COMMUNITY_DENSITY.
    groups = (
        np.concatenate([np.full(c.size, i) for i, c in enumerate(communities)])
        if communities
        else np.zeros(0)
    )
    a, b, _ = _pairs_within(
        groups.astype(np.int64), np.concatenate(communities) if communities else np.zeros(0, np.int64)
    )
    keep = rng.random(a.size) < COMMUNITY_DENSITY
    add(a[keep], b[keep], rng.uniform(0.2, 0.6, size=int(keep.sum())), COMMUNITY)

    links = _merge(parts, n)
    # Acquaintances (former colleagues, friends of friends) fill up to the size's link count:
    # random pairs, mostly within an industry, weak.
    missing = w.size.links - links.a.size
    if missing > 0:
        m = int(missing * 1.02) + 10
        a = rng.integers(own, n, size=m)
        same = rng.random(m) < 0.6
        industry = w.c_industry[w.p_company]
        by_industry = np.argsort(industry[own:], kind="stable") + own
        ind_sorted = industry[by_industry]
        lo_i = np.searchsorted(ind_sorted, industry[a], side="left")
        hi_i = np.searchsorted(ind_sorted, industry[a], side="right")
        b_same = by_industry[lo_i + (rng.random(m) * (hi_i - lo_i)).astype(np.int64)]
        b = np.where(same, b_same, rng.integers(own, n, size=m))
        add(a, b, rng.uniform(0.1, 0.4, size=m), STATED)
        links = _merge(parts, n)
        if links.a.size > w.size.links:
            # Drop surplus acquaintances only, at random.
            surplus = links.a.size - w.size.links
            stated = np.flatnonzero(links.source == STATED)
            drop = rng.choice(stated, size=min(surplus, stated.size), replace=False)
            keep_mask = np.ones(links.a.size, dtype=bool)
            keep_mask[drop] = False
            links = Links(
                *(arr[keep_mask] for arr in (links.a, links.b, links.weight, links.source, links.last_seen))
            )
    return links


def _merge(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray]], n: int) -> Links:
    a = np.concatenate([p[0] for p in parts]).astype(np.int64)
    b = np.concatenate([p[1] for p in parts]).astype(np.int64)
    weight = np.concatenate([p[2] for p in parts])
    source = np.concatenate([np.full(p[0].size, p[3]) for p in parts])
    seen = np.concatenate([p[4] for p in parts])
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = lo * n + hi
    # Per pair: the strongest weight, the highest-priority source (lowest index).
    order = np.lexsort((source, key))
    key, weight, source, seen = key[order], weight[order], source[order], seen[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    w_max = np.maximum.reduceat(weight, starts)
    seen_max = np.maximum.reduceat(seen, starts)
    k = key[starts]
    return Links(k // n, k % n, np.clip(w_max, 0.01, 1.0), source[starts], seen_max)
