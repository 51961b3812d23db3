r"""Introduction paths: the k best simple paths from a set of sources to a target.

A path's **score** is the product of the tie strengths along it, so the best paths are the shortest on
the cost :math:`-\ln w` per tie (strengths must lie in (0, 1]). A path may have at most
``max_intermediaries`` people between the source and the target (default 3, i.e. at most 4 ties).
Intermediaries are never sources: a path through a teammate is that teammate's own, shorter path. On a
directed graph, paths follow the arcs from the source toward the target.

The result is exactly the first ``k`` paths of networkx's ``shortest_simple_paths`` (Yen's algorithm) from
a super-source tied at cost 0 to every source, keeping those within the hop limit; the tests check this
on random graphs. With ``distinct_first_hops=True`` only the best path through each first intermediary
(the person the seller would ask) is kept, so the list offers different people to ask.

Algorithm: the hop limit makes the search space small, so the paths are enumerated exactly by meeting in
the middle: simple half-paths of up to ``ceil(L/2)`` ties forward from the sources and up to
``floor(L/2)`` ties backward from the target (``L = max_intermediaries + 1``), joined on their meeting
node, checked for repeated nodes, and sorted by cost (ties broken by the node sequence). Only the
neighbourhoods within two steps of the sources and of the target are read, never the whole graph, so a
query costs the same on a 1,000-node and a 1,000,000-node graph of the same degrees.

References
----------
J. Y. Yen, "Finding the k shortest loopless paths in a network", *Management Science* 17(11), 1971.
I. Pohl, "Bi-directional search", *Machine Intelligence* 6, 1971.

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([1, 1, 2, 3, 4], [2, 3, 4, 4, 5], [0.9, 0.5, 0.8, 1.0, 0.9])
>>> [(p.nodes, round(p.score, 3)) for p in best_paths(g, 1, 5)]
[((1, 2, 4, 5), 0.648), ((1, 3, 4, 5), 0.45)]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .graph import TieGraph

__all__ = ["Path", "best_paths"]

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


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


def _expand(
    mat: sp.csr_array, nodes: Int64Array, cost: FloatArray, banned: npt.NDArray[np.bool_]
) -> tuple[Int64Array, FloatArray]:
    """Extend every half-path (rows of ``nodes``) by one tie from its last node; simple paths only."""
    last = nodes[:, -1]
    indptr = mat.indptr
    starts = np.asarray(indptr[last], dtype=np.int64)
    lens = np.asarray(indptr[last + 1], dtype=np.int64) - starts
    total = int(lens.sum())
    owner = np.repeat(np.arange(len(last), dtype=np.int64), lens)
    flat = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens - starts, lens)
    nxt = np.asarray(mat.indices[flat], dtype=np.int64)
    w = np.asarray(mat.data[flat], dtype=np.float64)
    if total and (w.max() > 1.0):
        raise ValueError("introduction paths need tie strengths in (0, 1]; this graph has larger weights")
    keep = ~banned[nxt]
    for col in range(nodes.shape[1]):
        keep &= nxt != nodes[owner, col]
    owner, nxt, w = owner[keep], nxt[keep], w[keep]
    return np.column_stack([nodes[owner], nxt]), cost[owner] - np.log(w)


def best_paths(
    g: TieGraph,
    sources: int | Iterable[int],
    target: int,
    *,
    k: int = 5,
    max_intermediaries: int = 3,
    distinct_first_hops: bool = False,
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

    Returns
    -------
    list of Path
        Empty when the target is a source or cannot be reached within the limit.

    Raises
    ------
    KeyError
        For an unknown id. ``ValueError`` for a weight above 1 on an explored tie.
    """
    src_ids = [sources] if isinstance(sources, int | np.integer) else list(sources)
    src = np.unique(g.require_index(np.asarray(src_ids, dtype=np.int64)))
    t = int(g.require_index([target])[0])
    if k <= 0 or t in set(src.tolist()):
        return []
    hops = max_intermediaries + 1
    fwd_depth = (hops + 1) // 2
    bwd_depth = hops // 2
    banned = np.zeros(g.n, dtype=bool)
    banned[src] = True  # sources never appear past position 0

    # forward halves: level f holds paths of f ties from a source
    fwd_nodes: list[Int64Array] = [src[:, None]]
    fwd_cost: list[FloatArray] = [np.zeros(len(src))]
    for _ in range(fwd_depth):
        prev_nodes, prev_cost = fwd_nodes[-1], fwd_cost[-1]
        not_done = prev_nodes[:, -1] != t  # a half that reached the target stops there
        nxt_nodes, nxt_cost = _expand(g.csr, prev_nodes[not_done], prev_cost[not_done], banned)
        fwd_nodes.append(nxt_nodes)
        fwd_cost.append(nxt_cost)
    # backward halves: level b holds paths of b ties ending at t, stored from their start to t
    bwd_rev: list[Int64Array] = [np.array([[t]], dtype=np.int64)]
    bwd_cost: list[FloatArray] = [np.zeros(1)]
    for _ in range(bwd_depth):
        nodes, cost = _expand(g.csr_in, bwd_rev[-1], bwd_cost[-1], banned)
        bwd_rev.append(nodes)
        bwd_cost.append(cost)

    seqs: list[Int64Array] = []
    costs: list[FloatArray] = []
    width = hops + 1
    for f in range(1, fwd_depth + 1):  # complete paths of f <= fwd_depth ties: forward halves ending at t
        hit = fwd_nodes[f][:, -1] == t
        if hit.any():
            seqs.append(_pad(fwd_nodes[f][hit], width))
            costs.append(fwd_cost[f][hit])
    full_nodes, full_cost = fwd_nodes[fwd_depth], fwd_cost[fwd_depth]
    open_ = full_nodes[:, -1] != t
    full_nodes, full_cost = full_nodes[open_], full_cost[open_]
    for b in range(1, bwd_depth + 1):
        back = bwd_rev[b][:, ::-1]  # from the meeting node x to t
        order = np.argsort(back[:, 0], kind="stable")
        back, bcost = back[order], bwd_cost[b][order]
        lo = np.searchsorted(back[:, 0], full_nodes[:, -1], side="left")
        hi = np.searchsorted(back[:, 0], full_nodes[:, -1], side="right")
        cnt = hi - lo
        if cnt.sum() == 0:
            continue
        fi = np.repeat(np.arange(len(full_nodes), dtype=np.int64), cnt)
        bi = np.arange(int(cnt.sum()), dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt - lo, cnt)
        joined = np.column_stack([full_nodes[fi], back[bi, 1:]])
        simple = np.ones(len(joined), dtype=bool)
        for c1 in range(joined.shape[1]):
            for c2 in range(c1 + 1, joined.shape[1]):
                simple &= joined[:, c1] != joined[:, c2]
        seqs.append(_pad(joined[simple], width))
        costs.append((full_cost[fi] + bcost[bi])[simple])
    if not seqs:
        return []
    allseq = np.concatenate(seqs)
    allcost = np.concatenate(costs)
    order = np.lexsort((*tuple(allseq[:, c] for c in range(width - 1, -1, -1)), allcost))
    out: list[Path] = []
    seen_first: set[int] = set()
    for row in order.tolist():
        seq = [int(x) for x in allseq[row] if x >= 0]
        if distinct_first_hops:
            first = seq[1]
            if first in seen_first:
                continue
            seen_first.add(first)
        out.append(_path(g, seq, float(allcost[row])))
        if len(out) == k:
            break
    return out


def _pad(rows: Int64Array, width: int) -> Int64Array:
    if rows.shape[1] == width:
        return rows
    return np.hstack([rows, np.full((len(rows), width - rows.shape[1]), -1, dtype=np.int64)])


def _path(g: TieGraph, seq: list[int], cost: float) -> Path:
    mat = g.csr
    strengths = []
    for u, v in itertools.pairwise(seq):
        lo, hi = int(mat.indptr[u]), int(mat.indptr[u + 1])
        at = lo + int(np.searchsorted(mat.indices[lo:hi], v))
        strengths.append(float(mat.data[at]))
    del cost  # the score is the exact product, not exp(-sum of logs)
    return Path(tuple(int(g.ids[i]) for i in seq), math.prod(strengths), tuple(strengths))
