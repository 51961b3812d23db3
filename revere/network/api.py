"""The graph explorer and the middleman finder over the REST API (one ninja Router)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from revere.network.explorer import explorer_card, explorer_graph
from revere.network.finder import (
    DEFAULT_K,
    MAX_INTERMEDIARIES,
    MAX_K,
    Route,
    paths_to_person,
    resolve_person,
)
from revere.network.schemas import (
    GraphOut,
    RouteOut,
)
from revere.tenancy.api import acting_member

router = Router(tags=["network"])


def route_dict(route: Route | None) -> dict[str, Any] | None:
    if route is None:
        return None
    data = dataclasses.asdict(route)
    data["intermediaries"] = route.intermediaries
    return data


@router.get(
    "/network/graph", response=GraphOut, summary="The signed-in member's network for the graph explorer"
)
def graph(request: HttpRequest, path: str = "") -> dict[str, Any]:
    ids = [int(x) for x in path.split(",") if x.strip().isdigit()][:12]
    return explorer_graph(member=acting_member(request), path=ids or None)


@router.get("/network/graph/nodes/{person_id}", summary="A person's card in the graph explorer")
def graph_node(request: HttpRequest, person_id: int) -> dict[str, Any]:
    card = explorer_card(member=acting_member(request), person_id=person_id)
    if card is None:
        raise HttpError(404, "No such person in your organization.")
    p = card.person
    return {
        "id": p.pk,
        "name": p.full_name,
        "title": p.title,
        "company": p.company.name if p.company else None,
        "tie": dataclasses.asdict(card.tie) if card.tie else None,
        "last_interaction": card.last_interaction,
        "teammates": [
            {"member": t.member_name, "access": str(t.access), "band": t.band} for t in card.teammates
        ],
        "connections_total": card.connections_total,
        "connections": [dataclasses.asdict(c) for c in card.connections],
    }


@router.get(
    "/network/paths",
    response=list[RouteOut],
    summary="The k best introduction paths to a person (by id or e-mail)",
)
def paths(
    request: HttpRequest,
    to: str,
    k: int = Query(DEFAULT_K, ge=1, le=MAX_K),  # type: ignore[type-arg]
    max_intermediaries: int = Query(MAX_INTERMEDIARIES, ge=1, le=6),  # type: ignore[type-arg]
    from_team: bool = True,
) -> list[dict[str, Any] | None]:
    member = acting_member(request)
    person, _ = resolve_person(member, to)
    if person is None:
        raise HttpError(404, "No such person in your organization.")
    routes = paths_to_person(
        member=member, person_id=person.pk, k=k, max_intermediaries=max_intermediaries, from_team=from_team
    )
    return [route_dict(r) for r in routes]
