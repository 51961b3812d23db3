"""Whole-graph summary: nodes, ties, density, reciprocity, components.

* density: ties over possible ties, :math:`m / \\binom{n}{2}` undirected, :math:`m / (n(n-1))` directed
  (Wasserman and Faust 1994, ch. 4); NaN below two nodes;
* reciprocity (directed only): the share of arcs whose reverse arc exists, as networkx's
  ``overall_reciprocity``; ``None`` for an undirected graph;
* components: weakly connected components (isolates count), their largest size, and for a directed graph
  the strongly connected components too.

>>> from revere.analytics.graph import TieGraph
>>> s = graph_summary(TieGraph.from_edges([1, 2, 3], [2, 1, 4], directed=True, node_ids=[1, 2, 3, 4, 5]))
>>> s.nodes, s.ties, round(s.density, 3), s.reciprocity, s.components, s.largest_component
(5, 3, 0.15, 0.6666666666666666, 3, 2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import connected_components

from ._kernels import list_triangles
from .graph import TieGraph

__all__ = ["GraphSummary", "density", "graph_summary", "reciprocity", "triangles"]


@dataclass(frozen=True)
class GraphSummary:
    nodes: int
    ties: int
    directed: bool
    density: float
    reciprocity: float | None
    components: int
    largest_component: int
    strong_components: int | None


def density(g: TieGraph) -> float:
    """Ties over possible ties (see the module docstring)."""
    n = g.n
    if n < 2:
        return float("nan")
    possible = n * (n - 1) if g.directed else n * (n - 1) / 2
    return g.m / possible


def reciprocity(g: TieGraph) -> float | None:
    """Share of arcs whose reverse exists (directed graphs); ``None`` when undirected or without arcs."""
    if not g.directed or g.m == 0:
        return None
    mutual_pairs = g.mutual(weighted=False)
    # an entry of the mutual count matrix equal to 2 is a reciprocated pair, seen from both ends
    return float(np.count_nonzero(mutual_pairs.data == 2) / g.m)


def graph_summary(g: TieGraph) -> GraphSummary:
    """Nodes, ties, density, reciprocity and components of the graph."""
    ncomp, labels = connected_components(g.mutual(weighted=False), directed=False)
    largest = int(np.bincount(labels).max()) if g.n else 0
    strong = None
    if g.directed:
        strong = int(connected_components(g.csr, directed=True, connection="strong")[0])
    return GraphSummary(g.n, g.m, g.directed, density(g), reciprocity(g), int(ncomp), largest, strong)


def triangles(g: TieGraph) -> npt.NDArray[np.int64]:
    """Number of triangles through every node, contacts taken in either direction (networkx's ``triangles``).

    The same degree-ordered listing the all-node Burt measures use, counting only: the floor their
    computation cannot go below.

    >>> from revere.analytics.graph import TieGraph
    >>> triangles(TieGraph.from_edges([0, 0, 1, 2], [1, 2, 2, 3])).tolist()
    [1, 1, 1, 0]
    """
    a_mat = g.mutual(weighted=False)
    x, y, _, _ = list_triangles(a_mat)
    indptr = np.asarray(a_mat.indptr, dtype=np.int64)
    ind = np.asarray(a_mat.indices, dtype=np.int64)
    apex = np.searchsorted(indptr, x, side="right") - 1  # row of position x
    ends = np.concatenate([apex, ind[x], ind[y]])
    return np.bincount(ends, minlength=g.n).astype(np.int64)
