r"""Coaching goals: from a seller's gaps against targets, and from the stage where their deals stall.

**Goals from gaps.** A gap is a measure of one network that misses its target (the scorecard's lines
with status *gap*). Each becomes a goal: the measure, its value now, a target value and a date
(``start`` plus the plan's horizon, a quarter by default). The target value is

* for a *count* (size, effective size, reach): the target, but at most one step away, the step being
  ``count_step`` of today's value and at least ``min_count_step`` (``ceil``): growing a market network
  from 10 to 40 contacts is three quarters' work, not one;
* for a *ratio* (density, constraint, mean strength, diversity): the target itself.

Goals are ordered by their relative gap, :math:`|target - actual| / |target|`, largest first, and at
most ``max_goals`` are kept: a plan with a few goals gets worked on (Locke and Latham 2002 on specific,
attainable goals).

**Where deals stall.** A deal's *spell* in a stage is the time from entering the stage to leaving it (or
to today, while it is still there). A stage's *typical* duration is the median of the organization's
completed spells in it (at least ``min_baseline`` of them, else the stage is not judged). A seller's spell
*stalls* when it lasts more than ``factor`` times the typical duration. The seller's **stall stage** is
the stage with the most stalled spells (at least one); ties go to the higher ratio of the seller's
median spell to the typical one, then to the earlier stage.

**Improvement step** (a goal where no target exists, say on the network of the stall stage): a count
rises by ``count_step`` (at least ``min_count_step``); a ratio to be raised rises by ``ratio_step``
(at most 1), one to be lowered falls by ``ratio_step / 2`` (at least 0).

**Progress** of a goal from value :math:`v_0` to target :math:`t`: :math:`(v - v_0) / (t - v_0)`, clipped to
[0, 1]; a goal is **met** when the value reaches the target (at least, or at most).

References
----------
E. A. Locke and G. P. Latham, "Building a practically useful theory of goal setting and task motivation",
*American Psychologist* 57(9), 2002.
T. Üstüner and D. Godes, "Better Sales Networks", *Harvard Business Review*, July-August 2006 (the
network each stage of the sale needs).

Examples
--------
>>> from datetime import date
>>> gaps = [Gap("market", "size", 10, 40, True), Gap("customer", "mean_strength", 0.4, 0.55, True)]
>>> [(g.network, g.metric, g.start_value, g.target_value, g.due.isoformat())
...  for g in goals_from_gaps(gaps, start=date(2025, 1, 6))]
[('market', 'size', 10.0, 20.0, '2025-04-07'), ('customer', 'mean_strength', 0.4, 0.55, '2025-04-07')]
>>> s = stall_stage(stage_stalls(["buy_in"] * 4 + ["close"] * 3, [10, 12, 30, 40, 5, 6, 5],
...                              seller=[False, False, True, True, False, False, True],
...                              ongoing=[False, False, False, True, False, False, False]))
>>> s.stage, s.stalled, s.typical_days
('buy_in', 2, 12.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

__all__ = [
    "COUNT_METRICS",
    "Gap",
    "GoalProposal",
    "StageStall",
    "goal_met",
    "goal_progress",
    "goals_from_gaps",
    "improvement",
    "stage_stalls",
    "stall_stage",
]

#: Measures that count people; every other measure is a ratio.
COUNT_METRICS = frozenset({"size", "effective_size", "reach"})


@dataclass(frozen=True)
class Gap:
    """A measure of one network that misses its target."""

    network: str
    metric: str
    actual: float
    target: float
    at_least: bool


@dataclass(frozen=True)
class GoalProposal:
    """A proposed goal: move ``metric`` of ``network`` from ``start_value`` to ``target_value`` by ``due``."""

    network: str
    metric: str
    start_value: float
    target_value: float
    at_least: bool
    due: date


def _round(metric: str, value: float) -> float:
    return float(math.ceil(value - 1e-9)) if metric in COUNT_METRICS else round(float(value), 2)


def goals_from_gaps(
    gaps: Sequence[Gap],
    *,
    start: date,
    horizon_days: int = 91,
    count_step: float = 1.0,
    min_count_step: int = 5,
    max_goals: int = 4,
) -> list[GoalProposal]:
    """One goal per gap (see the module docstring), the largest relative gaps first, at most ``max_goals``."""
    due = start + timedelta(days=horizon_days)
    scored = []
    for k, gap in enumerate(gaps):
        if goal_met(gap.target, gap.at_least, gap.actual):
            continue  # not a gap
        target = gap.target
        if gap.metric in COUNT_METRICS and gap.at_least:
            step = max(min_count_step, math.ceil(gap.actual * count_step))
            target = min(target, gap.actual + step)
        rel = abs(gap.target - gap.actual) / max(abs(gap.target), 1e-9)
        goal = GoalProposal(
            gap.network, gap.metric, float(gap.actual), _round(gap.metric, target), gap.at_least, due
        )
        scored.append((-rel, k, goal))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [g for _, _, g in scored[:max_goals]]


def improvement(
    metric: str,
    actual: float,
    *,
    at_least: bool = True,
    count_step: float = 0.25,
    min_count_step: int = 5,
    ratio_step: float = 0.1,
) -> float:
    """The next step for a measure with no target to reach (see the module docstring).

    >>> improvement("effective_size", 40.0), improvement("density", 0.15), improvement("constraint", 0.3, at_least=False)
    (50.0, 0.25, 0.25)
    """
    if metric in COUNT_METRICS:
        return _round(metric, actual + max(min_count_step, math.ceil(actual * count_step)))
    if at_least:
        return _round(metric, min(1.0, actual + ratio_step))
    return _round(metric, max(0.0, actual - ratio_step / 2))


def goal_progress(start_value: float, target_value: float, value: float | None) -> float:
    """The share of the way from the start to the target, in [0, 1] (0 without a value).

    >>> goal_progress(40, 60, 50), round(goal_progress(0.3, 0.15, 0.2), 4), goal_progress(40, 60, 30)
    (0.5, 0.6667, 0.0)
    """
    if value is None or math.isnan(value):
        return 0.0
    span = target_value - start_value
    if span == 0:
        return 1.0
    return float(min(1.0, max(0.0, (value - start_value) / span)))


def goal_met(target_value: float, at_least: bool, value: float | None) -> bool:
    """Whether ``value`` reaches the target (``>=`` when ``at_least``, else ``<=``)."""
    if value is None or math.isnan(value):
        return False
    return value >= target_value - 1e-9 if at_least else value <= target_value + 1e-9


@dataclass(frozen=True)
class StageStall:
    """One stage for one seller: spells, stalled spells, the seller's median and the typical duration."""

    stage: str
    spells: int
    stalled: int
    median_days: float
    typical_days: float

    @property
    def ratio(self) -> float:
        return self.median_days / self.typical_days if self.typical_days else float("inf")


def stage_stalls(
    stages: Sequence[str],
    days: npt.ArrayLike,
    *,
    seller: npt.ArrayLike,
    ongoing: npt.ArrayLike,
    factor: float = 1.5,
    min_baseline: int = 3,
    stage_order: Sequence[str] = (),
) -> list[StageStall]:
    """Per stage (in ``stage_order``, then first appearance), the seller's spells against the typical one.

    ``stages``, ``days``, ``seller`` and ``ongoing`` are aligned, one entry per spell of any deal of the
    organization; ``seller`` marks the seller's deals, ``ongoing`` the spells not finished yet. Stages
    with fewer than ``min_baseline`` completed spells, or none of the seller's, are left out.
    """
    lab = np.asarray(stages, dtype=object)
    d = np.asarray(days, dtype=np.float64)
    mine = np.asarray(seller, dtype=bool)
    open_ = np.asarray(ongoing, dtype=bool)
    if not (len(lab) == len(d) == len(mine) == len(open_)):
        raise ValueError("stages, days, seller and ongoing differ in length")
    out = []
    for stage in dict.fromkeys([*stage_order, *lab.tolist()]):
        here = lab == stage
        done = d[here & ~open_]
        own = d[here & mine]
        if len(done) < min_baseline or len(own) == 0:
            continue
        typical = float(np.median(done))
        out.append(
            StageStall(
                stage=str(stage),
                spells=len(own),
                stalled=int((own > factor * typical).sum()),
                median_days=float(np.median(own)),
                typical_days=typical,
            )
        )
    return out


def stall_stage(rows: Sequence[StageStall]) -> StageStall | None:
    """The stage where the seller's deals stall most, of :func:`stage_stalls`' rows (see the module docstring).

    Rows come in stage order; None when no spell stalls.
    """
    stalled = [r for r in rows if r.stalled > 0]
    if not stalled:
        return None
    order = {r.stage: k for k, r in enumerate(stalled)}
    return min(stalled, key=lambda r: (-r.stalled, -r.ratio, order[r.stage]))
