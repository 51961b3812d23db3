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

    def state(self) -> dict[str, Int64Array]:
        """The arrays behind the index, for :meth:`from_state` (a snapshot stores them)."""
        out = {"order": self._order, "sorted": self._sorted, "lo": np.array([self._lo], dtype=np.int64)}
        if self._table is not None:
            out["table"] = self._table
        return out

    @classmethod
    def from_state(cls, ids: Int64Array, state: dict[str, Int64Array]) -> IdIndex:
        """The index of ``ids`` from :meth:`state`'s arrays, without recomputing (they may be memory maps)."""
        index = cls.__new__(cls)
        index.ids = ids
        index._table = state.get("table")
        index._lo = int(state["lo"][0])
        index._order = state["order"]
        index._sorted = state["sorted"]
        return index

    def extended(self, added: Int64Array, start: int) -> IdIndex:
        """This index plus ``added`` ids at positions ``start, start + 1, ...`` (none of them known)."""
        return _Extended(self, added, start)

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


class _Extended(IdIndex):
    """A base index and a few ids appended after it (a patched graph's new nodes)."""

    _base: IdIndex
    _added_ids: Int64Array
    _added_pos: Int64Array

    def __init__(self, base: IdIndex, added: Int64Array, start: int) -> None:
        if isinstance(base, _Extended):  # flatten: one base, one sorted list of additions
            added = np.concatenate([base._added_ids, added])
            positions = np.concatenate(
                [base._added_pos, np.arange(start, start + len(added) - len(base._added_ids))]
            )
            base = base._base
        else:
            positions = np.arange(start, start + len(added), dtype=np.int64)
        order = np.argsort(added, kind="stable")
        self._base = base
        self._added_ids = added
        self._added_pos = positions.astype(np.int64)
        self._add_sorted = added[order]
        self._add_pos_sorted = self._added_pos[order]
        self.ids = np.concatenate([base.ids, added[np.argsort(self._added_pos)]])
        self._table = None
        self._lo = 0
        self._order = np.zeros(0, dtype=np.int64)
        self._sorted = self.ids

    def lookup(self, query: Int64Array) -> Int64Array:
        out = self._base.lookup(query)
        miss = out < 0
        if miss.any() and len(self._add_sorted):
            q = query[miss]
            pos = np.minimum(np.searchsorted(self._add_sorted, q), len(self._add_sorted) - 1)
            found = self._add_sorted[pos] == q
            out[np.flatnonzero(miss)[found]] = self._add_pos_sorted[pos[found]]
        return out


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
