"""Writes of references asked for a deal (stage 4 of the deal playbook, docs/playbook.md).

A request records a *pending* :class:`~revere.deals.models.ReferenceUse` for the deal and a
pending reference :class:`~revere.levers.models.Contribution` of the teammate who holds the
strongest tie to the reference (the one who makes the ask), for the deal's owner; when the
reference speaks to the buyer the request is marked used and the contribution made (it then counts
in the ledger); a declined request rests neither the reference nor the ledger.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from revere.deals.models import Deal, Reference, ReferenceUse, ReferenceUseStatus
from revere.deals.services import may_edit
from revere.levers.models import Contribution, ContributionKind, ContributionStatus
from revere.network.models import Tie
from revere.tenancy.models import Member

__all__ = ["reference_decline", "reference_mark_used", "reference_request"]


def _holder(member: Member, deal: Deal, reference: Reference) -> Member:
    """The deal-team member with the strongest tie to the reference (the acting member when none)."""
    team = [
        deal.owner_id,
        *Deal.team.through.objects.filter(deal_id=deal.pk).values_list("member_id", flat=True),
    ]
    ties = Tie.unrestricted.filter(
        organization_id=deal.organization_id,
        member_id__in=team,
        person_id=reference.person_id,
        is_active=True,
    ).select_related("member")
    best = max(ties, key=lambda t: (t.effective_strength, -t.member_id), default=None)
    return best.member if best is not None else member


@transaction.atomic
def reference_request(*, member: Member, deal: Deal, reference: Reference, notes: str = "") -> ReferenceUse:
    """Ask ``reference`` to speak for ``deal``: a pending use and a pending contribution of the tie holder.

    Refused: a deal the member may not change, a reference of another organization or without
    consent, a reference already asked for this deal (the pending request is returned instead).
    """
    if not may_edit(member, deal):
        raise PermissionDenied("Only the deal's owner, its deal team and their managers ask for references.")
    if reference.organization_id != member.organization_id:
        raise ValidationError("No such reference.")
    if not reference.consent:
        raise ValidationError("This customer has not agreed to be a reference.")
    existing = (
        ReferenceUse.unrestricted.select_for_update()
        .filter(organization_id=deal.organization_id, deal=deal, reference=reference)
        .exclude(status=ReferenceUseStatus.DECLINED)
        .first()
    )
    if existing is not None:
        return existing
    now = timezone.now()
    use = ReferenceUse.unrestricted.create(
        organization_id=deal.organization_id,
        reference=reference,
        deal=deal,
        member=member,
        used_on=timezone.localdate(),
        status=ReferenceUseStatus.PENDING,
        notes=str(notes or "")[:2000],
    )
    Contribution.unrestricted.create(
        organization_id=deal.organization_id,
        member=_holder(member, deal, reference),
        kind=ContributionKind.REFERENCE,
        status=ContributionStatus.PENDING,
        deal=deal,
        person_id=reference.person_id,
        beneficiary=deal.owner,
        reference_use=use,
        occurred_at=now,
    )
    return use


def _use(member: Member, use: ReferenceUse) -> ReferenceUse:
    if use.organization_id != member.organization_id or use.deal_id is None:
        raise ValidationError("No such reference request.")
    deal = Deal.unrestricted.get(pk=use.deal_id)
    if not may_edit(member, deal):
        raise PermissionDenied("Only the deal's owner, its deal team and their managers record references.")
    return use


@transaction.atomic
def reference_mark_used(*, member: Member, use: ReferenceUse) -> ReferenceUse:
    """The reference spoke to the buyer: the use is made on today's date, the contribution counts."""
    use = _use(member, use)
    if use.status != ReferenceUseStatus.USED:
        use.status = ReferenceUseStatus.USED
        use.used_on = timezone.localdate()
        use.save(update_fields=["status", "used_on"])
        Contribution.unrestricted.filter(reference_use=use, status=ContributionStatus.PENDING).update(
            status=ContributionStatus.MADE, occurred_at=timezone.now()
        )
    return use


@transaction.atomic
def reference_decline(*, member: Member, use: ReferenceUse) -> ReferenceUse:
    """The reference said no (or the ask was dropped): it no longer counts toward their fatigue."""
    use = _use(member, use)
    if use.status == ReferenceUseStatus.PENDING:
        use.status = ReferenceUseStatus.DECLINED
        use.save(update_fields=["status"])
        Contribution.unrestricted.filter(reference_use=use, status=ContributionStatus.PENDING).update(
            status=ContributionStatus.DECLINED
        )
    return use
