"""The graph explorer and the middleman finder over the REST API (one ninja Router)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from revere.levers.models import Contribution
from revere.levers.services import introduction_mark_made, introduction_request
from revere.network.explorer import explorer_card, explorer_graph
from revere.network.finder import (
    DEFAULT_K,
    MAX_INTERMEDIARIES,
    MAX_K,
    Route,
    company_routes,
    introductions_open,
    paths_to_person,
    resolve_person,
)
from revere.network.schemas import (
    CompanyRoutesOut,
    GraphOut,
    IntroductionIn,
    IntroductionOut,
    IntroductionsOut,
    RouteOut,
)
from revere.tenancy.api import acting_member
from revere.tenancy.models import Member

router = Router(tags=["network"])


def _route(route: Route | None) -> dict[str, Any] | None:
    if route is None:
        return None
    data = dataclasses.asdict(route)
    data["intermediaries"] = route.intermediaries
    return data


def _introduction(c: Contribution) -> dict[str, Any]:
    return {
        "id": c.pk,
        "introducer_id": c.member_id,
        "introducer": c.member.person.full_name,
        "beneficiary_id": c.beneficiary_id,
        "person_id": c.person_id,
        "person": c.person.full_name if c.person else "",
        "status": c.status,
        "occurred_at": c.occurred_at,
        "notes": c.notes,
    }


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
    return [_route(r) for r in routes]


@router.get(
    "/network/companies/{company_id}/routes",
    response=CompanyRoutesOut,
    summary="The best route to each buying role at a company, and its brokers",
)
def routes_into_company(
    request: HttpRequest,
    company_id: int,
    max_intermediaries: int = Query(MAX_INTERMEDIARIES, ge=1, le=6),  # type: ignore[type-arg]
    from_team: bool = True,
) -> dict[str, Any]:
    member = acting_member(request)
    try:
        cr = company_routes(
            member=member, company_id=company_id, max_intermediaries=max_intermediaries, from_team=from_team
        )
    except ObjectDoesNotExist as err:
        raise HttpError(404, "No such company in your organization.") from err
    return {
        "company_id": cr.company.pk,
        "company": cr.company.name,
        "people": cr.people,
        "by_buying_role": cr.by_buying_role,
        "targets": [{**dataclasses.asdict(t), "route": _route(t.route)} for t in cr.targets],
        "brokers": [{**dataclasses.asdict(b), "route": _route(b.route)} for b in cr.brokers],
    }


@router.get("/network/introductions", response=IntroductionsOut, summary="Pending introductions")
def introductions(request: HttpRequest) -> dict[str, Any]:
    data = introductions_open(member=acting_member(request))
    return {key: [_introduction(c) for c in rows] for key, rows in data.items()}


@router.post(
    "/network/introductions",
    response={201: IntroductionOut},
    summary="Ask a teammate for an introduction (recorded as a pending contribution of theirs)",
)
def introduction_create(request: HttpRequest, payload: IntroductionIn) -> Status:
    member = acting_member(request)
    introducer = Member.objects.filter(
        organization_id=member.organization_id, pk=payload.introducer_id
    ).first()
    if introducer is None:
        raise HttpError(404, "No such member in your organization.")
    try:
        c = introduction_request(
            member=member,
            introducer=introducer,
            person_id=payload.person_id,
            deal_id=payload.deal_id,
            notes=payload.notes,
        )
    except ValidationError as err:
        raise HttpError(400, " ".join(err.messages)) from err
    return Status(201, _introduction(c))


@router.post(
    "/network/introductions/{contribution_id}/made",
    response=IntroductionOut,
    summary="Mark a pending introduction made: it becomes a contribution of the introducer",
)
def introduction_made(request: HttpRequest, contribution_id: int) -> dict[str, Any]:
    member = acting_member(request)
    try:
        c = introduction_mark_made(member=member, contribution_id=contribution_id)
    except PermissionDenied as err:
        raise HttpError(404, "No such introduction.") from err
    except ValidationError as err:
        raise HttpError(400, " ".join(err.messages)) from err
    return _introduction(c)
