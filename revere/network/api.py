"""The network over the REST API (one ninja Router): the graph explorer, the middleman finder, and
recording: my tie to a person (GET/PUT/PATCH/DELETE), interactions (POST), stated links (POST/DELETE).

Each write validates, calls one service and serializes: an id the member may not see (another
organization's) is a 404 with nothing written, a bad value a 422 naming the field, undoing someone
else's statement a 403.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.errors import HttpError

from revere.contacts.models import Person
from revere.network.explorer import explorer_card, explorer_graph
from revere.network.finder import (
    DEFAULT_K,
    MAX_INTERMEDIARIES,
    MAX_K,
    Route,
    paths_to_person,
    resolve_person,
)
from revere.network.models import Link, Tie
from revere.network.schemas import (
    GraphOut,
    InteractionIn,
    InteractionOut,
    LinkIn,
    LinkOut,
    MyTieIn,
    MyTieOut,
    RouteOut,
)
from revere.network.selectors import my_tie_get
from revere.network.services import (
    interaction_log,
    link_state,
    link_unstate,
    strength_band,
    tie_remove,
    tie_save,
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


# -- recording -------------------------------------------------------------------------------


def _refused(exc: Exception) -> HttpError:
    """A service's refusal as the API's answer: 404 unknown id, 422 bad value, 403 not yours."""
    if isinstance(exc, Person.DoesNotExist):
        return HttpError(404, "No such person in your organization.")
    if isinstance(exc, Tie.DoesNotExist):
        return HttpError(404, "You have no tie to this person.")
    if isinstance(exc, Link.DoesNotExist):
        return HttpError(404, "These two are not linked.")
    if isinstance(exc, PermissionDenied):
        return HttpError(403, str(exc))
    assert isinstance(exc, ValidationError)
    if hasattr(exc, "error_dict"):
        return HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
    return HttpError(422, " ".join(exc.messages))


REFUSALS = (Person.DoesNotExist, Tie.DoesNotExist, Link.DoesNotExist, PermissionDenied, ValidationError)


def my_tie_out(tie: Tie) -> dict[str, Any]:
    return {
        "tie_id": tie.pk,
        "person_id": tie.person_id,
        "person_name": tie.person.full_name,
        "is_active": tie.is_active,
        "strength": tie.strength,
        "strength_override": tie.strength_override,
        "effective_strength": tie.effective_strength,
        "band": strength_band(tie.effective_strength),
        "network_class": tie.effective_class,
        "network_class_computed": tie.network_class,
        "network_class_override": tie.network_class_override,
        "visibility": tie.visibility,
        "cadence_days": tie.cadence_days,
        "since": tie.since,
        "last_interaction": tie.last_interaction,
        "notes": tie.notes,
    }


@router.get("/persons/{person_id}/tie", response=MyTieOut, tags=["record"], summary="My tie to a person")
def my_tie(request: HttpRequest, person_id: int) -> dict[str, Any]:
    tie = my_tie_get(member=acting_member(request), person_id=person_id)
    if tie is None:
        raise HttpError(404, "You have no tie to this person.")
    return my_tie_out(tie)


@router.put(
    "/persons/{person_id}/tie",
    response={200: MyTieOut, 201: MyTieOut},
    tags=["record"],
    summary="Add or replace my tie to a person (every field; 201 when new)",
)
def my_tie_put(request: HttpRequest, person_id: int, payload: MyTieIn) -> Status:
    try:
        tie, created = tie_save(member=acting_member(request), person_id=person_id, changes=payload.dict())
    except REFUSALS as exc:
        raise _refused(exc) from exc
    return Status(201 if created else 200, my_tie_out(tie))


@router.patch(
    "/persons/{person_id}/tie", response=MyTieOut, tags=["record"], summary="Change some fields of my tie"
)
def my_tie_patch(request: HttpRequest, person_id: int, payload: MyTieIn) -> dict[str, Any]:
    changes = payload.dict(exclude_unset=True)
    try:
        tie, _ = tie_save(
            member=acting_member(request), person_id=person_id, changes=changes, must_exist=True
        )
    except REFUSALS as exc:
        raise _refused(exc) from exc
    return my_tie_out(tie)


@router.delete(
    "/persons/{person_id}/tie",
    response={204: None},
    tags=["record"],
    summary="Remove my tie to a person (it leaves my network; its history stays)",
)
def my_tie_delete(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        tie_remove(member=acting_member(request), person_id=person_id)
    except REFUSALS as exc:
        raise _refused(exc) from exc
    return HttpResponse(status=204)


@router.post(
    "/interactions",
    response={201: InteractionOut},
    tags=["record"],
    summary="Log a meeting, call, e-mail, message or event: my ties' strength and the participants' links follow",
)
def interactions_log(request: HttpRequest, payload: InteractionIn) -> Status:
    try:
        logged = interaction_log(
            member=acting_member(request),
            kind=payload.kind,
            person_ids=payload.participants,
            occurred_at=payload.occurred_at,
            subject=payload.subject,
        )
    except REFUSALS as exc:
        raise _refused(exc) from exc
    i = logged.interaction
    return Status(
        201,
        {
            "id": i.pk,
            "kind": i.kind,
            "occurred_at": i.occurred_at,
            "subject": i.subject,
            "participants": [{"person_id": p.pk, "name": p.full_name} for p in logged.persons],
            "ties": [my_tie_out(t) for t in logged.ties],
            "links_added": logged.links_added,
            "links_strengthened": logged.links_strengthened,
        },
    )


def _link_out(link: Link, created: bool) -> dict[str, Any]:
    return {
        "a": link.a_id,
        "b": link.b_id,
        "weight": link.weight,
        "source": link.source,
        "source_label": link.get_source_display(),
        "stated_by_id": link.stated_by_id,
        "created": created,
    }


@router.post(
    "/links",
    response={200: LinkOut, 201: LinkOut},
    tags=["record"],
    summary="State that two persons know each other (201 when new; a link on record is returned as it is)",
)
def links_state(request: HttpRequest, payload: LinkIn) -> Status:
    try:
        link, created = link_state(
            member=acting_member(request), a_id=payload.a, b_id=payload.b, weight=payload.weight
        )
    except REFUSALS as exc:
        raise _refused(exc) from exc
    return Status(201 if created else 200, _link_out(link, created))


@router.delete(
    "/links/{a_id}/{b_id}",
    response={204: None},
    tags=["record"],
    summary="Take back a link I stated (links on record stay)",
)
def links_unstate(request: HttpRequest, a_id: int, b_id: int) -> HttpResponse:
    try:
        link_unstate(member=acting_member(request), a_id=a_id, b_id=b_id)
    except REFUSALS as exc:
        raise _refused(exc) from exc
    return HttpResponse(status=204)
