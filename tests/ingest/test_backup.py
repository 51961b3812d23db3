"""Backup, wipe, restore gives an identical organization; other organizations are untouched."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from revere.contacts.models import Person
from revere.ingest.backup import organization_dump, organization_wipe
from revere.ingest.records import InteractionRecord, PersonRecord, ReadResult
from revere.ingest.service import import_results
from revere.tenancy.models import Organization
from tests.tenancy.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = build_world()
    member = a.members["seller"]
    import datetime as dt

    result = ReadResult(
        format="vcard",
        persons=[
            PersonRecord(key="v1", full_name="Jane Doe", emails=["jane@acme.com"], phones=["+1 415 555 0100"])
        ],
        interactions=[
            InteractionRecord(
                key="<m@x>",
                kind="email",
                occurred_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                organizer=member.user.email,
                participants={"jane@acme.com": "Jane", "bob@acme.com": "Bob"},
            ),
        ],
    )
    import_results(member=member, results=[("x.vcf", result)])
    return a, b


def test_backup_wipe_restore_gives_an_identical_organization(world, tmp_path):
    a, b = world
    before = organization_dump(organization=a.org)
    other_before = organization_dump(organization=b.org)
    path = tmp_path / "orga.json"

    call_command("backup", str(path), "--org", a.org.slug)
    organization_wipe(organization=a.org)
    assert not Organization.objects.filter(slug=a.org.slug).exists()
    assert not Person.unrestricted.filter(organization_id=a.org.pk).exists()
    call_command("restore", str(path))

    restored = Organization.objects.get(slug=a.org.slug)
    assert organization_dump(organization=restored) == before
    assert organization_dump(organization=b.org) == other_before
    assert len(before["network.tie"]) >= 7 and len(before["auth.user"]) == 5


def test_restoring_over_an_existing_organization_needs_replace(world, tmp_path):
    a, _ = world
    before = organization_dump(organization=a.org)
    path = tmp_path / "orga.json"
    call_command("backup", str(path), "--org", a.org.slug)
    Person.unrestricted.filter(organization=a.org, full_name="Jane Doe").update(title="changed since")

    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(path))
    call_command("restore", str(path), "--replace")

    assert organization_dump(organization=Organization.objects.get(slug=a.org.slug)) == before


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(CommandError, match="not a Revere backup"):
        call_command("restore", str(path))
