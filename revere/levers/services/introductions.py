"""Writes to the contribution ledger: introductions asked for and made.

An introduction starts when a member asks a colleague (the introducer) to introduce them to a
person; it is recorded as a *pending* :class:`~revere.levers.models.Contribution` of the
introducer, with the asking member as beneficiary. When the introducer (or the asker, or a
manager who oversees the introducer) marks it made, it becomes a made contribution of the
introducer and counts in the ledger.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from revere.contacts.models import Person
from revere.deals.models import Deal
from revere.levers.models import Contribution, ContributionKind, ContributionStatus
from revere.tenancy.models import Member
from revere.tenancy.visibility import member_scope_ids


def introduction_request(
    *,
    member: Member,
    introducer: Member,
    person_id: int,
    deal_id: int | None = None,
    notes: str = "",
) -> Contribution:
    """Record that ``member`` asks ``introducer`` for an introduction to the person ``person_id``.

    The introducer must be another active member of the same organization, and the person one
    the asking member may see. Asking twice for the same introduction while the first request is
    still pending returns the pending one instead of recording a duplicate.
    """
    if introducer.organization_id != member.organization_id or not introducer.is_active:
        raise ValidationError("The introducer must be an active member of your organization.")
    if introducer.pk == member.pk:
        raise ValidationError("You cannot ask yourself for an introduction.")
    if not Person.objects.visible_to(member).filter(pk=person_id).exists():
        raise ValidationError("Unknown person.")
    if deal_id is not None and not Deal.objects.visible_to(member).filter(pk=deal_id).exists():
        raise ValidationError("Unknown deal.")
    with transaction.atomic():
        existing = (
            Contribution.unrestricted.select_for_update()
            .filter(
                organization_id=member.organization_id,
                kind=ContributionKind.INTRODUCTION,
                status=ContributionStatus.PENDING,
                member=introducer,
                beneficiary=member,
                person_id=person_id,
            )
            .first()
        )
        if existing is not None:
            return existing
        return Contribution.unrestricted.create(
            organization_id=member.organization_id,
            member=introducer,
            beneficiary=member,
            kind=ContributionKind.INTRODUCTION,
            status=ContributionStatus.PENDING,
            person_id=person_id,
            deal_id=deal_id,
            occurred_at=timezone.now(),
            notes=notes[:2000],
        )


def _may_settle(member: Member, contribution: Contribution) -> bool:
    """The introducer, the asker, or a manager or admin whose scope covers the introducer."""
    if contribution.organization_id != member.organization_id:
        return False
    if member.pk in (contribution.member_id, contribution.beneficiary_id):
        return True
    return member.role != "seller" and contribution.member_id in member_scope_ids(member)


def _pending_introduction(*, member: Member, contribution_id: int) -> Contribution:
    contribution = (
        Contribution.unrestricted.select_for_update()
        .filter(
            organization_id=member.organization_id, pk=contribution_id, kind=ContributionKind.INTRODUCTION
        )
        .first()
    )
    if contribution is None or not _may_settle(member, contribution):
        raise PermissionDenied("No such introduction.")
    if contribution.status != ContributionStatus.PENDING:
        raise ValidationError(f"This introduction is already {contribution.get_status_display().lower()}.")
    return contribution


@transaction.atomic
def introduction_mark_made(*, member: Member, contribution_id: int) -> Contribution:
    """Mark a pending introduction made: it becomes a made contribution of the introducer."""
    contribution = _pending_introduction(member=member, contribution_id=contribution_id)
    contribution.status = ContributionStatus.MADE
    contribution.occurred_at = timezone.now()
    contribution.save(update_fields=["status", "occurred_at"])
    return contribution


@transaction.atomic
def introduction_decline(*, member: Member, contribution_id: int) -> Contribution:
    """Close a pending introduction that will not happen; it earns no credit."""
    contribution = _pending_introduction(member=member, contribution_id=contribution_id)
    contribution.status = ContributionStatus.DECLINED
    contribution.credit = 0
    contribution.save(update_fields=["status", "credit"])
    return contribution
