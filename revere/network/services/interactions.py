"""The interaction log: a member records a meeting, call, e-mail, message or event by hand.

A logged interaction is the member's own (``Interaction.member``), with the member and the chosen
persons as participants, so the strength formula counts it exactly like an imported one
(docs/strength.md). At once, in one transaction:

* the member's ties to the participants are recomputed (:func:`tie_strengths_recompute`); a
  participant the member had no tie to gets one (since that day), a removed tie is active again,
  and a snoozed reminder ends: the member was in touch;
* the participants other than the member are linked to each other, as an import links the people
  on one meeting or message (:mod:`revere.network.links`: "met together" for a meeting, call or
  event, "e-mailed together" for an e-mail or message). A link a member had only stated takes the
  source of the interaction: it is now on record.

Persons are checked through ``Person.objects.visible_to(member)`` before anything is written: one
unknown or forged id refuses the whole log (``Person.DoesNotExist``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from revere.contacts.models import Person
from revere.network.links import MAX_LINK_AUDIENCE, TOGETHER_KINDS, link_increment, link_weight_add
from revere.network.models import (
    Interaction,
    InteractionKind,
    InteractionParticipant,
    Link,
    LinkSource,
    ParticipantRole,
    Tie,
)
from revere.network.services.strength import tie_strengths_recompute, ties_classify
from revere.tenancy.ids import valid_id
from revere.tenancy.models import Member
from revere.tenancy.services import organization_graph_changed

#: Most persons on one logged interaction besides the member (a big event is logged as one).
MAX_PARTICIPANTS = 100
#: How far ahead of now a logged time may be (clock skew, time zones): it must have happened.
FUTURE_SLACK = timedelta(hours=14)
MAX_SUBJECT = 300


@dataclass(frozen=True)
class Logged:
    interaction: Interaction
    persons: list[Person]  # the participants besides the member
    ties: list[Tie]  # the member's ties to them, after the recompute
    links_added: int
    links_strengthened: int


def _persons(member: Member, person_ids: Sequence[int]) -> list[Person]:
    wanted: list[int] = []
    for raw in person_ids:
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            raise Person.DoesNotExist("No such person in your organization.") from None
        if not valid_id(pk):
            raise Person.DoesNotExist("No such person in your organization.")
        if pk != member.person_id and pk not in wanted:
            wanted.append(pk)
    if not wanted:
        raise ValidationError({"participants": "Choose at least one person you were in touch with."})
    if len(wanted) > MAX_PARTICIPANTS:
        raise ValidationError({"participants": f"At most {MAX_PARTICIPANTS} people on one interaction."})
    found = {
        p.pk: p for p in Person.objects.visible_to(member).filter(pk__in=wanted).select_related("company")
    }
    if len(found) != len(wanted):
        raise Person.DoesNotExist("No such person in your organization.")
    return [found[pk] for pk in wanted]


def _link(
    member: Member, persons: list[Person], kind: str, when: datetime
) -> tuple[list[tuple[int, int]], int, int]:
    """Link the participants pairwise; returns the pairs, links created and links strengthened."""
    audience = len(persons) + 1
    if len(persons) < 2 or audience > MAX_LINK_AUDIENCE:
        return [], 0, 0
    inc = link_increment(kind=kind, audience=audience, via_list=False)
    source = LinkSource.MET_TOGETHER if kind in TOGETHER_KINDS else LinkSource.EMAILED_TOGETHER
    ids = sorted(p.pk for p in persons)
    pairs = list(combinations(ids, 2))
    existing = {
        (link.a_id, link.b_id): link
        for link in Link.unrestricted.select_for_update().filter(
            organization_id=member.organization_id, a_id__in=ids, b_id__in=ids
        )
    }
    new: list[Link] = []
    changed = 0
    for a, b in pairs:
        link = existing.get((a, b))
        if link is None:
            new.append(
                Link(
                    organization_id=member.organization_id,
                    a_id=a,
                    b_id=b,
                    weight=max(inc, 0.01),
                    source=source,
                    last_seen=when,
                )
            )
            continue
        link.weight = link_weight_add(link.weight, inc)
        if link.last_seen is None or when > link.last_seen:
            link.last_seen = when
        if link.source == LinkSource.STATED:
            link.source = source
        link.save(update_fields=["weight", "last_seen", "source"])
        changed += 1
    Link.unrestricted.bulk_create(new)
    return pairs, len(new), changed


@transaction.atomic
def interaction_log(
    *,
    member: Member,
    kind: str,
    person_ids: Sequence[int],
    occurred_at: datetime | None = None,
    subject: str = "",
) -> Logged:
    """Record that the member met, called, wrote to or saw these persons (see the module docstring).

    Parameters
    ----------
    member : Member
        Whose interaction it is.
    kind : str
        One of :class:`InteractionKind` (meeting, call, email, message, event).
    person_ids : sequence of int
        The other participants: contacts, colleagues, anyone of the organization the member may see.
        The member's own person is added (and ignored if given).
    occurred_at : datetime, optional
        When; now by default. Not in the future.
    subject : str
        A line of what it was about (at most 300 characters).
    """
    if kind not in InteractionKind.values:
        raise ValidationError({"kind": f"Choose one of {', '.join(InteractionKind.values)}."})
    when = occurred_at or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > timezone.now() + FUTURE_SLACK:
        raise ValidationError(
            {"occurred_at": "An interaction is logged once it has happened: not in the future."}
        )
    if when.year < 1970:
        raise ValidationError({"occurred_at": "A date after 1970."})
    subject = (subject or "").strip()
    if len(subject) > MAX_SUBJECT:
        raise ValidationError({"subject": f"A subject is at most {MAX_SUBJECT} characters."})
    persons = _persons(member, person_ids)
    together = kind in TOGETHER_KINDS
    interaction = Interaction.unrestricted.create(
        organization_id=member.organization_id,
        kind=kind,
        occurred_at=when,
        subject=subject,
        member=member,
        outbound=True,
        audience=len(persons) + 1,
    )
    InteractionParticipant.unrestricted.bulk_create(
        [
            InteractionParticipant(
                organization_id=member.organization_id,
                interaction=interaction,
                person_id=member.person_id,
                role=ParticipantRole.ORGANIZER if together else ParticipantRole.SENDER,
            )
        ]
        + [
            InteractionParticipant(
                organization_id=member.organization_id,
                interaction=interaction,
                person_id=p.pk,
                role=ParticipantRole.ATTENDEE if together else ParticipantRole.RECIPIENT,
            )
            for p in persons
        ]
    )
    pairs, added, strengthened = _link(member, persons, kind, when)
    person_ids_ = [p.pk for p in persons]
    mine = Tie.unrestricted.filter(
        organization_id=member.organization_id, member_id=member.pk, person_id__in=person_ids_
    )
    revived = list(mine.filter(is_active=False).values_list("pk", flat=True))
    mine.filter(is_active=False).update(is_active=True)
    mine.exclude(snoozed_until=None).update(snoozed_until=None)
    before = set(mine.values_list("pk", flat=True))
    tie_strengths_recompute(organization=member.organization, member_ids=[member.pk])
    ties = list(
        Tie.unrestricted.filter(
            organization_id=member.organization_id, member_id=member.pk, person_id__in=person_ids_
        ).select_related("person")
    )
    new_ties = [t.pk for t in ties if t.pk not in before]
    if new_ties:
        ties_classify(organization=member.organization, tie_ids=new_ties)
        ties = list(Tie.unrestricted.filter(pk__in=[t.pk for t in ties]).select_related("person"))
    organization_graph_changed(organization_id=member.organization_id, ties=revived, links=pairs)
    by_person = {t.person_id: t for t in ties}
    return Logged(
        interaction=interaction,
        persons=persons,
        ties=[by_person[pk] for pk in person_ids_ if pk in by_person],
        links_added=added,
        links_strengthened=strengthened,
    )
