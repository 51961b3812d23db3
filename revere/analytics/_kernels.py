"""Vectorized kernels shared by the structural-holes measures (private; see :mod:`revere.analytics.holes`).

Burt's measures need, for every tie ``i -> j`` of the symmetric mutual-weight matrix ``A``, two sums over
the common contacts ``q`` of ``i`` and ``j``::

    I_ij = sum_q p_iq p_qj          (indirect investment, for constraint)
    R_ij = sum_q p_iq m_jq          (redundancy of contact j for ego i, for effective size)

with ``p_iq = a_iq / sum_k a_ik`` and ``m_jq = a_jq / max_k a_jk``. Both are sums over the triangles
through the tie, so computing them for every node is triangle listing plus arithmetic.

*All nodes*: the triangles are listed once with the degree-ordered "forward" algorithm (Schank and
Wagner 2005; Latapy 2008): orient every tie from the endpoint of lower (degree, index) to the higher, so
each node has at most ``O(sqrt(m))`` out-ties; for every pair ``(b, c)`` of out-neighbours of an apex
``a`` (a wedge), test the closing tie. Work is ``sum_a d+(a)^2`` wedges, bounded by ``O(m^1.5)``. The
closing-tie test reads a padded row of the lower endpoint's out-list (one cache line) instead of a binary
search, which is what makes the pure-numpy version fast; rows longer than the pad go to a binary search.
Each triangle then adds its 12 contributions (6 directed ties x 2 sums) with ``np.bincount``.

*One ego*: gather the rows of the ego's alters and keep the alter-alter entries; ``O(sum of the alters'
degrees)``, no whole-graph pass.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]

_PAD = 8  # out-list entries per padded row: 8 int32 = 32 bytes, half a cache line
_CHUNK = 1 << 21  # wedges per batch: bounds memory and keeps batches in cache


def _i64(x: Any) -> Int64Array:
    return np.asarray(x, dtype=np.int64)


def row_reduce(values: FloatArray, indptr: Int64Array, ufunc: np.ufunc, empty: float = 0.0) -> FloatArray:
    """``ufunc.reduceat`` over CSR rows, with ``empty`` for rows that have no entries."""
    n = len(indptr) - 1
    out = np.full(n, empty, dtype=np.float64)
    nonempty = indptr[1:] > indptr[:-1]
    if nonempty.any():
        out[nonempty] = ufunc.reduceat(values, indptr[:-1][nonempty])
    return out


def transpose_positions(mat: sp.csr_array) -> Int64Array:
    """``rev[e]`` = position of entry ``(j, i)`` for the entry ``e = (i, j)`` of a structurally symmetric CSR."""
    pos = sp.csr_array((np.arange(mat.nnz, dtype=np.float64), mat.indices, mat.indptr), shape=mat.shape)
    return _i64(pos.T.tocsr().data)


def _wedges(cnt: Int64Array, start: int, stop: int) -> tuple[Int64Array, Int64Array]:
    """All pairs ``(p, q)``, ``p < q``, of out-list positions in the same row, for positions [start, stop)."""
    pos = np.arange(start, stop, dtype=np.int64)
    c = cnt[start:stop]
    total = int(c.sum())
    first = np.repeat(pos, c)
    offset = np.cumsum(c) - c
    second = np.arange(total, dtype=np.int64) - np.repeat(offset - pos - 1, c)
    return first, second


def list_triangles(
    a_mat: sp.csr_array, rows: Int64Array | None = None
) -> tuple[Int64Array, Int64Array, Int64Array, Int64Array]:
    """Every triangle once, as CSR positions ``(x, y, z)`` of ties a->b, a->c, b->c, and ``rev``.

    ``a_mat`` is a symmetric, canonical CSR; ``rev[e]`` is the position of the reverse of entry ``e``;
    ``rows`` (the row of every entry) may be passed when the caller has it.
    """
    n = a_mat.shape[0]
    indptr = _i64(a_mat.indptr)
    ind = _i64(a_mat.indices)
    deg = indptr[1:] - indptr[:-1]
    if rows is None:
        rows = np.repeat(np.arange(n, dtype=np.int64), deg)
    rev = transpose_positions(a_mat)

    # degree ordering: tie i -> j kept when (deg_i, i) < (deg_j, j)
    rank = deg * n + np.arange(n, dtype=np.int64)
    upos = np.flatnonzero(rank[rows] < rank[ind])
    urow = rows[upos]
    ucol = ind[upos]
    del rows
    ucount = np.bincount(urow, minlength=n).astype(np.int64)
    uptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(ucount, out=uptr[1:])
    within = np.arange(len(upos), dtype=np.int64) - uptr[urow]
    pad = np.full((n, _PAD), -1, dtype=np.int32 if n < 2**31 else np.int64)
    fits = within < _PAD
    pad[urow[fits], within[fits]] = ucol[fits]
    short = ucount <= _PAD
    pad_words = pad.view(np.uint64)  # each padded row as whole 8-byte words, for a fast row gather
    ukeys = urow * n + ucol  # sorted: rows ascending, columns ascending within a row
    del within, fits
    cnt = uptr[1:][urow] - np.arange(len(upos), dtype=np.int64) - 1  # later entries in the same row
    del urow

    tri_x: list[Int64Array] = []
    tri_y: list[Int64Array] = []
    tri_z: list[Int64Array] = []
    csum = np.cumsum(cnt)
    start = 0
    total_u = len(upos)
    little = sys.byteorder == "little"
    while start < total_u:
        base = int(csum[start - 1]) if start else 0
        stop = int(np.searchsorted(csum, base + _CHUNK, side="right"))
        stop = max(stop, start + 1)
        first, second = _wedges(cnt, start, stop)
        start = stop
        if len(first) == 0:
            continue
        b = ucol[first]
        c = ucol[second]
        swap = rank[b] > rank[c]
        lo = np.where(swap, c, b)
        hi = np.where(swap, b, c)
        zu = np.full(len(lo), -1, dtype=np.int64)
        sq = short[lo]
        lo_s = lo[sq]
        # np.take on 8-byte words is ~5x faster than fancy-indexing rows of a 2-D int32 array
        eq = np.take(pad_words, lo_s, axis=0).view(pad.dtype) == hi[sq][:, None]
        if little and eq.dtype == np.bool_ and eq.shape[1] == 8:
            word = np.ascontiguousarray(eq).view(np.uint64).ravel()
            hit = word != 0
            k = (np.frexp(word[hit].astype(np.float64))[1] - 1) // 8
        else:
            hit = eq.any(axis=1)
            k = eq[hit].argmax(axis=1)
        idx_s = np.flatnonzero(sq)
        zu[idx_s[hit]] = uptr[lo_s[hit]] + k
        if not sq.all():
            idx_l = np.flatnonzero(~sq)
            key = lo[idx_l] * n + hi[idx_l]
            at = np.minimum(np.searchsorted(ukeys, key), len(ukeys) - 1)
            ok = ukeys[at] == key
            zu[idx_l[ok]] = at[ok]
        found = zu >= 0
        z_lohi = upos[zu[found]]
        tri_x.append(upos[first[found]])
        tri_y.append(upos[second[found]])
        tri_z.append(np.where(swap[found], rev[z_lohi], z_lohi))
    del pad, pad_words, ukeys, cnt, csum
    x = np.concatenate(tri_x) if tri_x else np.zeros(0, dtype=np.int64)
    y = np.concatenate(tri_y) if tri_y else np.zeros(0, dtype=np.int64)
    z = np.concatenate(tri_z) if tri_z else np.zeros(0, dtype=np.int64)
    return x, y, z, rev


def triangle_sums(a_mat: sp.csr_array, rows: Int64Array) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(p, I, R)`` for every stored position of the symmetric, canonical mutual-weight CSR ``a_mat``.

    ``rows`` is the row of every stored entry; ``p`` the proportional strengths ``p_ij``.
    """
    indptr = _i64(a_mat.indptr)
    a = np.asarray(a_mat.data, dtype=np.float64)
    nnz = len(a)
    s = row_reduce(a, indptr, np.add, 1.0)
    mx = row_reduce(a, indptr, np.maximum, 1.0)
    p = a / s[rows]
    mq = a / mx[rows]
    x, y, z, rev = list_triangles(a_mat, rows)
    # triangle (a, b, c): x = a->b, y = a->c, z = b->c; r* the reverse ties
    xr, yr, zr = rev[x], rev[y], rev[z]
    target = np.concatenate([x, xr, y, yr, z, zr])
    ind_sum = np.bincount(
        target,
        np.concatenate([p[y] * p[zr], p[z] * p[yr], p[x] * p[z], p[zr] * p[xr], p[xr] * p[y], p[yr] * p[x]]),
        minlength=nnz,
    )
    red_sum = np.bincount(
        target,
        np.concatenate(
            [p[y] * mq[z], p[z] * mq[y], p[x] * mq[zr], p[zr] * mq[x], p[xr] * mq[yr], p[yr] * mq[xr]]
        ),
        minlength=nnz,
    )
    return p, ind_sum.astype(np.float64), red_sum.astype(np.float64)


def gather_rows(mat: sp.csr_array, rows: Int64Array) -> tuple[Int64Array, Int64Array, FloatArray]:
    """Concatenated CSR rows: (owner position in ``rows``, column, value), in row then column order."""
    indptr = mat.indptr
    starts = _i64(indptr[rows])
    lens = _i64(indptr[rows + 1]) - starts
    flat = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens - starts, lens)
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lens)
    return owner, _i64(mat.indices[flat]), np.asarray(mat.data[flat], dtype=np.float64)


def ego_sums(a_mat: sp.csr_array, i: int) -> tuple[Int64Array, FloatArray, FloatArray, FloatArray]:
    """For ego ``i``: its alters, ``p_ij``, ``I_ij`` and ``R_ij`` (each aligned with the alters)."""
    indptr = a_mat.indptr
    lo, hi = int(indptr[i]), int(indptr[i + 1])
    alters = _i64(a_mat.indices[lo:hi])
    k = len(alters)
    a_i = np.asarray(a_mat.data[lo:hi], dtype=np.float64)
    if k == 0:
        empty = np.zeros(0, dtype=np.float64)
        return alters, empty, empty, empty
    p_i = a_i / a_i.sum()
    starts = _i64(indptr[alters])
    lens = _i64(indptr[alters + 1]) - starts
    offsets = np.cumsum(lens) - lens
    flat = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(offsets - starts, lens)
    nb = _i64(a_mat.indices[flat])
    val = np.asarray(a_mat.data[flat], dtype=np.float64)
    s_alt = np.add.reduceat(val, offsets)  # every alter has the ego as a contact, so no row is empty
    m_alt = np.maximum.reduceat(val, offsets)
    owner = np.repeat(np.arange(k, dtype=np.int64), lens)
    # position of each alter, and a mask: O(k) pages touched, O(1) per lookup (a binary search is 5x slower)
    mark = np.zeros(a_mat.shape[0], dtype=bool)
    mark[alters] = True
    pos = np.empty(a_mat.shape[0], dtype=np.int64)
    pos[alters] = np.arange(k, dtype=np.int64)
    inner = mark[nb]
    q = pos[nb[inner]]
    j, a_jq = owner[inner], val[inner]
    ind_sum = np.bincount(j, p_i[q] * a_jq / s_alt[q], minlength=k).astype(np.float64)
    red_sum = np.bincount(j, p_i[q] * a_jq / m_alt[j], minlength=k).astype(np.float64)
    return alters, p_i, ind_sum, red_sum
