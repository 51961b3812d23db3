"""The import and export API: upload -> preview job -> (correct the mapping) -> confirm -> status/report.

Every failure is a job with status "failed" and a message, or a 4xx with a detail; never a traceback.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from revere.ingest.exporters import EXPORT_FORMATS, export_render
from revere.ingest.merge.persons import merge_candidate_accept, merge_candidate_dismiss
from revere.ingest.models import ImportJob, ImportStatus
from revere.ingest.schemas import (
    ErrorOut,
    ImportJobOut,
    MappingIn,
    MergeCandidateOut,
    MergeDecisionIn,
    PersonMergeOut,
)
from revere.ingest.selectors import (
    import_job_get,
    import_jobs_recent,
    merge_candidate_get,
    merge_candidates_open,
)
from revere.ingest.service import ImportRefused, Upload
from revere.ingest.service.jobs import (
    import_job_confirm,
    import_job_create,
    import_job_preview,
    import_job_start,
)
from revere.tenancy.api import acting_member

router = Router(tags=["import and export"])


def _out(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "requested_format": job.requested_format,
        "files": job.files,
        "counts": job.counts,
        "error": job.error,
        "preview": job.preview or None,
        "report": job.report or None,
    }


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    try:
        return import_job_get(member=acting_member(request), job_id=job_id)
    except ObjectDoesNotExist as exc:
        raise HttpError(404, "No such import.") from exc


@router.post(
    "/imports",
    response=ImportJobOut,
    summary="Upload files: returns the previewed job (status 'uploaded' while a big upload is previewed in the background)",
)
def import_create(
    request: HttpRequest,
    files: list[UploadedFile] = File(...),  # noqa: B008 (django-ninja declares parameters this way)
    format: str = Form("auto"),
    phone_region: str = Form(
        "",
        max_length=20,
        description="Region code (DE, FR, US...) for phone numbers written without a country code, "
        "tried after each contact's own country and before the organization's",
    ),
) -> dict[str, Any]:
    member = acting_member(request)
    try:
        uploads = [Upload(name=f.name or "upload", data=f.read()) for f in files]
        job = import_job_create(
            member=member, uploads=uploads, format=format, options={"phone_region": phone_region}
        )
    except ImportRefused as exc:
        raise HttpError(422, str(exc)) from exc
    return _out(import_job_start(job=job))


@router.get("/imports", response=list[ImportJobOut], summary="The member's recent imports")
def import_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(j) for j in import_jobs_recent(member=acting_member(request))]


@router.get("/imports/{job_id}", response=ImportJobOut, summary="Status, preview or report of an import")
def import_get(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return _out(_job(request, job_id))


@router.post(
    "/imports/{job_id}/mapping",
    response=ImportJobOut,
    summary="Correct the column or stage mapping and preview again",
)
def import_mapping(request: HttpRequest, job_id: int, payload: MappingIn) -> dict[str, Any]:
    job = _job(request, job_id)
    if job.status != ImportStatus.PREVIEWED:
        raise HttpError(409, "Only a previewed import can be changed.")
    options = {
        **job.options,
        "column_mapping": payload.column_mapping,
        "stage_mapping": payload.stage_mapping,
    }
    return _out(import_job_preview(job=job, options=options))


@router.post(
    "/imports/{job_id}/confirm",
    response=ImportJobOut,
    summary="Write the previewed import (large ones run in the background)",
)
def import_confirm(request: HttpRequest, job_id: int) -> dict[str, Any]:
    job = _job(request, job_id)
    try:
        job = import_job_confirm(job=job)
    except ImportRefused as exc:
        raise HttpError(409, str(exc)) from exc
    return _out(job)


@router.get("/export", summary="The network the member may see, as csv, json, vcard, graphml or gexf")
def export(request: HttpRequest, format: str = "json") -> HttpResponse:
    if format not in EXPORT_FORMATS:
        raise HttpError(422, f"Unknown export format; choose one of {', '.join(EXPORT_FORMATS)}.")
    result = export_render(member=acting_member(request), format=format)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


def _person(p: Any) -> dict[str, Any]:
    return {"id": p.pk, "name": p.full_name, "company": p.company.name if p.company_id else None}


def _merge_out(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kept_id": m.kept_id,
        "merged_person_id": m.merged_person_id,
        "merged_name": m.merged_name,
        "kind": m.kind,
        "reason": m.reason,
        "fields": m.fields,
        "undone": m.undone_at is not None,
    }


@router.get(
    "/merge-candidates", response=list[MergeCandidateOut], summary="Possible duplicates waiting for review"
)
def merge_candidate_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "person_a": _person(c.person_a),
            "person_b": _person(c.person_b),
            "score": c.score,
            "reason": c.reason,
        }
        for c in merge_candidates_open(member=acting_member(request))
    ]


@router.post(
    "/merge-candidates/{candidate_id}",
    response={200: PersonMergeOut | None, 404: ErrorOut, 422: ErrorOut},
    summary="Merge a candidate pair (keeping keep_id) or dismiss it; undo through POST /merges/{id}/undo",
)
def merge_candidate_decide(request: HttpRequest, candidate_id: int, payload: MergeDecisionIn) -> Any:
    member = acting_member(request)
    try:
        candidate = merge_candidate_get(member=member, candidate_id=candidate_id)
    except ObjectDoesNotExist as exc:
        raise HttpError(404, "No such candidate.") from exc
    try:
        if payload.decision == "dismiss":
            merge_candidate_dismiss(candidate=candidate, member=member)
            return None
        if payload.decision != "merge" or payload.keep_id not in (
            candidate.person_a_id,
            candidate.person_b_id,
        ):
            raise HttpError(422, 'decision is "merge" with keep_id one of the two persons, or "dismiss".')
        keep = candidate.person_a if payload.keep_id == candidate.person_a_id else candidate.person_b
        return _merge_out(merge_candidate_accept(candidate=candidate, keep=keep, member=member))
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from exc
