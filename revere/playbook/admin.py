"""Admin of the organization's and teams' network targets, scoped to the admin's organization."""

from __future__ import annotations

from django.contrib import admin

from revere.playbook.models import Target
from revere.tenancy.admin import OrgScopedAdmin, register_remaining


@admin.register(Target)
class TargetAdmin(OrgScopedAdmin):
    list_display = (
        "network_class",
        "team",
        "min_size",
        "min_density",
        "max_density",
        "max_constraint",
        "min_strength",
        "min_diversity",
    )
    list_filter = ("network_class",)
    list_select_related = ("team",)


register_remaining("playbook")
