"""Ties (member to person), links (person to person), interactions, snapshots."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from revere.tenancy import visibility
from revere.tenancy.models import OrgScoped


class NetworkClass(models.TextChoices):
    MARKET = "market", "Market"
    PROSPECT = "prospect", "Prospect"
    INTERNAL = "internal", "Internal"
    CUSTOMER = "customer", "Customer"


class Visibility(models.TextChoices):
    TEAM = "team", "Team"
    PRIVATE = "private", "Private"


class StrengthBand(models.TextChoices):
    STRONG = "strong", "Strong"
    MEDIUM = "medium", "Medium"
    WEAK = "weak", "Weak"
    DORMANT = "dormant", "Dormant"


class Tie(OrgScoped):
    """A member's relationship to a person."""

    visible_by = visibility.TIES

    member = models.ForeignKey("tenancy.Member", on_delete=models.CASCADE, related_name="ties")
    # The member's own Person, kept beside ``member`` so that the database itself refuses a
    # tie to oneself and the graph loads ego -> alter edges without a join.
    ego = models.ForeignKey("contacts.Person", on_delete=models.CASCADE, related_name="ties_as_ego")
    person = models.ForeignKey("contacts.Person", on_delete=models.CASCADE, related_name="ties")
    strength = models.FloatField(default=0.0, help_text="computed from interactions, 0..1")
    strength_override = models.FloatField(null=True, blank=True)
    network_class = models.CharField(max_length=10, choices=NetworkClass.choices, default=NetworkClass.MARKET)
    network_class_override = models.CharField(max_length=10, choices=NetworkClass.choices, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.TEAM)
    since = models.DateField(null=True, blank=True)
    last_interaction = models.DateTimeField(null=True, blank=True)
    cadence_days = models.PositiveIntegerField(null=True, blank=True, help_text="keep-in-touch override")
    snoozed_until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="private to the member")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "member", "person"], name="tie_unique"),
            models.CheckConstraint(condition=~Q(ego=F("person")), name="tie_not_to_self"),
            models.CheckConstraint(
                condition=Q(strength__gte=0) & Q(strength__lte=1), name="tie_strength_range"
            ),
            models.CheckConstraint(
                condition=Q(strength_override__isnull=True)
                | (Q(strength_override__gt=0) & Q(strength_override__lte=1)),
                name="tie_override_range",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "member", "network_class"]),
            models.Index(fields=["organization", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} -> {self.person_id}"

    @property
    def effective_strength(self) -> float:
        return self.strength_override if self.strength_override is not None else self.strength

    @property
    def effective_class(self) -> str:
        return self.network_class_override or self.network_class


class LinkSource(models.TextChoices):
    ORG_CHART = "org_chart", "Org chart"
    MET_TOGETHER = "met", "Met together"
    EMAILED_TOGETHER = "emailed", "E-mailed together"
    INTRODUCED = "introduced", "Introduced"
    STATED = "stated", "Stated by a member"
    COMMUNITY = "community", "Same community"


class Link(OrgScoped):
    """Two persons know each other. Stored once per pair, with ``a_id < b_id``."""

    visible_by = visibility.SHARED

    a = models.ForeignKey("contacts.Person", on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey("contacts.Person", on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField(default=0.5)
    source = models.CharField(max_length=12, choices=LinkSource.choices, default=LinkSource.STATED)
    last_seen = models.DateTimeField(null=True, blank=True)
    # Who said so, for a link a member stated (source "stated"): they (or an admin) may undo it.
    stated_by = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "a", "b"], name="link_unique_pair"),
            # a < b: one row per pair, and never a person linked to themself.
            models.CheckConstraint(condition=Q(a__lt=F("b")), name="link_ordered_not_self"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=1), name="link_weight_range"),
        ]
        indexes = [models.Index(fields=["organization", "b"])]

    def __str__(self) -> str:
        return f"{self.a_id} -- {self.b_id}"


class InteractionKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    EMAIL = "email", "E-mail"
    MESSAGE = "message", "Message"
    EVENT = "event", "Event"


class Interaction(OrgScoped):
    visible_by = visibility.OwnOrScope("member")

    kind = models.CharField(max_length=10, choices=InteractionKind.choices)
    occurred_at = models.DateTimeField()
    subject = models.CharField(max_length=300, blank=True)
    # The member whose records this came from (whose mailbox, calendar or log).
    member = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # True when the member started it (sent the mail, organized the meeting).
    outbound = models.BooleanField(default=True)
    # Mailing lists and big meetings say little about any one pair.
    audience = models.PositiveIntegerField(default=2)
    external_id = models.CharField(max_length=255, blank=True, help_text="Message-ID, UID...")
    participants = models.ManyToManyField(
        "contacts.Person", through="InteractionParticipant", related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["organization", "member", "occurred_at"]),
            models.Index(fields=["organization", "external_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"


class ParticipantRole(models.TextChoices):
    ORGANIZER = "organizer", "Organizer"
    SENDER = "sender", "Sender"
    RECIPIENT = "recipient", "Recipient"
    ATTENDEE = "attendee", "Attendee"


class InteractionParticipant(OrgScoped):
    visible_by = visibility.Through("interaction")

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey("contacts.Person", on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=10, choices=ParticipantRole.choices, default=ParticipantRole.ATTENDEE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "interaction", "person"], name="participant_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "person"])]


class Snapshot(OrgScoped):
    """A member's network metrics at a date, for trends."""

    visible_by = visibility.OwnOrScope("member")

    member = models.ForeignKey("tenancy.Member", on_delete=models.CASCADE, related_name="snapshots")
    network_class = models.CharField(max_length=10, choices=NetworkClass.choices)
    taken_on = models.DateField()
    metrics = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "member", "network_class", "taken_on"], name="snapshot_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "member", "taken_on"])]


class GraphSnapshot(OrgScoped):
    """The organization's latest graph snapshot on disk (revere/network/graph/snapshot.py).

    One row per organization: the data version the snapshot stands for and its directory under
    ``REVERE_GRAPH_DIR``. ``requested`` is the highest version a rebuild was asked for, so that many
    web processes noticing the same change enqueue one task (single flight). Internal bookkeeping of
    the graph loader, never shown to a member.
    """

    visible_by = visibility.SHARED

    version = models.PositiveBigIntegerField(default=0)
    directory = models.CharField(max_length=200, blank=True)
    requested = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization"], name="graphsnapshot_one_per_org")]

    def __str__(self) -> str:
        return f"{self.organization_id}@{self.version}"
