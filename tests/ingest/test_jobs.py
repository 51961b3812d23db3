"""Import jobs: large ones run in the background worker (django-tasks) and end with a report."""

from __future__ import annotations

import pytest

from revere.contacts.models import Person
from revere.ingest.models import ImportStatus
from revere.ingest.service import Upload
from revere.ingest.service.jobs import import_job_confirm, import_job_create, import_job_preview
from tests.ingest.test_cli import LINKEDIN

pytestmark = pytest.mark.django_db


def test_a_background_job_is_queued_then_run_by_the_task(member, django_capture_on_commit_callbacks):
    job = import_job_create(member=member, uploads=[Upload("Connections.csv", LINKEDIN.encode())])
    job = import_job_preview(job=job)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = import_job_confirm(job=job, background=True)
        assert job.status == ImportStatus.QUEUED

    assert len(callbacks) >= 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.report["by_kind"]["person"]["created"] == 2
    assert Person.unrestricted.filter(full_name="Grace Hopper").exists()


def test_a_job_that_fails_in_the_database_is_marked_failed_with_a_message_and_writes_nothing(
    member, monkeypatch
):
    job = import_job_preview(
        job=import_job_create(member=member, uploads=[Upload("Connections.csv", LINKEDIN.encode())])
    )
    # The write itself fails (the database's atomicity is tested in test_import_service.py with a
    # real constraint); here: what the member sees is a message, never the error's text.
    from revere.ingest.service import jobs

    def broken(**kwargs):
        from django.db import DatabaseError

        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(jobs, "import_results", broken)
    job = import_job_confirm(job=job)

    assert job.status == ImportStatus.FAILED
    assert "nothing was written" in job.error and "disk" not in job.error
    assert not Person.unrestricted.filter(full_name="Grace Hopper").exists()


def test_a_big_upload_is_previewed_by_the_worker_and_the_page_follows_it(
    client, member, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from revere.ingest.service import jobs
    from tests.factories import PASSWORD

    monkeypatch.setattr(jobs, "PREVIEW_BACKGROUND_BYTES", 10)
    client.login(username=member.user.username, password=PASSWORD)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("import"), {"files": [SimpleUploadedFile("Connections.csv", LINKEDIN.encode())]})
    from revere.ingest.models import ImportJob

    job = ImportJob.unrestricted.get()
    assert job.status == ImportStatus.UPLOADED
    page = client.get(reverse("import_job", args=[job.pk]))
    assert b"preparing the preview" in page.content and b"hx-trigger" in page.content

    for callback in callbacks:  # the worker runs the queued preview
        callback()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    partial = client.get(reverse("import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"Preview: nothing is written yet" in partial.content and b"<html" not in partial.content


def test_a_running_job_shows_its_step_and_keeps_polling(client, member):
    from django.urls import reverse

    from revere.ingest.models import ImportJob
    from tests.factories import PASSWORD

    job = ImportJob.unrestricted.create(
        organization=member.organization,
        member=member,
        status=ImportStatus.RUNNING,
        files=[{"name": "big.mbox", "size": 10}],
        report={"progress": {"step": "writing", "records": 50000}},
    )
    client.login(username=member.user.username, password=PASSWORD)

    partial = client.get(reverse("import_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert "Writing 50000 records" in partial
    assert 'hx-trigger="every 2s"' in partial
