"""Writes on companies and persons."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from revere.contacts.models import Person


def person_validate_reports_to(*, person: Person, manager: Person | None) -> None:
    """Refuse a reports-to outside the person's organization, to themself, or that closes a cycle."""
    if manager is None:
        return
    if manager.organization_id != person.organization_id:
        raise ValidationError({"reports_to": "The manager must belong to the same organization."})
    if person.pk is not None and manager.pk == person.pk:
        raise ValidationError({"reports_to": "A person cannot report to themself."})
    if person.pk is None:
        return
    # Walk up from the manager; meeting the person again means a cycle. One query per level,
    # bounded by the depth of the org chart (and a guard against existing bad data).
    seen: set[int] = set()
    current: int | None = manager.pk
    while current is not None and current not in seen:
        if current == person.pk:
            raise ValidationError({"reports_to": "This reports-to would make a cycle in the org chart."})
        seen.add(current)
        current = Person.unrestricted.filter(pk=current).values_list("reports_to_id", flat=True).first()


@transaction.atomic
def person_set_reports_to(*, person: Person, manager: Person | None) -> Person:
    person_validate_reports_to(person=person, manager=manager)
    person.reports_to = manager
    person.save(update_fields=["reports_to", "updated_at"])
    return person
