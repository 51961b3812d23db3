"""The team API: the team view with each seller's scorecard, and proposing a coaching plan.

Both compose the levers and the playbook (the scorecard), so they are here; the rest of the levers'
API (ledger, coaching plans) is :mod:`revere.levers.api`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from revere.levers.api import plan_out
from revere.levers.schemas import PlanOut
from revere.levers.selectors.coaching import coaching_plan
from revere.levers.selectors.team import teams_for
from revere.levers.services.coaching import coaching_plan_propose
from revere.tenancy.api import acting_member
from revere.tenancy.models import Member
from revere.web.team.selectors import coaching_gaps, team_page

router = Router(tags=["team"])


class SellerOut(Schema):
    member_id: int
    name: str
    team: str
    networks: dict[str, dict[str, Any]] = Field(description="the four networks' figures, by network class")
    scorecard: dict[str, dict[str, Any]] = Field(description="each network against the team's targets")
    fading_market: int = Field(description="market ties not strong and not in touch for 120 days")


class ReachOut(Schema):
    network: str
    contacts_union: int
    contacts_sum: int
    reach_union: int
    reach_sum: int
    redundancy: float | None


class TeamOut(Schema):
    teams: list[tuple[int, str]]
    team_id: int | None
    sellers: list[SellerOut]
    reach: list[ReachOut]
    pairs: list[dict[str, Any]] = Field(description="per network, two sellers' shared contacts and shares")
    shared_accounts: list[dict[str, Any]]
    communities: list[dict[str, Any]] = Field(
        description="circles of the combined network; silo: bridged by nobody"
    )
    silos: list[int]
    brokers: list[dict[str, Any]]
    uncovered: list[dict[str, Any]] = Field(description="pipeline accounts nobody on the team is tied into")
    lead_generation: list[dict[str, Any]]


class ProposeIn(Schema):
    member_id: int


@router.get(
    "/team", response=TeamOut, summary="The team view: sellers' networks, reach, overlaps, silos, brokers"
)
def team(request: HttpRequest, team_id: int | None = None) -> dict[str, Any]:
    member = acting_member(request)
    chosen = None
    if team_id is not None:
        chosen = next((t for t in teams_for(member=member) if t.pk == team_id), None)
        if chosen is None:
            raise HttpError(404, "No such team of yours.")
    try:
        return team_page(member=member, team=chosen).as_dict()
    except LookupError as exc:
        raise HttpError(403, str(exc)) from exc


@router.post(
    "/coaching/propose", response=PlanOut, summary="Propose a coaching plan for a seller (their manager)"
)
def propose(request: HttpRequest, body: ProposeIn) -> dict[str, Any]:
    member = acting_member(request)
    subject = Member.objects.visible_to(member).filter(pk=body.member_id).select_related("person").first()
    if subject is None:
        raise HttpError(404, "No such member.")
    try:
        found = coaching_gaps(member=member, subject=subject)
        plan = coaching_plan_propose(member=member, subject=subject, gaps=found.gaps, actions=found.actions)
    except LookupError as exc:
        raise HttpError(404, str(exc)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return plan_out(coaching_plan(member=member, plan_id=plan.pk))
