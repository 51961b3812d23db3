r"""Team formation: the team of experts that covers every needed skill at least communication cost.

Stage 3 of a sale is creating the solution: finding the right experts at home (a sparse reach)
and making them work together (a dense, strongly tied team) (Üstüner and Godes 2006). The same
function builds a deal's solution team and a manager's cross-functional team.

Problem
-------
Lappas, Liu and Terzi (2009) pose *team formation in social networks*: given the skills a task
needs, the people who hold each skill and the network among them, pick one holder per skill so
that the team communicates at least cost. Their costs (the team's diameter, the weight of a
spanning tree) change abruptly when one member changes; Kargar and An (2011) propose the **sum of
distances**, stable under small changes, which is used here. With skills (or fixed members: the
seller) as *slots* :math:`1..m`, the holder :math:`c_k` chosen for slot :math:`k`, and
:math:`d(u, v)` the shortest-path distance with tie length :math:`-\ln w` (so that a path's length
is minus the log of the product of its strengths: the most likely chain of introductions),

.. math::

    \mathrm{SD}(c_1, \dots, c_m) = \sum_{1 \le k < l \le m} d(c_k, c_l).

One person may hold several slots (their distance to themselves is 0), so versatile experts give
smaller teams. Two people with no path between them (within ``unreachable`` nats) are at distance
``unreachable`` (default 30 nats, a chain of strength :math:`e^{-30} \approx 10^{-13}`): a team is
still proposed, flagged not ``connected``. ``min(d, U)`` is still a metric, so the guarantee below
holds.

Algorithm
---------
* **Exact** when the number of possible teams :math:`\prod_k |C_k|` is at most ``exact_limit``
  (default 10⁶): every assignment is scored at once, as a sum of broadcast pairwise distance
  blocks (:math:`m(m-1)/2` numpy additions), and the least is taken (ties: the smallest candidate
  ids in slot order). ``exact`` is True.
* Otherwise **Kargar and An's 2-approximation**: for every candidate :math:`e` of every slot, the
  team of :math:`e` and, in each other slot, the holder nearest to :math:`e`; the best of these.
  With the optimum :math:`c^*` and :math:`e = c^*_k`, the triangle inequality gives
  :math:`\mathrm{SD} \le (m-1)\sum_l d(c^*_k, c^*_l)`; the best :math:`k` is at most the average,
  :math:`\frac{2(m-1)}{m}\,\mathrm{SD}(c^*)`, so ``ratio`` is :math:`2(m-1)/m < 2`. The team is then
  improved by local search (change one slot's holder while the cost falls), which keeps the bound.

The distances come from Dijkstra's algorithm (scipy) from each candidate, cut at ``unreachable``;
pass the graph the team should be formed in (the own company's people, say): a search over a
million-node graph costs what the graph costs.

**Cohesion** (:func:`team_cohesion`) of the chosen people: the share of pairs tied directly
(density), the mean strength of those ties, and the weighted density (the mean direct strength
over all pairs, absent ties counting 0: density times mean strength, one number for the exit
check), and the **weakest pair**: the pair with the weakest direct tie (0 when none), ties broken
by the longer distance: the tie to strengthen first. A team of one is cohesive (1.0).

References
----------
T. Lappas, K. Liu, E. Terzi, "Finding a Team of Experts in Social Networks", *KDD* 2009.
M. Kargar, A. An, "Discovering Top-k Teams of Experts with/without a Leader in Social Networks",
*CIKM* 2011.
E. W. Dijkstra, "A note on two problems in connexion with graphs", *Numerische Mathematik* 1, 1959.
T. Üstüner and D. Godes, "Better Sales Networks", *Harvard Business Review* 84(7–8), 2006.

Examples
--------
Two skills; 1 and 2 are close, 3 holds both but is far from the seller 9:

>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([9, 9, 1, 9], [1, 2, 2, 3], [0.9, 0.8, 0.9, 0.05])
>>> t = solution_team(g, {"cloud": [1, 3], "security": [2, 3]}, required=[9])
>>> t.members, t.assignment, t.exact, round(t.cost, 3)
((9, 1, 2), {'cloud': 1, 'security': 2}, True, 0.421)
>>> round(t.cohesion.weighted_density, 3), t.cohesion.weakest.pair
(0.867, (2, 9))
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from .graph import TieGraph

__all__ = [
    "EXACT_LIMIT",
    "UNREACHABLE",
    "Cohesion",
    "Pair",
    "Team",
    "solution_team",
    "team_cohesion",
    "team_distances",
]

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]

#: Distance (nats) given to two people with no path between them.
UNREACHABLE = 30.0
#: Most possible teams scored exhaustively; above it, the 2-approximation.
EXACT_LIMIT = 1_000_000
_CHUNK = 1 << 20  # assignments scored per block of the exhaustive search


@dataclass(frozen=True)
class Pair:
    pair: tuple[int, int]
    direct: float  # strength of their direct tie, 0 when none
    path: float  # strength of the best chain between them, exp(-distance)


@dataclass(frozen=True)
class Cohesion:
    size: int
    density: float
    mean_strength: float  # over the pairs tied directly (NaN when none)
    weighted_density: float  # mean direct strength over all pairs: the cohesion figure
    weakest: Pair | None
    pairs: tuple[Pair, ...]  # every pair, weakest first


@dataclass(frozen=True)
class Team:
    members: tuple[int, ...]  # distinct, in slot order (required first)
    assignment: dict[str, int]  # skill -> member
    required: tuple[int, ...]
    missing: tuple[str, ...]  # skills nobody among the candidates holds
    cost: float  # sum of distances over the slots (nats)
    exact: bool
    ratio: float  # guarantee: cost <= ratio * optimum
    connected: bool
    cohesion: Cohesion


def _lengths(g: TieGraph) -> sp.csr_array:
    """The graph with tie length -ln(w) (a tie of strength 1 has length 0 and stays an edge)."""
    w = np.asarray(g.weights, dtype=np.float64)
    if len(w) and w.max() > 1.0:
        raise ValueError("team distances need tie strengths in (0, 1]; this graph has larger weights")
    return sp.csr_array((-np.log(w), g.indices, g.indptr), shape=(g.n, g.n))


def team_distances(g: TieGraph, nodes: Iterable[int], *, unreachable: float = UNREACHABLE) -> FloatArray:
    """Pairwise distances (nats, ``-ln`` of the best chain's strength) among ``nodes``, capped.

    >>> from revere.analytics.graph import TieGraph
    >>> team_distances(TieGraph.from_edges([1, 2], [2, 3], [0.5, 0.5]), [1, 3]).round(4).tolist()
    [[0.0, 1.3863], [1.3863, 0.0]]
    """
    idx = g.require_index(np.fromiter(nodes, dtype=np.int64))
    if len(idx) == 0:
        return np.zeros((0, 0), dtype=np.float64)
    uniq, inv = np.unique(idx, return_inverse=True)
    dist = dijkstra(_lengths(g), directed=g.directed, indices=uniq, limit=unreachable)
    block = np.minimum(np.asarray(dist, dtype=np.float64)[:, uniq], unreachable)
    if g.directed:
        block = np.minimum(block, block.T)
    full: FloatArray = block[np.ix_(inv.ravel(), inv.ravel())]
    return full


def _direct(g: TieGraph, a: int, b: int) -> float:
    i, j = (int(x) for x in g.require_index([a, b]))
    a_mat = g.csr
    lo, hi = int(a_mat.indptr[i]), int(a_mat.indptr[i + 1])
    row = a_mat.indices[lo:hi]
    at = int(np.searchsorted(row, j))
    w = float(a_mat.data[lo + at]) if at < len(row) and row[at] == j else 0.0
    if g.directed:
        w = max(w, _direct_in(g, i, j))
    return w


def _direct_in(g: TieGraph, i: int, j: int) -> float:
    mat = g.csr_in
    lo, hi = int(mat.indptr[i]), int(mat.indptr[i + 1])
    row = mat.indices[lo:hi]
    at = int(np.searchsorted(row, j))
    return float(mat.data[lo + at]) if at < len(row) and row[at] == j else 0.0


def team_cohesion(g: TieGraph, members: Iterable[int], *, distances: FloatArray | None = None) -> Cohesion:
    """Density, mean strength, weighted density and weakest pair of a set of people.

    >>> from revere.analytics.graph import TieGraph
    >>> c = team_cohesion(TieGraph.from_edges([1, 2], [2, 3], [0.8, 0.4]), [1, 2, 3])
    >>> round(c.density, 3), round(c.mean_strength, 3), round(c.weighted_density, 3), c.weakest.pair
    (0.667, 0.6, 0.4, (1, 3))
    """
    people = list(dict.fromkeys(int(m) for m in members))
    k = len(people)
    if k < 2:
        return Cohesion(k, 1.0, float("nan"), 1.0, None, ())
    dist = distances if distances is not None else team_distances(g, people)
    pairs = []
    for a, b in itertools.combinations(range(k), 2):
        pair = tuple(sorted((people[a], people[b])))
        pairs.append(
            (Pair((pair[0], pair[1]), _direct(g, people[a], people[b]), math.exp(-dist[a, b])), dist[a, b])
        )
    pairs.sort(key=lambda p: (p[0].direct, -p[1], p[0].pair))
    direct = np.array([p.direct for p, _ in pairs], dtype=np.float64)
    tied = direct > 0
    mean = float(direct[tied].mean()) if tied.any() else float("nan")
    return Cohesion(
        size=k,
        density=float(tied.mean()),
        mean_strength=mean,
        weighted_density=float(direct.mean()),
        weakest=pairs[0][0],
        pairs=tuple(p for p, _ in pairs),
    )


def _cost(dist: FloatArray, choice: list[int]) -> float:
    return float(sum(dist[a, b] for a, b in itertools.combinations(choice, 2)))


def _exhaustive(dist: FloatArray, slots: list[Int64Array]) -> list[int]:
    """The least-cost assignment (positions into ``dist``), every one scored; ties: the first in
    lexicographic order of the slots' candidate positions."""
    m = len(slots)
    shape = tuple(len(s) for s in slots)
    # Chunk over the first slot's candidates so that a block stays around _CHUNK assignments.
    rest = int(np.prod(shape[1:], dtype=np.int64)) if m > 1 else 1
    step = max(1, _CHUNK // max(rest, 1))
    best_cost, best_at = math.inf, (0,) * m
    for lo in range(0, shape[0], step):
        first = slots[0][lo : lo + step]
        parts = [first, *slots[1:]]
        total = np.zeros((len(first), *shape[1:]), dtype=np.float64)
        for a, b in itertools.combinations(range(m), 2):
            block = dist[np.ix_(parts[a], parts[b])]
            view = [1] * m
            view[a], view[b] = block.shape
            total += block.reshape(view)
        flat = int(np.argmin(total))
        cost = float(total.flat[flat])
        if cost < best_cost - 1e-12:
            at = np.unravel_index(flat, total.shape)
            best_cost, best_at = cost, (int(at[0]) + lo, *(int(x) for x in at[1:]))
    return [int(slots[s][best_at[s]]) for s in range(m)]


def _approximate(dist: FloatArray, slots: list[Int64Array]) -> list[int]:
    """Kargar and An's seeds (each candidate with the nearest holder of every other slot), then
    local search, one slot at a time, while the cost falls."""
    best: list[int] | None = None
    best_cost = math.inf
    seen: set[int] = set()
    for slot in slots:
        for e in slot.tolist():
            if e in seen:
                continue
            seen.add(e)
            choice = [int(s[np.argmin(dist[e, s])]) if e not in set(s.tolist()) else e for s in slots]
            cost = _cost(dist, choice)
            if cost < best_cost - 1e-12:
                best, best_cost = choice, cost
    assert best is not None
    improved = True
    while improved:
        improved = False
        for k, slot in enumerate(slots):
            others = [c for j, c in enumerate(best) if j != k]
            rest = np.asarray(others, dtype=np.int64)
            offer = dist[np.ix_(slot, rest)].sum(axis=1) if others else np.zeros(len(slot))
            now = float(dist[best[k], others].sum()) if others else 0.0
            at = int(np.argmin(offer))
            if offer[at] < now - 1e-12:
                best[k] = int(slot[at])
                improved = True
    return best


def solution_team(
    g: TieGraph,
    candidates: Mapping[str, Iterable[int]],
    *,
    required: Iterable[int] = (),
    exact_limit: int = EXACT_LIMIT,
    unreachable: float = UNREACHABLE,
) -> Team:
    """The team covering every skill at least sum-of-distances cost (module docstring).

    Parameters
    ----------
    g : TieGraph
        The network the team is formed in; tie strengths in (0, 1].
    candidates : mapping of str to iterable of int
        For each needed skill, the people (external ids) who hold it. Ids not in ``g`` are
        ignored; a skill left with nobody is reported in ``missing``.
    required : iterable of int
        People always on the team (the seller): each a slot with one candidate, in the cost.
    exact_limit : int
        Most possible teams scored exhaustively (0: always the approximation).
    unreachable : float
        Distance (nats) of two people with no path between them within it.

    Returns
    -------
    Team
    """
    fixed = list(dict.fromkeys(int(r) for r in required))
    g.require_index(fixed)
    skills: list[str] = []
    holders: list[list[int]] = []
    missing: list[str] = []
    for skill, people in candidates.items():
        ids = np.fromiter(people, dtype=np.int64)
        known = sorted(set(ids[g.index_of(ids) >= 0].tolist()))
        if known:
            skills.append(skill)
            holders.append(known)
        else:
            missing.append(skill)
    union = list(dict.fromkeys([*fixed, *(p for h in holders for p in h)]))
    if not union:
        return Team((), {}, (), tuple(missing), 0.0, True, 1.0, True, team_cohesion(g, []))
    position = {p: k for k, p in enumerate(union)}
    dist = team_distances(g, union, unreachable=unreachable)
    slots = [np.array([position[p]], dtype=np.int64) for p in fixed]
    slots += [np.array([position[p] for p in h], dtype=np.int64) for h in holders]
    m = len(slots)
    space = math.prod(len(s) for s in slots)
    exact = space <= exact_limit
    choice = _exhaustive(dist, slots) if exact else _approximate(dist, slots)
    cost = _cost(dist, choice)
    chosen = [union[c] for c in choice]
    members = tuple(dict.fromkeys(chosen))
    at = [position[p] for p in members]
    connected = bool((dist[np.ix_(at, at)] < unreachable).all())
    return Team(
        members=members,
        assignment=dict(zip(skills, chosen[len(fixed) :], strict=True)),
        required=tuple(fixed),
        missing=tuple(missing),
        cost=cost,
        exact=exact,
        ratio=1.0 if exact else max(1.0, 2.0 * (m - 1) / m),
        connected=connected,
        cohesion=team_cohesion(g, members, distances=dist[np.ix_(at, at)]),
    )
