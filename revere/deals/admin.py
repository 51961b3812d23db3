"""Admin of deals, buying roles and references, scoped to the admin's organization."""

from __future__ import annotations

from django.contrib import admin

from revere.deals.models import BuyingRole, Deal, DealStageChange, Reference, ReferenceUse, StageRules
from revere.tenancy.admin import OrgScopedAdmin, OrgScopedInline, register_remaining


class BuyingRoleInline(OrgScopedInline):
    model = BuyingRole
    raw_id_fields = ("person",)


class StageChangeInline(OrgScopedInline):
    """The stage history is written by the stage-transition service only: shown, never edited."""

    model = DealStageChange
    fk_name = "deal"
    readonly_fields = ("from_stage", "to_stage", "changed_at", "changed_by", "reason", "flagged", "reopened")
    exclude = ("organization", "failed_checks", "source")  # type: ignore[assignment]
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Deal)
class DealAdmin(OrgScopedAdmin):
    list_display = ("name", "company", "owner", "stage", "amount", "currency", "expected_close")
    list_filter = ("stage",)
    search_fields = ("name", "company__name", "external_id")
    list_select_related = ("company", "owner__person")
    raw_id_fields = ("company", "owner")
    filter_horizontal = ("team",)
    inlines = [BuyingRoleInline, StageChangeInline]
    #: The stage moves only through revere.deals.services.deal_move_stage (the deal page, the API,
    #: ``revere deal-move``), which writes the history and runs the exit checks.
    readonly_fields = ("stage", "closed_at")


@admin.register(DealStageChange)
class DealStageChangeAdmin(OrgScopedAdmin):
    list_display = ("deal", "from_stage", "to_stage", "changed_at", "changed_by", "flagged", "reopened")
    list_filter = ("to_stage",)
    list_select_related = ("deal", "changed_by__person")
    raw_id_fields = ("deal", "changed_by")


@admin.register(BuyingRole)
class BuyingRoleAdmin(OrgScopedAdmin):
    list_display = ("person", "role", "stance", "deal")
    list_filter = ("role", "stance")
    search_fields = ("person__full_name", "deal__name")
    list_select_related = ("person", "deal")
    raw_id_fields = ("deal", "person")


class ReferenceUseInline(OrgScopedInline):
    model = ReferenceUse
    raw_id_fields = ("deal", "member")


@admin.register(Reference)
class ReferenceAdmin(OrgScopedAdmin):
    list_display = ("person", "consent", "satisfaction", "max_uses", "per_days", "since")
    list_filter = ("consent", "satisfaction")
    search_fields = ("person__full_name",)
    list_select_related = ("person",)
    raw_id_fields = ("person",)
    inlines = [ReferenceUseInline]


@admin.register(ReferenceUse)
class ReferenceUseAdmin(OrgScopedAdmin):
    list_display = ("reference", "deal", "member", "used_on", "status")
    list_select_related = ("reference__person", "deal", "member__person")
    raw_id_fields = ("reference", "deal", "member")


@admin.register(StageRules)
class StageRulesAdmin(OrgScopedAdmin):
    """The organization's exit checks and card warnings (docs/playbook.md), edited by its admins."""

    list_display = ("__str__", "buy_in_min_threads", "buy_in_min_roles", "solution_min_cohesion")


register_remaining("deals")
