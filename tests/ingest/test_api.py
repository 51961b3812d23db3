"""The import API: upload -> preview job -> confirm -> report; refusals are 4xx with a detail."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from revere.contacts.models import Person
from tests.factories import PASSWORD
from tests.ingest.test_cli import LINKEDIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, member):
    client.login(username=member.user.username, password=PASSWORD)
    return client


def test_upload_preview_confirm_and_read_the_report(api):
    created = api.post("/api/imports", {"files": [SimpleUploadedFile("Connections.csv", LINKEDIN.encode())]})
    assert created.status_code == 200, created.content
    job = created.json()
    assert job["status"] == "previewed" and job["preview"]["by_kind"]["person"]["created"] == 2
    assert not Person.unrestricted.filter(full_name="Ada Lovelace").exists()

    confirmed = api.post(f"/api/imports/{job['id']}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "done"
    report = api.get(f"/api/imports/{job['id']}").json()["report"]
    assert report["by_kind"]["person"]["created"] == 2
    assert Person.unrestricted.filter(full_name="Ada Lovelace").exists()
    assert api.post(f"/api/imports/{job['id']}/confirm").status_code == 409


def test_a_hostile_upload_is_a_failed_job_with_a_message(api):
    created = api.post("/api/imports", {"files": [SimpleUploadedFile("x.vcf", b"\x00\x01\x02" * 500)]})
    job = created.json()
    assert job["status"] == "failed" and job["error"]
    assert "Traceback" not in job["error"]


def test_the_mapping_can_be_corrected_through_the_api(api):
    job = api.post(
        "/api/imports", {"files": [SimpleUploadedFile("p.csv", b"Who,Mail\nAda,ada@x.io\n")], "format": "csv"}
    ).json()
    fixed = api.post(
        f"/api/imports/{job['id']}/mapping",
        {"column_mapping": {"Who": "full_name"}},
        content_type="application/json",
    )
    assert fixed.status_code == 200
    assert dict(fixed.json()["files"][0]["columns"])["Who"] == "full_name"


def test_export_through_the_api(api):
    response = api.get("/api/export", {"format": "graphml"})
    assert response.status_code == 200 and b"<graphml" in response.content
    assert api.get("/api/export", {"format": "doc"}).status_code == 422


def test_the_import_endpoints_are_in_the_openapi_schema():
    from config.api import api as revere_api

    paths = revere_api.get_openapi_schema()["paths"]
    for path in (
        "/api/imports",
        "/api/imports/{job_id}",
        "/api/imports/{job_id}/confirm",
        "/api/imports/{job_id}/mapping",
        "/api/export",
    ):
        assert path in paths, path


def test_review_candidates_merge_and_undo_through_the_api(api, member):
    from revere.contacts.models import MergeCandidate
    from tests.factories import PersonFactory

    org = member.organization
    a = PersonFactory(organization=org, full_name="Ada Lovelace")
    b = PersonFactory(organization=org, full_name="Ada Lovelase")
    cand = MergeCandidate.unrestricted.create(
        organization=org, person_a=a, person_b=b, score=92, reason="similar name"
    )

    listed = api.get("/api/merge-candidates").json()
    assert [c["id"] for c in listed] == [cand.pk]
    bad = api.post(
        f"/api/merge-candidates/{cand.pk}",
        {"decision": "merge", "keep_id": 999999},
        content_type="application/json",
    )
    assert bad.status_code == 422
    merged = api.post(
        f"/api/merge-candidates/{cand.pk}",
        {"decision": "merge", "keep_id": a.pk},
        content_type="application/json",
    )
    assert merged.status_code == 200 and merged.json()["merged_person_id"] == b.pk
    assert not Person.unrestricted.filter(pk=b.pk).exists()

    undone = api.post(f"/api/merges/{merged.json()['id']}/undo")  # the contacts API's undo
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert Person.unrestricted.filter(pk=b.pk).exists()


def test_another_organizations_candidate_is_not_found(api):
    from revere.contacts.models import MergeCandidate
    from tests.factories import OrganizationFactory, PersonFactory

    org = OrganizationFactory()
    a, b = PersonFactory(organization=org), PersonFactory(organization=org)
    lo, hi = sorted((a, b), key=lambda p: p.pk)
    cand = MergeCandidate.unrestricted.create(
        organization=org, person_a=lo, person_b=hi, score=90, reason="x"
    )
    response = api.post(
        f"/api/merge-candidates/{cand.pk}", {"decision": "dismiss"}, content_type="application/json"
    )
    assert response.status_code == 404
