"""Undoing a merge after the rows its snapshot points at were merged away themselves.

A person merge keeps the merged person's row (company, manager) to put back on undo. If, between
the merge and its undo, that company was merged into another (or that manager into another
person), the snapshot's keys name rows that no longer exist: the restored person must follow the
later merge to where those rows went, not point at nothing (PostgreSQL refuses the dangling key at
commit; SQLite would keep it silently).
"""

from __future__ import annotations

import pytest
from django.db import connection

from revere.contacts.models import Company, Person
from revere.ingest.merge import company_merge, person_merge, person_merge_undo
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_person_restored_after_their_company_was_merged_away_joins_the_company_it_went_into():
    member = f.MemberFactory()
    org = member.organization
    old_co = f.CompanyFactory(organization=org, name="Acme Old")
    new_co = f.CompanyFactory(organization=org, name="Acme")
    keep = f.PersonFactory(organization=org, full_name="Ann Lee", company=new_co)
    dup = f.PersonFactory(organization=org, full_name="Ann Lee", company=old_co)
    merge = person_merge(keep=keep, other=dup, member=member)
    company_merge(keep=new_co, other=old_co, member=member)
    assert not Company.unrestricted.filter(pk=old_co.pk).exists()

    restored = person_merge_undo(merge=merge, member=member)

    assert Person.unrestricted.get(pk=restored.pk).company_id == new_co.pk
    connection.check_constraints()  # no key points at a deleted row


def test_a_person_restored_after_their_manager_was_merged_reports_to_the_person_kept():
    member = f.MemberFactory()
    org = member.organization
    boss, boss_twin = (f.PersonFactory(organization=org, full_name="Carol Chief") for _ in range(2))
    keep = f.PersonFactory(organization=org, full_name="Tina Tech")
    dup = f.PersonFactory(organization=org, full_name="Tina Tech", reports_to=boss_twin)
    merge = person_merge(keep=keep, other=dup, member=member)
    person_merge(keep=boss, other=boss_twin, member=member)

    restored = person_merge_undo(merge=merge, member=member)

    assert Person.unrestricted.get(pk=restored.pk).reports_to_id == boss.pk
    connection.check_constraints()


def test_a_kept_person_s_field_put_back_on_undo_follows_a_later_company_merge():
    member = f.MemberFactory()
    org = member.organization
    old_co = f.CompanyFactory(organization=org, name="Beta Old")
    new_co = f.CompanyFactory(organization=org, name="Beta")
    keep = f.PersonFactory(organization=org, full_name="Bo Berg", company=None)
    dup = f.PersonFactory(organization=org, full_name="Bo Berg", company=old_co)
    merge = person_merge(keep=keep, other=dup, member=member)  # fills keep's company with old_co
    assert Person.unrestricted.get(pk=keep.pk).company_id == old_co.pk
    company_merge(keep=new_co, other=old_co, member=member)

    person_merge_undo(merge=merge, member=member)

    assert Person.unrestricted.get(pk=keep.pk).company_id is None  # empty again, as before the merge
    connection.check_constraints()
