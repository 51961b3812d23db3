"""Reads of introductions: those a member asked for and those asked of them."""

from __future__ import annotations

from revere.levers.models import Contribution, ContributionKind, ContributionStatus
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector


@selector
def introductions_open(*, member: Member) -> dict[str, list[Contribution]]:
    """Pending introductions the member asked for, and those asked of them."""
    qs = (
        Contribution.objects.visible_to(member)
        .filter(kind=ContributionKind.INTRODUCTION, status=ContributionStatus.PENDING)
        .select_related("member__person", "beneficiary__person", "person__company")
        .order_by("-occurred_at")
    )
    return {
        "asked": list(qs.filter(beneficiary=member)[:50]),
        "of_me": list(qs.filter(member=member)[:50]),
    }
