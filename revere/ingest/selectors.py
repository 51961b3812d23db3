"""Reads for the import pages and API: the member's import jobs, the review queue, recent merges."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from revere.contacts.models import MergeCandidate, Person, PersonEmail, PersonMerge
from revere.ingest.models import ImportJob
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector


@selector
def import_jobs_recent(*, member: Member, limit: int = 20) -> list[ImportJob]:
    """The member's own import jobs, newest first (no file contents)."""
    return list(
        ImportJob.objects.visible_to(member)
        .filter(member_id=member.pk)
        .order_by("-created_at", "-id")[:limit]
    )


@selector
def import_job_get(*, member: Member, job_id: int) -> ImportJob:
    """One of the member's own jobs; ImportJob.DoesNotExist for anyone else's."""
    return (
        ImportJob.objects.visible_to(member)
        .select_related("member__user")
        .get(pk=job_id, member_id=member.pk)
    )


@selector
def merge_candidates_open(*, member: Member, limit: int = 200) -> QuerySet[MergeCandidate]:
    """Pairs that may be one person, waiting for review. Persons are the organization's shared map."""
    persons = Person.objects.visible_to(member)
    return (
        MergeCandidate.objects.visible_to(member)
        .filter(status=MergeCandidate.Status.OPEN, person_a__in=persons, person_b__in=persons)
        .select_related("person_a__company", "person_b__company")
        .prefetch_related(
            Prefetch("person_a__emails", queryset=PersonEmail.objects.visible_to(member)),
            Prefetch("person_b__emails", queryset=PersonEmail.objects.visible_to(member)),
        )
        .order_by("-score", "id")[:limit]
    )


@selector
def merge_candidate_get(*, member: Member, candidate_id: int) -> MergeCandidate:
    return (
        MergeCandidate.objects.visible_to(member).select_related("person_a", "person_b").get(pk=candidate_id)
    )


@selector
def person_merges_recent(*, member: Member, limit: int = 50) -> list[PersonMerge]:
    return list(
        PersonMerge.objects.visible_to(member)
        .select_related("kept", "merged_by__person")
        .order_by("-merged_at", "-id")[:limit]
    )


@selector
def person_merge_get(*, member: Member, merge_id: int) -> PersonMerge:
    return PersonMerge.objects.visible_to(member).select_related("kept").get(pk=merge_id)
