"""External node ids to node indices (private; see :mod:`revere.analytics.graph`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Int64Array = npt.NDArray[np.int64]


class IdIndex:
    """Maps external int64 ids to positions: a direct table when ids are dense, binary search otherwise."""

    def __init__(self, ids: Int64Array) -> None:
        self.ids = ids
        n = len(ids)
        self._table: Int64Array | None = None
        self._lo = 0
        if n == 0:
            self._sorted = ids
            self._order = np.zeros(0, dtype=np.int64)
            return
        lo, hi = int(ids.min()), int(ids.max())
        if hi - lo < 4 * n + 1_000_000:
            table = np.full(hi - lo + 1, -1, dtype=np.int64)
            table[ids - lo] = np.arange(n, dtype=np.int64)
            self._table, self._lo = table, lo
        order = np.argsort(ids, kind="stable").astype(np.int64)
        self._order = order
        self._sorted = ids[order]

    def lookup(self, query: Int64Array) -> Int64Array:
        n = len(self.ids)
        if n == 0:
            return np.full(len(query), -1, dtype=np.int64)
        if self._table is not None:
            off = query - self._lo
            ok = (off >= 0) & (off < len(self._table))
            out = np.full(len(query), -1, dtype=np.int64)
            out[ok] = self._table[off[ok]]
            return out
        pos = np.searchsorted(self._sorted, query)
        pos_c = np.minimum(pos, n - 1)
        found = self._sorted[pos_c] == query
        return np.where(found, self._order[pos_c], -1).astype(np.int64)


def as_ids(values: npt.ArrayLike, what: str) -> Int64Array:
    arr = np.asarray(values)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{what} must be integer node ids, got dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False).ravel()


def unique_ids(ends: Int64Array) -> tuple[Int64Array, Int64Array]:
    """Sorted distinct ids and each element's position, in O(len + span) when ids are dense."""
    if len(ends) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo, hi = int(ends.min()), int(ends.max())
    if hi - lo < 2 * len(ends) + 1_000_000:
        off = ends - lo
        present = np.zeros(hi - lo + 1, dtype=bool)
        present[off] = True
        ids = np.flatnonzero(present).astype(np.int64) + lo
        rank = np.cumsum(present, dtype=np.int64) - 1
        return ids, rank[off]
    ids, inv = np.unique(ends, return_inverse=True)
    return ids.astype(np.int64), inv.astype(np.int64).ravel()
