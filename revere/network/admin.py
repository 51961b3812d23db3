"""Admin of ties, links, interactions and snapshots, scoped to the admin's organization."""

from __future__ import annotations

from django.contrib import admin

from revere.network.models import Interaction, InteractionParticipant, Link, Snapshot, Tie
from revere.tenancy.admin import OrgScopedAdmin, OrgScopedInline, register_remaining


@admin.register(Tie)
class TieAdmin(OrgScopedAdmin):
    list_display = (
        "member",
        "person",
        "strength",
        "strength_override",
        "network_class",
        "visibility",
        "is_active",
    )
    list_filter = ("network_class", "visibility", "is_active")
    search_fields = ("person__full_name", "member__person__full_name")
    list_select_related = ("member__person", "person")
    raw_id_fields = ("member", "ego", "person")
    owner_only_fields = ("notes",)  # a tie's notes are its member's alone (docs/security.md)


@admin.register(Link)
class LinkAdmin(OrgScopedAdmin):
    list_display = ("a", "b", "weight", "source", "last_seen")
    list_filter = ("source",)
    search_fields = ("a__full_name", "b__full_name")
    list_select_related = ("a", "b")
    raw_id_fields = ("a", "b")


class ParticipantInline(OrgScopedInline):
    model = InteractionParticipant
    raw_id_fields = ("person",)


@admin.register(Interaction)
class InteractionAdmin(OrgScopedAdmin):
    list_display = ("kind", "occurred_at", "subject", "member", "outbound", "audience")
    list_filter = ("kind", "outbound")
    search_fields = ("subject", "external_id")
    list_select_related = ("member__person",)
    raw_id_fields = ("member",)
    date_hierarchy = "occurred_at"
    inlines = [ParticipantInline]


@admin.register(InteractionParticipant)
class InteractionParticipantAdmin(OrgScopedAdmin):
    list_display = ("interaction", "person", "role")
    list_filter = ("role",)
    search_fields = ("person__full_name", "interaction__subject")
    list_select_related = ("interaction", "person")
    raw_id_fields = ("interaction", "person")


@admin.register(Snapshot)
class SnapshotAdmin(OrgScopedAdmin):
    list_display = ("member", "network_class", "taken_on")
    list_filter = ("network_class",)
    list_select_related = ("member__person",)
    raw_id_fields = ("member",)


register_remaining("network")
