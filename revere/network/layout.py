"""Positions for the graph explorer, computed on the server: the browser runs no layout.

Each circle of the member's network (a community of contacts who know each other,
:func:`revere.analytics.clusters.ego_circles`) is laid out on its own, then the circles are packed in rows
(shelf packing, largest first), so no two circles' boxes overlap. Contacts in no circle (linked to none
of the member's other contacts) share one block at the end.

Inside a circle: a Fruchterman-Reingold spring layout (Fruchterman and Reingold 1991) on the circle's own
links, started from a sunflower (Vogel's spiral: point ``k`` at radius ``c·sqrt(k)`` and angle
``k·137.5°``, best-connected contacts at the centre) and run for ``ITERATIONS`` steps with a linearly
cooling temperature; then scaled so that the median distance from a contact to its nearest neighbour is
``SPACING`` pixels, and contacts closer than ``MIN_GAP`` are pushed apart. The spring layout is O(k²) per step for a circle of k contacts, so circles over
``SPRING_MAX`` keep the sunflower; circles of similar size (padded by at most an eighth) run together
as one batch of numpy arrays (float32). Everything is deterministic (no random start).

Reference: T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed placement",
*Software: Practice and Experience* 21(11), 1991.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from revere.analytics.graph import TieGraph

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
SPACING = 30.0  # pixels from a contact to its nearest neighbour, typically
MIN_GAP = 26.0  # and at least (the largest nodes are 34 across: no centre is ever covered by another node)
GAP = 70.0  # pixels between circles (room for a circle's two-line label)
ITERATIONS = 40
SPRING_MAX = 600

FloatArray = npt.NDArray[np.floating[Any]]  # float32 inside the spring layout, float64 outside


def _sunflower(count: int) -> tuple[FloatArray, FloatArray]:
    k = np.arange(count, dtype=np.float64)
    r = SPACING * np.sqrt(k + 0.5)
    theta = k * GOLDEN_ANGLE
    return r * np.cos(theta), r * np.sin(theta)


def _spring(
    pos: FloatArray, mask: npt.NDArray[np.bool_], rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64]
) -> FloatArray:
    """Fruchterman-Reingold steps for a batch of circles at once.

    ``pos`` is C × m × 2 (C circles padded to m members, ``mask`` marks the real ones); ``rows[i]`` -
    ``cols[i]`` are the links, each once, as flat indices into the C·m members. Repulsion acts only
    inside a circle.
    """
    c, m, _ = pos.shape
    size = mask.sum(axis=1).astype(np.float32)
    pair = (mask[:, :, None] & mask[:, None, :]).astype(np.float32) * np.float32((SPACING * 1.6) ** 2)
    ideal = SPACING * 1.6
    heat = np.sqrt(size) * SPACING / 4
    centre = (0.02 * size / ideal)[:, None]
    x, y = pos[..., 0].copy(), pos[..., 1].copy()
    real = mask.astype(np.float32)
    n = c * m
    for step in range(ITERATIONS):
        dx = x[:, :, None] - x[:, None, :]
        dy = y[:, :, None] - y[:, None, :]
        rep = dx * dx
        rep += dy * dy
        np.maximum(rep, 1e-2, out=rep)
        np.divide(pair, rep, out=rep)  # repulsion ideal^2 / d inside a circle, along the unit vector
        fx = (dx * rep).sum(axis=2)
        fy = (dy * rep).sum(axis=2)
        if len(rows):
            fl_x, fl_y = x.reshape(n), y.reshape(n)
            ex, ey = fl_x[rows] - fl_x[cols], fl_y[rows] - fl_y[cols]
            dist = np.sqrt(np.maximum(ex * ex + ey * ey, 1e-4)) / ideal  # attraction d^2 / ideal
            fx += (np.bincount(cols, ex * dist, n) - np.bincount(rows, ex * dist, n)).reshape(c, m)
            fy += (np.bincount(cols, ey * dist, n) - np.bincount(rows, ey * dist, n)).reshape(c, m)
        fx -= x * centre  # a weak pull to the centre keeps loose parts near
        fy -= y * centre
        length = np.sqrt(np.maximum(fx * fx + fy * fy, 1e-9))
        scale = np.minimum(length, (heat * (1.0 - step / ITERATIONS))[:, None]) / length * real
        x += fx * scale
        y += fy * scale
    pos = np.stack([x, y], axis=2)
    return pos


def _gaps(pos: FloatArray, mask: npt.NDArray[np.bool_]) -> tuple[FloatArray, FloatArray]:
    """Pairwise differences (C × m × m × 2) and distances inside each circle (inf off the real pairs)."""
    delta = pos[:, :, None, :] - pos[:, None, :, :]
    dist = np.sqrt((delta**2).sum(axis=3))
    real = mask[:, :, None] & mask[:, None, :]
    real &= ~np.eye(pos.shape[1], dtype=bool)[None]
    return delta, np.where(real, dist, np.inf)


def _scale_and_separate(pos: FloatArray, mask: npt.NDArray[np.bool_], rounds: int = 12) -> FloatArray:
    """Centre each circle, scale it so its median nearest-neighbour distance is SPACING, then push apart
    contacts closer than MIN_GAP (each pair half the shortfall, a few rounds)."""
    count = mask.sum(axis=1)
    pos = pos - (pos * mask[..., None]).sum(axis=1, keepdims=True) / count[:, None, None]
    pos *= mask[..., None]
    _, dist = _gaps(pos, mask)
    nearest = np.where(mask, dist.min(axis=2), np.nan)
    median = np.nanmedian(nearest, axis=1)
    pos *= np.where(median > 0, SPACING / np.where(median > 0, median, 1.0), 1.0)[:, None, None]
    for _ in range(rounds):
        delta, dist = _gaps(pos, mask)
        short = np.where(np.isfinite(dist), np.maximum(MIN_GAP - dist, 0.0), 0.0)
        if short.max() < 0.5:
            break
        unit = delta / np.maximum(np.where(np.isfinite(dist), dist, 1.0), 1e-6)[..., None]
        pos += (unit * (short / 2)[..., None]).sum(axis=2) * mask[..., None]
    return pos


def _bucket(size: int) -> int:
    """The padded size a circle of ``size`` runs at: at most 1/8 more (rounded up to a multiple of 8)."""
    step = max(8, 8 * math.ceil(size / 64))
    return step * math.ceil(size / step)


def _place_all(
    blocks: list[npt.NDArray[np.int64]], degree: FloatArray, csr: sp.csr_array
) -> list[tuple[FloatArray, FloatArray, float]]:
    """x, y (centred on 0) and radius of each circle's members; circles of similar size run in one batch.

    Everything per circle is computed for all circles at once: each alter's circle, its rank in the
    circle (best-connected first, the sunflower's order) and the links inside circles come from one
    pass over the alters' links."""
    n = csr.shape[0]
    block_of = np.full(n, -1, dtype=np.int64)
    rank = np.zeros(n, dtype=np.int64)
    for k, members in enumerate(blocks):
        block_of[members] = k
        rank[members[np.argsort(-degree[members], kind="stable")]] = np.arange(len(members))
    sizes = np.array([len(b) for b in blocks], dtype=np.int64)
    coo = csr.tocoo()
    row, col = coo.row.astype(np.int64), coo.col.astype(np.int64)
    inside = (row < col) & (block_of[row] == block_of[col]) & (block_of[row] >= 0)
    row, col = row[inside], col[inside]
    x_of = np.zeros(n)
    y_of = np.zeros(n)
    sunflowers = {size: _sunflower(size) for size in set(sizes.tolist())}
    for members in blocks:
        x, y = sunflowers[len(members)]
        x_of[members], y_of[members] = x[rank[members]], y[rank[members]]
    bucket = np.array([_bucket(int(z)) if 2 < z <= SPRING_MAX else 0 for z in sizes], dtype=np.int64)
    for m in sorted(set(bucket.tolist()) - {0}):
        ks = np.flatnonzero(bucket == m)
        slot = np.full(len(blocks), -1, dtype=np.int64)
        slot[ks] = np.arange(len(ks))
        chosen = np.concatenate([blocks[k] for k in ks])
        where = slot[block_of[chosen]] * m + rank[chosen]  # flat index of each member in the batch
        pos = np.zeros((len(ks) * m, 2), dtype=np.float32)
        pos[where, 0], pos[where, 1] = x_of[chosen], y_of[chosen]
        mask = np.zeros(len(ks) * m, dtype=bool)
        mask[where] = True
        flat = np.full(n, -1, dtype=np.int64)
        flat[chosen] = where
        links = (flat[row] >= 0) & (flat[col] >= 0)
        pos3 = _spring(
            pos.reshape(len(ks), m, 2), mask.reshape(len(ks), m), flat[row[links]], flat[col[links]]
        )
        pos3 = _scale_and_separate(pos3, mask.reshape(len(ks), m)).reshape(len(ks) * m, 2)
        x_of[chosen], y_of[chosen] = pos3[where, 0], pos3[where, 1]
    placed = []
    for members in blocks:
        x, y = x_of[members], y_of[members]
        placed.append((x, y, max(float(np.sqrt(x**2 + y**2).max()), SPACING / 2)))
    return placed


def circle_layout(graph: TieGraph, ego: int, labels: npt.NDArray[np.int64]) -> tuple[FloatArray, FloatArray]:
    """x and y of each alter (the graph's nodes except ``ego``, in graph order), grouped by ``labels``.

    ``labels[i]`` is the circle of the ``i``-th alter; a circle of one alter is an isolate.
    """
    alters = np.flatnonzero(graph.ids != ego)
    n = len(alters)
    xs = np.zeros(n, dtype=np.float64)
    ys = np.zeros(n, dtype=np.float64)
    if n == 0:
        return xs, ys
    csr = sp.csr_array(graph.mutual()[alters][:, alters])  # the alters' links, the ego removed
    degree = np.diff(csr.indptr).astype(np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    _uniq, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    singles = counts[inverse] == 1
    blocks: list[npt.NDArray[np.int64]] = [
        np.flatnonzero(inverse == c) for c in np.argsort(-counts, kind="stable") if counts[c] > 1
    ]
    placed = [(members, *xyr) for members, xyr in zip(blocks, _place_all(blocks, degree, csr), strict=True)]
    if singles.any():  # the loners: one sunflower block, no links to lay out
        members = np.flatnonzero(singles)
        bx, by = _sunflower(len(members))
        placed.append((members, bx, by, float(SPACING * math.sqrt(len(members) + 0.5))))
    total_area = sum((2 * r + GAP) ** 2 for *_, r in placed)
    width = max(math.sqrt(total_area) * 1.3, 2 * placed[0][3] + GAP)
    cursor_x = cursor_y = row_height = 0.0
    for members, bx, by, radius in placed:
        side = 2 * radius + GAP
        if cursor_x > 0 and cursor_x + side > width:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height, 0.0
        xs[members] = bx + cursor_x + side / 2
        ys[members] = by + cursor_y + side / 2
        cursor_x += side
        row_height = max(row_height, side)
    return xs, ys
