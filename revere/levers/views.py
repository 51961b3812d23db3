"""Pages of the levers: the contribution ledger, a coaching plan, and the structure lever.

The team view and proposing a coaching plan show the scorecard too: they are in :mod:`revere.web`
(pages that compose the playbook and the levers).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from revere.levers.forms import CreditRulesForm, GoalAddForm, GoalForm, StructureForm
from revere.levers.ledger import parse_month
from revere.levers.models import CoachingGoal
from revere.levers.selectors.coaching import coaching_plan
from revere.levers.selectors.ledger import ledger_overview, ledger_statement
from revere.levers.selectors.structure import team_proposal
from revere.levers.services.coaching import (
    coaching_goal_add,
    coaching_goal_remove,
    coaching_goal_update,
    coaching_plan_agree,
    coaching_plan_close,
)
from revere.levers.services.ledger import credit_rules, credit_rules_set, period_close
from revere.tenancy.decorators import member_required
from revere.tenancy.models import Member, Role


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _month(request: HttpRequest) -> date | None:
    text = request.GET.get("period") or ""
    if not text:
        return None
    try:
        return parse_month(text)
    except ValueError as exc:
        raise Http404(str(exc)) from exc


@login_required
@member_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The month's ledger: a seller's own lines; a manager's teams'; an admin's everyone's."""
    member = request.member  # type: ignore[attr-defined]
    month = _month(request)
    subject_id = request.GET.get("member") or ""
    statement = None
    if subject_id:
        subject = Member.objects.visible_to(member).filter(pk=subject_id).select_related("person").first()
        try:
            statement = ledger_statement(member=member, subject=subject, month=month) if subject else None
        except LookupError:
            statement = None
        if statement is None:
            raise Http404("No such statement.")
    overview = ledger_overview(member=member, month=month)
    period = f"{overview.month:%Y-%m}"
    context: dict[str, Any] = {
        "overview": overview,
        "statement": statement,
        "lines": statement.lines if statement else overview.lines,
        "period": period,
        "is_admin": member.role == Role.ADMIN,
        "sees_others": member.role != Role.SELLER,
        "can_close": member.role == Role.ADMIN
        and not overview.closed
        and overview.month < date.today().replace(day=1),
    }
    return render(request, "levers/ledger.html", context)


@login_required
@member_required
def ledger_rules(request: HttpRequest) -> HttpResponse:
    """Admins edit the credit rules; everybody else reads them."""
    member = request.member  # type: ignore[attr-defined]
    rules = credit_rules(organization_id=member.organization_id)
    initial = {
        "introduction_points": rules.introduction,
        "reference_points": rules.reference,
        "assist_points": rules.assist,
        "won_share": rules.won_share,
        "cap_per_period": rules.cap,
    }
    form = CreditRulesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if member.role != Role.ADMIN:
            raise PermissionDenied("Only an admin sets the credit rules.")
        if form.is_valid():
            try:
                credit_rules_set(member=member, values=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _message(exc))
            else:
                messages.success(
                    request, "Credit rules saved. Closed months keep the rules they were closed with."
                )
                return redirect("ledger_rules")
    return render(
        request, "levers/rules.html", {"form": form, "rules": rules, "is_admin": member.role == Role.ADMIN}
    )


@login_required
@member_required
@require_POST
def ledger_close(request: HttpRequest, period: str) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    try:
        month = parse_month(period)
        period_close(member=member, month=month)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request, f"{period} is closed: its credits will not change; later changes go to the next month."
        )
    return redirect(f"{reverse('ledger')}?period={period}")


def _plan_page(request: HttpRequest, plan_id: int, *, status: int = 200, **extra: Any) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    try:
        detail = coaching_plan(member=member, plan_id=plan_id)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    forms = {
        g.goal.pk: GoalForm(
            initial={
                "target_value": g.goal.target_value,
                "due_on": g.goal.due_on,
                "actions": "\n".join(g.goal.actions),
            },
            prefix=f"g{g.goal.pk}",
        )
        for g in detail.goals
    }
    forms.update(extra.pop("forms", {}))
    context = {
        "detail": detail,
        "plan": detail.plan,
        "goals": [{"g": g, "form": forms[g.goal.pk], "pct": round(g.progress * 100)} for g in detail.goals],
        "add_form": extra.pop("add_form", None) or GoalAddForm(initial={"due_on": detail.plan.ends_on}),
        "is_seller": member.pk == detail.plan.member_id,
        **extra,
    }
    return render(request, "levers/coaching_plan.html", context, status=status)


@login_required
@member_required
def coaching_plan_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A coaching plan: goals, progress charts, actions; the manager edits, both agree, the manager closes."""
    return _plan_page(request, plan_id)


def _act(request: HttpRequest, shown: int, done: str, fn: Any, /, **kwargs: Any) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    try:
        fn(member=member, **kwargs)
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, done)
    return redirect("coaching_plan", plan_id=shown)


def _goal_plan(request: HttpRequest, goal_id: int) -> int:
    member = request.member  # type: ignore[attr-defined]
    plan_id = (
        CoachingGoal.objects.visible_to(member).filter(pk=goal_id).values_list("plan_id", flat=True).first()
    )
    if plan_id is None:
        raise Http404("No such goal.")
    return int(plan_id)


@login_required
@member_required
@require_POST
def coaching_goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    plan_id = _goal_plan(request, goal_id)
    if "remove" in request.POST:
        return _act(
            request,
            plan_id,
            "Goal removed: the seller and you agree again.",
            coaching_goal_remove,
            goal_id=goal_id,
        )
    form = GoalForm(request.POST, prefix=f"g{goal_id}")
    if not form.is_valid():
        return _plan_page(request, plan_id, status=400, forms={goal_id: form})
    return _act(
        request,
        plan_id,
        "Goal saved: the seller and you agree again.",
        coaching_goal_update,
        goal_id=goal_id,
        target_value=form.cleaned_data["target_value"],
        due_on=form.cleaned_data["due_on"],
        actions=form.action_lines(),
    )


@login_required
@member_required
@require_POST
def coaching_goal_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    form = GoalAddForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan_id, status=400, add_form=form)
    return _act(request, plan_id, "Goal added.", coaching_goal_add, plan_id=plan_id, **form.cleaned_data)


@login_required
@member_required
@require_POST
def coaching_agree(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _act(request, plan_id, "You agreed the plan.", coaching_plan_agree, plan_id=plan_id)


@login_required
@member_required
@require_POST
def coaching_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _act(request, plan_id, "The plan is closed.", coaching_plan_close, plan_id=plan_id)


@login_required
@member_required
def structure(request: HttpRequest) -> HttpResponse:
    """The structure lever: a solution team for any skills or deal, or one colleague per function."""
    member = request.member  # type: ignore[attr-defined]
    if member.role == Role.SELLER:
        raise PermissionDenied("The structure lever is for managers and admins.")
    form = StructureForm(request.GET or None)
    proposal = None
    if form.is_bound and form.is_valid():
        try:
            proposal = team_proposal(
                member=member,
                skills=form.skill_list(),
                deal_id=form.cleaned_data.get("deal"),
                cross_functional=form.cleaned_data.get("cross_functional") or False,
            )
        except LookupError as exc:
            raise Http404(str(exc)) from exc
    return render(request, "levers/structure.html", {"form": form, "proposal": proposal})
