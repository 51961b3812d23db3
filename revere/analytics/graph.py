"""TieGraph: the one graph structure every analytics function takes.

A TieGraph holds

* the external node ids (``int64``, e.g. Person ids), position ``i`` = node index ``i``;
* the weighted adjacency in CSR form (``indptr``, ``indices``, ``weights``), symmetric when the graph is
  undirected; for a directed graph the out-adjacency, plus the in-adjacency (``in_indptr`` ...);
* categorical node attributes (company, industry, function, region, network class ...) stored as
  integer codes (``-1`` = missing) and a tuple of categories.

Conventions (shared by every module of :mod:`revere.analytics`)
---------------------------------------------------------------
* **Duplicates are summed.** Two rows for the same tie (for an undirected graph ``(u, v)`` and ``(v, u)``
  are the same tie) add their weights, so a multigraph of e-mails becomes message counts. Sums are capped
  only when asked (``cap=1.0`` for tie strengths): Burt's measures are invariant to the scale of the
  weights, and introduction paths, which need strengths in (0, 1], check the ties they read.
* **Self-loops are dropped.** A tie to oneself carries no information about brokerage or redundancy.
* **A zero never deletes a tie.** A weight of ``0`` (say a dormant tie whose strength has decayed to
  nothing) is raised to ``min_weight`` (default :data:`MIN_WEIGHT` = 1e-6): the tie still counts in
  degree, size and the neighbour sets, and weighs next to nothing. Negative, infinite and NaN weights are
  errors.
* Node indices are ``int64`` positions into :attr:`TieGraph.ids`; functions translate at their boundary.

Examples
--------
>>> g = TieGraph.from_edges([10, 10, 20, 20], [20, 30, 30, 10], [0.5, 1.0, 0.25, 0.5])
>>> g.n, g.m
(3, 3)
>>> g.ids.tolist()
[10, 20, 30]
>>> g.weights.tolist()   # the two (10, 20) rows were summed
[1.0, 1.0, 1.0, 0.25, 1.0, 0.25]
>>> g.index_of([30, 99]).tolist()
[2, -1]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ._idmap import IdIndex, as_ids, unique_ids
from .attributes import Categorical

__all__ = ["MIN_WEIGHT", "Categorical", "TieGraph"]

#: Weight given to a tie whose stated weight is 0, so that the tie is kept (see the module docstring).
MIN_WEIGHT = 1e-6

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.integer[Any]]


def _row_counts(indptr: Any) -> Int64Array:
    p: Int64Array = np.asarray(indptr, dtype=np.int64)
    return p[1:] - p[:-1]


def _csr(rows: Int64Array, cols: Int64Array, data: FloatArray, n: int) -> sp.csr_array:
    """Canonical CSR (sorted indices, duplicates summed) in scipy's compiled counting sort."""
    mat = sp.coo_array((data, (rows, cols)), shape=(n, n)).tocsr()
    mat.sum_duplicates()
    return mat


class TieGraph:
    """A weighted, directed or undirected graph over external node ids, in CSR form.

    Build it with :meth:`from_edges`. Attributes are read-only views; do not modify the arrays.

    Attributes
    ----------
    n, m : int
        Number of nodes; number of ties (undirected: unordered pairs; directed: arcs).
    ids : ndarray of int64
        External id of each node index.
    directed : bool
    indptr, indices, weights : ndarray
        Out-adjacency CSR (symmetric for undirected graphs), column indices sorted within each row.
    in_indptr, in_indices, in_weights : ndarray
        In-adjacency CSR (the transpose); the same arrays as the out-adjacency when undirected.
    attrs : dict of str to Categorical
    """

    def __init__(
        self,
        ids: Int64Array,
        out: sp.csr_array,
        *,
        directed: bool,
        attrs: Mapping[str, Categorical] | None = None,
        _index: IdIndex | None = None,
    ) -> None:
        self._ids = ids
        self._out = out
        self._directed = directed
        self._in: sp.csr_array = out.T.tocsr() if directed else out
        if directed:
            self._in.sum_duplicates()
        self._index = _index if _index is not None else IdIndex(ids)
        self.attrs: dict[str, Categorical] = dict(attrs or {})
        self._mutual_cache: dict[bool, sp.csr_array] = {}
        self._m = int(out.nnz if directed else out.nnz // 2)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_edges(
        cls,
        src: npt.ArrayLike,
        dst: npt.ArrayLike,
        weight: npt.ArrayLike | None = None,
        *,
        directed: bool = False,
        node_ids: npt.ArrayLike | None = None,
        attrs: Mapping[str, npt.ArrayLike | Iterable[Any]] | None = None,
        min_weight: float = MIN_WEIGHT,
        cap: float | None = None,
    ) -> TieGraph:
        """Build a graph from parallel arrays of edge endpoints (external int ids) and weights.

        Parameters
        ----------
        src, dst : array_like of int
            Endpoint ids of each edge row.
        weight : array_like of float, optional
            Weight of each row (default 1). Must be finite and >= 0. Rows for the same tie are summed;
            zeros become ``min_weight`` so that the tie is kept.
        directed : bool
            Whether ``(u, v)`` and ``(v, u)`` are different ties.
        node_ids : array_like of int, optional
            The full, ordered node set, isolates included; every endpoint must be in it. By default the
            sorted distinct endpoints.
        attrs : mapping of str to array_like, optional
            Categorical attributes aligned with ``node_ids`` (which is then required).
        min_weight : float
            The weight a zero-weight tie gets.
        cap : float, optional
            Upper bound applied after summing duplicates (``cap=1.0`` keeps tie strengths in (0, 1] when
            several rows describe one tie). Default: no bound, so counts (e-mails) stay counts.

        Returns
        -------
        TieGraph

        Raises
        ------
        ValueError
            On mismatched lengths, non-integer ids, negative or non-finite weights, duplicated node ids,
            an endpoint missing from ``node_ids``, or attributes without ``node_ids``.

        Examples
        --------
        >>> g = TieGraph.from_edges([1, 2], [2, 2], directed=True, node_ids=[3, 2, 1],
        ...                         attrs={"company": ["a", "b", "a"]})
        >>> g.n, g.m, g.ids.tolist()        # the self-loop (2, 2) is dropped; 3 is an isolate
        (3, 1, [3, 2, 1])
        >>> g.attrs["company"].codes.tolist()
        [0, 1, 0]
        >>> TieGraph.from_edges([1], [2], [0.0]).weights.tolist()   # a zero keeps its tie
        [1e-06, 1e-06]
        """
        s = as_ids(src, "src")
        d = as_ids(dst, "dst")
        if s.shape != d.shape:
            raise ValueError(f"src and dst differ in length ({len(s)} != {len(d)})")
        if weight is None:
            w = np.ones(len(s), dtype=np.float64)
        else:
            w = np.asarray(weight, dtype=np.float64).ravel()
            if w.shape != s.shape:
                raise ValueError(f"weight has {len(w)} values for {len(s)} edges")
            bad = ~np.isfinite(w) | (w < 0)
            if bad.any():
                k = int(np.flatnonzero(bad)[0])
                raise ValueError(f"weights must be finite and >= 0; row {k} has {w[k]!r}")
            w = np.maximum(w, min_weight)
        ends = np.concatenate([s, d])
        if node_ids is None:
            if attrs:
                raise ValueError("attrs are aligned with node_ids; pass node_ids too")
            ids, pos = unique_ids(ends)
            index = IdIndex(ids)
        else:
            ids = as_ids(node_ids, "node_ids")
            index = IdIndex(ids)
            if len(index._sorted) > 1 and bool((np.diff(index._sorted) == 0).any()):
                dup = index._sorted[np.flatnonzero(np.diff(index._sorted) == 0)[0]]
                raise ValueError(f"node_ids has duplicates (e.g. {int(dup)})")
            pos = index.lookup(ends)
            if (pos < 0).any():
                missing = int(ends[np.flatnonzero(pos < 0)[0]])
                raise ValueError(f"edge endpoint {missing} is not in node_ids")
        n = len(ids)
        u, v = pos[: len(s)], pos[len(s) :]
        keep = u != v
        u, v, w = u[keep], v[keep], w[keep]
        if directed:
            out = _csr(u, v, w, n)
        else:
            out = _csr(np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([w, w]), n)
        if cap is not None:
            np.minimum(out.data, cap, out=out.data)
        cats: dict[str, Categorical] = {}
        for name, values in (attrs or {}).items():
            cat = values if isinstance(values, Categorical) else Categorical.encode(values)
            if len(cat.codes) != n:
                raise ValueError(f"attribute {name!r} has {len(cat.codes)} values for {n} nodes")
            cats[name] = cat
        return cls(ids, out, directed=directed, attrs=cats, _index=index)

    def with_attrs(self, attrs: Mapping[str, npt.ArrayLike | Iterable[Any] | Categorical]) -> TieGraph:
        """A graph sharing this one's adjacency, with attributes (aligned with :attr:`ids`) added.

        >>> g = TieGraph.from_edges([1], [2]).with_attrs({"region": ["emea", "apac"]})
        >>> g.attrs["region"].values()
        ['emea', 'apac']
        """
        merged: dict[str, Categorical] = dict(self.attrs)
        for name, values in attrs.items():
            cat = values if isinstance(values, Categorical) else Categorical.encode(values)
            if len(cat.codes) != self.n:
                raise ValueError(f"attribute {name!r} has {len(cat.codes)} values for {self.n} nodes")
            merged[name] = cat
        g = TieGraph.__new__(TieGraph)
        g.__dict__.update(self.__dict__)
        g.attrs = merged
        return g

    # ------------------------------------------------------------------ basic properties
    @property
    def n(self) -> int:
        return len(self._ids)

    @property
    def m(self) -> int:
        return self._m

    @property
    def ids(self) -> Int64Array:
        return self._ids

    @property
    def directed(self) -> bool:
        return self._directed

    @property
    def indptr(self) -> IndexArray:
        return self._out.indptr  # type: ignore[no-any-return]

    @property
    def indices(self) -> IndexArray:
        return self._out.indices  # type: ignore[no-any-return]

    @property
    def weights(self) -> FloatArray:
        return self._out.data  # type: ignore[no-any-return]

    @property
    def in_indptr(self) -> IndexArray:
        return self._in.indptr  # type: ignore[no-any-return]

    @property
    def in_indices(self) -> IndexArray:
        return self._in.indices  # type: ignore[no-any-return]

    @property
    def in_weights(self) -> FloatArray:
        return self._in.data  # type: ignore[no-any-return]

    @property
    def csr(self) -> sp.csr_array:
        """The out-adjacency as a scipy CSR array (shared, do not modify)."""
        return self._out

    @property
    def csr_in(self) -> sp.csr_array:
        """The in-adjacency (transpose) as a scipy CSR array (shared, do not modify)."""
        return self._in

    def __repr__(self) -> str:
        kind = "directed" if self._directed else "undirected"
        return f"<TieGraph {kind} n={self.n} m={self.m} attrs={sorted(self.attrs)}>"

    # ------------------------------------------------------------------ ids and neighbourhoods
    def index_of(self, ids: npt.ArrayLike) -> Int64Array:
        """Node index of each external id, ``-1`` where unknown.

        >>> TieGraph.from_edges([5, 7], [7, 9]).index_of([9, 5, 6]).tolist()
        [2, 0, -1]
        """
        q = np.atleast_1d(np.asarray(ids))
        if q.size == 0:
            return np.zeros(0, dtype=np.int64)
        if not np.issubdtype(q.dtype, np.integer):
            raise ValueError(f"node ids must be integers, got dtype {q.dtype}")
        return self._index.lookup(q.astype(np.int64).ravel())

    def require_index(self, ids: npt.ArrayLike) -> Int64Array:
        """Like :meth:`index_of` but raises ``KeyError`` naming the first unknown id."""
        idx = self.index_of(ids)
        if (idx < 0).any():
            q = np.atleast_1d(np.asarray(ids)).ravel()
            raise KeyError(f"node {int(q[np.flatnonzero(idx < 0)[0]])} is not in the graph")
        return idx

    def mutual(self, weighted: bool = True) -> sp.csr_array:
        """Symmetric CSR of mutual weights ``a_ij = w_ij + w_ji`` (undirected: ``a_ij = w_ij``).

        This is the adjacency Burt's measures use (networkx's ``mutual_weight``; for an undirected graph
        networkx's mutual weight is ``2 w_ij``, a constant factor that cancels in every normalised
        quantity). Its row pattern is each node's set of contacts, in- and out-neighbours together.
        With ``weighted=False`` every arc weighs 1: ``a_ij`` is 1 on an undirected graph and the number
        of arcs between ``i`` and ``j`` (1 or 2) on a directed one, as networkx's ``weight=None``.
        Computed once per graph and cached; do not modify.
        """
        key = bool(weighted)
        cached = self._mutual_cache.get(key)
        if cached is not None:
            return cached
        out, inn = self._out, self._in
        if not weighted:
            out = sp.csr_array((np.ones(out.nnz), out.indices, out.indptr), shape=out.shape)
            inn = (
                out
                if not self._directed
                else sp.csr_array((np.ones(inn.nnz), inn.indices, inn.indptr), shape=inn.shape)
            )
        if self._directed:
            mat = (out + inn).tocsr()
            mat.sum_duplicates()
            mat.sort_indices()
        else:
            mat = out
        self._mutual_cache[key] = mat
        return mat

    def neighbors(self, i: int) -> IndexArray:
        """Indices of node ``i``'s contacts (in- and out-neighbours together), sorted."""
        a = self.mutual()
        return a.indices[a.indptr[i] : a.indptr[i + 1]]  # type: ignore[no-any-return]

    def degree(self) -> Int64Array:
        """Number of distinct contacts of every node (in- and out-neighbours together)."""
        return _row_counts(self.mutual().indptr)

    def out_degree(self) -> Int64Array:
        return _row_counts(self._out.indptr)

    def in_degree(self) -> Int64Array:
        return _row_counts(self._in.indptr)

    def strength(self) -> FloatArray:
        """Sum of the weights of every node's ties (directed: out plus in)."""
        s = np.asarray(self._out.sum(axis=1), dtype=np.float64).ravel()
        if self._directed:
            s = s + np.asarray(self._in.sum(axis=1), dtype=np.float64).ravel()
        return s

    def edges(self) -> tuple[Int64Array, Int64Array, FloatArray]:
        """External ids and weight of each tie, once per tie (undirected: ``src < dst`` by index).

        >>> s, d, w = TieGraph.from_edges([2, 1], [1, 3], [0.5, 1.0]).edges()
        >>> s.tolist(), d.tolist(), w.tolist()
        ([1, 1], [2, 3], [0.5, 1.0])
        """
        coo = self._out.tocoo()
        r, c, w = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
        if not self._directed:
            keep = r < c
            r, c, w = r[keep], c[keep], w[keep]
        return self._ids[r], self._ids[c], np.asarray(w, dtype=np.float64)

    def subgraph(self, nodes: npt.ArrayLike) -> TieGraph:
        """The graph induced by the given node ids, in the given order, attributes kept.

        >>> g = TieGraph.from_edges([1, 2, 3], [2, 3, 1]).subgraph([3, 1])
        >>> g.ids.tolist(), g.m
        ([3, 1], 1)
        """
        idx = self.require_index(nodes)
        if len(np.unique(idx)) != len(idx):
            raise ValueError("subgraph nodes must be distinct")
        sub = self._out[idx][:, idx].tocsr()
        sub.sum_duplicates()
        sub.sort_indices()
        cats = {k: c.take(idx) for k, c in self.attrs.items()}
        return TieGraph(self._ids[idx].copy(), sub, directed=self._directed, attrs=cats)
