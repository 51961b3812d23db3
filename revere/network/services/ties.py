"""The tie editor: a member adds, edits or removes their own tie to a person, as they state it.

What a member may state about their tie (DESIGN.md §2, "Record"): its strength (an override of the
computed value, in (0, 1]), its network class (an override of the computed class), who on the team
sees it (team or private), the keep-in-touch cadence (days; 0 turns reminders off), since when they
know the person, and private notes ("how I know them"). Removing a tie deactivates it: it leaves the
member's network and the graph at once, and its history (interactions, notes) stays, so adding it
again brings it back as it was.

Every person id comes from a user: it is looked up through ``Person.objects.visible_to(member)``
first, so another organization's id raises ``Person.DoesNotExist`` (a 404) and nothing is written.
A member only ever writes their *own* tie: the tie is found by (member, person), never by an id a
client sends. Each write names the tie in the graph's change log
(:func:`revere.tenancy.services.organization_graph_changed`), so the next page sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from revere.contacts.editing import person_create
from revere.contacts.models import Person
from revere.network.models import NetworkClass, Tie, Visibility
from revere.network.services.strength import ties_classify
from revere.tenancy.ids import valid_id
from revere.tenancy.models import Member
from revere.tenancy.services import organization_graph_changed

#: What a member may state about their own tie.
TIE_FIELDS = ("strength_override", "network_class_override", "visibility", "cadence_days", "since", "notes")

#: "How well do you know them?" as a stated strength: each value sits inside its band
#: (revere/analytics/strength.py: strong >= 0.6, medium >= 0.3, weak >= 0.08), docs/strength.md.
STATED_STRENGTHS: dict[str, tuple[float, str]] = {
    "close": (0.7, "Close: we talk often and trust each other"),
    "working": (0.45, "A working relationship"),
    "acquainted": (0.15, "We have met; an acquaintance"),
}

MAX_NOTES = 5_000
MAX_CADENCE_DAYS = 730


def person_visible(*, member: Member, person_id: Any) -> Person:
    """The person if ``member`` may see them, else ``Person.DoesNotExist`` (a forged id: a 404)."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise Person.DoesNotExist("No such person in your organization.") from None
    if not valid_id(pk):
        raise Person.DoesNotExist("No such person in your organization.")
    person = Person.objects.visible_to(member).filter(pk=pk).first()
    if person is None:
        raise Person.DoesNotExist("No such person in your organization.")
    return person


def tie_changes_clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The stated values checked and normalized; a ``ValidationError`` naming each bad field."""
    unknown = set(changes) - set(TIE_FIELDS)
    if unknown:
        raise ValidationError({name: "Not something you can set on a tie." for name in sorted(unknown)})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "strength_override":
            if value is None or value == "":
                out[name] = None
            elif isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value <= 1.0:
                errors[name] = (
                    "A strength is greater than 0 and at most 1 (or empty: computed from interactions)."
                )
            else:
                out[name] = float(value)
        elif name == "network_class_override":
            value = value or ""
            if value and value not in NetworkClass.values:
                errors[name] = f"Choose one of {', '.join(NetworkClass.values)} (or empty: automatic)."
            out[name] = value
        elif name == "visibility":
            if value not in Visibility.values:
                errors[name] = "Choose team (your team sees the strength band) or private."
            out[name] = value
        elif name == "cadence_days":
            if value is None or value == "":
                out[name] = None
            elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CADENCE_DAYS:
                errors[name] = (
                    f"A cadence is 0 (no reminders) to {MAX_CADENCE_DAYS} days, or empty for the default."
                )
            else:
                out[name] = int(value)
        elif name == "since":
            if value is not None and not isinstance(value, date):
                errors[name] = "A date."
            elif value is not None and value > timezone.localdate():
                errors[name] = "A tie cannot start in the future."
            out[name] = value
        elif name == "notes":
            text = (value or "").strip()
            if len(text) > MAX_NOTES:
                errors[name] = f"Notes are at most {MAX_NOTES:,} characters."
            out[name] = text
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def tie_save(
    *, member: Member, person_id: int, changes: Mapping[str, Any], must_exist: bool = False
) -> tuple[Tie, bool]:
    """Add or edit the member's own tie to a person; returns ``(tie, created)``.

    ``changes`` holds the fields to set (:data:`TIE_FIELDS`); the others keep their value (a new
    tie: the defaults, known since today). A removed tie is active again. ``must_exist``: an edit
    (PATCH) of a tie the member does not have raises ``Tie.DoesNotExist``. A new tie, or a changed
    class override, gets its computed class at once.
    """
    person = person_visible(member=member, person_id=person_id)
    if person.pk == member.person_id:
        raise ValidationError({"person": "That is you: a tie is to someone else."})
    values = tie_changes_clean(changes)
    tie = (
        Tie.unrestricted.select_for_update()
        .filter(organization_id=member.organization_id, member_id=member.pk, person_id=person.pk)
        .first()
    )
    created = tie is None
    if tie is None:
        if must_exist:
            raise Tie.DoesNotExist("You have no tie to this person.")
        tie = Tie(
            organization_id=member.organization_id,
            member=member,
            ego_id=member.person_id,
            person=person,
            since=timezone.localdate(),
        )
    elif must_exist and not tie.is_active:
        raise Tie.DoesNotExist("You have no tie to this person.")
    tie.is_active = True
    for name, value in values.items():
        setattr(tie, name, value)
    tie.save()
    if created:
        ties_classify(organization=member.organization, tie_ids=[tie.pk])
    organization_graph_changed(organization_id=member.organization_id, ties=[tie.pk])
    tie.refresh_from_db()
    return tie, created


@transaction.atomic
def tie_remove(*, member: Member, person_id: int) -> Tie:
    """Remove the member's tie to a person (deactivate it); ``Tie.DoesNotExist`` if there is none."""
    person = person_visible(member=member, person_id=person_id)
    tie = (
        Tie.unrestricted.select_for_update()
        .filter(
            organization_id=member.organization_id, member_id=member.pk, person_id=person.pk, is_active=True
        )
        .first()
    )
    if tie is None:
        raise Tie.DoesNotExist("You have no tie to this person.")
    tie.is_active = False
    tie.save(update_fields=["is_active"])
    organization_graph_changed(organization_id=member.organization_id, ties=[tie.pk])
    return tie


@transaction.atomic
def contact_add(
    *,
    member: Member,
    data: dict[str, Any],
    emails: list[str] | None = None,
    phones: list[str] | None = None,
    tie: Mapping[str, Any] | None = None,
) -> tuple[Person, Tie | None]:
    """A new person typed in by the member, and (with ``tie``) the member's tie to them, in one
    transaction: a bad tie value leaves no person behind. The person then is in the member's network
    (home figures, graph, advice) from the next page on.
    """
    person = person_create(organization_id=member.organization_id, data=data, emails=emails, phones=phones)
    if tie is None:
        return person, None
    saved, _ = tie_save(member=member, person_id=person.pk, changes=tie)
    return person, saved
