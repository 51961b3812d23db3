"""One import: records from one or more read files, resolved against the organization and written.

The run works in memory first (the identity index), then writes in bulk; the caller wraps it in
``transaction.atomic`` so that a failure anywhere leaves the database as it was, and a preview
is the same run rolled back. Companies, then persons, then what refers to persons (org chart,
introductions, links, deals, buying roles), then interactions.

``ImportRun`` holds the state of one run and its order; the writing is in the modules beside it:
companies.py, persons.py, ties.py (the member's ties and links among persons), deals.py and
activity.py (interactions).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from django.utils import timezone

from revere.contacts.identity import DEFAULT_REGION, normalize_email
from revere.contacts.models import PersonEmail
from revere.ingest.records import PersonRecord, ReadResult
from revere.ingest.service import (
    activity,
    attached,
    clusters,
    companies,
    deals,
    domains,
    merges_open,
    persons,
    stated_roles,
    ties,
)
from revere.ingest.service.attribution import LinkTracker, Shadow
from revere.ingest.service.domains import Attribution
from revere.ingest.service.index import CompanyEntry, IdentityIndex, PersonEntry
from revere.ingest.service.report import ImportReport
from revere.tenancy.models import Member

Progress = Callable[[int, int], None]


def record_count(result: ReadResult) -> int:
    """The records a read file holds: what the progress counts and the row limit applies to."""
    return (
        len(result.companies)
        + len(result.persons)
        + len(result.interactions)
        + len(result.links)
        + len(result.deals)
        + len(result.buying_roles)
    )


class ImportRun:
    def __init__(
        self,
        *,
        member: Member,
        regions: tuple[str, ...] = (DEFAULT_REGION,),
        progress: Progress | None = None,
    ) -> None:
        self.member = member
        self.org_id = member.organization_id
        self.regions = regions  # for phone numbers without a country code, after the record's own
        self.progress = progress
        self.now = timezone.now()
        self.report = ImportReport()
        self.index = IdentityIndex.load(self.org_id)
        self.company_keys: dict[tuple[str, str], CompanyEntry] = {}
        self.person_keys: dict[tuple[str, str], PersonEntry] = {}
        # file, namespace, record, entry of every person record, for what refers to persons
        self.person_rows: list[tuple[str, str, PersonRecord, PersonEntry]] = []
        self.source_records: list[tuple[PersonEntry, str, str, dict[str, Any]]] = []
        self.import_merges: list[
            tuple[PersonEntry, PersonRecord, str, dict[str, Any], list[str], list[str], str, str, Shadow]
        ] = []
        # What records merged into known persons attach to them, for an exact undo (attribution.py).
        self.shadows: list[Shadow] = []
        self.shadow_by_email: dict[str, Shadow] = {}
        self.shadow_by_key: dict[tuple[str, str], Shadow] = {}
        self.shadow_by_match: dict[tuple[str, str], Shadow] = {}  # ("email", address) -> who added it
        self.links = LinkTracker()
        self.tie_wants: defaultdict[int, list[tuple[dt.date | None, tuple[int, ...]]]] = defaultdict(list)
        self.field_offers: defaultdict[int, list[tuple[tuple[int, ...], dict[str, Any]]]] = defaultdict(list)
        self.candidates: list[tuple[PersonEntry, PersonEntry, float, str]] = []
        self.tie_wanted: dict[int, tuple[PersonEntry, dt.date | None]] = {}
        self.member_person = self.index.persons_by_pk.get(member.person_id)
        self.member_emails = {
            normalize_email(e)
            for e in PersonEmail.unrestricted.filter(person_id=member.person_id).values_list(
                "email", flat=True
            )
        }
        if member.user.email:
            self.member_emails.add(normalize_email(member.user.email))
        self.done = 0
        self.total = 0
        self.stored_company_keys: dict[str, dict[str, int]] = {}  # source -> external id -> company id
        # The contacts of earlier imports this import's deals name (and no file of it holds).
        self.stored_contacts: dict[tuple[str, str], stated_roles.StoredContact] = {}
        self.cluster_of: dict[int, Hashable] = {}  # id(person record) -> its group (clusters.py)
        self.cluster_entry: dict[Hashable, PersonEntry] = {}  # group -> the person it is
        self.domains = Attribution()  # which company each domain of the import belongs to (domains.py)

    # -- the whole run -------------------------------------------------------------------------

    def run(self, results: list[tuple[str, ReadResult]]) -> ImportReport:
        self.total = sum(record_count(r) for _, r in results)
        if clusters.bridge_known(self, results):  # known persons the records name as one: merged first
            self.index = IdentityIndex.load(self.org_id)
            self.member_person = self.index.persons_by_pk.get(self.member.person_id)
        self.stored_contacts = stated_roles.load(self, results)
        merges_open.load(self, results)  # earlier imports' merges: what reaches their persons through them
        for name, result in results:
            entry: dict[str, Any] = {"name": name, "format": result.format, "rows_read": result.rows_read}
            if not record_count(result):
                # Said on the page and by the CLI, not only as zeros (an empty calendar, a plan file).
                reasons = [i.message for i in result.issues if i.line is None] or [
                    i.message for i in result.issues
                ]
                entry["empty"] = reasons[0] if reasons else "The file holds nothing to import."
            self.report.files.append(entry)
            for issue in result.issues:
                self.report.add(
                    file=name,
                    line=issue.line,
                    kind="row",
                    action="error" if issue.level == "error" else "skipped",
                    label="",
                    reason=issue.message,
                )
        for name, result in results:
            for company in result.companies:
                companies.company_record(self, name, result.format, company)
        for name, result in results:
            for person in result.persons:
                companies.person_company(self, name, result.format, person)
        domains.interactions_touch(self, results)
        domains.attribute(self)  # from every record's evidence at once: independent of their order
        for _, result in results:
            for person in result.persons:
                companies.place_by_domain(self, person)
        companies.flush_companies(self)
        clusters.cluster(self, results)  # which records are one person, from all of them at once
        for name, result in results:
            for person in result.persons:
                persons.person_record(self, name, result.format, person)
        persons.flush_persons(self)
        self.links.watch = {s.entry.pk for s in self.shadows if s.entry.pk is not None}
        ties.org_chart_and_introductions(self)
        for name, result in results:
            ties.links(self, name, result)
        deals.deals_and_roles(self, results)
        for name, result in results:
            activity.interactions(self, name, result)
        persons.flush_persons(self)
        ties.flush_ties(self)
        domains.settle(self)
        attached.finish(self)
        return self.report

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done % 500 == 0 or self.done >= self.total):
            self.progress(self.done, self.total)
