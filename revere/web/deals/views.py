"""The deal pages: the board of the four stages (plus won and lost) and one deal with its playbook.

Each view validates its input, calls one selector or service of revere.deals, and renders; the
board serves its whole page or, to htmx, only the board. A deal the member may not see is a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from revere.contacts.models import Company, Person
from revere.deals import services
from revere.deals.models import OPEN_STAGES, BuyingRole, Deal, Reference, ReferenceUse
from revere.deals.playbook import deal_playbook, deal_warnings, member_leads
from revere.levers.services.references import reference_decline, reference_mark_used, reference_request
from revere.tenancy.decorators import member_required
from revere.tenancy.models import Member
from revere.web.deals import backend
from revere.web.deals.forms import (
    STAGE_LABELS,
    BoardFilterForm,
    BuyingRoleForm,
    DealForm,
    MoveForm,
    TeammateForm,
)
from revere.web.deals.present import card_html, lead_view, playbook_view
from revere.web.record.forms import InteractionForm


def _member(request: HttpRequest) -> Member:
    return request.member  # type: ignore[attr-defined,no-any-return]


def _results_only(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def _board_companies(member: Member) -> list[tuple[int, str]]:
    """Companies with a deal the member may see, for the company filter."""
    ids = Deal.objects.visible_to(member).values("company_id")
    return list(
        Company.objects.visible_to(member).filter(pk__in=ids).order_by("name").values_list("pk", "name")
    )


_PK = 987654321


def _card_links(columns: list[backend.Column], query: str, csrf: str) -> None:
    """Each card's HTML, made in Python once per board: the Django template of a card costs about a
    millisecond, and a board holds hundreds (docs/benchmarks.md, "Deals")."""
    deal_url = reverse("deal", args=[_PK])
    move_url = reverse("deal_move", args=[_PK]) + (f"?{query}" if query else "")
    choices = MoveForm.base_fields["to_stage"].choices  # type: ignore[attr-defined]
    options = {
        stage: format_html_join(
            "", '<option value="{}">{}</option>', [(v, lbl) for v, lbl in choices if v != stage]
        )
        for stage, _ in choices
    }
    for col in columns:
        # card_html escapes every value it is given
        col.page["html"] = mark_safe(
            "".join(
                card_html(
                    c,
                    url=deal_url.replace(str(_PK), str(c.deal.pk)),
                    move_url=move_url.replace(str(_PK), str(c.deal.pk)),
                    options=options.get(c.deal.stage, ""),
                    csrf=csrf,
                )
                for c in col.cards
            )
        )


def board_context(request: HttpRequest, member: Member) -> dict[str, Any]:
    """The board's columns for the filters in the request's query string."""
    form = BoardFilterForm(request.GET or None, member=member, companies=_board_companies(member))
    filters = form.filters() if request.GET else {}
    columns = backend.deals_board(member=member, **filters)
    query = urlencode({k: str(v) for k, v in filters.items()})
    _card_links(columns, query, get_token(request))
    return {
        "filter_form": form,
        "filtered": bool(filters),
        "columns": columns,
        "query": query,
        "move_choices": MoveForm.base_fields["to_stage"].choices,  # type: ignore[attr-defined]
        "count": sum(len(c.cards) for c in columns),
    }


@login_required
@member_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The deal board: a column per stage, a card per deal, filters and column totals."""
    context = board_context(request, _member(request))
    if _results_only(request):
        return render(request, "deals/_board.html", context)
    return render(request, "deals/board.html", context)


@login_required
@member_required
@require_GET
def deal_detail(request: HttpRequest, deal_id: int) -> HttpResponse:
    """One deal: its header, stage history, team, buying roles and the playbook of its stage."""
    return render_deal(request, deal_id)


def render_deal(request: HttpRequest, deal_id: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    member = _member(request)
    deal = backend.deal_get(member=member, deal_id=deal_id)
    history = backend.deal_history(member=member, deal=deal)
    team = list(
        deal.team.visible_to(member)
        .exclude(pk=deal.owner_id)
        .select_related("person")
        .order_by("person__full_name")
    )
    roles = list(
        BuyingRole.objects.visible_to(member)
        .filter(deal_id=deal.pk)
        .select_related("person")
        .order_by("person__full_name", "role")
    )
    committee: dict[int, dict[str, Any]] = {}
    for r in roles:
        entry = committee.setdefault(
            r.person_id, {"id": r.person_id, "name": r.person.full_name, "roles": []}
        )
        entry["roles"].append(r.get_role_display().lower())
    for entry in committee.values():
        entry["why"] = ", ".join(entry.pop("roles"))
    editable = services.may_edit(member, deal)
    view = request.GET.get("stage", "")
    book = deal_playbook(member=member, deal_id=deal.pk, stage=view or None)
    entered = {deal.pk: history[-1].changed_at} if history else {}
    warnings = deal_warnings(member, [deal], entered).get(deal.pk, [])
    on_team = {m.pk for m in team} | {deal.owner_id}
    context = {
        "deal": deal,
        "editable": editable,
        "playbook": book,
        "pb": playbook_view(book),
        "playbook_stages": [(s.value, s.label) for s in OPEN_STAGES],
        "warnings": warnings,
        "team_form": TeammateForm(member=member, exclude=on_team, auto_id="id_team_%s") if editable else None,
        "role_form": BuyingRoleForm(member=member, deal=deal, auto_id="id_role_%s") if editable else None,
        "log_form": InteractionForm(auto_id="id_deallog_%s"),
        "log_chips": [],
        "committee": list(committee.values()),
        "history": history,
        "team": team,
        "roles": roles,
        "stage_label": STAGE_LABELS.get(deal.stage, deal.stage),
        "move_choices": [c for c in MoveForm.base_fields["to_stage"].choices if c[0] != deal.stage],  # type: ignore[attr-defined]
        **forms,
    }
    return render(request, "deals/deal.html", context, status=status)


# ---- writes: each parses a form, calls one service of revere.deals (or levers), and answers ----


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _deal_for_write(member: Member, deal_id: int) -> Deal:
    """A deal the member may see (else 404); the service decides whether they may change it."""
    return backend.deal_get(member=member, deal_id=deal_id)


def _form_page(request: HttpRequest, form: DealForm, *, deal: Deal | None, status: int = 200) -> HttpResponse:
    return render(request, "deals/deal_form.html", {"form": form, "deal": deal}, status=status)


@login_required
@member_required
@require_http_methods(["GET", "POST"])
def deal_new(request: HttpRequest) -> HttpResponse:
    """Create a deal (stage 1), optionally for a company given as ``?company=<id>`` (a lead's "start a deal")."""
    member = _member(request)
    if request.method == "GET":
        initial: dict[str, Any] = {}
        company_id = request.GET.get("company", "")
        if company_id.isdigit():
            company = Company.objects.visible_to(member).filter(pk=int(company_id)).first()
            if company is not None:
                initial = {"company": company.name, "name": f"{company.name} deal"}
        return _form_page(request, DealForm(member=member, initial=initial), deal=None)
    form = DealForm(request.POST, member=member)
    if not form.is_valid():
        return _form_page(request, form, deal=None, status=400)
    data = form.cleaned_data
    try:
        deal = services.deal_create(
            member=member,
            name=data["name"],
            company=data["company"],
            owner=data["owner"],
            amount=data.get("amount"),
            currency=data["currency"],
            expected_close=data.get("expected_close"),
            needed_expertise=data["needed_expertise"],
        )
    except ValidationError as exc:
        form.add_error(None, _errors(exc))
        return _form_page(request, form, deal=None, status=400)
    messages.success(request, f"Deal {deal.name} created in {STAGE_LABELS[deal.stage]}.")
    return redirect("deal", deal.pk)


@login_required
@member_required
@require_http_methods(["GET", "POST"])
def deal_edit(request: HttpRequest, deal_id: int) -> HttpResponse:
    """Change a deal's name, company, amount, close date, owner and needed expertise."""
    member = _member(request)
    deal = _deal_for_write(member, deal_id)
    if not services.may_edit(member, deal):
        raise PermissionDenied("Only the deal's owner, its deal team and their managers change this deal.")
    if request.method == "GET":
        return _form_page(request, DealForm(member=member, deal=deal), deal=deal)
    form = DealForm(request.POST, member=member, deal=deal)
    if not form.is_valid():
        return _form_page(request, form, deal=deal, status=400)
    data = form.cleaned_data
    try:
        changed = services.deal_update(
            member=member,
            deal=deal,
            name=data["name"],
            company=data["company"],
            owner=data["owner"],
            amount=data.get("amount"),
            currency=data["currency"],
            expected_close=data.get("expected_close"),
            needed_expertise=data["needed_expertise"],
        )
    except ValidationError as exc:
        form.add_error(None, _errors(exc))
        return _form_page(request, form, deal=deal, status=400)
    messages.success(request, "Saved." if changed else "Nothing changed.")
    return redirect("deal", deal.pk)


@login_required
@member_required
@require_POST
def deal_move(request: HttpRequest, deal_id: int) -> HttpResponse:
    """Move a deal to another stage through deal_move_stage (the board's drag and its Move form).

    From the board (``from=board``) the answer is the board, with a notice: the move made (and
    flagged when it passed a failing check), or refused with why, and a reason box when a reason
    would let it through. From the deal page, the deal page with the same notice.
    """
    member = _member(request)
    deal = _deal_for_write(member, deal_id)
    form = MoveForm(request.POST)
    on_board = request.POST.get("from") == "board"
    notice: dict[str, Any]
    status = 200
    if not form.is_valid():
        notice = {"kind": "error", "text": "Choose a stage to move the deal to.", "deal": deal}
        status = 400
    else:
        to_stage = form.cleaned_data["to_stage"]
        try:
            move = services.deal_move_stage(
                member=member, deal=deal, to_stage=to_stage, reason=form.cleaned_data.get("reason") or ""
            )
        except services.DealMoveRefused as exc:
            notice = {
                "kind": "refused",
                "text": exc.text,
                "failed": exc.failed,
                "needs_reason": exc.needs_reason,
                "to_stage": to_stage,
                "to_label": STAGE_LABELS.get(to_stage, to_stage),
                "deal": deal,
            }
            status = 200 if _results_only(request) else 409
        except PermissionDenied as exc:
            notice = {"kind": "error", "text": str(exc), "deal": deal}
            status = 403
        else:
            text = f"{deal.name} moved to {STAGE_LABELS[deal.stage]}."
            if move.flagged:
                text += " Flagged in its history: it left past a failing exit check."
            notice = {"kind": "moved", "text": text, "failed": move.failed, "deal": deal}
    if on_board:
        context = board_context(request, member)
        context["notice"] = notice
        template = "deals/_board.html" if _results_only(request) else "deals/board.html"
        return render(request, template, context, status=status)
    if notice["kind"] == "moved":
        messages.success(request, notice["text"])
        return redirect("deal", deal.pk)
    return render_deal(request, deal.pk, status=status, notice=notice)


def _back(
    request: HttpRequest, deal: Deal, text: str, *, error: bool = False, anchor: str = "h-team"
) -> HttpResponse:
    (messages.error if error else messages.success)(request, text)
    stage = "?stage=close" if anchor == "playbook" else ""  # the references are stage 4's
    return redirect(f"{reverse('deal', args=[deal.pk])}{stage}#{anchor}")


@login_required
@member_required
@require_POST
def deal_team_add(request: HttpRequest, deal_id: int) -> HttpResponse:
    member = _member(request)
    deal = _deal_for_write(member, deal_id)
    form = TeammateForm(request.POST, member=member)
    if not form.is_valid():
        return _back(request, deal, "Choose a colleague to add.", error=True)
    mate = form.cleaned_data["teammate"]
    added = services.deal_team_add(member=member, deal=deal, teammate=mate)
    return _back(
        request, deal, f"{mate.person.full_name} {'joins' if added else 'is already on'} the deal team."
    )


@login_required
@member_required
@require_POST
def deal_team_remove(request: HttpRequest, deal_id: int) -> HttpResponse:
    member = _member(request)
    deal = _deal_for_write(member, deal_id)
    form = TeammateForm(request.POST, member=member)
    if not form.is_valid():
        return _back(request, deal, "No such colleague.", error=True)
    mate = form.cleaned_data["teammate"]
    services.deal_team_remove(member=member, deal=deal, teammate=mate)
    return _back(request, deal, f"{mate.person.full_name} left the deal team.")


@login_required
@member_required
@require_POST
def deal_team_accept(request: HttpRequest, deal_id: int) -> HttpResponse:
    """Accept the playbook's proposed solution team (stage 3) as the deal team."""
    member = _member(request)
    deal = _deal_for_write(member, deal_id)
    book = deal_playbook(member=member, deal_id=deal.pk, stage="solution")
    team = book.three.team if book.three else None
    if team is None or not team.members:
        return _back(
            request, deal, "There is no proposed team to accept: name the needed expertise.", error=True
        )
    mates = list(Member.objects.visible_to(member).filter(person_id__in=list(team.members), is_active=True))
    chosen = [m for m in mates if m.pk != deal.owner_id]
    if len(chosen) + 1 < len(team.members):
        missing = len(team.members) - len(chosen) - 1
        text = f" {missing} proposed colleague{'s are' if missing != 1 else ' is'} not a Revere member: ask them in person."
    else:
        text = ""
    services.deal_team_set(member=member, deal=deal, teammates=chosen)
    names = ", ".join(m.person.full_name for m in chosen) or "the owner alone"
    return _back(request, deal, f"The deal team is now {names}.{text}")


@login_required
@member_required
@require_POST
def deal_role_set(request: HttpRequest, deal_id: int) -> HttpResponse:
    member = _member(request)
    deal = _deal_for_write(member, deal_id)
    form = BuyingRoleForm(request.POST, member=member, deal=deal)
    anchor = "h-roles"
    if not form.is_valid():
        return _back(
            request, deal, "Choose a person at the buyer, a role and a stance.", error=True, anchor=anchor
        )
    try:
        row = services.buying_role_set(
            member=member,
            deal=deal,
            person=form.cleaned_data["person"],
            role=form.cleaned_data["role"],
            stance=form.cleaned_data["stance"],
        )
    except ValidationError as exc:
        return _back(request, deal, _errors(exc), error=True, anchor=anchor)
    return _back(
        request,
        deal,
        f"{row.person.full_name}: {row.get_role_display()}, {row.get_stance_display()}.",
        anchor=anchor,
    )


@login_required
@member_required
@require_POST
def deal_role_remove(request: HttpRequest, deal_id: int) -> HttpResponse:
    member = _member(request)
    deal = _deal_for_write(member, deal_id)
    anchor = "h-roles"
    person_id = request.POST.get("person", "")
    person = (
        Person.objects.visible_to(member).filter(pk=int(person_id)).first() if person_id.isdigit() else None
    )
    if person is None:
        raise Http404("No such person.")
    role = request.POST.get("role") or None
    removed = services.buying_role_remove(member=member, deal=deal, person=person, role=role)
    return _back(
        request,
        deal,
        f"Removed {removed} buying role{'s' if removed != 1 else ''} of {person.full_name}.",
        anchor=anchor,
    )


@login_required
@member_required
@require_POST
def deal_reference_request(request: HttpRequest, deal_id: int) -> HttpResponse:
    """Ask a reference to speak for the deal (stage 4): pending, credited to the tie holder once used."""
    member = _member(request)
    deal = _deal_for_write(member, deal_id)
    anchor = "playbook"
    person_id = request.POST.get("person", "")
    ref = (
        Reference.objects.visible_to(member).filter(person_id=int(person_id)).first()
        if person_id.isdigit()
        else None
    )
    if ref is None:
        raise Http404("No such reference.")
    try:
        use = reference_request(member=member, deal=deal, reference=ref)
    except ValidationError as exc:
        return _back(request, deal, _errors(exc), error=True, anchor=anchor)
    return _back(
        request,
        deal,
        f"Reference requested from {use.reference.person.full_name}: pending until they speak.",
        anchor=anchor,
    )


@login_required
@member_required
@require_POST
def deal_reference_update(request: HttpRequest, deal_id: int, use_id: int) -> HttpResponse:
    """Mark a requested reference used (it spoke to the buyer) or declined."""
    member = _member(request)
    deal = _deal_for_write(member, deal_id)
    anchor = "playbook"
    use = ReferenceUse.objects.visible_to(member).filter(pk=use_id, deal_id=deal.pk).first()
    if use is None:
        raise Http404("No such reference request.")
    if request.POST.get("status") == "used":
        reference_mark_used(member=member, use=use)
        return _back(
            request,
            deal,
            f"{use.reference.person.full_name} spoke for the deal: recorded as used.",
            anchor=anchor,
        )
    reference_decline(member=member, use=use)
    return _back(
        request, deal, f"{use.reference.person.full_name}'s reference recorded as declined.", anchor=anchor
    )


@login_required
@member_required
@require_GET
def leads(request: HttpRequest) -> HttpResponse:
    """Stage 1: companies the member's market network reaches that are not in the pipeline yet."""
    member = _member(request)
    rows = member_leads(member=member, limit=30)
    return render(request, "deals/leads.html", {"leads": [lead_view(r) for r in rows]})
