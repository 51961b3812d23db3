r"""Ego-network metrics: size, two-step reach, density, tie-strength mix, diversity and range.

For an ego :math:`i` with contacts (alters) :math:`N(i)` (in- and out-neighbours together), :math:`k = |N(i)|`:

* **size**: :math:`k`.
* **two-step reach**: the number of distinct nodes tied to an alter that are neither the ego nor an alter.
* **density** (binary): links among the alters over possible links, :math:`L / \binom{k}{2}` undirected,
  :math:`L / (k(k-1))` directed (arcs); 0/0 for :math:`k < 2` is NaN (Wasserman and Faust 1994, ch. 4).
* **weighted density**: the mean alter-alter weight over the same pairs (absent pairs count 0).
* **strength mix**: the ego's ties counted per band of tie strength (strong, medium, weak, dormant by
  default). A tie's strength is its weight; on a directed graph the stronger of the two directions.
* **overlap and unique reach** of each alter (:func:`alter_reach`): how many of the ego's other alters
  it is tied to (what makes it redundant: Burt 1992), and how many people one step beyond the ego's
  contacts it alone reaches (what it brings that nobody else does).
* **diversity** over a categorical attribute: Blau's index :math:`1 - \sum_c p_c^2`, :math:`p_c` the
  share of the alters in category :math:`c` (alters with the attribute missing are left out; NaN when no
  alter has it) (Blau 1977). **range**: the number of distinct categories among the alters.

Functions take one ego, a set, or (``nodes=None``) every node, and return ``{node id: value}`` dicts or
arrays aligned with the requested ids. One ego costs ``O(sum of its alters' degrees)``; all nodes use
sparse products, ``O(sum of squared degrees)``.

References
----------
R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard University Press, 1992.
S. Wasserman and K. Faust, *Social Network Analysis*, Cambridge University Press, 1994.
P. M. Blau, *Inequality and Heterogeneity*, Free Press, 1977.
M. Granovetter, "The Strength of Weak Ties", *American Journal of Sociology* 78(6), 1973.

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([0, 0, 0, 1, 3], [1, 2, 3, 2, 4], [0.9, 0.5, 0.05, 1.0, 1.0],
...                         node_ids=[0, 1, 2, 3, 4], attrs={"company": ["x", "a", "a", "b", None]})
>>> s = ego_summary(g, 0, attrs=["company"])
>>> s.size, s.reach, s.density, round(s.weighted_density, 4)
(3, 1, 0.3333333333333333, 0.3333)
>>> s.strength_mix
{'strong': 1, 'medium': 1, 'weak': 0, 'dormant': 1}
>>> round(s.diversity["company"], 4), s.range["company"]
(0.4444, 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ._kernels import gather_rows
from .graph import TieGraph

__all__ = [
    "DEFAULT_BANDS",
    "AlterReach",
    "EgoMetrics",
    "EgoSummary",
    "alter_reach",
    "alters",
    "attribute_range",
    "density",
    "diversity",
    "ego_metrics",
    "ego_summary",
    "reach",
    "size",
    "strength_mix",
]

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]

#: Bands of tie strength, as (name, lower bound) from strongest to weakest; a tie falls in the first
#: band whose lower bound it reaches.
DEFAULT_BANDS: tuple[tuple[str, float], ...] = (
    ("strong", 0.7),
    ("medium", 0.4),
    ("weak", 0.1),
    ("dormant", 0.0),
)


@dataclass(frozen=True)
class EgoMetrics:
    """Size, reach and densities, arrays aligned with ``ids``."""

    ids: Int64Array
    size: Int64Array
    reach: Int64Array
    density: FloatArray
    weighted_density: FloatArray


@dataclass(frozen=True)
class EgoSummary:
    """Everything about one ego's network that does not need Burt's measures (see :mod:`.holes`)."""

    ego: int
    alters: Int64Array
    tie_strength: FloatArray
    size: int
    reach: int
    density: float
    weighted_density: float
    strength_mix: dict[str, int]
    diversity: dict[str, float] = field(default_factory=dict)
    range: dict[str, int] = field(default_factory=dict)


def _ids(g: TieGraph, nodes: Iterable[int] | None) -> Int64Array:
    if nodes is None:
        return np.arange(g.n, dtype=np.int64)
    return g.require_index(np.fromiter(nodes, dtype=np.int64))


def _tie_strength(g: TieGraph, i: int, alt: Int64Array) -> FloatArray:
    """The ego's tie weight to each alter (``alt`` = the ego's sorted contacts); directed: the stronger direction."""
    if not g.directed:  # the out-row is the contact row itself, in the same order
        mat = g.csr
        return np.asarray(mat.data[mat.indptr[i] : mat.indptr[i + 1]], dtype=np.float64)
    out = np.zeros(len(alt), dtype=np.float64)
    for mat in (g.csr, g.csr_in):
        lo, hi = int(mat.indptr[i]), int(mat.indptr[i + 1])
        pos = np.searchsorted(alt, np.asarray(mat.indices[lo:hi], dtype=np.int64))
        np.maximum.at(out, pos, np.asarray(mat.data[lo:hi], dtype=np.float64))
    return out


def _one(g: TieGraph, i: int) -> tuple[Int64Array, int, int, float, float]:
    mut = g.mutual()
    alt = np.asarray(mut.indices[mut.indptr[i] : mut.indptr[i + 1]], dtype=np.int64)
    k = len(alt)
    if k == 0:
        return alt, 0, 0, float("nan"), float("nan")
    _, nb, val = gather_rows(mut, alt)
    is_alt = np.zeros(g.n, dtype=bool)
    is_alt[alt] = True
    mark = np.zeros(g.n, dtype=bool)
    mark[nb] = True
    mark[alt] = False
    mark[i] = False
    two_step = int(np.count_nonzero(mark))
    if g.directed:  # arcs among the alters come from the out-rows
        _, col, val = gather_rows(g.csr, alt)
        inner = is_alt[col]
    else:
        inner = is_alt[nb]
    links, weight = int(np.count_nonzero(inner)), float(val[inner].sum())
    if not g.directed:
        links //= 2
        weight /= 2
    if k < 2:
        return alt, k, two_step, float("nan"), float("nan")
    pairs = k * (k - 1) if g.directed else k * (k - 1) / 2
    return alt, k, two_step, links / pairs, weight / pairs


def _all(g: TieGraph) -> EgoMetrics:
    m = g.mutual(weighted=False)
    b = sp.csr_array((np.ones(g.csr.nnz), g.csr.indices, g.csr.indptr), shape=g.csr.shape)
    k = g.degree()
    # links among i's alters: sum_{j,q in N(i)} B_jq = (M B M)_ii; weighted with W instead of B.
    links = np.asarray((m @ b).multiply(m).sum(axis=1), dtype=np.float64).ravel()
    wsum = np.asarray((m @ g.csr).multiply(m).sum(axis=1), dtype=np.float64).ravel()
    # (M B M)_ii counts, for every alter j, the arcs from j into N(i): row i of (M B) times column of M.
    two = (m @ m).tocsr()
    two.data[:] = 1.0
    in_row = np.diff(two.indptr)
    near = np.asarray(two.multiply(m).sum(axis=1), dtype=np.int64).ravel()  # alters reachable in 2 steps
    self_hit = (k > 0).astype(np.int64)  # every node with a contact reaches itself in two steps
    two_step = (in_row - near - self_hit).astype(np.int64)
    pairs = (k * (k - 1)).astype(np.float64) if g.directed else k * (k - 1) / 2.0
    if not g.directed:
        links, wsum = links / 2, wsum / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        dens = np.where(k >= 2, links / pairs, np.nan)
        wdens = np.where(k >= 2, wsum / pairs, np.nan)
    return EgoMetrics(g.ids, k, two_step, dens, wdens)


def ego_metrics(g: TieGraph, nodes: Iterable[int] | None = None) -> EgoMetrics:
    """Size, two-step reach, density and weighted density for the given node ids (default: all).

    >>> from revere.analytics.graph import TieGraph
    >>> g = TieGraph.from_edges([0, 0, 1, 2], [1, 2, 2, 3])
    >>> e = ego_metrics(g)
    >>> e.size.tolist(), e.reach.tolist(), e.density.tolist()
    ([2, 2, 3, 1], [1, 1, 0, 2], [1.0, 1.0, 0.3333333333333333, nan])
    >>> ego_metrics(g, [3]).reach.tolist()
    [2]
    """
    if nodes is None and g.n > 2000:
        return _all(g)
    idx = _ids(g, nodes)
    rows = [_one(g, int(i)) for i in idx]
    return EgoMetrics(
        g.ids[idx],
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([r[2] for r in rows], dtype=np.int64),
        np.array([r[3] for r in rows], dtype=np.float64),
        np.array([r[4] for r in rows], dtype=np.float64),
    )


def _as_dict(ids: Int64Array, values: Any) -> dict[int, Any]:
    return dict(zip(ids.tolist(), np.asarray(values).tolist(), strict=True))


def size(g: TieGraph, nodes: Iterable[int] | None = None) -> dict[int, int]:
    """Number of distinct contacts, ``{node id: int}``."""
    idx = _ids(g, nodes)
    return _as_dict(g.ids[idx], g.degree()[idx])


def reach(g: TieGraph, nodes: Iterable[int] | None = None) -> dict[int, int]:
    """Two-step reach: distinct nodes two steps away, beyond the ego and its alters, ``{node id: int}``."""
    e = ego_metrics(g, nodes)
    return _as_dict(e.ids, e.reach)


def density(g: TieGraph, nodes: Iterable[int] | None = None, *, weighted: bool = False) -> dict[int, float]:
    """Density among each ego's alters (binary, or the mean weight over pairs), ``{node id: float}``."""
    e = ego_metrics(g, nodes)
    return _as_dict(e.ids, e.weighted_density if weighted else e.density)


def alters(g: TieGraph, ego: int) -> Int64Array:
    """The ego's contacts as external ids (in- and out-neighbours together), sorted by index."""
    i = int(g.require_index([ego])[0])
    return g.ids[np.asarray(g.neighbors(i), dtype=np.int64)]


def _bands(strength: FloatArray, bands: Sequence[tuple[str, float]]) -> dict[str, int]:
    out: dict[str, int] = {}
    left = np.ones(len(strength), dtype=bool)
    for name, lower in bands:
        hit = left & (strength >= lower)
        out[name] = int(np.count_nonzero(hit))
        left &= ~hit
    return out


def strength_mix(
    g: TieGraph, nodes: Iterable[int] | None = None, *, bands: Sequence[tuple[str, float]] = DEFAULT_BANDS
) -> dict[int, dict[str, int]]:
    """Number of each ego's ties in each strength band, ``{node id: {band: count}}``.

    ``bands`` are ``(name, lower bound)`` from strongest to weakest; a tie goes to the first band it reaches
    (ties below every bound are not counted).

    >>> from revere.analytics.graph import TieGraph
    >>> strength_mix(TieGraph.from_edges([1, 1], [2, 3], [0.8, 0.2]), [1])
    {1: {'strong': 1, 'medium': 0, 'weak': 1, 'dormant': 0}}
    """
    idx = _ids(g, nodes)
    strongest = g.csr.maximum(g.csr_in).tocsr() if g.directed else g.csr  # the stronger direction
    sub = strongest if nodes is None else strongest[idx].tocsr()
    vals = np.asarray(sub.data, dtype=np.float64)
    ptr: Int64Array = np.asarray(sub.indptr, dtype=np.int64)
    owner = np.repeat(np.arange(len(idx), dtype=np.int64), ptr[1:] - ptr[:-1])
    band = np.full(len(vals), -1, dtype=np.int64)
    for b, (_, lower) in enumerate(bands):
        band[(band < 0) & (vals >= lower)] = b
    keep = band >= 0
    nb = len(bands)
    counts = np.bincount(owner[keep] * nb + band[keep], minlength=len(idx) * nb).reshape(len(idx), nb)
    names = [name for name, _ in bands]
    return {
        node: dict(zip(names, row, strict=True))
        for node, row in zip(g.ids[idx].tolist(), counts.tolist(), strict=True)
    }


def _blau(codes: npt.NDArray[np.int32]) -> tuple[float, int]:
    present = codes[codes >= 0]
    if len(present) == 0:
        return float("nan"), 0
    counts = np.bincount(present)
    counts = counts[counts > 0]
    share = counts / counts.sum()
    return float(1.0 - (share * share).sum()), len(counts)


def _diversity_all(g: TieGraph, attr: str, idx: Int64Array) -> tuple[FloatArray, Int64Array]:
    cat = g.attrs[attr]
    m = g.mutual(weighted=False)
    has = cat.codes >= 0
    onehot = sp.csr_array(
        (np.ones(int(has.sum())), (np.flatnonzero(has), cat.codes[has].astype(np.int64))),
        shape=(g.n, max(len(cat.categories), 1)),
    )
    counts = (m[idx] @ onehot).tocsr()
    tot = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    sq = np.asarray(counts.multiply(counts).sum(axis=1), dtype=np.float64).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        blau = np.where(tot > 0, 1.0 - sq / (tot * tot), np.nan)
    rng = np.diff(counts.indptr).astype(np.int64)
    return blau, rng


def diversity(g: TieGraph, attr: str, nodes: Iterable[int] | None = None) -> dict[int, float]:
    """Blau's index of the alters over a categorical attribute, ``{node id: float}`` (NaN: no alter has it).

    >>> from revere.analytics.graph import TieGraph
    >>> g = TieGraph.from_edges([0, 0, 0], [1, 2, 3], node_ids=[0, 1, 2, 3], attrs={"ind": ["x", "a", "a", "b"]})
    >>> round(diversity(g, "ind", [0])[0], 4)
    0.4444
    """
    idx = _ids(g, nodes)
    blau, _ = _diversity_all(g, attr, idx)
    return _as_dict(g.ids[idx], blau)


def attribute_range(g: TieGraph, attr: str, nodes: Iterable[int] | None = None) -> dict[int, int]:
    """Number of distinct categories of ``attr`` among each ego's alters, ``{node id: int}``."""
    idx = _ids(g, nodes)
    _, rng = _diversity_all(g, attr, idx)
    return _as_dict(g.ids[idx], rng)


def ego_summary(
    g: TieGraph, ego: int, *, attrs: Sequence[str] = (), bands: Sequence[tuple[str, float]] = DEFAULT_BANDS
) -> EgoSummary:
    """Size, reach, densities, strength mix and per-attribute diversity and range of one ego.

    Costs ``O(sum of the alters' degrees)`` plus one ``O(n)`` bit mask for the reach.
    """
    i = int(g.require_index([ego])[0])
    alt, k, two_step, dens, wdens = _one(g, i)
    strength = _tie_strength(g, i, alt)
    div: dict[str, float] = {}
    rng: dict[str, int] = {}
    for name in attrs:
        div[name], rng[name] = _blau(g.attrs[name].codes[alt])
    return EgoSummary(
        int(ego), g.ids[alt], strength, k, two_step, dens, wdens, _bands(strength, bands), div, rng
    )


@dataclass(frozen=True)
class AlterReach:
    """Per alter of one ego (aligned with :attr:`alters`): overlap with the others and unique reach.

    ``overlap[j]``: the other alters (of the set asked about) tied to alter ``j``. ``unique_reach[j]``:
    the people tied to alter ``j`` and to no other alter of the set, who are neither the ego nor one
    of those alters; :meth:`unique` lists them.
    """

    ego: int
    alters: Int64Array
    overlap: Int64Array
    unique_reach: Int64Array
    _owner: Int64Array
    _nodes: Int64Array  # external ids, grouped by owner (position in ``alters``)

    def unique(self, alter: int) -> Int64Array:
        """External ids of the people only ``alter`` reaches, sorted."""
        j = int(np.flatnonzero(self.alters == alter)[0])
        lo, hi = np.searchsorted(self._owner, [j, j + 1])
        return self._nodes[lo:hi]


def alter_reach(g: TieGraph, ego: int, alters: Iterable[int] | None = None) -> AlterReach:
    """Overlap and unique two-step reach of the ego's alters (or of a subset of them, say one network).

    Contacts are in- and out-neighbours together. Cost: ``O(sum of the alters' degrees)``.

    >>> from revere.analytics.graph import TieGraph
    >>> g = TieGraph.from_edges([0, 0, 0, 1, 1, 2, 3, 3], [1, 2, 3, 2, 4, 4, 5, 6])
    >>> r = alter_reach(g, 0)
    >>> r.alters.tolist(), r.overlap.tolist(), r.unique_reach.tolist()
    ([1, 2, 3], [1, 1, 0], [0, 0, 2])
    >>> r.unique(3).tolist()
    [5, 6]
    """
    i = int(g.require_index([ego])[0])
    a = g.mutual(weighted=False)
    idx = np.asarray(a.indices[a.indptr[i] : a.indptr[i + 1]], dtype=np.int64)
    if alters is not None:
        asked = g.require_index(np.fromiter(alters, dtype=np.int64))
        idx = np.unique(asked[np.isin(asked, idx)])
    owner, col, _ = gather_rows(a, idx)
    is_alter = np.zeros(g.n, dtype=bool)
    is_alter[idx] = True
    inside = is_alter[col]
    outside = ~inside & (col != i)
    overlap = np.bincount(owner[inside], minlength=len(idx))
    reached_by = np.bincount(col[outside], minlength=g.n)
    only = outside & (reached_by[col] == 1)
    unique_n = np.bincount(owner[only], minlength=len(idx))
    order = np.lexsort((col[only], owner[only]))
    return AlterReach(
        ego=ego,
        alters=g.ids[idx],
        overlap=overlap.astype(np.int64),
        unique_reach=unique_n.astype(np.int64),
        _owner=owner[only][order],
        _nodes=g.ids[col[only][order]],
    )
