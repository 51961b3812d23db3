"""Deals over the REST API: the board, one deal with its playbook, and every write of the deal page.

Each write validates, calls one service of revere.deals (references: revere.levers) and answers:
an id the member may not see is a 404 with nothing written, a bad value a 422, a deal the member
may see but not change a 403, a stage move refused a 409 whose body says why and whether a reason
would let it through.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from revere.contacts.models import Company, Person
from revere.deals import services
from revere.deals.models import BuyingRoleKind, Deal, Reference, ReferenceUse, Stage, Stance
from revere.deals.playbook import member_leads
from revere.deals.selectors import deal_get, deals_board
from revere.levers.services.references import reference_decline, reference_mark_used, reference_request
from revere.tenancy.api import acting_member
from revere.tenancy.models import Member
from revere.web.deals.export import board_dict, deal_full
from revere.web.deals.present import lead_view

router = Router(tags=["deals"])


class DealIn(Schema):
    name: str = Field(..., max_length=255)
    company_id: int
    owner_id: int | None = None
    amount: Decimal | None = Field(None, ge=0, le=Decimal("999999999999.99"))
    currency: str = Field("USD", min_length=3, max_length=3)
    expected_close: date | None = None
    needed_expertise: list[str] = Field(default_factory=list, max_length=50)


class DealPatch(Schema):
    name: str | None = Field(None, max_length=255)
    company_id: int | None = None
    owner_id: int | None = None
    amount: Decimal | None = Field(None, ge=0, le=Decimal("999999999999.99"))
    currency: str | None = Field(None, min_length=3, max_length=3)
    expected_close: date | None = None
    needed_expertise: list[str] | None = Field(None, max_length=50)


class MoveIn(Schema):
    to_stage: Stage
    reason: str = Field("", max_length=2000)


class TeammateIn(Schema):
    member_id: int


class RoleIn(Schema):
    person_id: int
    role: BuyingRoleKind
    stance: Stance = Stance.NEUTRAL


class ReferenceIn(Schema):
    person_id: int


class ReferenceStatusIn(Schema):
    status: str = Field(..., pattern="^(used|declined)$")


def _deal(member: Member, deal_id: int) -> Deal:
    try:
        return deal_get(member=member, deal_id=deal_id)
    except Http404 as exc:
        raise HttpError(404, "No such deal.") from exc


def _refused(exc: Exception) -> HttpError:
    if isinstance(exc, PermissionDenied):
        return HttpError(403, str(exc))
    assert isinstance(exc, ValidationError)
    return HttpError(422, " ".join(exc.messages))


def _company(member: Member, company_id: int) -> Company:
    company = Company.objects.visible_to(member).filter(pk=company_id).first()
    if company is None:
        raise HttpError(404, "No such company.")
    return company


def _colleague(member: Member, member_id: int) -> Member:
    other = Member.objects.visible_to(member).filter(pk=member_id).select_related("person").first()
    if other is None:
        raise HttpError(404, "No such colleague.")
    return other


@router.get("/deals", summary="The board: the member's deals per stage, with totals and warnings")
def board(request: HttpRequest, stage: Stage | None = None) -> dict[str, Any]:
    data = board_dict(deals_board(member=acting_member(request)))
    if stage is not None:
        data["columns"] = [c for c in data["columns"] if c["stage"] == stage]
    return data


@router.get("/deals/leads", summary="Stage 1: companies the market network reaches, not in the pipeline")
def leads(
    request: HttpRequest,
    limit: int = Query(20, ge=1, le=100),  # type: ignore[type-arg]
) -> list[dict[str, Any]]:
    out = []
    for item in (lead_view(r) for r in member_leads(member=acting_member(request), limit=limit)):
        row = item["row"]
        out.append(
            {
                "company": {"id": row.company_id, "name": row.company, "industry": row.industry},
                "effective_bridges": row.lead.effective_bridges,
                "strength": row.lead.strength,
                "circles": row.lead.circles,
                "people": row.lead.people,
                "reason": row.reason,
                "bridges": item["bridges"],
            }
        )
    return out


@router.post("/deals", response={201: dict[str, Any]}, summary="Create a deal (stage 1)")
def create(request: HttpRequest, data: DealIn) -> Status:
    member = acting_member(request)
    company = _company(member, data.company_id)
    owner = _colleague(member, data.owner_id) if data.owner_id is not None else None
    try:
        deal = services.deal_create(
            member=member,
            name=data.name,
            company=company,
            owner=owner,
            amount=data.amount,
            currency=data.currency,
            expected_close=data.expected_close,
            needed_expertise=data.needed_expertise,
            source="api",
        )
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc
    return Status(201, deal_full(member=member, deal_id=deal.pk))


@router.get("/deals/{deal_id}", summary="One deal with its stage history and the playbook of its stage")
def detail(request: HttpRequest, deal_id: int, stage: Stage | None = None) -> dict[str, Any]:
    member = acting_member(request)
    _deal(member, deal_id)
    return deal_full(member=member, deal_id=deal_id, stage=stage)


@router.patch("/deals/{deal_id}", summary="Change a deal's fields (not its stage)")
def update(request: HttpRequest, deal_id: int, data: DealPatch) -> dict[str, Any]:
    member = acting_member(request)
    deal = _deal(member, deal_id)
    fields: dict[str, Any] = {
        k: v for k, v in data.dict(exclude_unset=True).items() if k not in ("company_id", "owner_id")
    }
    if data.company_id is not None:
        fields["company"] = _company(member, data.company_id)
    if data.owner_id is not None:
        fields["owner"] = _colleague(member, data.owner_id)
    try:
        services.deal_update(member=member, deal=deal, **fields)
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc
    return deal_full(member=member, deal_id=deal.pk)


@router.post(
    "/deals/{deal_id}/move",
    response={200: dict[str, Any], 409: dict[str, Any]},
    summary="Move a deal to another stage (refused moves answer 409 with why)",
)
def move(request: HttpRequest, deal_id: int, data: MoveIn) -> Status:
    member = acting_member(request)
    deal = _deal(member, deal_id)
    try:
        result = services.deal_move_stage(
            member=member, deal=deal, to_stage=data.to_stage, reason=data.reason, source="api"
        )
    except services.DealMoveRefused as exc:
        return Status(
            409, {"detail": exc.text, "needs_reason": exc.needs_reason, "failed_checks": exc.failed}
        )
    except PermissionDenied as exc:
        raise _refused(exc) from exc
    return Status(200, {"stage": deal.stage, "flagged": result.flagged, "failed_checks": result.failed})


@router.post("/deals/{deal_id}/team", summary="Put a colleague on the deal team")
def team_add(request: HttpRequest, deal_id: int, data: TeammateIn) -> dict[str, Any]:
    member = acting_member(request)
    deal = _deal(member, deal_id)
    try:
        added = services.deal_team_add(member=member, deal=deal, teammate=_colleague(member, data.member_id))
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc
    return {"added": added}


@router.delete("/deals/{deal_id}/team/{member_id}", summary="Take a colleague off the deal team")
def team_remove(request: HttpRequest, deal_id: int, member_id: int) -> dict[str, Any]:
    member = acting_member(request)
    deal = _deal(member, deal_id)
    try:
        removed = services.deal_team_remove(member=member, deal=deal, teammate=_colleague(member, member_id))
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc
    return {"removed": removed}


def _person(member: Member, person_id: int) -> Person:
    person = Person.objects.visible_to(member).filter(pk=person_id).first()
    if person is None:
        raise HttpError(404, "No such person.")
    return person


@router.put("/deals/{deal_id}/roles", summary="Give a person a buying role with a stance")
def role_set(request: HttpRequest, deal_id: int, data: RoleIn) -> dict[str, Any]:
    member = acting_member(request)
    deal = _deal(member, deal_id)
    try:
        row = services.buying_role_set(
            member=member,
            deal=deal,
            person=_person(member, data.person_id),
            role=data.role,
            stance=data.stance,
        )
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc
    return {"person_id": row.person_id, "role": row.role, "stance": row.stance}


@router.delete(
    "/deals/{deal_id}/roles/{person_id}", summary="Remove a person's buying role (all when none named)"
)
def role_remove(
    request: HttpRequest, deal_id: int, person_id: int, role: BuyingRoleKind | None = None
) -> dict[str, Any]:
    member = acting_member(request)
    deal = _deal(member, deal_id)
    try:
        removed = services.buying_role_remove(
            member=member, deal=deal, person=_person(member, person_id), role=role
        )
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc
    return {"removed": removed}


@router.post(
    "/deals/{deal_id}/references", response={201: dict[str, Any]}, summary="Request a reference for the deal"
)
def reference_new(request: HttpRequest, deal_id: int, data: ReferenceIn) -> Status:
    member = acting_member(request)
    deal = _deal(member, deal_id)
    ref = Reference.objects.visible_to(member).filter(person_id=data.person_id).first()
    if ref is None:
        raise HttpError(404, "No such reference.")
    try:
        use = reference_request(member=member, deal=deal, reference=ref)
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc
    return Status(201, {"id": use.pk, "status": use.status, "reference_person_id": ref.person_id})


@router.post("/deals/{deal_id}/references/{use_id}", summary="Mark a requested reference used or declined")
def reference_status(
    request: HttpRequest, deal_id: int, use_id: int, data: ReferenceStatusIn
) -> dict[str, Any]:
    member = acting_member(request)
    deal = _deal(member, deal_id)
    use = ReferenceUse.objects.visible_to(member).filter(pk=use_id, deal_id=deal.pk).first()
    if use is None:
        raise HttpError(404, "No such reference request.")
    try:
        use = (reference_mark_used if data.status == "used" else reference_decline)(member=member, use=use)
    except (ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc
    return {"id": use.pk, "status": use.status}
