"""Pages of the graph explorer: validate, call one selector, render (the finder page: revere/web/finder)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from revere.network.explorer import explorer_card, explorer_graph, explorer_options
from revere.tenancy.decorators import member_required
from revere.tenancy.models import Member


def _member(request: HttpRequest) -> Member:
    return request.member  # type: ignore[attr-defined,no-any-return]


def _ids(raw: str, limit: int = 12) -> list[int]:
    return [int(x) for x in raw.split(",") if x.strip().isdigit()][:limit]


@login_required
@member_required
@require_GET
def graph(request: HttpRequest) -> HttpResponse:
    options = explorer_options(member=_member(request))
    data_url = reverse("graph_data")
    if request.GET.get("path"):
        data_url += "?path=" + ",".join(str(i) for i in _ids(request.GET["path"]))
    return render(request, "network/graph.html", {"options": options, "data_url": data_url})


@login_required
@member_required
@require_GET
def graph_data(request: HttpRequest) -> JsonResponse:
    data = explorer_graph(member=_member(request), path=_ids(request.GET.get("path", "")) or None)
    return JsonResponse(data)


@login_required
@member_required
@require_GET
def graph_card(request: HttpRequest, person_id: int) -> HttpResponse:
    card = explorer_card(member=_member(request), person_id=person_id)
    status = 200 if card is not None else 404
    return render(request, "network/partials/card.html", {"card": card}, status=status)
