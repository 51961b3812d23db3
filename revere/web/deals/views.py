"""The deal pages: the board of the four stages (plus won and lost) and one deal with its playbook.

Each view validates its input, calls one selector or service of revere.deals, and renders; the
board serves its whole page or, to htmx, only the board. A deal the member may not see is a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from revere.contacts.models import Company
from revere.deals.models import BuyingRole, Deal
from revere.tenancy.decorators import member_required
from revere.tenancy.models import Member
from revere.web.deals import backend
from revere.web.deals.forms import STAGE_LABELS, BoardFilterForm, MoveForm
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


def board_context(request: HttpRequest, member: Member) -> dict[str, Any]:
    """The board's columns for the filters in the request's query string."""
    form = BoardFilterForm(request.GET or None, member=member, companies=_board_companies(member))
    filters = form.filters() if request.GET else {}
    columns = backend.deals_board(member=member, **filters)
    query = urlencode({k: str(v) for k, v in filters.items()})
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
    context = {
        "deal": deal,
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
