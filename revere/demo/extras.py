"""References and their uses, contributions, targets, and snapshots of past months (as rows)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from revere.analytics import strength as formula
from revere.analytics.graph import TieGraph
from revere.analytics.holes import ego_holes
from revere.demo import vocab
from revere.demo.activity import CLASS_NAMES, CUSTOMER, INTERNAL, MARKET, PROSPECT, Interactions, Ties
from revere.demo.deals import DAY, OPEN, Book
from revere.demo.links import Links
from revere.demo.world import World


@dataclass
class References:
    person: list[int] = field(default_factory=list)
    consent: list[bool] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    satisfaction: list[int] = field(default_factory=list)
    since: list[float] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)  # member index of the account owner
    uses: list[tuple[int, int, int, float, str]] = field(
        default_factory=list
    )  # (ref, deal, member, when, notes)


@dataclass
class Contributions:
    rows: list[tuple[int, str, str, int | None, int | None, int | None, float, float]] = field(
        default_factory=list
    )
    # (member, kind, status, deal, person, beneficiary, when, credit)


def make_references(w: World, book: Book, ties: Ties) -> References:
    rng = w.rng
    refs = References()
    tied = {(int(m), int(p)) for m, p in zip(ties.member.tolist(), ties.person.tolist(), strict=True)}
    won_by_company: dict[int, float] = {}
    role_people: dict[int, list[int]] = {}
    for d in book.deals:
        if d.stage == "won":
            won_by_company[d.company] = max(won_by_company.get(d.company, 0.0), d.closed or 0.0)
            role_people.setdefault(d.company, []).extend(
                p for p, role, _ in d.roles if role in ("champion", "user")
            )
    used: set[int] = set()
    for company, closed in sorted(won_by_company.items()):
        owner = book.owner_of[company]
        candidates = [p for p in role_people.get(company, []) if (owner, p) in tied and p not in used]
        candidates += [p for p in w.company_persons(company).tolist() if (owner, p) in tied and p not in used]
        for p in list(dict.fromkeys(candidates))[: int(rng.integers(1, 4))]:
            used.add(p)
            refs.person.append(p)
            refs.consent.append(bool(rng.random() < 0.9))
            refs.terms.append(vocab.REFERENCE_TERMS[int(rng.integers(len(vocab.REFERENCE_TERMS)))])
            refs.satisfaction.append(int(rng.choice([2, 3, 4, 5], p=[0.05, 0.2, 0.45, 0.3])))
            refs.since.append(closed)
            refs.owner.append(owner)
    if not refs.person:
        return refs
    # Uses on late deals: similar customers first (same industry), a few favourites used often.
    ref_company = w.p_company[np.array(refs.person)]
    industry = w.c_industry[ref_company]
    popularity = 1.0 / np.arange(1, len(refs.person) + 1) ** 0.7
    rng.shuffle(popularity)
    base = popularity * np.array(refs.consent)
    for k, d in enumerate(book.deals):
        if d.stage not in ("close", "won") or rng.random() < 0.3:
            continue
        weights = base * np.where(industry == w.c_industry[d.company], 4.0, 1.0)
        weights[ref_company == d.company] = 0
        if weights.sum() == 0:
            continue
        for r in set(
            rng.choice(len(refs.person), size=int(rng.integers(1, 3)), p=weights / weights.sum()).tolist()
        ):
            start = next((at for _, stage, at in d.history if stage == "close"), d.created)
            end = d.closed or w.now - DAY
            when = float(rng.uniform(start, max(start, end)))
            refs.uses.append((r, k, d.owner, when, f"Reference call for {w.c_name[d.company]}"))
    return refs


def make_contributions(w: World, book: Book, ties: Ties, refs: References) -> Contributions:
    rng = w.rng
    out = Contributions()
    for k, d in enumerate(book.deals):
        for mate in d.team:
            at = d.history[min(2, len(d.history) - 1)][2]
            out.rows.append((mate, "assist", "made", k, None, d.owner, at, 0.5))
    for r, k, member, when, _ in refs.uses:
        if refs.owner[r] != member:
            out.rows.append((refs.owner[r], "reference", "made", k, refs.person[r], member, when, 1.0))
    # Introductions: a colleague tied to someone on an open deal's buying committee.
    by_person: dict[int, list[int]] = {}
    for m, p in zip(ties.member.tolist(), ties.person.tolist(), strict=True):
        by_person.setdefault(p, []).append(m)
    for k, d in enumerate(book.deals):
        if d.stage not in OPEN[1:]:
            continue
        for p, _, _ in d.roles:
            helpers = [m for m in by_person.get(p, []) if m != d.owner and w.members[m].role == "seller"]
            if helpers:
                status = ("made", "pending", "declined")[rng.choice(3, p=(0.7, 0.2, 0.1))]
                when = float(rng.uniform(d.created, w.now - DAY))
                out.rows.append(
                    (
                        helpers[int(rng.integers(len(helpers)))],
                        "introduction",
                        status,
                        k,
                        p,
                        d.owner,
                        when,
                        1.0,
                    )
                )
                break
    return out


TARGETS = {
    # network class: (min_size, max_density, min_density, max_constraint, min_strength, min_diversity)
    "market": (100, 0.15, None, 0.15, None, 0.7),
    "prospect": (25, None, None, None, 0.3, None),
    "internal": (20, None, None, None, 0.4, None),
    "customer": (15, None, None, None, 0.45, None),
}


def final_classes(w: World, book: Book, ties: Ties) -> np.ndarray:
    """The class each tie will get from ``ties_classify`` (same rules, on the arrays)."""
    n_comp = w.c_count.size
    customer = w.c_status == 2
    prospect = w.c_status == 1
    for d in book.deals:
        if d.stage == "won":
            customer[d.company] = True
        elif d.stage in OPEN:
            prospect[d.company] = True
    company = w.p_company[ties.person]
    own = company == 0
    return (
        np.select(
            [own, customer[company], prospect[company]], [INTERNAL, CUSTOMER, PROSPECT], default=MARKET
        ).astype(np.int64)
        if n_comp
        else np.zeros(0, np.int64)
    )


def make_snapshots(
    w: World, ties: Ties, acts: Interactions, links: Links, classes: np.ndarray
) -> list[tuple[int, str, float, dict]]:
    """Each member's four networks at the start of each past month: size, density, strength, holes."""
    rows: list[tuple[int, str, float, dict]] = []
    n = w.n_persons
    tie_key = ties.member * (n + 1) + ties.person
    order = np.argsort(tie_key)
    part_key = acts.member[acts.part_interaction] * (n + 1) + acts.part_person
    pos = np.searchsorted(tie_key[order], part_key)
    pos = np.minimum(pos, order.size - 1)
    found = tie_key[order][pos] == part_key
    part_tie = order[pos][found]
    part_when = acts.when[acts.part_interaction][found]
    part_kind = acts.kind[acts.part_interaction][found]
    part_aud = acts.audience[acts.part_interaction][found]
    part_out = acts.outbound[acts.part_interaction][found]
    index = LinkIndex(links, n)
    by_member = np.argsort(ties.member, kind="stable")
    m_sorted = ties.member[by_member]
    for months_ago in range(w.size.snapshot_months, 0, -1):
        at = w.now - months_ago * 30 * DAY
        before = part_when < at
        strengths = formula.tie_strengths(
            part_tie[before],
            (at - part_when[before]) / DAY,
            part_kind[before],
            part_aud[before],
            part_out[before],
            n_ties=ties.member.size,
        )
        first_seen = np.full(ties.member.size, np.inf)
        np.minimum.at(first_seen, part_tie[before], part_when[before])
        for mi, m in enumerate(w.members):
            if m.role == "admin":
                continue
            lo, hi = np.searchsorted(m_sorted, [mi, mi + 1])
            mine = by_member[lo:hi]
            mine = mine[first_seen[mine] < at]
            for c, name in enumerate(CLASS_NAMES):
                alters = mine[classes[mine] == c]
                metrics = _metrics(m.person, ties.person[alters], strengths[alters], index, links)
                rows.append((mi, name, at, metrics))
    return rows


class LinkIndex:
    """Links as adjacency lists (CSR), to find the links among a set of persons quickly."""

    def __init__(self, links: Links, n: int) -> None:
        src = np.concatenate([links.a, links.b])
        dst = np.concatenate([links.b, links.a])
        ids = np.concatenate([np.arange(links.a.size), np.arange(links.a.size)])
        order = np.argsort(src, kind="stable")
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
        self.dst = dst[order]
        self.ids = ids[order]

    def among(self, persons: np.ndarray) -> np.ndarray:
        """Indexes of the links with both ends in ``persons``."""
        srt = np.sort(persons)
        starts = self.indptr[srt]
        lens = self.indptr[srt + 1] - starts
        total = int(lens.sum())
        if total == 0:
            return np.zeros(0, np.int64)
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens) + np.arange(total)
        src = np.repeat(srt, lens)
        dst = self.dst[offsets]
        pos = np.minimum(np.searchsorted(srt, dst), srt.size - 1)
        inside = (srt[pos] == dst) & (src < dst)
        return self.ids[offsets[inside]]


def ego_measures(
    strengths: np.ndarray, a: np.ndarray, b: np.ndarray, weight: np.ndarray
) -> tuple[float, float]:
    """Burt's effective size and constraint of an ego among its alters, weighted, by
    :func:`revere.analytics.holes.ego_holes` on the ego network.

    ``strengths[j]`` weighs the ego's tie to alter ``j``; ``(a, b, weight)`` are the links among the
    alters, by alter position. The ego is node ``len(strengths)``.
    """
    n = strengths.size
    graph = TieGraph.from_edges(
        np.concatenate([np.full(n, n), a]),
        np.concatenate([np.arange(n), b]),
        np.concatenate([strengths, weight]),
        node_ids=np.arange(n + 1),
    )
    holes = ego_holes(graph, n)
    return float(holes.effective_size), float(holes.constraint)


def _metrics(ego: int, alters: np.ndarray, strengths: np.ndarray, index: LinkIndex, links: Links) -> dict:
    size = int(alters.size)
    bands = formula.strength_bands(strengths)
    counts = {b: int((bands == b).sum()) for b in ("strong", "medium", "weak", "dormant")}
    if size == 0:
        return {
            "size": 0,
            "density": None,
            "mean_strength": None,
            "effective_size": None,
            "constraint": None,
            "bands": counts,
        }
    among = index.among(alters)
    pairs = size * (size - 1) / 2
    density = float(among.size / pairs) if pairs else None
    order = np.argsort(alters)
    pos_a = order[np.searchsorted(alters[order], links.a[among])]
    pos_b = order[np.searchsorted(alters[order], links.b[among])]
    effective, constraint = ego_measures(strengths, pos_a, pos_b, links.weight[among])
    return {
        "size": size,
        "density": round(density, 4) if density is not None else None,
        "mean_strength": round(float(strengths.mean()), 4),
        "effective_size": round(effective, 3),
        "constraint": round(constraint, 4),
        "bands": counts,
    }
