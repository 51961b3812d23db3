"""Row access to a CSR adjacency whose rows may have been replaced (private; see :mod:`.graph`).

A patched undirected :class:`~revere.analytics.graph.TieGraph` keeps its base CSR (possibly a read-only
memory map shared by several processes) untouched and holds the rows that changed since, and the
rows of nodes added since, in a small CSR of its own (:class:`RowPatch`). :class:`Rows` answers the
three questions the analytics ask of an adjacency, on either form, with the same result as on the
CSR the patched graph stands for (:meth:`Rows.materialize`):

* :meth:`Rows.lengths`: how many entries the rows of some nodes hold;
* :meth:`Rows.gather`: those rows concatenated, in row then column order;
* :meth:`Rows.row`: one row.

So a write costs the rows it touches, not a copy of the whole graph, and the base stays shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _i64(x: Any) -> Int64Array:
    return np.asarray(x, dtype=np.int64)


def _flat(starts: Int64Array, lens: Int64Array) -> Int64Array:
    """The positions ``starts[k] .. starts[k] + lens[k] - 1`` of every k, concatenated."""
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lens) - lens
    flat: Int64Array = np.arange(total, dtype=np.int64) - np.repeat(offsets - starts, lens)
    return flat


@dataclass(frozen=True)
class RowPatch:
    """Replaced rows: ``rows`` (sorted node indices) and their contents in CSR form."""

    rows: Int64Array
    indptr: Int64Array
    indices: Int64Array
    data: FloatArray

    @classmethod
    def empty(cls) -> RowPatch:
        return cls(
            rows=np.zeros(0, dtype=np.int64),
            indptr=np.zeros(1, dtype=np.int64),
            indices=np.zeros(0, dtype=np.int64),
            data=np.zeros(0, dtype=np.float64),
        )

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1])


class Rows:
    """An adjacency of ``n`` rows: the base CSR's rows, except those of ``patch``."""

    def __init__(self, base: sp.csr_array, n: int, patch: RowPatch) -> None:
        self.base = base
        self.n0 = int(base.shape[0])
        self.n = n
        self.patch = patch
        self._base_ptr = base.indptr
        self._plain = len(patch.rows) == 0 and n == self.n0

    def _where(self, nodes: Int64Array) -> tuple[npt.NDArray[np.bool_], Int64Array]:
        """For each node: whether its row is in the patch, and its position there."""
        rows = self.patch.rows
        if len(rows) == 0:
            return np.zeros(len(nodes), dtype=bool), np.zeros(len(nodes), dtype=np.int64)
        pos = np.minimum(np.searchsorted(rows, nodes), len(rows) - 1).astype(np.int64)
        return rows[pos] == nodes, pos

    def _parts(
        self, nodes: Int64Array
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], Int64Array, Int64Array]:
        hit, pos = self._where(nodes)
        starts = np.zeros(len(nodes), dtype=np.int64)
        lens = np.zeros(len(nodes), dtype=np.int64)
        base = ~hit & (nodes < self.n0)
        b = nodes[base]
        starts[base] = _i64(self._base_ptr[b])
        lens[base] = _i64(self._base_ptr[b + 1]) - starts[base]
        p = pos[hit]
        starts[hit] = self.patch.indptr[p]
        lens[hit] = self.patch.indptr[p + 1] - starts[hit]
        return hit, base, starts, lens

    def lengths(self, nodes: Int64Array) -> Int64Array:
        """How many entries each node's row holds."""
        nodes = _i64(nodes)
        if self._plain:
            return _i64(self._base_ptr[nodes + 1]) - _i64(self._base_ptr[nodes])
        _, _, _, lens = self._parts(nodes)
        return lens

    def gather(self, nodes: Int64Array) -> tuple[Int64Array, Int64Array, FloatArray]:
        """Concatenated rows: (owner position in ``nodes``, column, value), in row then column order."""
        nodes = _i64(nodes)
        if self._plain:  # no patch: straight off the base CSR
            starts = _i64(self._base_ptr[nodes])
            lens = _i64(self._base_ptr[nodes + 1]) - starts
            flat = _flat(starts, lens)
            owner = np.repeat(np.arange(len(nodes), dtype=np.int64), lens)
            return owner, _i64(self.base.indices[flat]), np.asarray(self.base.data[flat], dtype=np.float64)
        hit, base, starts, lens = self._parts(nodes)
        total = int(lens.sum())
        owner = np.repeat(np.arange(len(nodes), dtype=np.int64), lens)
        col = np.empty(total, dtype=np.int64)
        val = np.empty(total, dtype=np.float64)
        out_start = np.cumsum(lens) - lens
        for mask, indices, data in (
            (base, self.base.indices, self.base.data),
            (hit, self.patch.indices, self.patch.data),
        ):
            if not mask.any():
                continue
            src = _flat(starts[mask], lens[mask])
            dst = _flat(out_start[mask], lens[mask])
            col[dst] = indices[src]
            val[dst] = data[src]
        return owner, col, val

    def row(self, i: int) -> tuple[Int64Array, FloatArray]:
        """One node's row: its columns (sorted) and values."""
        rows = self.patch.rows
        if self._plain:
            lo, hi = int(self._base_ptr[i]), int(self._base_ptr[i + 1])
            return _i64(self.base.indices[lo:hi]), np.asarray(self.base.data[lo:hi], dtype=np.float64)
        if len(rows):
            p = int(np.searchsorted(rows, i))
            if p < len(rows) and int(rows[p]) == i:
                lo, hi = int(self.patch.indptr[p]), int(self.patch.indptr[p + 1])
                return self.patch.indices[lo:hi], self.patch.data[lo:hi]
        if i >= self.n0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        lo, hi = int(self._base_ptr[i]), int(self._base_ptr[i + 1])
        return _i64(self.base.indices[lo:hi]), np.asarray(self.base.data[lo:hi], dtype=np.float64)

    @property
    def nnz(self) -> int:
        if len(self.patch.rows) == 0:
            return int(self.base.nnz)
        replaced = self.patch.rows[self.patch.rows < self.n0]
        removed = int((_i64(self._base_ptr[replaced + 1]) - _i64(self._base_ptr[replaced])).sum())
        return int(self.base.nnz) - removed + self.patch.nnz

    def replace(
        self, rows: Int64Array, indptr: Int64Array, indices: Int64Array, data: FloatArray
    ) -> RowPatch:
        """This patch with the rows ``rows`` (sorted, distinct) replaced by the given contents."""
        old = self.patch
        keep = ~np.isin(old.rows, rows)
        kept_lens = (old.indptr[1:] - old.indptr[:-1])[keep]
        src = _flat(old.indptr[:-1][keep], kept_lens)
        all_rows = np.concatenate([old.rows[keep], rows])
        all_lens = np.concatenate([kept_lens, indptr[1:] - indptr[:-1]])
        all_ind = np.concatenate([old.indices[src], indices])
        all_val = np.concatenate([old.data[src], data])
        starts = np.concatenate([np.cumsum(kept_lens) - kept_lens, len(src) + indptr[:-1]])
        order = np.argsort(all_rows, kind="stable")
        lens = all_lens[order]
        flat = _flat(starts[order], lens)
        new_ptr = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lens, out=new_ptr[1:])
        return RowPatch(rows=all_rows[order], indptr=new_ptr, indices=all_ind[flat], data=all_val[flat])

    def materialize(self) -> sp.csr_array:
        """The CSR these rows stand for, with the base's index dtype."""
        if len(self.patch.rows) == 0 and self.n == self.n0:
            return self.base
        nodes = np.arange(self.n, dtype=np.int64)
        lens = self.lengths(nodes)
        _, col, val = self.gather(nodes)
        dtype = self.base.indices.dtype
        if self.nnz >= np.iinfo(dtype).max or self.n >= np.iinfo(dtype).max:
            dtype = np.dtype(np.int64)
        indptr = np.zeros(self.n + 1, dtype=dtype)
        np.cumsum(lens, out=indptr[1:])
        mat = sp.csr_array((val, col.astype(dtype), indptr), shape=(self.n, self.n))
        mat.has_sorted_indices = True
        mat.has_canonical_format = True
        return mat
