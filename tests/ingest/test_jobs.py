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
    assert Person.objects.filter(full_name="Grace Hopper").exists()


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
    assert not Person.objects.filter(full_name="Grace Hopper").exists()
