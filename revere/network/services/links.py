"""Stated links: a member says that two persons know each other, and can take it back.

A link is the organization's shared map (every member sees it), so a statement is recorded with who
made it (``Link.stated_by``) and its source "stated by a member" (``LinkSource.STATED``). Only that
member, or an admin, may undo it. A link already on record (an org chart, a meeting, an e-mail, an
introduction) is left as it is: stating what the records show adds nothing, and undoing a statement
never removes what the records show. A stated link that an interaction later confirms takes that
interaction's source (:mod:`revere.network.services.interactions`) and stays.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from revere.network.models import Link, LinkSource
from revere.network.services.ties import person_visible
from revere.tenancy.models import Member, Role
from revere.tenancy.services import organization_graph_changed

#: "They know each other" without more: a medium link, as a meeting of three gives (docs/import.md).
STATED_WEIGHT = 0.5


@transaction.atomic
def link_state(*, member: Member, a_id: int, b_id: int, weight: float = STATED_WEIGHT) -> tuple[Link, bool]:
    """Record that persons ``a_id`` and ``b_id`` know each other; returns ``(link, created)``.

    A link already stated is restated with the new weight (by whoever states it now); a link from
    the records is returned unchanged (``created`` False).
    """
    a = person_visible(member=member, person_id=a_id)
    b = person_visible(member=member, person_id=b_id)
    if a.pk == b.pk:
        raise ValidationError({"b": "Two different people: someone always knows themself."})
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0.0 < weight <= 1.0:
        raise ValidationError({"weight": "A weight is greater than 0 and at most 1."})
    lo, hi = sorted((a.pk, b.pk))
    link = (
        Link.unrestricted.select_for_update()
        .filter(organization_id=member.organization_id, a_id=lo, b_id=hi)
        .first()
    )
    if link is not None:
        if link.source != LinkSource.STATED:
            return link, False
        link.weight = float(weight)
        link.stated_by = member
        link.save(update_fields=["weight", "stated_by"])
        created = False
    else:
        link = Link.unrestricted.create(
            organization_id=member.organization_id,
            a_id=lo,
            b_id=hi,
            weight=float(weight),
            source=LinkSource.STATED,
            stated_by=member,
        )
        created = True
    organization_graph_changed(organization_id=member.organization_id, links=[(lo, hi)])
    return link, created


@transaction.atomic
def link_unstate(*, member: Member, a_id: int, b_id: int) -> None:
    """Take back a stated link. ``Link.DoesNotExist`` when there is none; a link from the records is
    refused (``ValidationError``), and so is someone else's statement unless the member is an admin
    (``PermissionDenied``)."""
    a = person_visible(member=member, person_id=a_id)
    b = person_visible(member=member, person_id=b_id)
    lo, hi = sorted((a.pk, b.pk))
    link = (
        Link.unrestricted.select_for_update(of=("self",))
        .select_related("stated_by__person")
        .filter(organization_id=member.organization_id, a_id=lo, b_id=hi)
        .first()
    )
    if link is None:
        raise Link.DoesNotExist("These two are not linked.")
    if link.source != LinkSource.STATED:
        raise ValidationError(
            {
                "link": f"This link comes from the records ({link.get_source_display().lower()}), not a statement: it stays."
            }
        )
    if link.stated_by_id != member.pk and member.role != Role.ADMIN:
        if link.stated_by is None:
            raise PermissionDenied("This link came with an import: only an admin can take it back.")
        who = link.stated_by.person.full_name
        raise PermissionDenied(f"{who} stated this link: only they, or an admin, can take it back.")
    link.delete()
    organization_graph_changed(organization_id=member.organization_id, links=[(lo, hi)])
