"""Import jobs and the external keys that let later files refer to earlier ones."""

from __future__ import annotations

from django.db import models

from revere.tenancy import visibility
from revere.tenancy.models import OrgScoped


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    PREVIEWED = "previewed", "Previewed"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(OrgScoped):
    """One import on behalf of a member: the uploaded files, the preview, then the report."""

    visible_by = visibility.OwnOnly("member")

    member = models.ForeignKey("tenancy.Member", on_delete=models.CASCADE, related_name="import_jobs")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    requested_format = models.CharField(max_length=20, default="auto")
    # [{"name": ..., "size": ..., "format": detected format}] in upload order.
    files = models.JSONField(default=list, blank=True)
    options = models.JSONField(default=dict, blank=True, help_text="column_mapping, stage_mapping")
    preview = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, help_text="shown to the user as it is")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "member", "created_at"])]

    def __str__(self) -> str:
        names = ", ".join(f.get("name", "") for f in self.files)
        return f"import {self.pk} ({names})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class ImportFile(OrgScoped):
    """An uploaded file's bytes, kept until the job is confirmed (the preview re-reads them)."""

    visible_by = visibility.Through("job")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="uploads")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        ordering = ["position", "id"]


class ExternalKey(OrgScoped):
    """A reader's key (a Salesforce Account Id, a HubSpot Record ID) mapped to the row it made.

    Persons carry theirs in contacts.SourceRecord; companies and deals here, so that a Contacts
    file imported after its Accounts file finds the companies it refers to.
    """

    visible_by = visibility.SHARED

    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        DEAL = "deal", "Deal"

    source = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    external_id = models.CharField(max_length=255)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "kind", "external_id"], name="external_key_unique"
            )
        ]
