"""Coaching plans: proposed from a seller's gaps and stall stage, edited and agreed, closed met or missed.

The manager (or an admin) proposes a plan for a seller in their scope; the goals come from the gaps
the caller passes (the scorecard's lines with a gap, measured on the seller's whole network) and from
the stage the seller's deals stall in (docs/levers.md §3). The manager edits goals; every edit asks
both sides to agree again; once the seller and the manager have agreed the plan is *agreed*. Closing
measures each goal once more: the plan is *met* when every goal is met, else *missed*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from revere.analytics.coaching import Gap, goal_met, goals_from_gaps, improvement
from revere.deals.models import Stage
from revere.levers.coaching import (
    LOWER_IS_BETTER,
    METRIC_LABELS,
    STAGE_MEASURE,
    STAGE_NETWORK,
    dimension_for,
    metric_value,
)
from revere.levers.models import CoachingGoal, CoachingPlan, GoalMetric, GoalSource, PlanStatus
from revere.levers.selectors.coaching import deal_stalls
from revere.network.models import NetworkClass
from revere.network.selectors import member_snapshot_metrics
from revere.tenancy.models import Member, Role
from revere.tenancy.visibility import member_scope_ids

__all__ = [
    "HORIZON_DAYS",
    "coaching_goal_add",
    "coaching_goal_remove",
    "coaching_goal_update",
    "coaching_plan_agree",
    "coaching_plan_close",
    "coaching_plan_propose",
]

#: A plan runs a quarter by default.
HORIZON_DAYS = 91

Actions = Mapping[tuple[str, str], Sequence[str]]


def _coach(member: Member, subject: Member) -> None:
    """Only a manager or admin whose scope holds the seller (not the seller themself) coaches them."""
    if (
        member.role == Role.SELLER
        or subject.organization_id != member.organization_id
        or subject.pk == member.pk
        or subject.pk not in member_scope_ids(member)
    ):
        raise PermissionDenied("Only the seller's manager (or an admin) writes their coaching plan.")


def _open_plan(member: Member, plan_id: int, *, manager_side: bool) -> CoachingPlan:
    plan = CoachingPlan.unrestricted.select_for_update().filter(pk=plan_id).first()
    if plan is None or plan.organization_id != member.organization_id:
        raise PermissionDenied("No such coaching plan.")
    if manager_side or plan.member_id != member.pk:
        _coach(member, plan.member)
    if not plan.is_open:
        raise ValidationError(f"This plan is closed ({plan.get_status_display().lower()}).")
    return plan


def _reset_agreement(plan: CoachingPlan) -> None:
    plan.manager_agreed_at = plan.member_agreed_at = None
    plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["manager_agreed_at", "member_agreed_at", "status"])


def _label(network: str, metric: str) -> str:
    return f"{NetworkClass(network).label.lower()} {METRIC_LABELS.get(metric, metric)}"


def _number(metric: str, value: float) -> str:
    """A count whole; a ratio with two decimals, or three where two would hide a gap (0.296 is not 0.30)."""
    if metric in ("size", "effective_size", "reach"):
        return f"{value:.0f}"
    return f"{value:.2f}" if abs(round(value, 2) - value) < 5e-4 else f"{value:.3f}"


@transaction.atomic
def coaching_plan_propose(
    *,
    member: Member,
    subject: Member,
    gaps: Sequence[Gap],
    actions: Actions | None = None,
    today: date | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> CoachingPlan:
    """A draft plan for ``subject``: a goal per gap (at most four), and one where their deals stall.

    ``gaps`` are measured on the seller's whole network (as snapshots are); ``actions`` suggest what
    to do per (network, metric). A seller has one open plan at a time.
    """
    _coach(member, subject)
    today = today or timezone.localdate()
    if CoachingPlan.unrestricted.filter(
        member_id=subject.pk, status__in=[PlanStatus.DRAFT, PlanStatus.AGREED]
    ).exists():
        raise ValidationError(
            f"{subject.person.full_name} has an open plan: close it before proposing another."
        )
    actions = actions or {}
    proposals = goals_from_gaps(gaps, start=today, horizon_days=horizon_days)
    targets = {(x.network, x.metric): x.target for x in gaps}
    rows: list[dict[str, Any]] = []
    for g in proposals:
        bound = "at least" if g.at_least else "at most"
        target = _number(g.metric, targets[(g.network, g.metric)])
        rows.append(
            {
                "network_class": g.network,
                "metric": g.metric,
                "start_value": g.start_value,
                "target_value": g.target_value,
                "at_least": g.at_least,
                "due_on": g.due,
                "source": GoalSource.GAP,
                "reason": f"{_label(g.network, g.metric).capitalize()} is {_number(g.metric, g.start_value)}"
                f" against a target of {bound} {target}.",
            }
        )
    stalls = deal_stalls(member=member, subject=subject)
    stall = stalls.stall
    if stall is not None:
        network = STAGE_NETWORK[stall.stage]
        metric, why = STAGE_MEASURE[network]
        if not any(r["network_class"] == network for r in rows):
            live = member_snapshot_metrics(member=member, subject=subject)[network].as_dict()
            current = metric_value(live, metric) or 0.0
            rows.append(
                {
                    "network_class": network,
                    "metric": metric,
                    "start_value": current,
                    "target_value": improvement(metric, current, at_least=metric not in LOWER_IS_BETTER),
                    "at_least": metric not in LOWER_IS_BETTER,
                    "due_on": today + timedelta(days=horizon_days),
                    "source": GoalSource.STALL,
                    "reason": f"{stall.stalled} of your {stall.spells} deals stayed in "
                    f"“{Stage(stall.stage).label}” longer than 1.5 times the typical {stall.typical_days:.0f} days "
                    f"(yours: {stall.median_days:.0f}). That stage leans on the {NetworkClass(network).label.lower()} "
                    f"network: {why}.",
                }
            )
        else:
            for r in rows:
                if r["network_class"] == network:
                    r["reason"] += (
                        f" It is also the network of “{Stage(stall.stage).label}”, where your deals stall."
                    )
    plan = CoachingPlan.unrestricted.create(
        organization_id=member.organization_id,
        member=subject,
        created_by=member,
        starts_on=today,
        ends_on=today + timedelta(days=horizon_days),
        stall_stage=stall.stage if stall else "",
    )
    CoachingGoal.unrestricted.bulk_create(
        [
            CoachingGoal(
                organization_id=member.organization_id,
                plan=plan,
                position=k,
                dimension=dimension_for(r["network_class"], r["metric"]),
                actions=list(actions.get((r["network_class"], r["metric"]), ()))[:5],
                **r,
            )
            for k, r in enumerate(rows)
        ]
    )
    return plan


def _goal(member: Member, goal_id: int) -> CoachingGoal:
    goal = CoachingGoal.unrestricted.select_related("plan").filter(pk=goal_id).first()
    if goal is None or goal.organization_id != member.organization_id:
        raise PermissionDenied("No such goal.")
    _open_plan(member, goal.plan_id, manager_side=True)
    return goal


def _target(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({"target_value": f"{value!r} is not a number."}) from None
    if number != number or number < 0 or number > 1_000_000:
        raise ValidationError({"target_value": "A target is a number from 0 to 1,000,000."})
    return number


def _due(plan: CoachingPlan, value: Any) -> date:
    due = value if isinstance(value, date) else None
    if due is None:
        try:
            due = date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({"due_on": f"{value!r} is not a date (YYYY-MM-DD)."}) from None
    if due < plan.starts_on:
        raise ValidationError({"due_on": "A goal is due after the plan starts."})
    return due


@transaction.atomic
def coaching_goal_update(
    *, member: Member, goal_id: int, target_value: Any, due_on: Any, actions: Sequence[str] | None = None
) -> CoachingGoal:
    """The manager changes a goal's target, date or actions; both sides then agree again."""
    goal = _goal(member, goal_id)
    goal.target_value = _target(target_value)
    goal.due_on = _due(goal.plan, due_on)
    if actions is not None:
        goal.actions = [a.strip()[:300] for a in actions if a.strip()][:8]
    goal.save(update_fields=["target_value", "due_on", "actions"])
    plan = goal.plan
    if goal.due_on > plan.ends_on:
        plan.ends_on = goal.due_on
        plan.save(update_fields=["ends_on"])
    _reset_agreement(plan)
    return goal


@transaction.atomic
def coaching_goal_add(
    *, member: Member, plan_id: int, network_class: str, metric: str, target_value: Any, due_on: Any
) -> CoachingGoal:
    """The manager adds a goal of their own; its start is today's figure."""
    plan = _open_plan(member, plan_id, manager_side=True)
    if network_class not in NetworkClass.values:
        raise ValidationError({"network_class": "Unknown network."})
    if metric not in GoalMetric.values:
        raise ValidationError({"metric": "Unknown measure."})
    live = member_snapshot_metrics(member=member, subject=plan.member)[network_class].as_dict()
    dimension = dimension_for(network_class, metric)
    goal = CoachingGoal.unrestricted.create(
        organization_id=plan.organization_id,
        plan=plan,
        network_class=network_class,
        metric=metric,
        dimension=dimension,
        start_value=metric_value(live, metric, dimension) or 0.0,
        target_value=_target(target_value),
        at_least=metric not in LOWER_IS_BETTER,
        due_on=_due(plan, due_on),
        source=GoalSource.MANUAL,
        reason="Set by the manager.",
        position=CoachingGoal.unrestricted.filter(plan=plan).count(),
    )
    _reset_agreement(plan)
    return goal


@transaction.atomic
def coaching_goal_remove(*, member: Member, goal_id: int) -> None:
    goal = _goal(member, goal_id)
    plan = goal.plan
    goal.delete()
    _reset_agreement(plan)


@transaction.atomic
def coaching_plan_agree(*, member: Member, plan_id: int) -> CoachingPlan:
    """The seller, or their manager, agrees the plan as it stands; when both have, it is agreed."""
    plan = _open_plan(member, plan_id, manager_side=False)
    now = timezone.now()
    if member.pk == plan.member_id:
        plan.member_agreed_at = now
    else:
        plan.manager_agreed_at = now
    if plan.member_agreed_at and plan.manager_agreed_at:
        plan.status = PlanStatus.AGREED
    plan.save(update_fields=["member_agreed_at", "manager_agreed_at", "status"])
    return plan


@transaction.atomic
def coaching_plan_close(*, member: Member, plan_id: int) -> CoachingPlan:
    """The manager closes the plan: every goal is measured now; met when all goals are met, else missed."""
    plan = _open_plan(member, plan_id, manager_side=True)
    live = member_snapshot_metrics(member=member, subject=plan.member)
    goals = list(CoachingGoal.unrestricted.filter(plan=plan))
    for goal in goals:
        goal.final_value = metric_value(live[goal.network_class].as_dict(), goal.metric, goal.dimension)
        goal.met = goal_met(goal.target_value, goal.at_least, goal.final_value)
    CoachingGoal.unrestricted.bulk_update(goals, ["final_value", "met"])
    plan.status = PlanStatus.MET if goals and all(g.met for g in goals) else PlanStatus.MISSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at"])
    return plan
