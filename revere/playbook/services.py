"""Writes of the playbook: targets (admins; managers for the teams they manage), and the keep-in-touch queue's done, snooze and cadence."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from revere.network.models import InteractionKind, NetworkClass, Tie
from revere.network.services import interaction_log
from revere.playbook.cadence import DEFAULT_SNOOZE_DAYS
from revere.playbook.models import Target
from revere.playbook.targets import MEASURES, TargetValues, targets_refusal
from revere.tenancy.models import Member, Team

#: What "done" may record: the kinds of contact a seller makes to keep in touch.
TOUCH_KINDS = (InteractionKind.CALL, InteractionKind.MEETING, InteractionKind.EMAIL, InteractionKind.MESSAGE)


def _own_tie(*, member: Member, tie_id: int) -> Tie:
    """The member's own tie, or ``Tie.DoesNotExist``: nobody keeps in touch on someone else's behalf."""
    return Tie.unrestricted.select_related("person").get(
        pk=tie_id, member=member, organization_id=member.organization_id
    )


@transaction.atomic
def tie_touch_done(
    *, member: Member, tie_id: int, kind: str = InteractionKind.CALL, when: datetime | None = None
) -> Tie:
    """The member got in touch: record the interaction, end any snooze, refresh the tie's strength.

    The contact is a real interaction (member and person as participants), logged through the
    interaction log (:func:`revere.network.services.interaction_log`) so that the strength formula
    counts it like any imported one.
    """
    if kind not in TOUCH_KINDS:
        raise ValidationError({"kind": f"Choose one of {', '.join(TOUCH_KINDS)}."})
    tie = _own_tie(member=member, tie_id=tie_id)
    interaction_log(
        member=member, kind=kind, person_ids=[tie.person_id], occurred_at=when, subject="Kept in touch"
    )
    tie.refresh_from_db()
    return tie


def tie_snooze(
    *, member: Member, tie_id: int, days: int = DEFAULT_SNOOZE_DAYS, today: date | None = None
) -> Tie:
    """Put off the reminder for ``days`` (1 to 365) without recording any contact."""
    if not 1 <= int(days) <= 365:
        raise ValidationError({"days": "Snooze for 1 to 365 days."})
    tie = _own_tie(member=member, tie_id=tie_id)
    tie.snoozed_until = (today or timezone.localdate()) + timedelta(days=int(days))
    tie.save(update_fields=["snoozed_until"])
    return tie


def tie_set_cadence(*, member: Member, tie_id: int, cadence_days: int | None) -> Tie:
    """Set the member's own cadence for a tie (days; 0 turns reminders off; ``None`` back to the default)."""
    if cadence_days is not None and not 0 <= int(cadence_days) <= 730:
        raise ValidationError({"cadence_days": "A cadence is 0 (no reminders) to 730 days."})
    tie = _own_tie(member=member, tie_id=tie_id)
    tie.cadence_days = None if cadence_days is None else int(cadence_days)
    tie.save(update_fields=["cadence_days"])
    return tie


def _check_may_set(member: Member, team: Team | None) -> None:
    refusal = targets_refusal(member, team)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _validate(values: TargetValues) -> None:
    errors: dict[str, str] = {}
    if values.min_size < 0:
        errors["min_size"] = "A size is 0 or more."
    for name in ("min_density", "max_density", "max_constraint", "min_strength", "min_diversity"):
        value = getattr(values, name)
        if value is not None and not 0.0 <= value <= 1.0:
            errors[name] = "A value between 0 and 1."
    if (
        values.min_density is not None
        and values.max_density is not None
        and values.min_density > values.max_density
    ):
        errors["max_density"] = "The maximum density is below the minimum."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_set(
    *, member: Member, network_class: str, values: TargetValues, team: Team | None = None
) -> Target:
    """Set the organization's (or one team's) targets for one network: an admin any, a manager their teams'."""
    _check_may_set(member, team)
    if network_class not in NetworkClass.values:
        raise ValidationError({"network_class": f"Unknown network class {network_class!r}."})
    _validate(values)
    fields = {name: getattr(values, name) for name in MEASURES}
    target, _ = Target.unrestricted.update_or_create(
        organization_id=member.organization_id, team=team, network_class=network_class, defaults=fields
    )
    return target


def target_reset(*, member: Member, network_class: str, team: Team | None = None) -> int:
    """Drop the organization's (or team's) own targets for a network: the defaults (or the
    organization's, for a team) apply again. Returns the number of rows removed."""
    _check_may_set(member, team)
    deleted, _ = Target.unrestricted.filter(
        organization_id=member.organization_id, team=team, network_class=network_class
    ).delete()
    return deleted
