"""Import pages: upload, preview (with column mapping), confirm, progress, report; review; merges.

Each view validates, calls one service or selector, and renders. Errors reach the user as a
message; tracebacks go to the log.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from revere.ingest.exporters import EXPORT_FORMATS, export_render
from revere.ingest.merge.persons import merge_candidate_accept, merge_candidate_dismiss, person_merge_undo
from revere.ingest.models import ImportStatus
from revere.ingest.selectors import (
    import_job_get,
    import_jobs_recent,
    merge_candidate_get,
    merge_candidates_open,
    person_merge_get,
    person_merges_recent,
)
from revere.ingest.service import ImportRefused, Upload
from revere.ingest.service.jobs import (
    import_job_confirm,
    import_job_create,
    import_job_preview,
    import_job_start,
)
from revere.tenancy.decorators import member_required

logger = logging.getLogger(__name__)

FORMAT_LABELS = {
    "auto": "Detect from the file",
    "csv": "Any CSV (columns mapped)",
    "linkedin": "LinkedIn Connections.csv",
    "linkedin_messages": "LinkedIn messages.csv",
    "google": "Google Contacts CSV",
    "outlook": "Outlook contacts CSV",
    "vcard": "vCard (.vcf)",
    "salesforce": "Salesforce export",
    "hubspot": "HubSpot export",
    "mbox": "E-mail archive (mbox)",
    "eml": "E-mail message (.eml)",
    "ics": "Calendar (.ics)",
}


def _job_or_404(request: HttpRequest, job_id: int):  # type: ignore[no-untyped-def]
    try:
        return import_job_get(member=request.member, job_id=job_id)  # type: ignore[attr-defined]
    except ObjectDoesNotExist as exc:
        raise Http404("No such import.") from exc


@login_required
@member_required
def import_page(request: HttpRequest) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    if request.method == "POST":
        files = request.FILES.getlist("files")
        fmt = request.POST.get("format", "auto")
        too_big = [f.name or "upload" for f in files if f.size and f.size > settings.REVERE_IMPORT_MAX_BYTES]
        if too_big:
            limit = settings.REVERE_IMPORT_MAX_BYTES // (1024 * 1024)
            messages.error(
                request, f"{', '.join(too_big)}: larger than the {limit} MB limit. Nothing was imported."
            )
            return redirect("import")
        try:
            uploads = [Upload(name=f.name or "upload", data=f.read()) for f in files]
            options = {"phone_region": request.POST.get("phone_region", "")}
            job = import_job_create(member=member, uploads=uploads, format=fmt, options=options)
        except ImportRefused as exc:
            messages.error(request, str(exc))
            return redirect("import")
        job = import_job_start(job=job)
        return redirect("import_job", job_id=job.pk)
    context = {
        "formats": FORMAT_LABELS,
        "jobs": import_jobs_recent(member=member),
        "max_mb": settings.REVERE_IMPORT_MAX_BYTES // (1024 * 1024),
        "max_rows": settings.REVERE_IMPORT_MAX_ROWS,
        "review_count": merge_candidates_open(member=member).count(),
        "export_formats": EXPORT_FORMATS,
        "phone_region": member.organization.phone_region,
    }
    return render(request, "ingest/import.html", context)


@login_required
@member_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    from revere.ingest.readers import FIELDS

    context = {
        "job": job,
        "fields": FIELDS,
        "polling": job.status in (ImportStatus.UPLOADED, ImportStatus.QUEUED, ImportStatus.RUNNING),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "ingest/_job_body.html", context)
    return render(request, "ingest/job.html", context)


@login_required
@member_required
@require_POST
def import_mapping(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    if job.status != ImportStatus.PREVIEWED:
        messages.error(request, "This import can no longer be changed.")
        return redirect("import_job", job_id=job.pk)
    options = dict(job.options)
    columns = {key[4:]: value for key, value in request.POST.items() if key.startswith("map:")}
    if columns:
        options["column_mapping"] = columns
    stages = {key[6:]: value for key, value in request.POST.items() if key.startswith("stage:") and value}
    if stages:
        options["stage_mapping"] = {**(options.get("stage_mapping") or {}), **stages}
    import_job_preview(job=job, options=options)
    return redirect("import_job", job_id=job.pk)


@login_required
@member_required
@require_POST
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    try:
        import_job_confirm(job=job)
    except ImportRefused as exc:
        messages.error(request, str(exc))
    return redirect("import_job", job_id=job.pk)


@login_required
@member_required
def export_download(request: HttpRequest) -> HttpResponse:
    """The member's export as a download: ?format=csv|json|vcard|graphml|gexf."""
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        return HttpResponse(f"Unknown export format; choose one of {', '.join(EXPORT_FORMATS)}.", status=400)
    export = export_render(member=request.member, format=fmt)  # type: ignore[attr-defined]
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@member_required
def review_page(request: HttpRequest) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            candidate = merge_candidate_get(
                member=member, candidate_id=int(request.POST.get("candidate", "0"))
            )
            decision = request.POST.get("decision", "")
            if decision == "dismiss":
                merge_candidate_dismiss(candidate=candidate, member=member)
                messages.success(request, "Kept apart.")
            elif decision in ("keep_a", "keep_b"):
                keep = candidate.person_a if decision == "keep_a" else candidate.person_b
                merge_candidate_accept(candidate=candidate, keep=keep, member=member)
                messages.success(request, f"Merged into {keep.full_name}. You can undo it below.")
            else:
                messages.error(request, "Choose merge or keep apart.")
        except (ObjectDoesNotExist, ValueError):
            messages.error(request, "That candidate no longer exists.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        return redirect("import_review")
    context = {
        "candidates": merge_candidates_open(member=member),
        "merges": person_merges_recent(member=member, limit=30),
    }
    return render(request, "ingest/review.html", context)


@login_required
@member_required
@require_POST
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    """Undo one of the organization's merges; another organization's id (or none) is a 404."""
    member = request.member  # type: ignore[attr-defined]
    try:
        merge = person_merge_get(member=member, merge_id=merge_id)
    except ObjectDoesNotExist as exc:
        raise Http404("No such merge.") from exc
    try:
        restored = person_merge_undo(merge=merge, member=member)
        messages.success(request, f"Undone: {restored.full_name} is a person of their own again.")
    except ObjectDoesNotExist:
        messages.error(request, "That merge no longer exists.")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("import_review")
