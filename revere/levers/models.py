"""Manager levers: the contribution ledger (compensation) and coaching plans (skills).

Compensation (docs/levers.md §4): a :class:`Contribution` is an act of network work (an introduction
made, a reference given, an assist on a deal) with its evidence; :class:`CreditRules` say what each
act earns; a month's credits are computed live until an admin closes the month, which stores them as
:class:`LedgerEntry` rows (:class:`CreditPeriod`): later changes to a closed month's acts go to the
next open month as adjustments.

Skills (docs/levers.md §5): a :class:`CoachingPlan` of a seller holds :class:`CoachingGoal` rows (a
measure of one network, from a value to a target by a date), agreed by the seller and their manager,
and closes met or missed.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from revere.network.models import NetworkClass
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
    """An act of network work credited to ``member``, done for ``beneficiary``, with its evidence.

    Evidence: an introduction is its own request (this row, asked for and then made); a reference
    given points at the :class:`~revere.deals.models.ReferenceUse`; an assist names the deal whose
    team the member was on.
    """

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
    reference_use = models.ForeignKey(
        "deals.ReferenceUse", null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    occurred_at = models.DateTimeField()
    credit = models.DecimalField(max_digits=8, decimal_places=2, default=1)
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "member", "occurred_at"])]


class CreditRules(OrgScoped):
    """What each act earns, one row per organization (an admin edits it; everyone may read it)."""

    visible_by = visibility.SHARED

    introduction_points = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("50"))
    reference_points = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("100"))
    assist_points = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("25"))
    # The share of a won deal's amount credited to an introduction that reached its buyer.
    won_share = models.DecimalField(max_digits=6, decimal_places=4, default=Decimal("0.0100"))
    # At most this much credit per member and month (empty: no cap).
    cap_per_period = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="credit_rules_one_per_org"),
            models.CheckConstraint(
                condition=Q(introduction_points__gte=0)
                & Q(reference_points__gte=0)
                & Q(assist_points__gte=0)
                & Q(won_share__gte=0)
                & Q(won_share__lte=1),
                name="credit_rules_ranges",
            ),
        ]


class CreditPeriod(OrgScoped):
    """A closed month of the ledger: its entries are stored and never change."""

    visible_by = visibility.SHARED

    month = models.DateField(help_text="the first day of the month")
    closed_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rules = models.JSONField(default=dict, help_text="the credit rules the month was closed with")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "month"], name="credit_period_unique")]
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class LedgerEntry(OrgScoped):
    """One credited act (or adjustment) of a closed month, as it was when the month closed."""

    visible_by = visibility.OwnOrScope("member")

    period = models.ForeignKey(CreditPeriod, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey("tenancy.Member", on_delete=models.CASCADE, related_name="ledger_entries")
    kind = models.CharField(max_length=14, choices=ContributionKind.choices)
    evidence = models.CharField(max_length=60, help_text="introduction/ID, reference-use/ID, deal-team/ID")
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.SET_NULL, related_name="ledger_entries"
    )
    deal = models.ForeignKey("deals.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    occurred_on = models.DateField()
    points = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    share = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    credit = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    # For an adjustment: the closed month whose act it corrects.
    adjusts = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "member", "period"])]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    MET = "met", "Met"
    MISSED = "missed", "Missed"


class GoalSource(models.TextChoices):
    GAP = "gap", "Gap against a target"
    STALL = "stall", "Where deals stall"
    MANUAL = "manual", "Set by the manager"


class GoalMetric(models.TextChoices):
    SIZE = "size", "Size"
    EFFECTIVE_SIZE = "effective_size", "Effective size"
    REACH = "reach", "Two-step reach"
    DENSITY = "density", "Density"
    CONSTRAINT = "constraint", "Constraint"
    MEAN_STRENGTH = "mean_strength", "Mean strength"
    DIVERSITY = "diversity", "Diversity"


class CoachingPlan(OrgScoped):
    """A seller's coaching plan: goals from their gaps, agreed with their manager, closed met or missed."""

    visible_by = visibility.OwnOrScope("member")

    member = models.ForeignKey("tenancy.Member", on_delete=models.CASCADE, related_name="coaching_plans")
    created_by = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    starts_on = models.DateField()
    ends_on = models.DateField()
    stall_stage = models.CharField(
        max_length=10, blank=True, help_text="the stage the seller's deals stall in"
    )
    notes = models.TextField(blank=True)
    manager_agreed_at = models.DateTimeField(null=True, blank=True)
    member_agreed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "member", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="plan_dates")
        ]

    @property
    def is_open(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.AGREED)


class CoachingGoal(OrgScoped):
    """Move one measure of one network from ``start_value`` to ``target_value`` by ``due_on``."""

    visible_by = visibility.Through("plan")

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="goals")
    network_class = models.CharField(max_length=10, choices=NetworkClass.choices)
    metric = models.CharField(max_length=16, choices=GoalMetric.choices)
    # The attribute diversity is measured over (company, industry, function), for diversity goals.
    dimension = models.CharField(max_length=10, blank=True)
    start_value = models.FloatField()
    target_value = models.FloatField()
    at_least = models.BooleanField(default=True)
    due_on = models.DateField()
    source = models.CharField(max_length=8, choices=GoalSource.choices, default=GoalSource.GAP)
    reason = models.TextField(blank=True)
    actions = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    final_value = models.FloatField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
