"""Admin of import jobs and external keys, scoped to the admin's organization.

Uploaded file contents are not shown: the job's files list, preview and report say what came in.
"""

from __future__ import annotations

from django.contrib import admin

from revere.ingest.models import ImportJob
from revere.tenancy.admin import OrgScopedAdmin, register_remaining


@admin.register(ImportJob)
class ImportJobAdmin(OrgScopedAdmin):
    list_display = ("__str__", "member", "status", "requested_format", "created_at", "finished_at")
    list_filter = ("status", "requested_format")
    list_select_related = ("member__person",)
    raw_id_fields = ("member",)
    readonly_fields = ("files", "preview", "report", "counts", "error", "created_at", "finished_at")
    date_hierarchy = "created_at"


register_remaining("ingest")
