"""Thin adapters from the explorer to :mod:`revere.analytics`: circles and brokerage of an ego graph.

The metrics live in revere/analytics (:func:`~revere.analytics.clusters.ego_circles`,
:func:`~revere.analytics.brokerage.brokerage`); this module only reshapes their results into arrays
aligned with the ego's alters in graph order, as the explorer draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from revere.analytics.brokerage import brokerage
from revere.analytics.clusters import ego_circles as analytics_ego_circles
from revere.analytics.graph import TieGraph


@dataclass(frozen=True)
class EgoCircles:
    """``label[i]``: the circle of the i-th alter; which alters and which circles are redundant."""

    label: npt.NDArray[np.int64]
    redundant_alter: npt.NDArray[np.bool_]
    redundant_circle: dict[int, bool]


def _alters(graph: TieGraph, ego: int) -> npt.NDArray[np.int64]:
    return np.flatnonzero(graph.ids != ego).astype(np.int64)


def ego_circles(graph: TieGraph, ego: int) -> EgoCircles:
    """The circles the ego's alters fall into once the ego is removed, numbered largest first."""
    alters = _alters(graph, ego)
    label = np.full(len(alters), -1, dtype=np.int64)
    redundant_alter = np.zeros(len(alters), dtype=bool)
    redundant_circle: dict[int, bool] = {}
    position = {int(i): k for k, i in enumerate(graph.ids[alters].tolist())}
    for number, circle in enumerate(analytics_ego_circles(graph, ego)):
        members = np.fromiter((position[int(a)] for a in circle.alters.tolist()), dtype=np.int64)
        label[members] = number
        redundant_alter[members] = circle.redundant
        redundant_circle[number] = circle.redundant
    # alters the ego's edge does not reach (none: every alter is tied to the ego) stay apart
    missing = np.flatnonzero(label < 0)
    label[missing] = len(redundant_circle) + np.arange(len(missing))
    return EgoCircles(label=label, redundant_alter=redundant_alter, redundant_circle=redundant_circle)


def ego_brokerage(graph: TieGraph, ego: int) -> npt.NDArray[np.float64]:
    """Gould–Fernandez brokerage of each alter among the ego's other contacts (all five roles summed,
    groups = companies): how many pairs of the member's contacts who don't know each other it joins."""
    alters = _alters(graph, ego)
    if len(alters) == 0:
        return np.zeros(0, dtype=np.float64)
    sub = graph.subgraph(graph.ids[alters])
    return brokerage(sub, "company").total.astype(np.float64)
