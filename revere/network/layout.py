"""Positions for the graph explorer, computed on the server in O(n).

A force layout over 5,000 nodes takes the browser many seconds; the explorer instead draws at
positions computed here. Each circle of the member's network (a group of contacts that know each
other, :func:`revere.network.explorer.ego_circles`) is laid out as a sunflower (Vogel's spiral: point
``k`` at radius ``c·sqrt(k)`` and angle ``k·137.5°``), its best-connected contacts at the centre,
and the circles are packed in rows (shelf packing), largest first. Contacts in no circle (linked to
none of the member's other contacts) share one block at the end. Small networks are refined in the
browser by fcose starting from these positions.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from revere.analytics.graph import TieGraph

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
SPACING = 22.0  # pixels between neighbouring nodes in a sunflower
GAP = 60.0  # pixels between circles


def _sunflower(count: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float]:
    k = np.arange(count, dtype=np.float64)
    r = SPACING * np.sqrt(k + 0.5)
    theta = k * GOLDEN_ANGLE
    radius = float(SPACING * math.sqrt(count + 0.5))
    return r * np.cos(theta), r * np.sin(theta), radius


def circle_layout(
    graph: TieGraph, ego: int, labels: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """x and y of each alter (the graph's nodes except ``ego``, in graph order), grouped by ``labels``.

    ``labels[i]`` is the circle of the ``i``-th alter; a circle of one alter is an isolate.
    """
    alters = np.flatnonzero(graph.ids != ego)
    n = len(alters)
    xs = np.zeros(n, dtype=np.float64)
    ys = np.zeros(n, dtype=np.float64)
    if n == 0:
        return xs, ys
    # degree among the alters (the ego's edge to each removed)
    degree = graph.degree()[alters].astype(np.float64) - 1.0
    labels = np.asarray(labels, dtype=np.int64)
    _uniq, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    singles = counts[inverse] == 1
    blocks: list[npt.NDArray[np.int64]] = []
    for c in np.argsort(-counts, kind="stable"):
        if counts[c] > 1:
            blocks.append(np.flatnonzero(inverse == c))
    if singles.any():
        blocks.append(np.flatnonzero(singles))
    placed = []
    for members in blocks:
        order = members[np.argsort(-degree[members], kind="stable")]
        bx, by, radius = _sunflower(len(order))
        placed.append((order, bx, by, radius))
    total_area = sum((2 * r + GAP) ** 2 for *_, r in placed)
    width = max(math.sqrt(total_area) * 1.2, 2 * placed[0][3] + GAP)
    cursor_x = cursor_y = row_height = 0.0
    for order, bx, by, radius in placed:
        side = 2 * radius + GAP
        if cursor_x > 0 and cursor_x + side > width:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height, 0.0
        xs[order] = bx + cursor_x + side / 2
        ys[order] = by + cursor_y + side / 2
        cursor_x += side
        row_height = max(row_height, side)
    return xs, ys
