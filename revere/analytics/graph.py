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
from ._rows import RowPatch, Rows
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
        self._directed = directed
        self._index: IdIndex = _index if _index is not None else IdIndex(ids)
        self.attrs: dict[str, Categorical] = dict(attrs or {})
        self._mutual_cache: dict[bool, sp.csr_array] = {}
        self._patched: Rows | None = None  # set by with_edges: base rows plus replaced ones
        self._set_csr(out)

    def _set_csr(self, out: sp.csr_array) -> None:
        self._out_mat: sp.csr_array | None = out
        self._in_mat: sp.csr_array | None = out.T.tocsr() if self._directed else out
        if self._directed:
            self._in_mat.sum_duplicates()
        self._m = int(out.nnz if self._directed else out.nnz // 2)

    @property
    def _out(self) -> sp.csr_array:
        """The out-adjacency as one CSR; a patched graph builds it on first use (O(m), then cached)."""
        if self._out_mat is None:
            assert self._patched is not None
            self._out_mat = self._in_mat = self._patched.materialize()
        return self._out_mat

    @property
    def _in(self) -> sp.csr_array:
        if self._in_mat is None:
            return self._out
        return self._in_mat

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

    # ------------------------------------------------------------------ patching (undirected graphs)
    def with_edges(
        self,
        src: npt.ArrayLike,
        dst: npt.ArrayLike,
        weight: npt.ArrayLike,
        *,
        add_nodes: npt.ArrayLike | None = None,
        attrs: Mapping[str, Categorical] | None = None,
        min_weight: float = MIN_WEIGHT,
    ) -> TieGraph:
        """This graph with the ties ``(src[k], dst[k])`` set to ``weight[k]`` (NaN: removed) and nodes added.

        The result stands for exactly the graph :meth:`from_edges` would build from the edited edge
        list (the same ids in the same order, the new nodes last; the same CSR, a zero weight raised
        to ``min_weight``), but it is cheap: it keeps this graph's CSR as its base, untouched, and holds
        only the rows of the touched nodes (:mod:`._rows`). The row reads (:meth:`gather`,
        :meth:`row`, :meth:`row_lengths`, :meth:`degree`, :meth:`subgraph`, :meth:`index_of`) work on
        it directly; :attr:`csr` and the raw arrays build the whole CSR on first use
        (:meth:`compacted` returns it as a plain graph).

        Parameters
        ----------
        src, dst : array_like of int
            Endpoint ids of each tie to set (each unordered pair at most once; self-loops are ignored).
        weight : array_like of float
            The tie's new weight, finite and >= 0, or NaN to remove the tie.
        add_nodes : array_like of int, optional
            Ids of new nodes (not in the graph), appended in this order.
        attrs : mapping of str to Categorical, optional
            The attributes of the result (aligned with its ids); this graph's when not given.

        >>> g = TieGraph.from_edges([1, 2], [2, 3], [0.5, 0.5])
        >>> h = g.with_edges([1, 2], [3, 3], [0.25, float("nan")], add_nodes=[4])
        >>> h.ids.tolist(), h.m, h.edges()[2].tolist()
        ([1, 2, 3, 4], 2, [0.5, 0.25])
        """
        if self._directed:
            raise ValueError("only an undirected graph can be patched")
        new_ids = as_ids(add_nodes if add_nodes is not None else [], "add_nodes")
        if len(new_ids) and ((self.index_of(new_ids) >= 0).any() or len(np.unique(new_ids)) != len(new_ids)):
            raise ValueError("add_nodes must be new, distinct ids")
        index = self._index.extended(new_ids, self.n) if len(new_ids) else self._index
        ids = np.concatenate([self._ids, new_ids]) if len(new_ids) else self._ids
        n = len(ids)
        s, d = as_ids(src, "src"), as_ids(dst, "dst")
        w = np.asarray(weight, dtype=np.float64).ravel()
        if s.shape != d.shape or w.shape != s.shape:
            raise ValueError("src, dst and weight differ in length")
        removed = np.isnan(w)
        bad = ~removed & (~np.isfinite(w) | (w < 0))
        if bad.any():
            raise ValueError(f"weights must be finite and >= 0 (or NaN to remove); got {w[bad][0]!r}")
        w = np.where(removed, np.nan, np.maximum(w, min_weight))
        u, v = index.lookup(s), index.lookup(d)
        if (u < 0).any() or (v < 0).any():
            missing = int(np.concatenate([s[u < 0], d[v < 0]])[0])
            raise ValueError(f"edge endpoint {missing} is not in the graph")
        keep = u != v
        u, v, w = u[keep], v[keep], w[keep]
        base_rows = self.rows
        rows = Rows(base_rows.base, n, base_rows.patch)
        touched = np.unique(np.concatenate([u, v]))
        owner, col, val = rows.gather(touched)
        row = touched[owner]
        edit_r, edit_c, edit_w = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([w, w])
        edit_key = edit_r * n + edit_c
        old_key = row * n + col
        stay = ~np.isin(old_key, edit_key)
        add = ~np.isnan(edit_w)
        key = np.concatenate([old_key[stay], edit_key[add]])
        wgt = np.concatenate([val[stay], edit_w[add]])
        order = np.argsort(key, kind="stable")
        key, wgt = key[order], wgt[order]
        counts = np.bincount(np.searchsorted(touched, key // n), minlength=len(touched)).astype(np.int64)
        indptr = np.zeros(len(touched) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        patch = rows.replace(touched, indptr, key % n, wgt)
        cats = dict(self.attrs if attrs is None else attrs)
        for name, cat in cats.items():
            if len(cat.codes) != n:
                raise ValueError(f"attribute {name!r} has {len(cat.codes)} values for {n} nodes")
        g = TieGraph.__new__(TieGraph)
        g._ids, g._directed, g._index, g.attrs = ids, False, index, cats
        g._mutual_cache = {}
        g._patched = Rows(rows.base, n, patch)
        g._out_mat = g._in_mat = None
        g._m = g._patched.nnz // 2
        return g

    @property
    def patched(self) -> bool:
        """Whether the graph holds replaced rows over a base CSR (:meth:`with_edges`)."""
        return self._patched is not None

    @property
    def patched_rows(self) -> int:
        """How many rows the patch holds (0 for a plain graph)."""
        return 0 if self._patched is None else len(self._patched.patch.rows)

    def compacted(self) -> TieGraph:
        """The same graph as one plain CSR (what :meth:`from_edges` builds): arrays equal to a fresh build."""
        if self._patched is None:
            return self
        return TieGraph(self._ids.copy(), self._out, directed=False, attrs=self.attrs)

    @property
    def rows(self) -> Rows:
        """Row access to the adjacency (out-adjacency when directed), patched or not."""
        if self._patched is not None:
            return self._patched
        return Rows(self._out, self.n, RowPatch.empty())

    def row_lengths(self, nodes: npt.ArrayLike) -> Int64Array:
        """Number of entries in each node's row (node indices)."""
        return self.rows.lengths(np.asarray(nodes, dtype=np.int64))

    def gather(self, nodes: npt.ArrayLike) -> tuple[Int64Array, Int64Array, FloatArray]:
        """The rows of ``nodes`` (indices) concatenated: (position in ``nodes``, column, weight)."""
        return self.rows.gather(np.asarray(nodes, dtype=np.int64))

    def row(self, i: int) -> tuple[Int64Array, FloatArray]:
        """One node's row: neighbour indices (sorted) and weights."""
        return self.rows.row(int(i))

    # ------------------------------------------------------------------ snapshots
    def to_arrays(self) -> tuple[dict[str, npt.NDArray[Any]], dict[str, Any]]:
        """Every array behind the graph (index included) and the rest as plain values, for
        :meth:`from_arrays`. An undirected graph only; a patched one is compacted first."""
        if self._directed:
            raise ValueError("only an undirected graph is stored as arrays")
        g = self.compacted()
        arrays: dict[str, npt.NDArray[Any]] = {
            "ids": g._ids,
            "indptr": g._out.indptr,
            "indices": g._out.indices,
            "data": g._out.data,
        }
        for k, a in g._index.state().items():
            arrays[f"index.{k}"] = a
        for name, cat in g.attrs.items():
            arrays[f"attr.{name}"] = cat.codes
        meta = {"n": g.n, "categories": {name: list(cat.categories) for name, cat in g.attrs.items()}}
        return arrays, meta

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], meta: Mapping[str, Any]) -> TieGraph:
        """The graph :meth:`to_arrays` stored, on the given arrays as they are (no copy: memory maps
        stay shared and read-only), without recomputing anything."""
        ids = arrays["ids"]
        n = int(meta["n"])
        out = sp.csr_array((arrays["data"], arrays["indices"], arrays["indptr"]), shape=(n, n), copy=False)
        out.has_sorted_indices = True
        out.has_canonical_format = True
        state = {k.split(".", 1)[1]: a for k, a in arrays.items() if k.startswith("index.")}
        attrs = {
            name: Categorical(codes=arrays[f"attr.{name}"], categories=tuple(cats))
            for name, cats in meta["categories"].items()
        }
        return cls(ids, out, directed=False, attrs=attrs, _index=IdIndex.from_state(ids, state))

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
        if self._patched is not None:
            return self._patched.row(int(i))[0]
        a = self.mutual()
        return a.indices[a.indptr[i] : a.indptr[i + 1]]  # type: ignore[no-any-return]

    def degree(self) -> Int64Array:
        """Number of distinct contacts of every node (in- and out-neighbours together)."""
        if self._patched is not None:
            return self._patched.lengths(np.arange(self.n, dtype=np.int64))
        return _row_counts(self.mutual().indptr)

    def out_degree(self) -> Int64Array:
        if self._patched is not None:
            return self.degree()
        return _row_counts(self._out.indptr)

    def in_degree(self) -> Int64Array:
        if self._patched is not None:
            return self.degree()
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
        if self._patched is not None:  # from the rows, without building the whole CSR
            owner, col, val = self._patched.gather(idx)
            pos = np.full(self.n, -1, dtype=np.int64)
            pos[idx] = np.arange(len(idx), dtype=np.int64)
            inside = pos[col] >= 0
            sub = _csr(owner[inside], pos[col[inside]], val[inside], len(idx))
            sub.sort_indices()
            cats = {k: c.take(idx) for k, c in self.attrs.items()}
            return TieGraph(self._ids[idx].copy(), sub, directed=False, attrs=cats)
        sub = self._out[idx][:, idx].tocsr()
        sub.sum_duplicates()
        sub.sort_indices()
        cats = {k: c.take(idx) for k, c in self.attrs.items()}
        return TieGraph(self._ids[idx].copy(), sub, directed=self._directed, attrs=cats)
