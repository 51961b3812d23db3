"""The middleman finder's composed endpoints: routes into a company by buying role, and introductions."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from revere.deals.buying_roles import company_routes_by_role
from revere.levers.models import Contribution
from revere.levers.selectors.introductions import introductions_open
from revere.levers.services import introduction_mark_made, introduction_request
from revere.network.api import route_dict
from revere.network.finder import MAX_INTERMEDIARIES
from revere.tenancy.api import acting_member
from revere.tenancy.models import Member
from revere.web.finder.schemas import CompanyRoutesOut, IntroductionIn, IntroductionOut, IntroductionsOut

router = Router(tags=["network"])


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
        cr = company_routes_by_role(
            member=member, company_id=company_id, max_intermediaries=max_intermediaries, from_team=from_team
        )
    except ObjectDoesNotExist as err:
        raise HttpError(404, "No such company in your organization.") from err
    return {
        "company_id": cr.company.pk,
        "company": cr.company.name,
        "people": cr.people,
        "by_buying_role": cr.by_buying_role,
        "targets": [{**dataclasses.asdict(t), "route": route_dict(t.route)} for t in cr.targets],
        "brokers": [{**dataclasses.asdict(b), "route": route_dict(b.route)} for b in cr.brokers],
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
    introducer = Member.objects.visible_to(member).filter(pk=payload.introducer_id).first()
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
