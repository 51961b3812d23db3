"""Deals, their stages and history, buying roles, references."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from revere.tenancy import visibility
from revere.tenancy.models import OrgScoped


class Stage(models.TextChoices):
    IDENTIFY = "identify", "1 · Identify prospects"
    BUY_IN = "buy_in", "2 · Build buy-in"
    SOLUTION = "solution", "3 · Create the solution"
    CLOSE = "close", "4 · Close"
    WON = "won", "Won"
    LOST = "lost", "Lost"


OPEN_STAGES = (Stage.IDENTIFY, Stage.BUY_IN, Stage.SOLUTION, Stage.CLOSE)


class Deal(OrgScoped):
    visible_by = visibility.DEALS

    name = models.CharField(max_length=255)
    company = models.ForeignKey("contacts.Company", on_delete=models.PROTECT, related_name="deals")
    owner = models.ForeignKey("tenancy.Member", on_delete=models.PROTECT, related_name="owned_deals")
    team = models.ManyToManyField("tenancy.Member", blank=True, related_name="deal_teams")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.IDENTIFY)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    expected_close = models.DateField(null=True, blank=True)
    needed_expertise = models.JSONField(default=list, blank=True)
    external_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "stage"]),
            models.Index(fields=["organization", "company"]),
            models.Index(fields=["organization", "owner"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class DealStageChange(OrgScoped):
    visible_by = visibility.Through("deal")

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="history")
    from_stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=10, choices=Stage.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    #: Moved past a failing exit check (with a reason): shown flagged in the history.
    flagged = models.BooleanField(default=False)
    #: The exit checks that failed when the move was made, as their messages.
    failed_checks = models.JSONField(default=list, blank=True)
    #: A won or lost deal taken back to an open stage.
    reopened = models.BooleanField(default=False)
    source = models.CharField(max_length=20, default="app", help_text="app, api, cli or import")

    class Meta:
        ordering = ["changed_at", "id"]


class BuyingRoleKind(models.TextChoices):
    ECONOMIC_BUYER = "economic_buyer", "Economic buyer"
    DECISION_MAKER = "decision_maker", "Decision maker"
    TECHNICAL_EVALUATOR = "technical_evaluator", "Technical evaluator"
    USER = "user", "User"
    CHAMPION = "champion", "Champion"
    INFLUENCER = "influencer", "Influencer"
    GATEKEEPER = "gatekeeper", "Gatekeeper"
    BLOCKER = "blocker", "Blocker"


class Stance(models.TextChoices):
    SUPPORTER = "supporter", "Supporter"
    NEUTRAL = "neutral", "Neutral"
    OPPONENT = "opponent", "Opponent"


class BuyingRole(OrgScoped):
    visible_by = visibility.Through("deal")

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="buying_roles")
    person = models.ForeignKey("contacts.Person", on_delete=models.CASCADE, related_name="buying_roles")
    role = models.CharField(max_length=20, choices=BuyingRoleKind.choices)
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.NEUTRAL)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "deal", "person", "role"], name="buying_role_unique"
            )
        ]


class StageRules(OrgScoped):
    """The organization's stage exit checks and card warnings (docs/playbook.md, "Exit checks").

    One row per organization, edited by its admins in the Django admin; a missing row means the
    defaults below.
    """

    visible_by = visibility.SHARED

    buy_in_min_threads = models.PositiveSmallIntegerField(
        default=2, help_text="Leaving stage 2: at least this many buyer threads (medium tie or stronger)"
    )
    buy_in_min_roles = models.PositiveSmallIntegerField(
        default=2, help_text="Leaving stage 2: threads to at least this many distinct buying roles"
    )
    buy_in_needs_economic_buyer = models.BooleanField(
        default=True, help_text="Leaving stage 2: one of the threads reaches the economic buyer"
    )
    solution_min_cohesion = models.FloatField(
        default=0.3, help_text="Leaving stage 3: the deal team's cohesion (weighted density) at least this"
    )
    close_needs_reference = models.BooleanField(
        default=True, help_text="Leaving stage 4: a reference requested or used for this deal"
    )
    stalled_identify_days = models.PositiveSmallIntegerField(default=60)
    stalled_buy_in_days = models.PositiveSmallIntegerField(default=45)
    stalled_solution_days = models.PositiveSmallIntegerField(default=45)
    stalled_close_days = models.PositiveSmallIntegerField(default=30)
    champion_min_strength = models.FloatField(
        default=0.3,
        help_text="A champion the deal team's strongest tie to has decayed below this strength is fading",
    )

    class Meta:
        verbose_name_plural = "stage rules"
        constraints = [models.UniqueConstraint(fields=["organization"], name="stage_rules_one_per_org")]

    def __str__(self) -> str:
        return "Stage rules"

    def stalled_days(self, stage: str) -> int | None:
        return {
            Stage.IDENTIFY: self.stalled_identify_days,
            Stage.BUY_IN: self.stalled_buy_in_days,
            Stage.SOLUTION: self.stalled_solution_days,
            Stage.CLOSE: self.stalled_close_days,
        }.get(stage)  # type: ignore[call-overload]


class Reference(OrgScoped):
    """A customer person's consent and terms to act as a reference."""

    visible_by = visibility.SHARED

    person = models.OneToOneField("contacts.Person", on_delete=models.CASCADE, related_name="reference")
    consent = models.BooleanField(default=True)
    terms = models.TextField(blank=True, help_text="e.g. calls only, at most one a quarter")
    max_uses = models.PositiveSmallIntegerField(default=1, help_text="at most this many uses ...")
    per_days = models.PositiveSmallIntegerField(default=30, help_text="... per this many days")
    satisfaction = models.PositiveSmallIntegerField(default=4, help_text="1 (unhappy) to 5 (delighted)")
    since = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1) & Q(satisfaction__lte=5), name="reference_satisfaction"
            ),
            models.CheckConstraint(condition=Q(per_days__gte=1), name="reference_per_days"),
        ]


class ReferenceUseStatus(models.TextChoices):
    PENDING = "pending", "Requested"
    USED = "used", "Used"
    DECLINED = "declined", "Declined"


class ReferenceUse(OrgScoped):
    """A reference asked for a deal (pending), then given (used) or declined."""

    visible_by = visibility.SHARED

    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="uses")
    deal = models.ForeignKey(
        Deal, null=True, blank=True, on_delete=models.SET_NULL, related_name="reference_uses"
    )
    member = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ReferenceUseStatus.choices, default=ReferenceUseStatus.USED
    )
    notes = models.TextField(blank=True)
