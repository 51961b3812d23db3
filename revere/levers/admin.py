"""Admin of the contribution ledger, scoped to the admin's organization."""

from __future__ import annotations

from django.contrib import admin

from revere.levers.models import Contribution
from revere.tenancy.admin import OrgScopedAdmin, register_remaining


@admin.register(Contribution)
class ContributionAdmin(OrgScopedAdmin):
    list_display = ("member", "kind", "status", "deal", "person", "beneficiary", "occurred_at", "credit")
    list_filter = ("kind", "status")
    search_fields = ("member__person__full_name", "person__full_name", "deal__name", "notes")
    list_select_related = ("member__person", "deal", "person", "beneficiary__person")
    raw_id_fields = ("member", "deal", "person", "beneficiary")
    date_hierarchy = "occurred_at"


register_remaining("levers")
