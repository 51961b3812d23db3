"""Reads for the import pages and API: the member's import jobs, the review queue, recent merges."""

from __future__ import annotations

from django.db.models import QuerySet

from revere.contacts.models import MergeCandidate, PersonMerge
from revere.ingest.models import ImportJob
from revere.tenancy.models import Member
from revere.tenancy.visibility import organization_filter, persons_visible, selector


@selector
def import_jobs_recent(*, member: Member, limit: int = 20) -> list[ImportJob]:
    """The member's own import jobs, newest first (no file contents)."""
    return list(
        organization_filter(ImportJob, member)
        .filter(member_id=member.pk)
        .order_by("-created_at", "-id")[:limit]
    )


@selector
def import_job_get(*, member: Member, job_id: int) -> ImportJob:
    """One of the member's own jobs; ImportJob.DoesNotExist for anyone else's."""
    return (
        organization_filter(ImportJob, member)
        .select_related("member__user")
        .get(pk=job_id, member_id=member.pk)
    )


@selector
def merge_candidates_open(*, member: Member, limit: int = 200) -> QuerySet[MergeCandidate]:
    """Pairs that may be one person, waiting for review. Persons are the organization's shared map."""
    persons = persons_visible(member)
    return (
        organization_filter(MergeCandidate, member)
        .filter(status=MergeCandidate.Status.OPEN, person_a__in=persons, person_b__in=persons)
        .select_related("person_a__company", "person_b__company")
        .prefetch_related("person_a__emails", "person_b__emails")
        .order_by("-score", "id")[:limit]
    )


@selector
def merge_candidate_get(*, member: Member, candidate_id: int) -> MergeCandidate:
    return (
        organization_filter(MergeCandidate, member)
        .select_related("person_a", "person_b")
        .get(pk=candidate_id)
    )


@selector
def person_merges_recent(*, member: Member, limit: int = 50) -> list[PersonMerge]:
    return list(
        organization_filter(PersonMerge, member)
        .select_related("kept", "merged_by__person")
        .order_by("-merged_at", "-id")[:limit]
    )


@selector
def person_merge_get(*, member: Member, merge_id: int) -> PersonMerge:
    return organization_filter(PersonMerge, member).select_related("kept").get(pk=merge_id)
