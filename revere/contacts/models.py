"""Companies and persons: who is out there, where they work, the org charts."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from revere.tenancy import visibility
from revere.tenancy.models import OrgScoped


class CompanyStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    CUSTOMER = "customer", "Customer"
    OWN = "own", "Own company"
    PARTNER = "partner", "Partner"
    OTHER = "other", "Other"


class SizeBand(models.TextChoices):
    MICRO = "1-10", "1–10"
    SMALL = "11-50", "11–50"
    MEDIUM = "51-250", "51–250"
    LARGE = "251-1000", "251–1,000"
    ENTERPRISE = "1000+", "1,000+"
    UNKNOWN = "", "Unknown"


class Company(OrgScoped):
    visible_by = visibility.SHARED

    name = models.CharField(max_length=255)
    # Lower case, accents and legal suffixes (Inc., GmbH, Ltd) removed: the matching key.
    normalized_name = models.CharField(max_length=255)
    industry = models.CharField(max_length=120, blank=True)
    size_band = models.CharField(max_length=10, choices=SizeBand.choices, blank=True)
    region = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=CompanyStatus.choices, default=CompanyStatus.OTHER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(fields=["organization", "normalized_name"], name="company_unique_name"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="company_not_own_parent"),
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return self.name


class CompanyDomain(OrgScoped):
    visible_by = visibility.SHARED

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=255)
    # True: attributed by imports from people's addresses, and recomputed from them (taken back when
    # the evidence goes: a merge undone, people of another company at the domain); False: stated
    # (a company record's website, a person's edit), never changed by the attribution.
    learned = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "domain"], name="domain_unique")]

    def __str__(self) -> str:
        return self.domain


class DomainPlacement(OrgScoped):
    """A person placed at a company by the domain of their address, not by a file or a person naming it.

    Such a company is no evidence that the domain is the company's (docs/identity.md), and the
    placement is taken back with the domain's attribution (services.company_domains_settle).
    """

    visible_by = visibility.SHARED

    person = models.OneToOneField("Person", on_delete=models.CASCADE, related_name="domain_placement")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(max_length=255)

    def __str__(self) -> str:
        return f"{self.person_id} at {self.company_id} by {self.domain}"


class Seniority(models.TextChoices):
    EXECUTIVE = "executive", "Executive"
    DIRECTOR = "director", "Director"
    MANAGER = "manager", "Manager"
    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff"
    UNKNOWN = "", "Unknown"


class Person(OrgScoped):
    visible_by = visibility.SHARED

    first_name = models.CharField(max_length=120, blank=True)
    last_name = models.CharField(max_length=120, blank=True)
    full_name = models.CharField(max_length=255)
    normalized_name = models.CharField(max_length=255, blank=True)
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    title = models.CharField(max_length=255, blank=True)
    function = models.CharField(max_length=120, blank=True, help_text="department or function")
    seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True)
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    expertise = models.JSONField(default=list, blank=True)
    location = models.CharField(max_length=255, blank=True)
    region = models.CharField(max_length=120, blank=True)
    linkedin_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(condition=~Q(reports_to=F("id")), name="person_not_own_manager")
        ]
        indexes = [
            models.Index(fields=["organization", "company"]),
            models.Index(fields=["organization", "normalized_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        from revere.contacts.services import person_validate_reports_to

        person_validate_reports_to(person=self, manager=self.reports_to)


class PersonEmail(OrgScoped):
    visible_by = visibility.SHARED

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    email = models.CharField(max_length=320, help_text="normalized: lower case, trimmed")
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "email"], name="email_unique_in_org")]

    def __str__(self) -> str:
        return self.email


class PersonPhone(OrgScoped):
    visible_by = visibility.SHARED

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    # E.164 when phonenumbers validates the number (identity.phone_number), else the number as the
    # file wrote it: never dropped, never turned into an impossible number.
    e164 = models.CharField(max_length=64)
    label = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "person", "e164"], name="phone_unique_per_person")
        ]
        indexes = [models.Index(fields=["organization", "e164"])]

    def __str__(self) -> str:
        return self.e164


class SourceRecord(OrgScoped):
    """A record from an imported file that was merged into a person: where they came from."""

    visible_by = visibility.SHARED

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="source_records")
    source = models.CharField(max_length=40)
    external_id = models.CharField(max_length=255)
    data = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "external_id"], name="source_record_unique"
            )
        ]


class PersonMerge(OrgScoped):
    """One person merged into another: enough to undo it.

    ``snapshot`` holds the merged person's own fields, e-mails, phones and every row that pointed
    at them (moved rows by id, rows dropped as duplicates in full), and ``fields`` the kept
    person's values that the merge filled in (field -> value before). An import that folds a
    record into an existing person records the same with ``merged_person_id`` null and the
    added e-mails, phones and source record in ``snapshot``, and under ``snapshot["attached"]``
    everything the import attached through that record (ties, participants, links replayed without
    it, reports-to, buying roles, the fields it filled; revere/ingest/service/attached.py), so
    that undo gives what a separate import would have given (docs/identity.md).
    """

    visible_by = visibility.SHARED

    class Kind(models.TextChoices):
        MANUAL = "manual", "Merged by a member"
        REVIEW = "review", "Merged from the review queue"
        IMPORT = "import", "Merged during an import"

    kept = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges_kept")
    merged_person_id = models.BigIntegerField(null=True, blank=True)
    merged_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    reason = models.CharField(max_length=255, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    merged_by = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "merged_at"])]

    def __str__(self) -> str:
        return f"{self.merged_name} -> {self.kept_id}"


class MergeCandidate(OrgScoped):
    """Two persons who may be one: waits on the review page for a member's decision."""

    visible_by = visibility.SHARED

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MERGED = "merged", "Merged"
        DISMISSED = "dismissed", "Not the same person"

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="name similarity, 0..100")
    reason = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person_a", "person_b"], name="merge_candidate_unique_pair"
            ),
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="merge_candidate_ordered"),
        ]
        indexes = [models.Index(fields=["organization", "status"])]


class CompanyMerge(OrgScoped):
    """One company merged into another: the merged company's row and every row moved, to undo it."""

    visible_by = visibility.SHARED

    kept = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="merges_kept")
    merged_company_id = models.BigIntegerField()
    merged_name = models.CharField(max_length=255)
    fields = models.JSONField(default=dict, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    merged_by = models.ForeignKey(
        "tenancy.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.merged_name} -> {self.kept_id}"
