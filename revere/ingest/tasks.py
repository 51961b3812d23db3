"""Background imports (django-tasks, database backend): large confirmed jobs run in the worker."""

from __future__ import annotations

from django_tasks import task

from revere.ingest.models import ImportJob


@task()
def import_job_task(job_id: int) -> str:
    """Run a confirmed import job; returns its final status."""
    from revere.ingest.service.jobs import import_job_execute

    job = ImportJob.unrestricted.select_related("member__user", "member__organization").get(pk=job_id)
    return import_job_execute(job=job).status


@task()
def import_job_preview_task(job_id: int) -> str:
    """Read a big upload and preview it; returns the job's status (previewed or failed)."""
    from revere.ingest.service.jobs import import_job_preview

    job = ImportJob.unrestricted.select_related("member__user", "member__organization").get(pk=job_id)
    return import_job_preview(job=job).status
