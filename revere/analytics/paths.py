r"""Introduction paths: the k best simple paths from a set of sources to a target.

A path's **score** is the product of the tie strengths along it, so the best paths are the shortest on
the cost :math:`-\ln w` per tie (strengths must lie in (0, 1]). A path may have at most
``max_intermediaries`` people between the source and the target (default 3, i.e. at most 4 ties).
Intermediaries are never sources, nor any node of ``exclude``: a path through a teammate is that
teammate's own, shorter path. On a directed graph, paths follow the arcs from the source toward the
target.

The result is exactly the first ``k`` paths of networkx's ``shortest_simple_paths`` (Yen's algorithm)
from a super-source tied at cost 0 to every source, keeping those within the hop limit; the tests
check this on random graphs. Equal costs are broken by the node sequence. With
``distinct_first_hops=True`` only the best path through each first intermediary (the person the seller
would ask) is kept, so the list offers different people to ask; with ``distinct_sources=True`` only the
best path from each source (the teammate who would ask).

Algorithm: a best-first (A*) enumeration of simple paths with exact hop-limited lower bounds, in
three steps.

1. **Bounds.** ``B_r(v)``, the cheapest walk from ``v`` to the target of at most ``r`` ties through
   allowed nodes, is needed at depth ``L - r`` from the sources (``L = max_intermediaries + 1``).
   The ``L - 1`` levels are split between the two sides one level at a time, each to the side whose
   next level reads fewer ties, as bidirectional search balances its frontiers: around the target,
   ``B_r`` for every node by a vectorised min-plus step over the nodes whose bound changed at the
   level before; around the sources, the nodes at each depth, then ``B_r`` on those nodes only, from
   the next depth's bounds (deepest first). For a seller with a thousand colleagues and a target
   with a dozen contacts, most levels fall on the target's side.
2. **Best-first search.** Partial paths are expanded in the order of (cost so far + bound on the rest,
   node sequence). The bound never overestimates, so complete paths leave the queue in exactly the
   final order (tree search: an admissible bound suffices), and the search stops at the k-th kept.
3. **Exact costs.** Costs are integers (:math:`-\ln w` in units of :math:`2^{-32}`), so sums are
   exact and associative and equal scores are really equal: ties fall back on the node sequence.

Only the neighbourhoods the split reads are touched, never the whole graph, so a query costs the
same on a 1,000-node and a 1,000,000-node graph of the same degrees; the bound tables are per-thread
arrays of the graph's size, restored after each query where it wrote.

References
----------
J. Y. Yen, "Finding the k shortest loopless paths in a network", *Management Science* 17(11), 1971.
P. E. Hart, N. J. Nilsson, B. Raphael, "A formal basis for the heuristic determination of minimum cost
paths", *IEEE Transactions on Systems Science and Cybernetics* 4(2), 1968.
I. Pohl, "Bi-directional search", *Machine Intelligence* 6, 1971.

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([1, 1, 2, 3, 4], [2, 3, 4, 4, 5], [0.9, 0.5, 0.8, 1.0, 0.9])
>>> [(p.nodes, round(p.score, 3)) for p in best_paths(g, 1, 5)]
[((1, 2, 4, 5), 0.648), ((1, 3, 4, 5), 0.45)]
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._rows import RowPatch, Rows
from .graph import TieGraph

__all__ = ["Path", "best_paths"]

Int64Array = npt.NDArray[np.int64]

#: Costs are ``-ln w`` in fixed point: integer sums are exact and associative.
_SCALE = float(2**32)
_MAX_NATS = 745.0  # -ln of the smallest positive double
_INF = np.int64(2**62)  # "no walk within the limit"; far above any sum of real costs


@dataclass(frozen=True)
class Path:
    """One introduction path: node ids from source to target, its score and each tie's strength."""

    nodes: tuple[int, ...]
    score: float
    strengths: tuple[float, ...]

    @property
    def intermediaries(self) -> tuple[int, ...]:
        return self.nodes[1:-1]

    @property
    def hops(self) -> int:
        return len(self.nodes) - 1


class _Scratch(threading.local):
    """Per-thread bound tables of the graph's size, kept between queries (refilled only where used),
    and between graphs of the same size (a patched graph after a write needs no new tables)."""

    size: int = -1
    tables: list[Int64Array]

    def get(self, g: TieGraph, count: int) -> list[Int64Array]:
        """``count`` tables, all ``_INF`` (callers put back what they change), and after them one of
        scratch positions (never read before written)."""
        if self.size != g.n:
            self.size, self.tables = g.n, []
        while len(self.tables) < count + 1:
            self.tables.append(np.full(g.n, _INF, dtype=np.int64))
        return self.tables[: count + 1]


_scratch = _Scratch()


def _costs(w: npt.NDArray[Any]) -> Int64Array:
    w = np.asarray(w, dtype=np.float64)
    if len(w) and w.max() > 1.0:
        raise ValueError("introduction paths need tie strengths in (0, 1]; this graph has larger weights")
    with np.errstate(divide="ignore"):
        nats = np.minimum(-np.log(w), _MAX_NATS)
    cost: Int64Array = np.rint(nats * _SCALE).astype(np.int64)
    return cost


def _gather(mat: Rows, nodes: Int64Array) -> tuple[Int64Array, Int64Array, Int64Array]:
    """Every tie out of ``nodes``: (position of its node in ``nodes``, the other end, its cost)."""
    owner, other, weight = mat.gather(nodes)
    return owner, other, _costs(weight)


def _min_per_owner(owner: Int64Array, values: Int64Array, count: int) -> Int64Array:
    """The smallest value per owner position (``_INF`` where an owner has none)."""
    out = np.full(count, _INF, dtype=np.int64)
    np.minimum.at(out, owner, values)
    return out


def _degree_sum(mat: Rows, nodes: Int64Array) -> int:
    """How many ties a gather over ``nodes`` reads."""
    return int(mat.lengths(nodes).sum())


class _Search:
    """One query's bound tables and best-first enumeration (internal node indices throughout)."""

    def __init__(self, g: TieGraph, t: int, hops: int, banned: npt.NDArray[np.bool_]) -> None:
        # Row reads only (a patched graph answers them without building its whole CSR).
        self.out: Rows = g.rows
        self.inn: Rows = g.rows if not g.directed else Rows(g.csr_in, g.n, RowPatch.empty())
        self.t, self.hops, self.banned = t, hops, banned
        # tables[r - 1] holds B_r: the first ones around the target, the deeper ones around the sources
        scratch = _scratch.get(g, hops - 1)
        self.tables, self.positions = scratch[:-1], scratch[-1]
        self.touched: list[tuple[Int64Array, Int64Array]] = []
        self.back_depth = self.fwd_depth = 0

    def prepare(self, src: Int64Array) -> None:
        """Fill the bound tables (:meth:`release` clears them again, whatever happens).

        The ``hops - 1`` levels are split between the target's side and the sources' side one at a
        time, each to the side whose next level reads fewer ties (a seller with a thousand colleagues
        and a target with five contacts: most levels around the target), as bidirectional search
        balances its frontiers.
        """
        t = self.t
        region = changed = np.array([t], dtype=np.int64)
        levels = [src]
        upcoming: Int64Array | None = None  # the next level around the sources, once read
        for _ in range(self.hops - 1):
            back_cost = _degree_sum(self.inn, changed)
            frontier = levels[-1][levels[-1] != t]
            fwd_cost = _degree_sum(self.out, frontier)
            if back_cost > fwd_cost:  # a level around the sources also costs its bounds' gather
                if upcoming is None:
                    _, nxt, _ = _gather(self.out, frontier)
                    upcoming = np.unique(nxt[~self.banned[nxt]])
                fwd_cost += _degree_sum(self.out, upcoming[upcoming != t])
            if back_cost <= fwd_cost:
                region, changed = self._back_level(region, changed)
            else:
                assert upcoming is not None
                levels.append(upcoming)
                upcoming = None
        self.fwd_depth = len(levels) - 1
        self._bounds_around_sources(levels)

    def release(self) -> None:
        for table, nodes in self.touched:
            table[nodes] = _INF

    def _set(self, r: int, nodes: Int64Array, values: Int64Array) -> None:
        table = self.tables[r - 1]
        nodes = np.append(nodes, self.t)
        table[nodes] = np.append(values, 0)
        self.touched.append((table, nodes))

    def bound(self, r: int, nodes: Int64Array) -> Int64Array:
        """``B_r`` of each node: a lower bound on the cost to the target in at most ``r`` ties."""
        if r == 0:
            return np.where(nodes == self.t, 0, _INF).astype(np.int64)
        return self.tables[r - 1][nodes]

    def _distinct(self, nodes: Int64Array) -> Int64Array:
        """``nodes`` without repeats, in linear time: each node keeps the one position whose write
        to the scratch table stood (whichever it was)."""
        at = np.arange(len(nodes), dtype=np.int64)
        self.positions[nodes] = at
        first: Int64Array = nodes[self.positions[nodes] == at]
        return first

    def _back_level(self, region: Int64Array, changed: Int64Array) -> tuple[Int64Array, Int64Array]:
        """``B_r`` from ``B_(r-1)``, in place in table ``r``: only the nodes whose bound changed at
        the last level can lower another's (an unchanged node's offer was already counted)."""
        r = self.back_depth = self.back_depth + 1
        table = self.tables[r - 1]
        start = self.bound(r - 1, region)
        table[region] = start
        self.touched.append((table, region))
        owner, prev, cost = _gather(self.inn, changed)
        ok = ~self.banned[prev] & (prev != self.t)
        prev, offer = prev[ok], self.bound(r - 1, changed)[owner[ok]] + cost[ok]
        np.minimum.at(table, prev, offer)
        self.touched.append((table, prev))
        lower = self._distinct(prev[table[prev] < self.bound(r - 1, prev)])
        return np.concatenate([region, lower]), lower

    def _bounds_around_sources(self, levels: list[Int64Array]) -> None:
        """``B_r`` for the deeper levels, only on the nodes at depth ``hops - r`` from the sources."""
        for d in range(self.fwd_depth, 0, -1):  # deepest first
            r = self.hops - d
            nodes = levels[d][levels[d] != self.t]
            owner, nxt, cost = _gather(self.out, nodes)
            ok = ~self.banned[nxt]
            rest = self.bound(r - 1, nxt[ok])
            reach = rest < _INF
            owner, val = owner[ok][reach], cost[ok][reach] + rest[reach]
            best = _min_per_owner(owner, val, len(nodes))
            keep = best < _INF
            self._set(r, nodes[keep], best[keep])

    def children(self, seq: tuple[int, ...]) -> tuple[list[int], list[int], list[int]]:
        """Allowed next nodes of a partial path, the cost of each tie, and that plus the bound on the rest."""
        v = seq[-1]
        nxt, weight = self.out.row(v)
        cost = _costs(weight)
        keep = ~self.banned[nxt]
        for x in seq:
            keep &= nxt != x
        nxt, cost = nxt[keep], cost[keep]
        est = cost + self.bound(self.hops - len(seq), nxt)
        reach = est < _INF
        return nxt[reach].tolist(), cost[reach].tolist(), est[reach].tolist()


def best_paths(
    g: TieGraph,
    sources: int | Iterable[int],
    target: int,
    *,
    k: int = 5,
    max_intermediaries: int = 3,
    distinct_first_hops: bool = False,
    distinct_sources: bool = False,
    exclude: Iterable[int] = (),
) -> list[Path]:
    """The ``k`` best simple paths from any source to ``target``, best first.

    Parameters
    ----------
    g : TieGraph
        Tie strengths (weights) in (0, 1].
    sources : int or iterable of int
        External ids of the people the path may start from (the seller, or the whole team).
    target : int
        External id of the person to reach.
    k : int
        Number of paths.
    max_intermediaries : int
        Most people between source and target.
    distinct_first_hops : bool
        Keep only the best path through each first intermediary (direct ties count as their own).
    distinct_sources : bool
        Keep only the best path from each source.
    exclude : iterable of int
        External ids never to pass through (unknown ids are ignored).

    Returns
    -------
    list of Path
        Empty when the target is a source or cannot be reached within the limit.

    Raises
    ------
    KeyError
        For an unknown source or target. ``ValueError`` for a weight above 1 on an explored tie.
    """
    src_ids = [sources] if isinstance(sources, int | np.integer) else list(sources)
    src = np.unique(g.require_index(np.asarray(src_ids, dtype=np.int64)))
    t = int(g.require_index([target])[0])
    hops = max_intermediaries + 1
    if k <= 0 or hops <= 0 or len(src) == 0 or t in set(src.tolist()):
        return []
    banned = np.zeros(g.n, dtype=bool)
    banned[src] = True  # sources never appear past position 0
    skip = g.index_of(np.asarray(list(exclude), dtype=np.int64))
    banned[skip[skip >= 0]] = True
    banned[t] = False  # the target ends paths; excluding it excludes nothing

    search = _Search(g, t, hops, banned)
    try:
        search.prepare(src)
        found = _enumerate(search, src, k, distinct_first_hops, distinct_sources)
    finally:
        search.release()
    return [_path(g, seq) for seq in found]


def _enumerate(
    search: _Search, src: Int64Array, k: int, distinct_first_hops: bool, distinct_sources: bool
) -> list[tuple[int, ...]]:
    """Complete paths in (cost, node sequence) order until ``k`` are kept."""
    t = search.t
    heap: list[tuple[int, tuple[int, ...], int]] = []

    def push(seq: tuple[int, ...], spent: int) -> None:
        for u, cost, est in zip(*search.children(seq), strict=True):
            heapq.heappush(heap, (spent + est, (*seq, u), spent + cost))

    for s in src.tolist():
        push((s,), 0)
    out: list[tuple[int, ...]] = []
    taken: set[int] = set()
    while heap and len(out) < k:
        _, seq, spent = heapq.heappop(heap)
        key = seq[0] if distinct_sources else seq[1] if distinct_first_hops else None
        if key is not None and key in taken:
            continue  # this source or first ask already has its best path
        if seq[-1] == t:
            out.append(seq)
            if key is not None:
                taken.add(key)
            continue
        push(seq, spent)
    return out


def _path(g: TieGraph, seq: tuple[int, ...]) -> Path:
    strengths = []
    for u, v in itertools.pairwise(seq):
        cols, weight = g.row(u)
        strengths.append(float(weight[int(np.searchsorted(cols, v))]))
    return Path(tuple(int(g.ids[i]) for i in seq), math.prod(strengths), tuple(strengths))
