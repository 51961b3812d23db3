"""The tenant (Organization), its teams and its members.

Every other tenant table carries an ``organization`` key; nothing crosses organizations.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from revere.tenancy import visibility
from revere.tenancy.restricted import RestrictedManager, UnrestrictedManager, internal_reads


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    # The selling company itself: its people form every member's internal network.
    own_company = models.OneToOneField(
        "contacts.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The region (ISO 3166 code, "DE") phone numbers written without a country code are read in,
    # after the contact's own country; blank: settings.REVERE_PHONE_REGION (docs/identity.md).
    phone_region = models.CharField(max_length=2, blank=True, default="")
    # Bumped by every service that changes ties, links or persons: the graph cache key.
    data_version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class OrgScoped(models.Model):
    """Abstract base of every tenant table: the organization key, indexed first.

    ``objects`` is restricted: reads go through ``Model.objects.visible_to(member)``, which
    applies the model's ``visible_by`` rule (revere/tenancy/visibility.py). ``unrestricted`` is
    for services and bulk writes (revere/tenancy/restricted.py).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[RestrictedManager[Any]] = RestrictedManager()
    unrestricted: ClassVar[UnrestrictedManager[Any]] = UnrestrictedManager()
    visible_by: ClassVar[visibility.Rule]

    class Meta:
        abstract = True

    # Django's own uniqueness and constraint checks read through the default manager.
    def validate_unique(self, exclude: Any = None) -> None:
        with internal_reads():
            super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude: Any = None) -> None:
        with internal_reads():
            super().validate_constraints(exclude=exclude)


class Team(OrgScoped):
    name = models.CharField(max_length=120)
    managers = models.ManyToManyField("tenancy.Member", blank=True, related_name="managed_teams")

    visible_by = visibility.TEAMS

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SELLER = "seller", "Seller"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


class Member(OrgScoped):
    """A user of the organization. A member is also a Person at the own company."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    person = models.OneToOneField("contacts.Person", on_delete=models.PROTECT, related_name="member")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.SELLER)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    # The member's own e-mail addresses, for imports of their mail and calendars.
    is_active = models.BooleanField(default=True)

    # Colleagues are people of the own company: every member sees who the others are.
    visible_by = visibility.SHARED

    class Meta:
        indexes = [models.Index(fields=["organization", "team"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        return self.person.full_name


class GraphChange(OrgScoped):
    """What a write changed in the organization's network, for the graph cache (revere/network/graph).

    One row per write, numbered by ``Organization.data_version`` (which the write raised in the same
    transaction, under the organization row's lock, so versions commit in order). ``ids`` names what
    changed — ``{"ties": [...], "links": [[a, b], ...], "persons": [...], "companies": [...]}`` —
    never how: the graph re-reads those rows. ``full``: something changed, unknown what (a large
    import, a restore), so the graph is rebuilt in the background. Written by
    :func:`revere.tenancy.services.organization_graph_changed`, read only by the graph loader.
    """

    # Internal bookkeeping: ids only, read by the graph loader, never shown to a member.
    visible_by = visibility.SHARED

    version = models.PositiveBigIntegerField()
    full = models.BooleanField(default=False)
    ids = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "version"], name="graphchange_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}@{self.version}"


class ApiToken(OrgScoped):
    """A member's personal API token, for scripts: ``Authorization: Bearer <token>``.

    Only the SHA-256 of the token is stored; the token itself is shown once, when it is made. The
    token reads ``rvr_<organization id>_<secret>`` (the organization id lets the API find the row by
    an index that leads with the organization); ``prefix`` keeps its first characters, to tell tokens
    apart on the member's page. A request with the token acts as its member, with the member's
    role, until the token is revoked or the member is deactivated (revere/tenancy/tokens.py).
    """

    visible_by = visibility.OwnOnly("member")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=24)
    digest = models.CharField(max_length=64, help_text="sha256 of the token, hex")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "digest"], name="apitoken_unique_digest")
        ]
        indexes = [models.Index(fields=["organization", "member"])]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
