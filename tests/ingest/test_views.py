"""The import pages: upload -> preview -> confirm -> report; refusals; review and undo."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from revere.contacts.models import MergeCandidate, Person, PersonMerge
from revere.ingest.merge.persons import merge_candidate_accept
from revere.ingest.models import ImportFile, ImportJob
from tests.factories import PASSWORD, PersonFactory
from tests.ingest.test_cli import LINKEDIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, member):
    assert client.login(username=member.user.username, password=PASSWORD)
    return client


def upload(client, name, data, fmt="auto"):
    return client.post(
        reverse("import"), {"files": [SimpleUploadedFile(name, data)], "format": fmt}, follow=True
    )


def test_the_import_page_shows_the_upload_form(client_in):
    page = client_in.get(reverse("import"))
    assert page.status_code == 200
    assert b'data-testid="import-form"' in page.content


def test_every_format_the_importer_reads_can_be_chosen_on_the_page(client_in):
    from revere.ingest.readers import FORMATS

    page = client_in.get(reverse("import")).content.decode()
    for fmt in FORMATS:
        assert f'value="{fmt}"' in page, fmt


def test_upload_previews_then_confirm_imports_and_reports(client_in, member):
    preview = upload(client_in, "Connections.csv", LINKEDIN.encode())

    assert b"Preview: nothing is written yet" in preview.content
    assert not Person.unrestricted.filter(full_name="Ada Lovelace").exists()
    job = ImportJob.unrestricted.get()
    assert job.status == "previewed" and job.preview["by_kind"]["person"]["created"] == 2

    report = client_in.post(reverse("import_confirm", args=[job.pk]), follow=True)

    assert b'data-testid="import-report"' in report.content
    assert Person.unrestricted.filter(full_name="Ada Lovelace").exists()
    job.refresh_from_db()
    assert job.status == "done" and not ImportFile.unrestricted.filter(job=job).exists()


def test_a_binary_file_gets_a_clear_message_and_nothing_is_written(client_in):
    page = upload(client_in, "contacts.csv", b"\x00\xff\x00PK\x03\x04" * 100)

    assert b"Nothing was imported" in page.content
    assert b"Traceback" not in page.content
    assert Person.unrestricted.count() == 1


def test_a_generic_csv_shows_its_columns_and_the_mapping_can_be_corrected(client_in):
    data = b"Who,Mail,Firm\nAda Lovelace,ada@engines.io,Engines\n"
    upload(client_in, "people.csv", data, fmt="csv")
    job = ImportJob.unrestricted.get()
    columns = dict(job.files[0]["columns"])
    assert columns["Mail"] == "email"

    client_in.post(
        reverse("import_mapping", args=[job.pk]),
        {"map:Who": "full_name", "map:Mail": "email", "map:Firm": "company"},
    )

    job.refresh_from_db()
    assert dict(job.files[0]["columns"])["Who"] == "full_name"
    assert job.status == "previewed"


def test_someone_elses_import_is_not_found(client_in):
    from tests.factories import MemberFactory

    other = MemberFactory()
    job = ImportJob.unrestricted.create(organization=other.organization, member=other)
    assert client_in.get(reverse("import_job", args=[job.pk])).status_code == 404


def test_review_merges_a_candidate_and_undo_splits_it_again(client_in, member):
    org = member.organization
    a = PersonFactory(organization=org, full_name="Ada Lovelace")
    b = PersonFactory(organization=org, full_name="Ada Lovelase")
    cand = MergeCandidate.unrestricted.create(
        organization=org, person_a=a, person_b=b, score=92, reason="similar name"
    )
    page = client_in.get(reverse("import_review"))
    assert b"Ada Lovelase" in page.content

    client_in.post(reverse("import_review"), {"candidate": cand.pk, "decision": "keep_a"})
    assert not Person.unrestricted.filter(pk=b.pk).exists()

    merge = PersonMerge.unrestricted.get()
    client_in.post(reverse("merge_undo", args=[merge.pk]))
    assert Person.unrestricted.filter(pk=b.pk).exists()


def test_undoing_another_organizations_merge_is_a_404_and_undoes_nothing(client_in):
    """It answered a redirect to the review page with 'That merge no longer exists.' (issue 13)."""
    from tests.factories import MemberFactory

    other = MemberFactory()
    a = PersonFactory(organization=other.organization, full_name="Ada Lovelace")
    b = PersonFactory(organization=other.organization, full_name="Ada Lovelase")
    merge_candidate_accept(
        candidate=MergeCandidate.unrestricted.create(
            organization=other.organization, person_a=a, person_b=b, score=92, reason="similar name"
        ),
        keep=a,
        member=other,
    )
    merge = PersonMerge.unrestricted.get()

    assert client_in.post(reverse("merge_undo", args=[merge.pk])).status_code == 404
    assert client_in.post(reverse("merge_undo", args=[merge.pk + 1000])).status_code == 404
    merge.refresh_from_db()
    assert merge.undone_at is None and not Person.unrestricted.filter(pk=b.pk).exists()


def test_deal_stages_from_the_file_can_be_mapped_on_the_preview(client_in):
    accounts = b"Id,Name\n0015g00000ABC12AAA,Globex\n"
    opportunities = (
        b"Id,AccountId,Name,StageName,Amount\n0065g00000XYZ12AAA,0015g00000ABC12AAA,Big one,Pondering,100\n"
    )
    client_in.post(
        reverse("import"),
        {
            "files": [
                SimpleUploadedFile("Account.csv", accounts),
                SimpleUploadedFile("Opportunity.csv", opportunities),
            ],
            "format": "salesforce",
        },
    )
    job = ImportJob.unrestricted.get()
    stages = next(f for f in job.files if f.get("stages"))["stages"]
    assert stages == [["Pondering", ""]]
    page = client_in.get(reverse("import_job", args=[job.pk]))
    assert b'data-testid="stage-form"' in page.content

    client_in.post(reverse("import_mapping", args=[job.pk]), {"stage:Pondering": "solution"})

    job.refresh_from_db()
    assert next(f for f in job.files if f.get("stages"))["stages"] == [["Pondering", "solution"]]
    client_in.post(reverse("import_confirm", args=[job.pk]))
    from revere.deals.models import Deal

    assert Deal.unrestricted.get(name="Big one").stage == "solution"
