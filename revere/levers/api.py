"""The levers API: the contribution ledger (statements, export, rules, periods) and coaching plans.

Each endpoint validates, calls one selector or service and serializes. What a member may not see is
a 404 (another member's statement or plan); what their role may not do is a 403 (rules and periods
are an admin's, goals the seller's manager's). Proposing a plan needs the scorecard: it is in the
team API (:mod:`revere.web.team_api`), which composes the playbook and the levers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import HttpError

from revere.levers.export import ledger_csv
from revere.levers.ledger import parse_month
from revere.levers.models import CoachingGoal, CoachingPlan, LedgerEntry
from revere.levers.schemas import (
    CreditRulesIn,
    GoalIn,
    GoalNewIn,
    LedgerOut,
    LedgerRowOut,
    PeriodOut,
    PlanOut,
    PlanSummaryOut,
    StatementOut,
)
from revere.levers.selectors.coaching import PlanDetail, coaching_plan, coaching_plans
from revere.levers.selectors.ledger import Statement, ledger_export, ledger_overview, ledger_statement
from revere.levers.services.coaching import (
    coaching_goal_add,
    coaching_goal_remove,
    coaching_goal_update,
    coaching_plan_agree,
    coaching_plan_close,
)
from revere.levers.services.ledger import credit_rules, credit_rules_set, period_close
from revere.tenancy.api import acting_member
from revere.tenancy.models import Member

router = Router(tags=["levers"])


def _errors(exc: ValidationError) -> HttpError:
    if hasattr(exc, "error_dict"):
        return HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
    return HttpError(422, " ".join(exc.messages))


def _month(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parse_month(text)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc


def _subject(member: Member, member_id: int | None) -> Member | None:
    if member_id is None:
        return None
    subject = Member.objects.visible_to(member).filter(pk=member_id).select_related("person").first()
    if subject is None:
        raise HttpError(404, "No such member.")
    return subject


def statement_out(s: Statement) -> dict[str, Any]:
    return {
        "member_id": s.member_id,
        "member_name": s.member_name,
        "period": f"{s.month:%Y-%m}",
        "closed": s.closed,
        "totals": {k: str(v) for k, v in s.totals.items()},
        "lines": [line.export() for line in s.lines],
    }


@router.get("/ledger", response=LedgerOut, summary="The month's ledger: credit per member and every line")
def ledger(request: HttpRequest, period: str | None = None) -> dict[str, Any]:
    o = ledger_overview(member=acting_member(request), month=_month(period))
    return {
        "period": f"{o.month:%Y-%m}",
        "closed": o.closed,
        "closed_periods": [f"{m:%Y-%m}" for m in sorted(o.closed_months)],
        "rules": o.rules,
        "members": [
            {**r, **{k: str(r[k]) for k in ("introduction", "reference", "assist", "total")}}
            for r in o.members
        ],
        "lines": [line.export() for line in o.lines],
    }


@router.get(
    "/ledger/statement", response=StatementOut, summary="A member's statement for a month (default: mine)"
)
def statement(
    request: HttpRequest, period: str | None = None, member_id: int | None = None
) -> dict[str, Any]:
    member = acting_member(request)
    try:
        s = ledger_statement(member=member, subject=_subject(member, member_id), month=_month(period))
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc
    return statement_out(s)


@router.get(
    "/ledger/export", response=list[LedgerRowOut], summary="Ledger lines for an incentive tool (JSON)"
)
def export_json(request: HttpRequest, period: str | None = None) -> list[dict[str, Any]]:
    return ledger_export(member=acting_member(request), month=_month(period))


@router.get("/ledger/export.csv", summary="Ledger lines for an incentive tool (CSV)")
def export_csv(request: HttpRequest, period: str | None = None) -> HttpResponse:
    rows = ledger_export(member=acting_member(request), month=_month(period))
    response = HttpResponse(ledger_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="revere-ledger-{period or "all"}.csv"'
    return response


@router.put("/ledger/rules", response=dict[str, str | None], summary="Set the credit rules (admins)")
def rules_set(request: HttpRequest, body: CreditRulesIn) -> dict[str, str | None]:
    member = acting_member(request)
    try:
        credit_rules_set(member=member, values=body.dict())
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise _errors(exc) from exc
    return credit_rules(organization_id=member.organization_id).as_json()


@router.post("/ledger/periods/{period}/close", response=PeriodOut, summary="Close a month for good (admins)")
def close_period(request: HttpRequest, period: str) -> dict[str, Any]:
    member = acting_member(request)
    month = _month(period)
    assert month is not None
    try:
        p = period_close(member=member, month=month)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise _errors(exc) from exc
    entries = LedgerEntry.objects.visible_to(member).filter(period=p).count()
    return {"period": f"{p.month:%Y-%m}", "closed_at": p.closed_at.isoformat(), "entries": entries}


def plan_out(d: PlanDetail) -> dict[str, Any]:
    p = d.plan
    return {
        "id": p.pk,
        "member_id": p.member_id,
        "member_name": d.member_name,
        "status": p.status,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "stall_stage": p.stall_stage,
        "member_agreed": p.member_agreed_at is not None,
        "manager_agreed": p.manager_agreed_at is not None,
        "goals": [
            {
                "id": g.goal.pk,
                "network_class": g.goal.network_class,
                "metric": g.goal.metric,
                "label": g.label,
                "dimension": g.goal.dimension,
                "start_value": g.goal.start_value,
                "target_value": g.goal.target_value,
                "at_least": g.goal.at_least,
                "due_on": g.goal.due_on,
                "source": g.goal.source,
                "reason": g.goal.reason,
                "actions": list(g.goal.actions),
                "current": g.current,
                "progress": g.progress,
                "met_now": g.met_now,
                "met": g.goal.met,
                "series": g.series,
            }
            for g in d.goals
        ],
    }


def _detail(member: Member, plan_id: int) -> dict[str, Any]:
    try:
        return plan_out(coaching_plan(member=member, plan_id=plan_id))
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc


def _act(member: Member, shown: int, fn: Any, /, **kwargs: Any) -> dict[str, Any]:
    """Run a coaching service, then return plan ``shown``: 403 for a plan one may see but not change."""
    try:
        fn(member=member, **kwargs)
    except PermissionDenied as exc:
        raise HttpError(403 if coaching_visible(member, shown) else 404, str(exc)) from exc
    except ValidationError as exc:
        raise _errors(exc) from exc
    return _detail(member, shown)


def coaching_visible(member: Member, plan_id: int) -> bool:
    return CoachingPlan.objects.visible_to(member).filter(pk=plan_id).exists()


def _plan_of_goal(member: Member, goal_id: int) -> int:
    plan_id = (
        CoachingGoal.objects.visible_to(member).filter(pk=goal_id).values_list("plan_id", flat=True).first()
    )
    if plan_id is None:
        raise HttpError(404, "No such goal.")
    return int(plan_id)


@router.get(
    "/coaching/plans", response=list[PlanSummaryOut], summary="Coaching plans I may see (of one member)"
)
def plans(request: HttpRequest, member_id: int | None = None) -> list[dict[str, Any]]:
    member = acting_member(request)
    return [
        {
            "id": p.pk,
            "member_id": p.member_id,
            "member_name": p.member.person.full_name,
            "status": p.status,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "goals": len(p.goals.all()),
        }
        for p in coaching_plans(member=member, subject=_subject(member, member_id))
    ]


@router.get("/coaching/plans/{plan_id}", response=PlanOut, summary="A plan: goals, progress, agreement")
def plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _detail(acting_member(request), plan_id)


@router.put("/coaching/goals/{goal_id}", response=PlanOut, summary="Change a goal (the seller's manager)")
def goal_update(request: HttpRequest, goal_id: int, body: GoalIn) -> dict[str, Any]:
    member = acting_member(request)
    plan_id = _plan_of_goal(member, goal_id)
    return _act(member, plan_id, coaching_goal_update, goal_id=goal_id, **body.dict())


@router.delete("/coaching/goals/{goal_id}", response=PlanOut, summary="Remove a goal (the seller's manager)")
def goal_remove(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    member = acting_member(request)
    plan_id = _plan_of_goal(member, goal_id)
    return _act(member, plan_id, coaching_goal_remove, goal_id=goal_id)


@router.post("/coaching/plans/{plan_id}/goals", response=PlanOut, summary="Add a goal (the seller's manager)")
def goal_add(request: HttpRequest, plan_id: int, body: GoalNewIn) -> dict[str, Any]:
    member = acting_member(request)
    if not coaching_visible(member, plan_id):
        raise HttpError(404, "No such coaching plan.")
    return _act(member, plan_id, coaching_goal_add, plan_id=plan_id, **body.dict())


@router.post(
    "/coaching/plans/{plan_id}/agree", response=PlanOut, summary="Agree the plan (the seller, the manager)"
)
def agree(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    member = acting_member(request)
    if not coaching_visible(member, plan_id):
        raise HttpError(404, "No such coaching plan.")
    return _act(member, plan_id, coaching_plan_agree, plan_id=plan_id)


@router.post(
    "/coaching/plans/{plan_id}/close", response=PlanOut, summary="Close the plan: met or missed (manager)"
)
def close(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    member = acting_member(request)
    if not coaching_visible(member, plan_id):
        raise HttpError(404, "No such coaching plan.")
    return _act(member, plan_id, coaching_plan_close, plan_id=plan_id)
