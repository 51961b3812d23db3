r"""References: which satisfied customers to ask to speak to a buyer, and which to rest.

Stage 4 of a sale is closing: removing the buyer's doubts, best done by customers who resemble the
buyer, are strongly tied to the seller, and ideally know the buyer's people (Üstüner and Godes
2006). A reference used too often wears out, so its use is rationed by its terms (Salminen and
Möller 2006 and Jalkala and Salminen 2010 describe references as a managed, exhaustible asset).

Definitions
-----------
For a candidate reference :math:`r` and the buyer :math:`b`:

* **similarity** :math:`\mathrm{sim} = 0.5\,[\text{industry}_r = \text{industry}_b]
  + 0.25\,\mathrm{size} + 0.25\,[\text{region}_r = \text{region}_b]`, with
  :math:`\mathrm{size} = 1` for the same size band, 0.5 for a neighbouring band, else 0;
  anything unknown on either side does not match. Industry weighs most: a buyer believes a
  customer who does what it does.
* **tie**: the strength of the team's strongest tie to the reference (0 when none), and who holds it.
* **proximity**: the score of the best path of at most two ties from the reference to a person of
  the buying committee (the product of the strengths, 0 when none; ``exclude``, the selling
  organization's own members, are never intermediaries: a path through a seller is the seller's,
  not the reference's).
* **satisfaction**: :math:`(s - 1) / 4` for a score :math:`s` from 1 to 5.
* **fatigue** :math:`f = \min(1, u_{90} / (k \cdot 90 / p))`: the uses (pending or made) in the
  last 90 days, :math:`u_{90}`, against what the reference's terms allow in 90 days, at most
  :math:`k` uses per :math:`p` days (default one per 30 days: :data:`DEFAULT_TERMS`).

The score is

.. math::

    \mathrm{score} = (0.35\,\mathrm{sim} + 0.25\,\mathrm{tie} + 0.20\,\mathrm{proximity}
    + 0.20\,\mathrm{satisfaction}) \times (1 - 0.5 f),

so a reference used last week ranks below an otherwise equal one never used. A reference whose
terms are used up (at least :math:`k` uses in the last :math:`p` days) is **rested**: not offered,
reported with the day it frees up.

References
----------
T. Üstüner and D. Godes, "Better Sales Networks", *Harvard Business Review* 84(7–8), 2006.
R. T. Salminen and K. Möller, "Role of References in Business Marketing: Towards a Normative Theory
of Referencing", *Journal of Business-to-Business Marketing* 13(1), 2006.
E. Jalkala and R. T. Salminen, "Practices and functions of customer reference marketing",
*Industrial Marketing Management* 39(6), 2010.

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([1, 2, 7], [7, 8, 8], [0.9, 0.5, 0.6])
>>> buyer = Profile("banking", 3, "emea")
>>> same = Profile("banking", 3, "emea")
>>> refs = rank_references(g, [ReferenceInput(1, same, 5, 0.8, 42, ()),
...                            ReferenceInput(2, same, 5, 0.8, 42, (6,), Terms(2, 30))],
...                        buyer=buyer, committee=[8])
>>> [(r.person, r.path, round(r.score, 3)) for r in refs.offered]
[(1, (1, 7, 8), 0.858), (2, (2, 8), 0.779)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ._kernels import gather_rows
from .graph import TieGraph

__all__ = [
    "DEFAULT_TERMS",
    "WEIGHTS",
    "Profile",
    "RankedReference",
    "ReferenceInput",
    "References",
    "Terms",
    "rank_references",
    "similarity",
]

#: Weights of similarity, tie, proximity and satisfaction in the score.
WEIGHTS: dict[str, float] = {"similarity": 0.35, "tie": 0.25, "proximity": 0.20, "satisfaction": 0.20}
#: How much full fatigue takes off the score.
FATIGUE_WEIGHT = 0.5
#: Days of use that count toward fatigue.
FATIGUE_DAYS = 90


@dataclass(frozen=True)
class Terms:
    """At most ``max_uses`` uses per ``per_days`` days."""

    max_uses: int = 1
    per_days: int = 30


DEFAULT_TERMS = Terms()


@dataclass(frozen=True)
class Profile:
    """What a buyer and a reference's company are compared on."""

    industry: str | None
    size: int | None  # rank of the size band, smallest 0
    region: str | None


@dataclass(frozen=True)
class ReferenceInput:
    person: int
    profile: Profile
    satisfaction: int  # 1..5
    tie: float  # the team's strongest tie to the reference, 0 when none
    holder: int | None  # who holds that tie (a member id)
    uses: tuple[int, ...]  # days ago of each use, pending ones included
    terms: Terms = DEFAULT_TERMS


@dataclass(frozen=True)
class RankedReference:
    person: int
    score: float
    similarity: float
    matches: tuple[str, ...]  # "industry", "size", "region" where they match (size: same band)
    tie: float
    holder: int | None
    proximity: float
    path: tuple[int, ...]  # the reference, maybe one intermediary, a committee member
    satisfaction: int
    uses_90: int
    fatigue: float
    window_uses: int  # uses in the terms' window
    terms: Terms
    exhausted: bool
    free_in_days: int  # days until a use frees up (0 when one is free now)


@dataclass(frozen=True)
class References:
    offered: tuple[RankedReference, ...]  # best first
    rested: tuple[RankedReference, ...]  # terms used up, soonest free first


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and str(a).strip().lower() == str(b).strip().lower()


def similarity(buyer: Profile, other: Profile) -> tuple[float, tuple[str, ...]]:
    """The similarity of ``other`` to the buyer and what matched (module docstring).

    >>> similarity(Profile("retail", 2, "emea"), Profile("Retail", 3, None))
    (0.625, ('industry',))
    """
    matches: list[str] = []
    score = 0.0
    if _same(buyer.industry, other.industry):
        score += 0.5
        matches.append("industry")
    if buyer.size is not None and other.size is not None:
        gap = abs(buyer.size - other.size)
        if gap == 0:
            score += 0.25
            matches.append("size")
        elif gap == 1:
            score += 0.125
    if _same(buyer.region, other.region):
        score += 0.25
        matches.append("region")
    return score, tuple(matches)


def _proximity(
    g: TieGraph, sources: list[int], committee: Iterable[int], exclude: Iterable[int]
) -> dict[int, tuple[float, tuple[int, ...]]]:
    """Best path of at most two ties from each source to a committee member: (score, path).

    The best path has the highest product of strengths; paths within 1e-12 of the best are
    equal, and of equal paths the one whose people come first by id wins (a direct tie before a
    path through the same person). All sources at once: their CSR rows gathered in one array,
    the direct ties and the two-tie paths (through the committee's neighbours, each with its
    strongest tie into the committee) scored as arrays, the best per source picked by sorting.
    """
    targets = g.index_of(np.fromiter(committee, dtype=np.int64))
    targets = np.unique(targets[targets >= 0])
    src = g.index_of(np.asarray(sources, dtype=np.int64))
    out: dict[int, tuple[float, tuple[int, ...]]] = {s: (0.0, ()) for s in sources}
    if len(targets) == 0 or len(src) == 0:
        return out
    banned = g.index_of(np.fromiter(exclude, dtype=np.int64))
    banned = np.unique(banned[banned >= 0])
    # the committee's neighbours, each with its two strongest ties into the committee (the second
    # serves a source that is itself the first)
    owner, near, w2 = gather_rows(g.csr, targets)
    order = np.lexsort((targets[owner], -w2, near))
    near, w2, end = near[order], w2[order], targets[owner][order]
    first = np.ones(len(near), dtype=bool)
    first[1:] = near[1:] != near[:-1]
    second = np.zeros(len(near), dtype=bool)
    second[1:] = first[:-1] & ~first[1:]
    group = np.cumsum(first) - 1
    w2_b = np.zeros(int(first.sum()))
    end_b = np.full(int(first.sum()), -1, dtype=np.int64)
    w2_b[group[second]] = w2[second]
    end_b[group[second]] = end[second]
    near, w2, end = near[first], w2[first], end[first]
    # every source's ties
    keep = src >= 0
    rows = src[keep]
    source_ids = np.asarray(sources, dtype=np.int64)[keep]
    o, nb, w1 = gather_rows(g.csr, rows)
    # direct ties to the committee
    direct = np.isin(nb, targets) & (w1 > 0)
    # two ties: source - q - committee member, q neither a member nor the source itself
    if len(near):
        at = np.minimum(np.searchsorted(near, nb), len(near) - 1)
        e = np.where(end[at] == rows[o], end_b[at], end[at])
        wq = np.where(end[at] == rows[o], w2_b[at], w2[at])
        via = (near[at] == nb) & ~np.isin(nb, banned) & (nb != rows[o]) & (e >= 0)
        score2 = w1 * wq
    else:
        e = np.full(len(nb), -1, dtype=np.int64)
        via = np.zeros(len(nb), dtype=bool)
        score2 = np.zeros(len(nb))
    via &= score2 > 1e-12
    c_owner = np.concatenate([o[direct], o[via]])
    c_score = np.concatenate([w1[direct], score2[via]])
    c_mid = np.concatenate([nb[direct], nb[via]])
    c_end = np.concatenate([np.full(int(direct.sum()), -1, dtype=np.int64), e[via]])
    if not len(c_owner):
        return out
    best = np.full(len(rows), -np.inf)
    np.maximum.at(best, c_owner, c_score)
    good = c_score >= best[c_owner] - 1e-12
    c_owner, c_score, c_mid, c_end = c_owner[good], c_score[good], c_mid[good], c_end[good]
    mid_id = g.ids[c_mid]
    pick = np.lexsort((c_end >= 0, mid_id, c_owner))
    c_owner, c_score, c_mid, c_end = c_owner[pick], c_score[pick], c_mid[pick], c_end[pick]
    one = np.ones(len(c_owner), dtype=bool)
    one[1:] = c_owner[1:] != c_owner[:-1]
    ids = g.ids
    for k, sc, q, t in zip(
        c_owner[one].tolist(), c_score[one].tolist(), c_mid[one].tolist(), c_end[one].tolist(), strict=True
    ):
        s_id = int(source_ids[k])
        out[s_id] = (sc, (s_id, int(ids[q])) if t < 0 else (s_id, int(ids[q]), int(ids[t])))
    return out


def _fatigue(uses: Sequence[int], terms: Terms) -> tuple[int, float, int, bool, int]:
    """(uses in 90 days, fatigue, uses in the window, exhausted, days until a use frees up)."""
    recent = sorted((d for d in uses if 0 <= d < FATIGUE_DAYS), reverse=True)
    allowance = max(terms.max_uses, 1) * FATIGUE_DAYS / max(terms.per_days, 1)
    fatigue = min(1.0, len(recent) / allowance)
    window = sorted((d for d in uses if 0 <= d < terms.per_days), reverse=True)  # oldest first
    exhausted = len(window) >= terms.max_uses
    free_in = 0
    if exhausted:
        must_age = window[len(window) - terms.max_uses] if terms.max_uses > 0 else window[-1]
        free_in = terms.per_days - must_age
    return len(recent), fatigue, len(window), exhausted, free_in


def rank_references(
    g: TieGraph,
    candidates: Sequence[ReferenceInput],
    *,
    buyer: Profile,
    committee: Iterable[int],
    exclude: Iterable[int] = (),
) -> References:
    """Reference candidates ranked by the score of the module docstring; used-up ones rested.

    Parameters
    ----------
    g : TieGraph
        Tie strengths in (0, 1].
    candidates : sequence of ReferenceInput
        The consenting references and what is known of each.
    buyer : Profile
        The buyer's company.
    committee : iterable of int
        The buying committee (people with a buying role; else the buyer's people).
    exclude : iterable of int
        People never counted as intermediaries (the selling organization's members).
    """
    close = _proximity(g, [c.person for c in candidates], committee, exclude)
    ranked = []
    for c in candidates:
        sim, matches = similarity(buyer, c.profile)
        prox, path = close.get(c.person, (0.0, ()))
        sat = (min(max(c.satisfaction, 1), 5) - 1) / 4
        base = (
            WEIGHTS["similarity"] * sim
            + WEIGHTS["tie"] * c.tie
            + WEIGHTS["proximity"] * prox
            + WEIGHTS["satisfaction"] * sat
        )
        uses_90, fatigue, window, exhausted, free_in = _fatigue(c.uses, c.terms)
        ranked.append(
            RankedReference(
                person=c.person,
                score=base * (1 - FATIGUE_WEIGHT * fatigue),
                similarity=sim,
                matches=matches,
                tie=c.tie,
                holder=c.holder,
                proximity=prox,
                path=path,
                satisfaction=c.satisfaction,
                uses_90=uses_90,
                fatigue=fatigue,
                window_uses=window,
                terms=c.terms,
                exhausted=exhausted,
                free_in_days=free_in,
            )
        )
    offered = sorted((r for r in ranked if not r.exhausted), key=lambda r: (-r.score, r.person))
    rested = sorted((r for r in ranked if r.exhausted), key=lambda r: (r.free_in_days, r.person))
    return References(tuple(offered), tuple(rested))
