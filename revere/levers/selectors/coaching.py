"""Reads of coaching plans: a seller's plans, one plan's goals with their progress, where deals stall.

A seller sees their own plans; a manager or admin those of the members in their scope (the rule of
:class:`~revere.levers.models.CoachingPlan`). Goals are measured on the seller's whole network, as
snapshots measure it (:func:`revere.network.selectors.member_snapshot_metrics`): the progress chart is
the snapshots since the plan began, and today's live figure as the last point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from revere.analytics.coaching import StageStall, goal_met, goal_progress, stage_stalls, stall_stage
from revere.deals.models import OPEN_STAGES, Deal, DealStageChange, Stage
from revere.levers.coaching import METRIC_LABELS, metric_value
from revere.levers.models import CoachingGoal, CoachingPlan
from revere.network.models import NetworkClass, Snapshot
from revere.network.selectors import member_snapshot_metrics
from revere.tenancy.models import Member
from revere.tenancy.visibility import own_or_scope_ids, selector

__all__ = ["GoalProgress", "PlanDetail", "coaching_plan", "coaching_plans", "deal_stalls"]


@dataclass(frozen=True)
class Stalls:
    """The seller's spells per stage against the typical ones, and the stall stage (or None)."""

    stages: list[StageStall]
    stall: StageStall | None


def _days(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / 86400.0, 0.0)


@selector
def deal_stalls(*, member: Member, subject: Member, now: datetime | None = None) -> Stalls:
    """Where ``subject``'s deals stall, against the deals the acting member sees (two queries).

    A manager compares the seller with their teams' deals, an admin with the organization's; the
    typical duration of a stage is the median of the completed spells in it (docs/levers.md §3).
    """
    if subject.organization_id != member.organization_id or subject.pk not in own_or_scope_ids(member):
        raise LookupError("That member's deals are not yours to see.")
    now = now or timezone.now()
    deals = dict(Deal.objects.visible_to(member).values_list("id", "owner_id"))
    open_now = set(Deal.objects.visible_to(member).filter(stage__in=OPEN_STAGES).values_list("id", flat=True))
    rows = (
        DealStageChange.objects.visible_to(member)
        .filter(deal_id__in=list(deals))
        .order_by("deal_id", "changed_at", "id")
        .values_list("deal_id", "to_stage", "changed_at")
    )
    stages: list[str] = []
    days: list[float] = []
    seller: list[bool] = []
    ongoing: list[bool] = []
    history: dict[int, list[tuple[str, datetime]]] = {}
    for deal_id, stage, at in rows:
        history.setdefault(deal_id, []).append((stage, at))
    for deal_id, steps in history.items():
        for k, (stage, at) in enumerate(steps):
            if stage not in OPEN_STAGES:
                continue
            last = k + 1 == len(steps)
            if last and deal_id not in open_now:
                continue  # a closed deal whose closing was not recorded: no end to measure
            stages.append(stage)
            days.append(_days(at, now if last else steps[k + 1][1]))
            seller.append(deals[deal_id] == subject.pk)
            ongoing.append(last)
    order = [s.value for s in OPEN_STAGES]
    found = stage_stalls(stages, days, seller=seller, ongoing=ongoing, stage_order=order)
    return Stalls(stages=found, stall=stall_stage(found))


@dataclass(frozen=True)
class GoalProgress:
    goal: CoachingGoal
    label: str
    current: float | None
    progress: float
    met_now: bool
    series: list[dict[str, Any]]  # {"on": iso date, "value": float | None}


@dataclass(frozen=True)
class PlanDetail:
    plan: CoachingPlan
    member_name: str
    goals: list[GoalProgress]
    may_edit: bool  # the manager's (or admin's) side
    may_agree: bool
    stall_label: str = ""
    chart: dict[str, Any] = field(default_factory=dict)  # for the page's Chart.js, via json_script


def _plan(member: Member, plan_id: int) -> CoachingPlan:
    plan = (
        CoachingPlan.objects.visible_to(member)
        .select_related("member__person", "created_by__person")
        .prefetch_related(Prefetch("goals", queryset=CoachingGoal.objects.visible_to(member)))
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise LookupError("No such coaching plan.")
    return plan


@selector
def coaching_plans(*, member: Member, subject: Member | None = None) -> list[CoachingPlan]:
    """The plans the acting member sees (of ``subject`` only, when given), the newest first."""
    plans = CoachingPlan.objects.visible_to(member).select_related("member__person")
    if subject is not None:
        plans = plans.filter(member_id=subject.pk)
    goals = Prefetch("goals", queryset=CoachingGoal.objects.visible_to(member))
    return list(plans.prefetch_related(goals).order_by("-starts_on", "-id"))


def _series(member: Member, plan: CoachingPlan, today: date) -> dict[str, list[tuple[date, dict[str, Any]]]]:
    since = plan.starts_on - timedelta(days=35)
    until = min(plan.ends_on, today) if not plan.is_open else today
    rows = (
        Snapshot.objects.visible_to(member)
        .filter(member_id=plan.member_id, taken_on__gte=since, taken_on__lte=until)
        .filter(Q(network_class__in=[g.network_class for g in plan.goals.all()]))
        .order_by("taken_on")
        .values_list("network_class", "taken_on", "metrics")
    )
    out: dict[str, list[tuple[date, dict[str, Any]]]] = {}
    for cls, on, metrics in rows:
        out.setdefault(cls, []).append((on, metrics))
    return out


@selector
def coaching_plan(*, member: Member, plan_id: int, today: date | None = None) -> PlanDetail:
    """One plan with each goal's progress: the snapshots since it began, and today's live figure."""
    plan = _plan(member, plan_id)
    today = today or timezone.localdate()
    live = member_snapshot_metrics(member=member, subject=plan.member) if plan.is_open else {}
    series = _series(member, plan, today)
    goals = []
    for goal in plan.goals.all():
        points = [
            {"on": on.isoformat(), "value": metric_value(m, goal.metric, goal.dimension)}
            for on, m in series.get(goal.network_class, [])
        ]
        if plan.is_open:
            current = metric_value(live[goal.network_class].as_dict(), goal.metric, goal.dimension)
            if not points or points[-1]["on"] != today.isoformat():
                points.append({"on": today.isoformat(), "value": current})
        else:
            current = goal.final_value
        label = f"{NetworkClass(goal.network_class).label} {METRIC_LABELS.get(goal.metric, goal.metric)}"
        goals.append(
            GoalProgress(
                goal=goal,
                label=label,
                current=current,
                progress=goal_progress(goal.start_value, goal.target_value, current),
                met_now=goal_met(goal.target_value, goal.at_least, current),
                series=points,
            )
        )
    manager_side = member.pk != plan.member_id
    chart = {
        "goals": [
            {
                "id": g.goal.pk,
                "label": g.label,
                "start": g.goal.start_value,
                "target": g.goal.target_value,
                "starts_on": plan.starts_on.isoformat(),
                "due_on": g.goal.due_on.isoformat(),
                "points": g.series,
            }
            for g in goals
        ]
    }
    return PlanDetail(
        plan=plan,
        member_name=plan.member.person.full_name,
        goals=goals,
        may_edit=manager_side and plan.is_open,
        may_agree=plan.is_open
        and (plan.member_agreed_at is None if not manager_side else plan.manager_agreed_at is None),
        stall_label=Stage(plan.stall_stage).label if plan.stall_stage else "",
        chart=chart,
    )
