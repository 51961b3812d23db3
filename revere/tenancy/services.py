"""Writes on organizations, teams and members."""

from __future__ import annotations

from django.db.models import F

from revere.tenancy.models import Organization


def organization_bump_data_version(*, organization_id: int) -> None:
    """Mark the organization's network as changed: cached graphs of older versions are stale.

    Call after any write to ties, links, persons or companies (one UPDATE, no read).
    """
    Organization.objects.filter(pk=organization_id).update(data_version=F("data_version") + 1)
