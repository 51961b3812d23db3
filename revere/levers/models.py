"""Manager levers: the contribution ledger (compensation for network work)."""

from __future__ import annotations

from django.db import models

from revere.tenancy import visibility
from revere.tenancy.models import OrgScoped


class ContributionKind(models.TextChoices):
    INTRODUCTION = "introduction", "Introduction"
    REFERENCE = "reference", "Reference"
    ASSIST = "assist", "Assist"


class ContributionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    MADE = "made", "Made"
    DECLINED = "declined", "Declined"


class Contribution(OrgScoped):
    visible_by = visibility.OwnOrScope("member", "beneficiary")

    member = models.ForeignKey("tenancy.Member", on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=14, choices=ContributionKind.choices)
    status = models.CharField(
        max_length=10, choices=ContributionStatus.choices, default=ContributionStatus.MADE
    )
    deal = models.ForeignKey(
        "deals.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    person = models.ForeignKey(
        "contacts.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    beneficiary = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField()
    credit = models.DecimalField(max_digits=8, decimal_places=2, default=1)
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "member", "occurred_at"])]
