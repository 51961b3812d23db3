"""The playbook API: my networks with readings, scorecard and advice; keep-in-touch; targets.

Each endpoint validates, calls one selector or service and serializes. Another member's tie is a 404;
targets are written by admins, and a team's by its managers (else 403).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from revere.network.models import NetworkClass, Tie
from revere.playbook.home import member_home_figures
from revere.playbook.schemas import (
    AdviceOut,
    CadenceIn,
    MeOut,
    NetworkReportOut,
    QueueOut,
    SnoozeIn,
    TargetIn,
    TargetOut,
    TieOut,
    TouchIn,
)
from revere.playbook.selectors import (
    keep_in_touch_queue,
    member_advice,
    member_network_report,
    targets_effective,
)
from revere.playbook.services import target_reset, target_set, tie_set_cadence, tie_snooze, tie_touch_done
from revere.playbook.targets import TargetValues
from revere.tenancy.api import acting_member
from revere.tenancy.models import Team

router = Router(tags=["playbook"])


def _tie_out(tie: Tie) -> dict[str, Any]:
    return {
        "tie_id": tie.pk,
        "person_id": tie.person_id,
        "cadence_days": tie.cadence_days,
        "snoozed_until": tie.snoozed_until,
        "last_interaction": tie.last_interaction.isoformat() if tie.last_interaction else None,
    }


def _errors(exc: ValidationError) -> HttpError:
    return HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))


@router.get(
    "/network", response=NetworkReportOut, summary="My four networks: metrics, readings, scorecard, advice"
)
def network(request: HttpRequest, limit: int = 25) -> dict[str, Any]:
    return member_network_report(member=acting_member(request), limit=max(1, min(limit, 200)))


@router.get("/advice", response=AdviceOut, summary="Ties to let go and to invest in, with reasons (paged)")
def advice(request: HttpRequest, limit: int = 25, let_go_offset: int = 0, invest_offset: int = 0) -> Any:
    return member_advice(
        member=acting_member(request),
        limit=max(1, min(limit, 200)),
        let_go_offset=max(0, let_go_offset),
        invest_offset=max(0, invest_offset),
    )


@router.get("/keep-in-touch", response=QueueOut, summary="Ties due for contact by their cadence (paged)")
def keep_in_touch(request: HttpRequest, limit: int = 50, offset: int = 0) -> Any:
    return keep_in_touch_queue(
        member=acting_member(request), limit=max(0, min(limit, 500)), offset=max(0, offset)
    )


@router.post(
    "/keep-in-touch/{tie_id}/done", response=TieOut, summary="I got in touch (records the interaction)"
)
def keep_in_touch_done(request: HttpRequest, tie_id: int, body: TouchIn) -> dict[str, Any]:
    try:
        tie = tie_touch_done(member=acting_member(request), tie_id=tie_id, kind=body.kind)
    except Tie.DoesNotExist as exc:
        raise HttpError(404, "No such tie of yours.") from exc
    except ValidationError as exc:
        raise _errors(exc) from exc
    return _tie_out(tie)


@router.post("/keep-in-touch/{tie_id}/snooze", response=TieOut, summary="Put off a reminder")
def keep_in_touch_snooze(request: HttpRequest, tie_id: int, body: SnoozeIn) -> dict[str, Any]:
    try:
        tie = tie_snooze(member=acting_member(request), tie_id=tie_id, days=body.days)
    except Tie.DoesNotExist as exc:
        raise HttpError(404, "No such tie of yours.") from exc
    return _tie_out(tie)


@router.put("/keep-in-touch/{tie_id}/cadence", response=TieOut, summary="Set my cadence for a tie")
def keep_in_touch_cadence(request: HttpRequest, tie_id: int, body: CadenceIn) -> dict[str, Any]:
    try:
        tie = tie_set_cadence(member=acting_member(request), tie_id=tie_id, cadence_days=body.cadence_days)
    except Tie.DoesNotExist as exc:
        raise HttpError(404, "No such tie of yours.") from exc
    return _tie_out(tie)


def _team(member: Any, team_id: int | None) -> Team | None:
    """The team a targets call names (None: the organization's, or for a read the member's own)."""
    if team_id is None:
        return None
    team = Team.objects.visible_to(member).filter(pk=team_id).first()
    if team is None:
        raise HttpError(404, "No team of yours has that id.")
    return team


def _targets_out(member: Any, team: Team | None = None) -> list[dict[str, Any]]:
    return [
        {"network_class": cls, **t.as_dict()}
        for cls, t in targets_effective(member=member, team=team).items()
    ]


@router.get(
    "/targets", response=list[TargetOut], summary="The targets that apply to me (or to a team in view)"
)
def targets(request: HttpRequest, team_id: int | None = None) -> list[dict[str, Any]]:
    member = acting_member(request)
    return _targets_out(member, _team(member, team_id))


@router.put(
    "/targets/{network_class}",
    response=list[TargetOut],
    summary="Set the organization's targets (admins) or a team's (admins, the team's managers)",
)
def targets_set(
    request: HttpRequest, network_class: NetworkClass, body: TargetIn, team_id: int | None = None
) -> list[dict[str, Any]]:
    member = acting_member(request)
    team = _team(member, team_id)
    try:
        target_set(
            member=member, network_class=network_class.value, values=TargetValues(**body.dict()), team=team
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except ValidationError as exc:
        raise _errors(exc) from exc
    return _targets_out(member, team)


@router.delete(
    "/targets/{network_class}",
    response=list[TargetOut],
    summary="Back to the defaults, or a team's to the organization's (as setting them)",
)
def targets_reset(
    request: HttpRequest, network_class: NetworkClass, team_id: int | None = None
) -> list[dict[str, Any]]:
    member = acting_member(request)
    team = _team(member, team_id)
    try:
        target_reset(member=member, network_class=network_class.value, team=team)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    return _targets_out(member, team)


@router.get("/me", response=MeOut, tags=["me"], summary="The signed-in member and their figures")
def me(request: HttpRequest) -> dict:
    member = acting_member(request)
    figures = member_home_figures(member=member)
    return {
        "id": member.pk,
        "name": member.person.full_name,
        "email": member.user.email,
        "role": member.role,
        "organization": member.organization.name,
        "team": member.team.name if member.team else None,
        "ties_per_class": figures.ties_per_class,
        "open_deals_per_stage": figures.open_deals_per_stage,
    }
