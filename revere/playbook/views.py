"""Pages of the playbook: My network (home), relationship advice with the keep-in-touch queue, targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from revere.deals.models import Stage
from revere.network.models import NetworkClass, Tie
from revere.playbook.cadence import CLASS_CADENCE_DAYS, ROLE_CADENCE_DAYS, ROLE_LABELS
from revere.playbook.forms import CadenceForm, SnoozeForm, TargetForm, TouchForm
from revere.playbook.selectors import keep_in_touch_queue, member_advice, member_home, targets_effective
from revere.playbook.services import target_reset, target_set, tie_set_cadence, tie_snooze, tie_touch_done
from revere.playbook.targets import NOT_YOURS, REASONS, target_teams_editable, targets_refusal
from revere.tenancy.decorators import member_required
from revere.tenancy.models import Role


@login_required
@member_required
def home(request: HttpRequest) -> HttpResponse:
    """My network: the four networks side by side, the scorecard, open deals, what to do next."""
    member = request.member  # type: ignore[attr-defined]
    page = member_home(member=member)
    figures = page.figures
    cards = [(card, figures.ties_per_class[card.key]) for card in page.cards]
    stages = [(s, Stage(s).label, n) for s, n in figures.open_deals_per_stage.items()]
    trends = {card.key: card.trend for card in page.cards}
    context = {"page": page, "figures": figures, "cards": cards, "stages": stages, "trends": trends}
    return render(request, "web/home.html", context)


#: Items per page of the advice lists and of the keep-in-touch queue.
ADVICE_PAGE_SIZE = 25
QUEUE_PAGE_SIZE = 50

#: The advice page's paged lists: query parameter, the id of its section (the htmx target), partial.
_SECTIONS = {"let_go": "advice-let-go", "invest": "advice-invest", "due": "advice-due"}


@dataclass(frozen=True)
class Pager:
    """One list's place: "1–25 of 146", and the links to the pages before and after."""

    key: str
    target: str
    start: int
    end: int
    total: int
    number: int
    pages: int
    previous_url: str | None
    next_url: str | None


def _page_number(request: HttpRequest, key: str) -> int:
    try:
        return max(1, int(request.GET.get(key, "1")))
    except ValueError:
        return 1


def _pager(request: HttpRequest, key: str, *, number: int, size: int, shown: int, total: int) -> Pager:
    pages = max(1, -(-total // size))

    def url(n: int) -> str:
        q = request.GET.copy()
        if n == 1:
            q.pop(key, None)
        else:
            q[key] = str(n)
        return f"{request.path}?{q.urlencode()}" if q else request.path

    start = (number - 1) * size + 1 if shown else 0
    return Pager(
        key=key,
        target=_SECTIONS[key],
        start=start,
        end=start + shown - 1 if shown else 0,
        total=total,
        number=number,
        pages=pages,
        previous_url=url(number - 1) if number > 1 else None,
        next_url=url(number + 1) if number < pages else None,
    )


@login_required
@member_required
def advice(request: HttpRequest) -> HttpResponse:
    """Let go, invest and keep in touch, each list paged on its own (``?let_go=2&invest=1&due=3``).

    A pager's links work without JavaScript (the whole page) and through htmx, which asks for the
    list's section alone (its id in ``HX-Target``) and pushes the page's URL.
    """
    member = request.member  # type: ignore[attr-defined]
    n = {key: _page_number(request, key) for key in _SECTIONS}

    def read() -> tuple[Any, Any]:
        a = member_advice(
            member=member,
            limit=ADVICE_PAGE_SIZE,
            let_go_offset=(n["let_go"] - 1) * ADVICE_PAGE_SIZE,
            invest_offset=(n["invest"] - 1) * ADVICE_PAGE_SIZE,
        )
        q = keep_in_touch_queue(member=member, limit=QUEUE_PAGE_SIZE, offset=(n["due"] - 1) * QUEUE_PAGE_SIZE)
        return a, q

    advice_, queue = read()
    # A page past the end (a list that shrank) shows the last page instead.
    last = {
        "let_go": max(1, -(-advice_.let_go_total // ADVICE_PAGE_SIZE)),
        "invest": max(1, -(-advice_.invest_total // ADVICE_PAGE_SIZE)),
        "due": max(1, -(-queue.total_due // QUEUE_PAGE_SIZE)),
    }
    if any(n[k] > last[k] for k in n):
        n = {k: min(n[k], last[k]) for k in n}
        advice_, queue = read()
    pagers = {
        "let_go": _pager(
            request,
            "let_go",
            number=n["let_go"],
            size=ADVICE_PAGE_SIZE,
            shown=len(advice_.let_go),
            total=advice_.let_go_total,
        ),
        "invest": _pager(
            request,
            "invest",
            number=n["invest"],
            size=ADVICE_PAGE_SIZE,
            shown=len(advice_.invest),
            total=advice_.invest_total,
        ),
        "due": _pager(
            request, "due", number=n["due"], size=QUEUE_PAGE_SIZE, shown=len(queue.due), total=queue.total_due
        ),
    }
    context = {
        "advice": advice_,
        "queue": queue,
        "pagers": pagers,
        "touch_kinds": TouchForm.KIND_CHOICES,
    }
    template = "playbook/advice.html"
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        part = next((k for k, target in _SECTIONS.items() if target == htmx.target), None)
        if part is not None:
            template += f"#{part}"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _queue_response(request: HttpRequest, tie_id: int, note: str) -> HttpResponse:
    """To htmx: the row's replacement (a one-line note) and the refreshed counts; else back to the page."""
    if getattr(request, "htmx", False):
        queue = keep_in_touch_queue(member=request.member, limit=0)  # type: ignore[attr-defined]
        return render(
            request, "playbook/partials/queue_done.html", {"note": note, "queue": queue, "tie_id": tie_id}
        )
    messages.success(request, note)
    return redirect("advice")


def _queue_action(
    request: HttpRequest, tie_id: int, form: Form, *, invalid: str, act: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """One keep-in-touch action on a tie: 400 with ``invalid`` for a bad form, 404 for a tie that is
    not the member's, else ``act`` (the service call; it returns the note) and the queue's response.
    """
    if not form.is_valid():
        return HttpResponse(invalid, status=400)
    try:
        note = act(form.cleaned_data)
    except Tie.DoesNotExist:
        return HttpResponse(status=404)
    return _queue_response(request, tie_id, note)


@login_required
@member_required
@require_POST
def keep_in_touch_done(request: HttpRequest, tie_id: int) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]

    def act(data: dict[str, Any]) -> str:
        tie = tie_touch_done(member=member, tie_id=tie_id, kind=data["kind"])
        return f"Done: {tie.person.full_name} ({data['kind']})."

    form = TouchForm(request.POST)
    return _queue_action(request, tie_id, form, invalid="Choose how you got in touch.", act=act)


@login_required
@member_required
@require_POST
def keep_in_touch_snooze(request: HttpRequest, tie_id: int) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]

    def act(data: dict[str, Any]) -> str:
        tie = tie_snooze(member=member, tie_id=tie_id, days=data["days"])
        return f"Snoozed {tie.person.full_name} until {tie.snoozed_until:%-d %b %Y}."

    form = SnoozeForm(request.POST)
    return _queue_action(request, tie_id, form, invalid="Snooze for 1 to 365 days.", act=act)


@login_required
@member_required
@require_POST
def keep_in_touch_cadence(request: HttpRequest, tie_id: int) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]

    def act(data: dict[str, Any]) -> str:
        tie = tie_set_cadence(member=member, tie_id=tie_id, cadence_days=data["cadence_days"])
        days = tie.cadence_days
        if days is None:
            return f"{tie.person.full_name}: back to the default cadence."
        if days == 0:
            return f"{tie.person.full_name}: no more reminders."
        return f"{tie.person.full_name}: every {days} days."

    form = CadenceForm(request.POST)
    invalid = "A cadence is 0 (no reminders) to 730 days, or empty for the default."
    return _queue_action(request, tie_id, form, invalid=invalid, act=act)


@login_required
@member_required
def targets_edit(request: HttpRequest) -> HttpResponse:
    """Admins set the organization's targets or any team's, a manager those of the teams they manage;
    everybody else gets a 403. A manager's page opens on their first team (the organization's targets
    are an admin's)."""
    member = request.member  # type: ignore[attr-defined]
    teams = target_teams_editable(member=member)
    whole_organization = member.role == Role.ADMIN
    if not teams and not whole_organization:
        raise PermissionDenied(NOT_YOURS if member.role != Role.MANAGER else targets_refusal(member, None))
    team_id = request.GET.get("team") or request.POST.get("team") or ""
    if team_id:
        team = next((t for t in teams if str(t.pk) == team_id), None)
        if team is None:
            raise Http404("No team of yours has that id.")
    else:
        team = None if whole_organization else teams[0]
    classes = [c.value for c in NetworkClass]
    forms: dict[str, TargetForm]
    if request.method == "POST":
        cls = request.POST.get("network_class", "")
        if cls not in classes:
            return HttpResponse("Unknown network class.", status=400)
        if "reset" in request.POST:
            target_reset(member=member, network_class=cls, team=team)
            messages.success(request, f"{NetworkClass(cls).label} targets are back to the defaults.")
            return redirect(request.get_full_path())
        form = TargetForm(request.POST, prefix=cls)
        if form.is_valid():
            try:
                target_set(member=member, network_class=cls, values=form.values(), team=team)
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, f"{NetworkClass(cls).label} targets saved.")
                return redirect(request.get_full_path())
        current = targets_effective(member=member, team=team)
        forms = {c: TargetForm.for_values(current[c], prefix=c) for c in classes}
        forms[cls] = form
    else:
        current = targets_effective(member=member, team=team)
        forms = {c: TargetForm.for_values(current[c], prefix=c) for c in classes}
    rows = [
        {
            "key": c,
            "label": NetworkClass(c).label,
            "form": forms[c],
            "source": current[c].source,
            "reasons": REASONS.get(c, {}),
        }
        for c in classes
    ]
    context = {
        "rows": rows,
        "teams": teams,
        "team": team,
        "whole_organization": whole_organization,
        "class_cadence": [(NetworkClass(c).label, d) for c, d in CLASS_CADENCE_DAYS.items()],
        "role_cadence": [(ROLE_LABELS[r], d) for r, d in ROLE_CADENCE_DAYS.items()],
    }
    return render(request, "playbook/targets.html", context)
