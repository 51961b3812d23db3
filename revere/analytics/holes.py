r"""Structural holes (Burt 1992): effective size, efficiency, constraint, local constraint, hierarchy, redundancy.

Definitions
-----------
Let :math:`a_{ij} = w_{ij} + w_{ji}` be the *mutual weight* of nodes :math:`i` and :math:`j` (for an
undirected graph simply :math:`w_{ij}`; unweighted: every arc weighs 1), :math:`N(i)` the contacts of
:math:`i` (in- and out-neighbours together), and

.. math::

    p_{ij} = \frac{a_{ij}}{\sum_{k \in N(i)} a_{ik}}, \qquad
    m_{ij} = \frac{a_{ij}}{\max_{k \in N(i)} a_{ik}}

the proportional strength of :math:`i`'s tie to :math:`j`, and the same tie relative to :math:`i`'s
strongest. Then (Burt 1992, ch. 2; Borgatti 1997):

* redundancy of contact :math:`j` for ego :math:`i`: :math:`r_{ij} = \sum_{q \in N(i)} p_{iq} m_{jq}`;
* effective size: :math:`e_i = \sum_{j \in N(i)} (1 - r_{ij}) = |N(i)| - \sum_j r_{ij}`;
* efficiency: :math:`e_i / |N(i)|`;
* local constraint: :math:`\ell_{ij} = (p_{ij} + \sum_{q \in N(i)} p_{iq} p_{qj})^2`;
* constraint: :math:`c_i = \sum_{j \in N(i)} \ell_{ij}`;
* hierarchy: :math:`h_i = \frac{\sum_j \rho_{ij} \ln \rho_{ij}}{N \ln N}` with
  :math:`\rho_{ij} = \ell_{ij} / (c_i / N)`, :math:`N = |N(i)|` (Burt 1992, p. 71; 0 when constraint
  is spread evenly, 1 when it all comes from one contact).

These are exactly networkx's ``structuralholes`` definitions (``mutual_weight``,
``normalized_mutual_weight``, ``local_constraint``, ``constraint`` and ``effective_size`` on its
per-node path) and igraph's ``constraint``; the test suite checks agreement to 1e-9 on real networks.

Conventions
-----------
* **Isolates** (no contact other than themselves): size 0; effective size, efficiency, constraint and
  hierarchy are NaN, as in networkx.
* **One contact**: constraint 1, effective size 1, efficiency 1; hierarchy is 0/0 and reported as NaN.
* **Directed graphs**: contacts are in- and out-neighbours together and ties are weighed by the mutual
  weight, so ``i -> j`` and ``j -> i`` both count (networkx and igraph do the same). Size and efficiency
  use the number of *distinct* contacts; networkx's docs divide by ``G.degree``, which counts a
  reciprocated pair twice.
* **Weights**: ``weighted=True`` uses the TieGraph's weights (any positive scale: every quantity above is
  invariant to multiplying all weights by a constant). Self-loops were dropped when the graph was built.
* **networkx's whole-graph weighted effective size** (``effective_size(G, weight=...)`` with
  ``nodes=None``) normalises :math:`m_{jq}` by :math:`q`'s strongest tie instead of :math:`j`'s, so it
  disagrees with its own per-node path on weighted graphs; Revere follows Burt (and the per-node path).
  See ``docs/metrics.md`` for a hand-computed case.

Complexity: all nodes in one pass of triangle listing (see :mod:`revere.analytics._kernels`), about
``O(m^1.5)`` worst case; one ego in ``O(sum of its alters' degrees)``.

References
----------
R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard University Press, 1992.
S. P. Borgatti, "Structural Holes: Unpacking Burt's Redundancy Measures", *Connections* 20(1), 1997.
R. S. Burt, "Structural Holes and Good Ideas", *American Journal of Sociology* 110(2), 2004.

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> star = TieGraph.from_edges([0, 0, 0], [1, 2, 3])
>>> h = structural_holes(star)
>>> h.effective_size.tolist(), h.constraint.tolist()
([3.0, 1.0, 1.0, 1.0], [0.3333333333333333, 1.0, 1.0, 1.0])
>>> round(constraint(TieGraph.from_edges([0, 0, 1], [1, 2, 2]))[0], 4)   # a triangle
1.125
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._kernels import ego_sums, row_reduce, triangle_sums
from .graph import TieGraph

__all__ = [
    "EgoHoles",
    "HolesResult",
    "constraint",
    "effective_size",
    "efficiency",
    "ego_holes",
    "hierarchy",
    "local_constraint",
    "redundancy",
    "structural_holes",
]

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]

#: Above this share of the graph's nodes, a node set is computed with the all-nodes pass.
_ALL_NODES_SHARE = 1 / 16


@dataclass(frozen=True)
class HolesResult:
    """Burt's node measures, arrays aligned with ``ids`` (external node ids)."""

    ids: Int64Array
    size: Int64Array
    effective_size: FloatArray
    efficiency: FloatArray
    constraint: FloatArray
    hierarchy: FloatArray

    def to_dict(self, measure: str) -> dict[int, float]:
        """One measure as ``{node id: float}``.

        >>> from revere.analytics.graph import TieGraph
        >>> structural_holes(TieGraph.from_edges([5], [6])).to_dict("constraint")
        {5: 1.0, 6: 1.0}
        """
        values = getattr(self, measure)
        return dict(zip(self.ids.tolist(), np.asarray(values, dtype=np.float64).tolist(), strict=True))


@dataclass(frozen=True)
class EgoHoles:
    """One ego's measures and, per alter (aligned with ``alters``), its share, local constraint, redundancy."""

    ego: int
    alters: Int64Array
    share: FloatArray  # p_ij
    local_constraint: FloatArray  # l_ij
    redundancy: FloatArray  # r_ij
    size: int
    effective_size: float
    efficiency: float
    constraint: float
    hierarchy: float


def _hierarchy_from(
    local: FloatArray, total: FloatArray, size: Int64Array, rows: Int64Array, indptr: Int64Array
) -> FloatArray:
    """Burt's hierarchy per row from the local constraints of the row's entries."""
    n_f = size.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = local / (total / n_f)[rows]
        terms = rho * np.log(rho)
        num = row_reduce(terms, indptr, np.add, np.nan)
        h = num / (n_f * np.log(n_f))
    h[size < 2] = np.nan
    return h


def _all_nodes(g: TieGraph, weighted: bool) -> HolesResult:
    a_mat = g.mutual(weighted)
    indptr = np.asarray(a_mat.indptr, dtype=np.int64)
    size = indptr[1:] - indptr[:-1]
    rows = np.repeat(np.arange(g.n, dtype=np.int64), size)
    p, ind_sum, red_sum = triangle_sums(a_mat, rows)
    local = (p + ind_sum) ** 2
    del p, ind_sum
    total = row_reduce(local, indptr, np.add, np.nan)
    eff_size = size - row_reduce(red_sum, indptr, np.add, 0.0)
    isolated = size == 0
    eff_size[isolated] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        eff = eff_size / size
    hier = _hierarchy_from(local, total, size, rows, indptr)
    return HolesResult(g.ids, size, eff_size, eff, total, hier)


def _one(g: TieGraph, i: int, weighted: bool) -> EgoHoles:
    alters, share, ind_sum, red_sum = ego_sums(g.mutual(weighted), i)
    k = len(alters)
    if k == 0:
        e = np.zeros(0, dtype=np.float64)
        nan = float("nan")
        return EgoHoles(int(g.ids[i]), g.ids[alters], e, e, e, 0, nan, nan, nan, nan)
    local = (share + ind_sum) ** 2
    total = float(local.sum())
    esize = float(k - red_sum.sum())
    if k >= 2:
        rho = local / (total / k)
        hier = float((rho * np.log(rho)).sum() / (k * np.log(k)))
    else:
        hier = float("nan")
    return EgoHoles(int(g.ids[i]), g.ids[alters], share, local, red_sum, k, esize, esize / k, total, hier)


def structural_holes(
    g: TieGraph, nodes: Iterable[int] | None = None, *, weighted: bool = True
) -> HolesResult:
    """Effective size, efficiency, constraint and hierarchy of every node, or of the given node ids.

    Parameters
    ----------
    g : TieGraph
    nodes : iterable of int, optional
        External node ids; default all nodes (in ``g.ids`` order).
    weighted : bool
        Use tie weights (default) or count every arc as 1.

    Returns
    -------
    HolesResult
        Arrays aligned with the requested ids. A small set is computed ego by ego; a large one (or all)
        with the single all-nodes pass. Both give the same numbers.

    Examples
    --------
    >>> from revere.analytics.graph import TieGraph
    >>> g = TieGraph.from_edges([1, 1, 2, 3], [2, 3, 3, 4])
    >>> r = structural_holes(g, [3])
    >>> r.ids.tolist(), r.size.tolist(), r.effective_size.round(4).tolist()
    ([3], [3], [2.3333])
    """
    if nodes is None:
        return _all_nodes(g, weighted)
    idx = g.require_index(np.fromiter(nodes, dtype=np.int64))
    if len(idx) > max(64, g.n * _ALL_NODES_SHARE):
        full = _all_nodes(g, weighted)
        return HolesResult(
            g.ids[idx],
            full.size[idx],
            full.effective_size[idx],
            full.efficiency[idx],
            full.constraint[idx],
            full.hierarchy[idx],
        )
    egos = [_one(g, int(i), weighted) for i in idx]
    return HolesResult(
        g.ids[idx],
        np.array([e.size for e in egos], dtype=np.int64),
        np.array([e.effective_size for e in egos], dtype=np.float64),
        np.array([e.efficiency for e in egos], dtype=np.float64),
        np.array([e.constraint for e in egos], dtype=np.float64),
        np.array([e.hierarchy for e in egos], dtype=np.float64),
    )


def _measure(g: TieGraph, nodes: Any, weighted: bool, name: str) -> dict[int, float]:
    return structural_holes(g, nodes, weighted=weighted).to_dict(name)


def effective_size(
    g: TieGraph, nodes: Iterable[int] | None = None, *, weighted: bool = True
) -> dict[int, float]:
    """Burt's effective size, ``{node id: float}`` (NaN for isolates). See the module docstring.

    >>> from revere.analytics.graph import TieGraph
    >>> effective_size(TieGraph.from_edges([0, 0, 1], [1, 2, 2]))   # a clique: every node 1
    {0: 1.0, 1: 1.0, 2: 1.0}
    """
    return _measure(g, nodes, weighted, "effective_size")


def efficiency(g: TieGraph, nodes: Iterable[int] | None = None, *, weighted: bool = True) -> dict[int, float]:
    """Effective size divided by the number of distinct contacts, ``{node id: float}``."""
    return _measure(g, nodes, weighted, "efficiency")


def constraint(g: TieGraph, nodes: Iterable[int] | None = None, *, weighted: bool = True) -> dict[int, float]:
    """Burt's constraint, ``{node id: float}`` (NaN for isolates). See the module docstring."""
    return _measure(g, nodes, weighted, "constraint")


def hierarchy(g: TieGraph, nodes: Iterable[int] | None = None, *, weighted: bool = True) -> dict[int, float]:
    """Burt's hierarchy, ``{node id: float}`` (NaN with fewer than two contacts)."""
    return _measure(g, nodes, weighted, "hierarchy")


def ego_holes(g: TieGraph, ego: int, *, weighted: bool = True) -> EgoHoles:
    """One ego's Burt measures with each alter's share, local constraint and redundancy.

    Costs ``O(sum of the alters' degrees)``, no pass over the whole graph.

    >>> from revere.analytics.graph import TieGraph
    >>> e = ego_holes(TieGraph.from_edges([0, 0, 0, 1], [1, 2, 3, 2]), 0)
    >>> e.alters.tolist(), e.redundancy.round(4).tolist(), round(e.effective_size, 4)
    ([1, 2, 3], [0.3333, 0.3333, 0.0], 2.3333)
    """
    return _one(g, int(g.require_index([ego])[0]), weighted)


def redundancy(g: TieGraph, ego: int, *, weighted: bool = True) -> dict[int, float]:
    """Each alter's redundancy ``r_ij`` with the ego's other contacts, ``{alter id: float}``.

    ``1 - r_ij`` is the alter's non-redundant contribution to the ego's effective size.
    """
    e = ego_holes(g, ego, weighted=weighted)
    return dict(zip(e.alters.tolist(), e.redundancy.tolist(), strict=True))


def local_constraint(g: TieGraph, u: int, v: int, *, weighted: bool = True) -> float:
    """Local constraint ``l_uv`` on ``u`` from contact ``v`` (0 when ``v`` is not a contact of ``u``).

    >>> from revere.analytics.graph import TieGraph
    >>> local_constraint(TieGraph.from_edges([0, 0, 1], [1, 2, 2]), 0, 1)
    0.5625
    """
    e = ego_holes(g, u, weighted=weighted)
    hit = np.flatnonzero(e.alters == int(v))
    if len(hit) == 0:
        g.require_index([v])  # an unknown id is a KeyError, a non-contact 0
        return 0.0
    return float(e.local_constraint[hit[0]])
