"""Import jobs for the page and the API: upload -> preview -> confirm -> run (here or in a task).

Every failure ends as a job with status "failed" and a message for the user; the traceback goes
to the log, never to the user.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone

from revere.ingest.models import ImportFile, ImportJob, ImportStatus
from revere.ingest.service import (
    BACKGROUND_RECOMPUTE_ROWS,
    ImportRefused,
    Upload,
    import_check_rows,
    import_check_size,
    import_read,
    import_recompute,
    import_results,
    phone_region_check,
)
from revere.ingest.service.run import record_count
from revere.tenancy.models import Member

logger = logging.getLogger(__name__)

# Jobs with more records than this are written by the background worker; uploads bigger than
# PREVIEW_BACKGROUND_BYTES are also previewed there (the page follows the job as it goes).
BACKGROUND_ROWS = 5000
PREVIEW_BACKGROUND_BYTES = 2 * 1024 * 1024
GENERIC_FAILURE = (
    "The import failed and nothing was written. The error was logged; please try again or contact an admin."
)


@transaction.atomic
def import_job_create(
    *, member: Member, uploads: list[Upload], format: str = "auto", options: dict[str, Any] | None = None
) -> ImportJob:
    """Keep the uploaded files on a new job. Refuses empty and oversized files."""
    from revere.ingest.readers import FORMATS

    if not uploads:
        raise ImportRefused("Choose at least one file.")
    if format not in FORMATS:
        raise ImportRefused(f"Unknown format {format!r}; choose one of {', '.join(FORMATS)}.")
    for upload in uploads:
        import_check_size(name=upload.name, size=len(upload.data))
    options = dict(options or {})
    region = phone_region_check(options.pop("phone_region", None))
    if region:
        options["phone_region"] = region
    job = ImportJob.unrestricted.create(
        organization_id=member.organization_id,
        member=member,
        requested_format=format,
        files=[{"name": u.name, "size": len(u.data)} for u in uploads],
        options=options,
    )
    ImportFile.unrestricted.bulk_create(
        [
            ImportFile(
                organization_id=member.organization_id, job=job, position=i, name=u.name[:255], content=u.data
            )
            for i, u in enumerate(uploads)
        ]
    )
    return job


def _uploads(job: ImportJob) -> list[Upload]:
    return [Upload(name=f.name, data=bytes(f.content)) for f in ImportFile.unrestricted.filter(job=job)]


def _fail(job: ImportJob, message: str) -> ImportJob:
    job.status = ImportStatus.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Preview a new job: here for small uploads, in the background worker for big ones."""
    size = sum(int(f.get("size", 0)) for f in job.files)
    if size <= PREVIEW_BACKGROUND_BYTES:
        return import_job_preview(job=job)
    from revere.ingest.tasks import import_job_preview_task

    job_id = job.pk
    transaction.on_commit(lambda: import_job_preview_task.enqueue(job_id))
    return job


def import_job_preview(*, job: ImportJob, options: dict[str, Any] | None = None) -> ImportJob:
    """Read the files and run the import rolled back: the preview is what a commit would do."""
    if options is not None:
        job.options = options
    try:
        results = import_read(
            member=job.member, uploads=_uploads(job), format=job.requested_format, options=job.options
        )
        report = import_results(
            member=job.member,
            results=results,
            dry_run=True,
            region=phone_region_check(job.options.get("phone_region")),
        )
    except ImportRefused as exc:
        return _fail(job, str(exc))
    except Exception:
        logger.exception("preview of import job %s failed", job.pk)
        return _fail(job, GENERIC_FAILURE)
    uploads = _uploads(job)
    files = []
    for meta, (_, res), upload in zip(job.files, results, uploads, strict=False):
        info = {"name": meta["name"], "size": meta["size"], "format": res.format, "rows": record_count(res)}
        if res.format == "csv":
            info.update(_csv_columns(upload.data, job.options.get("column_mapping")))
        if res.deals:
            # Stage names as the file writes them, with the stage each maps onto ("" = unmapped).
            stages = {d.source_stage: d.stage for d in res.deals if d.source_stage}
            info["stages"] = sorted([name, stage] for name, stage in stages.items())
        files.append(info)
    job.files = files
    job.preview = report.to_json()
    job.counts = report.counts()
    job.status = ImportStatus.PREVIEWED
    job.error = ""
    job.save(update_fields=["options", "files", "preview", "counts", "status", "error"])
    return job


def _csv_columns(data: bytes, user_mapping: dict[str, str] | None) -> dict[str, Any]:
    """A generic CSV's headers and the mapping in force, for the page to correct."""
    from django.conf import settings

    from revere.ingest.readers.mapping import effective_mapping
    from revere.ingest.readers.table import read_table

    try:
        table = read_table(data, max_rows=settings.REVERE_IMPORT_MAX_ROWS)
    except Exception:  # already read once by the reader; any failure here only hides the form
        logger.exception("re-reading CSV headers failed")
        return {}
    mapping = effective_mapping(table.headers, user_mapping)
    return {"headers": table.headers, "columns": [[h, mapping.get(h, "ignore")] for h in table.headers]}


def import_job_confirm(*, job: ImportJob, background: bool | None = None) -> ImportJob:
    """Run a previewed job: in this request when small, in the background worker when large."""
    if job.status != ImportStatus.PREVIEWED:
        raise ImportRefused("Only a previewed import can be confirmed.")
    rows = sum(int(f.get("rows", 0)) for f in job.files)
    if background is None:
        background = rows > BACKGROUND_ROWS
    if background:
        from revere.ingest.tasks import import_job_task

        job.status = ImportStatus.QUEUED
        job.save(update_fields=["status"])
        job_id = job.pk
        transaction.on_commit(lambda: import_job_task.enqueue(job_id))
        return job
    return import_job_execute(job=job)


def import_job_execute(*, job: ImportJob) -> ImportJob:
    """The commit: read again, write in one transaction, store the report, recompute ties."""
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    uploads = _uploads(job)

    def phase(**progress: Any) -> None:
        # Saved between steps, outside the import's transaction, so the page can show it.
        ImportJob.unrestricted.filter(pk=job.pk).update(report={"progress": progress})

    try:
        results = []
        for i, upload in enumerate(uploads):
            phase(step="reading", file=upload.name, done=i, files=len(uploads))
            results.extend(
                import_read(
                    member=job.member, uploads=[upload], format=job.requested_format, options=job.options
                )
            )
        import_check_rows(results)
        phase(step="writing", records=sum(record_count(r) for _, r in results))
        report = import_results(
            member=job.member, results=results, region=phone_region_check(job.options.get("phone_region"))
        )
    except ImportRefused as exc:
        return _fail(job, str(exc))
    except DatabaseError:
        logger.exception("import job %s failed in the database", job.pk)
        return _fail(job, GENERIC_FAILURE)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        return _fail(job, GENERIC_FAILURE)
    rows = sum(record_count(r) for _, r in results)
    try:
        recompute = import_recompute(member=job.member, rows=rows)
    except Exception:
        logger.exception("recompute after import job %s failed", job.pk)
        recompute = "failed"
    job.report = {
        **report.to_json(),
        "recompute": recompute,
        "background_threshold": BACKGROUND_RECOMPUTE_ROWS,
    }
    job.counts = report.counts()
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["report", "counts", "status", "finished_at"])
    ImportFile.unrestricted.filter(job=job).delete()  # the report stays; the files are not kept once imported
    return job
