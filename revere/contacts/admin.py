"""Admin of companies and persons, scoped to the admin's organization (revere.tenancy.admin)."""

from __future__ import annotations

from django.contrib import admin

from revere.contacts.models import (
    Company,
    CompanyDomain,
    MergeCandidate,
    Person,
    PersonEmail,
    PersonMerge,
    PersonPhone,
    SourceRecord,
)
from revere.tenancy.admin import OrgScopedAdmin, OrgScopedInline, register_remaining


class CompanyDomainInline(OrgScopedInline):
    model = CompanyDomain


@admin.register(Company)
class CompanyAdmin(OrgScopedAdmin):
    list_display = ("name", "status", "industry", "region", "size_band")
    list_filter = ("status", "size_band")
    search_fields = ("name", "normalized_name", "domains__domain")
    raw_id_fields = ("parent",)
    inlines = [CompanyDomainInline]


@admin.register(CompanyDomain)
class CompanyDomainAdmin(OrgScopedAdmin):
    list_display = ("domain", "company")
    search_fields = ("domain", "company__name")
    list_select_related = ("company",)
    raw_id_fields = ("company",)


class PersonEmailInline(OrgScopedInline):
    model = PersonEmail


class PersonPhoneInline(OrgScopedInline):
    model = PersonPhone


class SourceRecordInline(OrgScopedInline):
    model = SourceRecord
    readonly_fields = ("source", "external_id", "data", "imported_at")
    can_delete = False


@admin.register(Person)
class PersonAdmin(OrgScopedAdmin):
    list_display = ("full_name", "title", "company", "seniority")
    list_filter = ("seniority",)
    search_fields = ("full_name", "normalized_name", "title", "emails__email")
    list_select_related = ("company",)
    raw_id_fields = ("company", "reports_to")
    inlines = [PersonEmailInline, PersonPhoneInline, SourceRecordInline]


@admin.register(PersonEmail)
class PersonEmailAdmin(OrgScopedAdmin):
    list_display = ("email", "person", "is_primary")
    search_fields = ("email", "person__full_name")
    list_select_related = ("person",)
    raw_id_fields = ("person",)


@admin.register(PersonPhone)
class PersonPhoneAdmin(OrgScopedAdmin):
    list_display = ("e164", "label", "person")
    search_fields = ("e164", "person__full_name")
    list_select_related = ("person",)
    raw_id_fields = ("person",)


@admin.register(SourceRecord)
class SourceRecordAdmin(OrgScopedAdmin):
    list_display = ("source", "external_id", "person", "imported_at")
    list_filter = ("source",)
    search_fields = ("external_id", "person__full_name")
    list_select_related = ("person",)
    raw_id_fields = ("person",)


@admin.register(PersonMerge)
class PersonMergeAdmin(OrgScopedAdmin):
    """The merge history: read it here; undo a merge from the contacts pages, which restores rows."""

    list_display = ("merged_name", "kept", "kind", "merged_by", "merged_at", "undone_at")
    list_filter = ("kind",)
    search_fields = ("merged_name", "kept__full_name")
    list_select_related = ("kept", "merged_by__person")
    raw_id_fields = ("kept", "merged_by")
    readonly_fields = ("fields", "snapshot", "merged_at", "undone_at")


@admin.register(MergeCandidate)
class MergeCandidateAdmin(OrgScopedAdmin):
    list_display = ("person_a", "person_b", "score", "reason", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("person_a__full_name", "person_b__full_name")
    list_select_related = ("person_a", "person_b")
    raw_id_fields = ("person_a", "person_b", "decided_by")


register_remaining("contacts")
