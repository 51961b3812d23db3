"""One import: records from one or more read files, resolved against the organization and written.

The run works in memory first (the identity index), then writes in bulk; the caller wraps it in
``transaction.atomic`` so that a failure anywhere leaves the database as it was, and a preview
is the same run rolled back. Companies, then persons, then what refers to persons (org chart,
introductions, links, deals, buying roles), then interactions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from revere.contacts.identity import (
    DEFAULT_REGION,
    company_domain_from_email,
    full_name_of,
    is_email,
    normalize_company_name,
    normalize_domain,
    normalize_email,
    normalize_linkedin_url,
    normalize_person_name,
    normalize_phone,
)
from revere.contacts.models import (
    Company,
    CompanyDomain,
    CompanyStatus,
    MergeCandidate,
    Person,
    PersonEmail,
    PersonMerge,
    PersonPhone,
    SourceRecord,
)
from revere.ingest.models import ExternalKey
from revere.ingest.records import CompanyRecord, PersonRecord, ReadResult
from revere.ingest.service.bulk import insert_rows, reserve_ids
from revere.ingest.service.index import CompanyEntry, IdentityIndex, PersonEntry
from revere.ingest.service.report import ImportReport
from revere.network.models import Tie
from revere.tenancy.models import Member

BATCH = 2000
PERSON_COLUMNS = (
    "id", "organization_id", "full_name", "normalized_name", "first_name", "last_name", "company_id", "title",
    "function", "location", "region", "linkedin_url", "seniority", "expertise", "created_at", "updated_at",
)  # fmt: skip
TIE_COLUMNS = (
    "organization_id", "member_id", "ego_id", "person_id", "strength", "network_class", "network_class_override",
    "visibility", "since", "notes", "is_active", "created_at",
)  # fmt: skip
PERSON_FIELDS = ("first_name", "last_name", "title", "function", "location", "region", "linkedin_url")
Progress = Callable[[int, int], None]


def record_data(record: Any) -> dict[str, Any]:
    """The record's non-empty fields, JSON-ready (records are flat: strings, lists of strings, dates)."""
    out: dict[str, Any] = {}
    for k, v in vars(record).items():
        if not v or k[0] == "_":
            continue
        out[k] = v.isoformat() if isinstance(v, dt.date) else v
    return out


def _pk(entry: CompanyEntry | PersonEntry) -> int:
    assert entry.pk is not None, "written before use"
    return entry.pk


def _cut(value: str, n: int) -> str:
    return (value or "").strip()[:n]


class ImportRun:
    def __init__(
        self, *, member: Member, region: str = DEFAULT_REGION, progress: Progress | None = None
    ) -> None:
        self.member = member
        self.org_id = member.organization_id
        self.region = region
        self.progress = progress
        self.now = timezone.now()
        self.report = ImportReport()
        self.index = IdentityIndex.load(self.org_id)
        self.company_keys: dict[tuple[str, str], CompanyEntry] = {}
        self.person_keys: dict[tuple[str, str], PersonEntry] = {}
        self.person_rows: list[
            tuple[str, str, PersonRecord, PersonEntry]
        ] = []  # file, namespace, record, entry
        self.source_records: list[tuple[PersonEntry, str, str, dict[str, Any]]] = []
        self.import_merges: list[
            tuple[PersonEntry, PersonRecord, str, dict[str, Any], list[str], list[str], str, str]
        ] = []
        self.candidates: list[tuple[PersonEntry, PersonEntry, float, str]] = []
        self.tie_wanted: dict[int, tuple[PersonEntry, dt.date | None]] = {}
        self.member_person = self.index.persons_by_pk.get(member.person_id)
        self.member_emails = {
            normalize_email(e)
            for e in PersonEmail.objects.filter(person_id=member.person_id).values_list("email", flat=True)
        }
        if member.user.email:
            self.member_emails.add(normalize_email(member.user.email))
        self.done = 0
        self.total = 0
        self._stored_keys: dict[str, dict[str, int]] = {}

    # -- the whole run -------------------------------------------------------------------------

    def run(self, results: list[tuple[str, ReadResult]]) -> ImportReport:
        from revere.ingest.service import activity

        self.total = sum(
            len(r.companies)
            + len(r.persons)
            + len(r.interactions)
            + len(r.deals)
            + len(r.links)
            + len(r.buying_roles)
            for _, r in results
        )
        for name, result in results:
            self.report.files.append({"name": name, "format": result.format, "rows_read": result.rows_read})
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
                self.company_record(name, result.format, company)
        for name, result in results:
            for person in result.persons:
                self.person_company(name, result.format, person)
        self.flush_companies()
        for name, result in results:
            for person in result.persons:
                self.person_record(name, result.format, person)
        self.flush_persons()
        activity.org_chart_and_introductions(self)
        for name, result in results:
            activity.links(self, name, result)
        for name, result in results:
            activity.deals(self, name, result)
        for name, result in results:
            activity.interactions(self, name, result)
        self.flush_persons()
        self.flush_ties()
        return self.report

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done % 500 == 0 or self.done >= self.total):
            self.progress(self.done, self.total)

    # -- companies -----------------------------------------------------------------------------

    def company_for(
        self, *, name: str = "", domains: list[str] | tuple[str, ...] = (), create: bool = True
    ) -> CompanyEntry | None:
        """The company with one of these domains or this normalized name; a new one if allowed."""
        for domain in domains:
            hit = self.index.company_by_domain.get(domain)
            if hit is not None:
                return hit
        normalized = normalize_company_name(name) if name.strip() else ""
        if normalized:
            hit = self.index.company_by_name.get(normalized)
            if hit is not None:
                return hit
        if not create or not normalized:
            return None
        entry = CompanyEntry(pk=None, name=_cut(name, 255), normalized_name=normalized[:255])
        self.index.add_company(entry)
        return entry

    def stored_company_key(self, namespace: str, external_id: str) -> int | None:
        """The company an earlier import made for this key (one query per source, then memory)."""
        if namespace not in self._stored_keys:
            self._stored_keys[namespace] = dict(
                ExternalKey.objects.filter(
                    organization_id=self.org_id, source=namespace, kind="company"
                ).values_list("external_id", "object_id")
            )
        return self._stored_keys[namespace].get(external_id)

    def company_record(self, file: str, namespace: str, record: CompanyRecord) -> None:
        self.tick()
        domains = [d for d in (normalize_domain(x) for x in record.domains) if d]
        existing = None
        ext = record.external_id or record.key
        key_row = self.stored_company_key(namespace, ext)
        if key_row is not None:
            existing = self.index.companies_by_pk.get(key_row)
        before = existing or self.company_for(name=record.name, domains=domains, create=False)
        if before is None and not normalize_company_name(record.name or ""):
            self.report.add(
                file=file,
                line=record.line,
                kind="company",
                action="skipped",
                label=record.key,
                reason="no company name",
            )
            return
        entry = before or self.company_for(name=record.name, domains=domains)
        assert entry is not None
        entry._reported = True  # type: ignore[attr-defined]
        self.company_keys[(namespace, record.key)] = entry
        entry_ext: set[tuple[str, str]] = getattr(entry, "_ext", set())
        entry_ext.add((namespace, ext))
        entry._ext = entry_ext  # type: ignore[attr-defined]
        changed = []
        for domain in domains:
            if domain not in entry.domains and domain not in self.index.company_by_domain:
                self.index.add_company_domain(entry, domain)
                changed.append("domain")
        for attr, n in (("industry", 120), ("size_band", 10), ("region", 120)):
            value = _cut(getattr(record, attr), n)
            if value and not getattr(entry, attr) and entry.pk is None:
                setattr(entry, attr, value)
            elif value and entry.pk is not None:
                entry.dirty.add(attr)
                setattr(entry, attr, value)
                changed.append(attr)
        settable = record.status in CompanyStatus.values and record.status != CompanyStatus.OWN
        if settable and entry.status == CompanyStatus.OTHER and record.status != entry.status:
            entry.status = record.status
            entry.dirty.add("status")
            changed.append("status")
        if before is None:
            self.report.add(file=file, line=record.line, kind="company", action="created", label=entry.name)
        elif changed:
            self.report.add(
                file=file,
                line=record.line,
                kind="company",
                action="updated",
                label=entry.name,
                reason=", ".join(sorted(set(changed))),
            )
        else:
            self.report.add(
                file=file,
                line=record.line,
                kind="company",
                action="skipped",
                label=entry.name,
                reason="already known, nothing new",
            )

    def person_company(self, file: str, namespace: str, record: PersonRecord) -> None:
        """Resolve (or create) the company a person record names, before persons are matched."""
        company = None
        if record.company_key:
            company = self.company_keys.get((namespace, record.company_key))
            if company is None:
                obj_id = self.stored_company_key(namespace, record.company_key)
                company = self.index.companies_by_pk.get(obj_id) if obj_id else None
        domains = [
            d
            for d in (company_domain_from_email(e) for e in record.emails if is_email(normalize_email(e)))
            if d
        ]
        if company is None and record.company_name.strip():
            company = self.company_for(name=record.company_name, domains=[])
            if company is not None and company.pk is None and not hasattr(company, "_reported"):
                company._reported = True  # type: ignore[attr-defined]
                self.report.add(
                    file=file,
                    line=record.line,
                    kind="company",
                    action="created",
                    label=company.name,
                    reason="named by a person's row",
                )
        if company is None:
            company = self.company_for(domains=domains, create=False)
        if company is not None and company.normalized_name != "":
            for domain in domains[:1]:
                if (
                    normalize_company_name(domain.split(".")[0]) == company.normalized_name
                    or company.pk is None
                ):
                    self.index.add_company_domain(company, domain)
        record._company = company  # type: ignore[attr-defined]

    def flush_companies(self) -> None:
        new = [e for e in self.index.company_by_name.values() if e.pk is None]
        objs = [
            Company(
                organization_id=self.org_id,
                name=e.name,
                normalized_name=e.normalized_name,
                industry=e.industry,
                size_band=e.size_band,
                region=e.region,
                status=e.status,
            )
            for e in new
        ]
        for obj, entry in zip(Company.objects.bulk_create(objs, batch_size=BATCH), new, strict=True):
            entry.pk = obj.pk
            entry.obj = obj
            self.index.companies_by_pk[obj.pk] = entry
        dirty = [e for e in self.index.companies_by_pk.values() if e.dirty]
        if dirty:
            fields = sorted({f for e in dirty for f in e.dirty})
            objs = list(Company.objects.filter(pk__in=[e.pk for e in dirty]))
            by_pk = {e.pk: e for e in dirty}
            for obj in objs:
                for f in fields:
                    setattr(obj, f, getattr(by_pk[obj.pk], f))
            Company.objects.bulk_update(objs, fields, batch_size=BATCH)
            for e in dirty:
                e.dirty.clear()
        domains = []
        for entry in self.index.companies_by_pk.values():
            for domain in entry.new_domains:
                domains.append(
                    CompanyDomain(organization_id=self.org_id, company_id=_pk(entry), domain=domain[:255])
                )
            entry.new_domains.clear()
        CompanyDomain.objects.bulk_create(domains, batch_size=BATCH)
        keys = []
        for entry in self.index.companies_by_pk.values():
            for source, ext in getattr(entry, "_ext", ()):
                keys.append(
                    ExternalKey(
                        organization_id=self.org_id,
                        source=source,
                        kind="company",
                        external_id=ext[:255],
                        object_id=_pk(entry),
                    )
                )
            entry._ext = set()  # type: ignore[attr-defined]
        ExternalKey.objects.bulk_create(keys, batch_size=BATCH, ignore_conflicts=True)

    # -- persons -------------------------------------------------------------------------------

    def person_record(self, file: str, namespace: str, record: PersonRecord) -> None:
        self.tick()
        full = full_name_of(record.first_name, record.last_name, record.full_name)
        emails = [e for e in dict.fromkeys(normalize_email(x) for x in record.emails) if is_email(e)]
        phones = [p for p in dict.fromkeys(normalize_phone(x, self.region) for x in record.phones) if p]
        linkedin_key = normalize_linkedin_url(record.linkedin_url)
        # A person known only by an address is named by it, but has no name to match on.
        normalized = normalize_person_name(full) if full else ""
        if not full and emails:
            full = emails[0]
        label = full or record.key
        if not full and not emails and not phones and not linkedin_key:
            self.report.add(
                file=file,
                line=record.line,
                kind="person",
                action="skipped",
                label=label,
                reason="no name, e-mail, phone or profile",
            )
            return
        source = _cut(record.source or namespace, 40)
        external_id = self.person_external_id(record, normalized, emails)
        company: CompanyEntry | None = getattr(record, "_company", None)
        match = self.index.match_person(
            source_key=(source, external_id),
            emails=emails,
            phones=phones,
            linkedin_key=linkedin_key,
            normalized_name=normalized,
            company=company,
        )
        if match.entry is not None and match.certain:
            entry = match.entry
            same_source = match.reason == "same source record"
            # Only the record a person was made from may change their fields, once per import.
            owner = same_source and entry.primary_source == (source, external_id) and not entry.matched_in_run
            entry.matched_in_run = True
            before = self.fill_person(entry, record, full, company, overwrite=owner)
            added_emails = [e for e in emails if self.index.person_add_email(entry, e)]
            added_phones = [p for p in phones if self.index.person_add_phone(entry, p)]
            changed = sorted(
                set(before)
                | ({"emails"} if added_emails else set())
                | ({"phones"} if added_phones else set())
            )
            if not same_source:
                self.index.by_source[(source, external_id)] = entry
                self.source_records.append((entry, source, external_id, record_data(record)))
                self.import_merges.append(
                    (entry, record, match.reason, before, added_emails, added_phones, source, external_id)
                )
                self.report.add(
                    file=file,
                    line=record.line,
                    kind="person",
                    action="merged",
                    label=label,
                    reason=f"into {entry.full_name}: {match.reason}",
                )
            elif changed:
                self.report.add(
                    file=file,
                    line=record.line,
                    kind="person",
                    action="updated",
                    label=label,
                    reason="changed: " + ", ".join(changed),
                )
            else:
                self.report.add(
                    file=file,
                    line=record.line,
                    kind="person",
                    action="skipped",
                    label=label,
                    reason="already imported, nothing changed",
                )
        else:
            entry = self.new_person(full, normalized, company, record)
            entry.primary_source = (source, external_id)
            entry.matched_in_run = True
            for e in emails:
                self.index.person_add_email(entry, e)
            for p in phones:
                self.index.person_add_phone(entry, p)
            self.index.add_person(entry)
            self.index.by_source[(source, external_id)] = entry
            self.source_records.append((entry, source, external_id, record_data(record)))
            if match.entry is not None:
                self.candidates.append((entry, match.entry, match.score, match.reason))
                self.report.add(
                    file=file,
                    line=record.line,
                    kind="person",
                    action="review",
                    label=label,
                    reason=f"created; may be {match.entry.full_name} ({match.reason}, {match.score:.0f})",
                )
            else:
                self.report.add(file=file, line=record.line, kind="person", action="created", label=label)
        self.person_keys[(namespace, record.key)] = entry
        self.person_rows.append((file, namespace, record, entry))
        if record.is_contact_of_member:
            self.want_tie(entry, record.connected_on)

    def person_external_id(self, record: PersonRecord, normalized: str, emails: list[str]) -> str:
        ext = record.external_id or ("" if record.key.startswith("line:") else record.key)
        if ext:
            return ext[:255]
        # Line numbers change between exports: a line-keyed record is known by its content.
        basis = json.dumps(
            [
                normalized,
                emails,
                normalize_company_name(record.company_name),
                normalize_linkedin_url(record.linkedin_url),
            ]
        )
        return "h:" + hashlib.sha256(basis.encode()).hexdigest()[:32]

    def new_person(
        self, full: str, normalized: str, company: CompanyEntry | None, record: PersonRecord | None = None
    ) -> PersonEntry:
        entry = PersonEntry(
            pk=None, full_name=_cut(full, 255), normalized_name=normalized[:255], company=company, loaded=True
        )
        if record is not None:
            entry.first_name = _cut(record.first_name, 120)
            entry.last_name = _cut(record.last_name, 120)
            entry.title = _cut(record.title, 255)
            entry.function = _cut(record.function, 120)
            entry.location = _cut(record.location, 255)
            entry.region = _cut(record.region, 120)
            entry.linkedin_url = _cut(record.linkedin_url, 500)
            entry.linkedin_key = normalize_linkedin_url(record.linkedin_url)
        return entry

    def load_person(self, entry: PersonEntry) -> None:
        if entry.loaded or entry.pk is None:
            return
        row = Person.objects.filter(pk=entry.pk).values(*PERSON_FIELDS).first() or {}
        for f in PERSON_FIELDS:
            setattr(entry, f, row.get(f, ""))
        entry.loaded = True

    def fill_person(
        self,
        entry: PersonEntry,
        record: PersonRecord,
        full: str,
        company: CompanyEntry | None,
        *,
        overwrite: bool,
    ) -> dict[str, Any]:
        """Fill the person's empty fields from the record (and changed ones, for the same source).

        Returns the fields changed with their values before.
        """
        self.load_person(entry)
        before: dict[str, Any] = {}
        limits = {
            "first_name": 120,
            "last_name": 120,
            "title": 255,
            "function": 120,
            "location": 255,
            "region": 120,
            "linkedin_url": 500,
        }
        for f, n in limits.items():
            value = _cut(getattr(record, f), n)
            current = getattr(entry, f)
            if value and (not current or (overwrite and value != current)):
                before[f] = current
                setattr(entry, f, value)
                entry.dirty.add(f)
        if entry.linkedin_url and not entry.linkedin_key:
            entry.linkedin_key = normalize_linkedin_url(entry.linkedin_url)
            self.index.by_linkedin.setdefault(entry.linkedin_key, entry)
        if company is not None and entry.company is None:
            before["company"] = None
            self.index.person_set_company(entry, company)
            entry.dirty.add("company")
        elif company is not None and overwrite and entry.company is not company:
            before["company"] = entry.company.pk if entry.company else None
            old = self.index.by_company.get(id(entry.company), [])
            if entry in old:
                old.remove(entry)
            entry.company = company
            self.index.by_company[id(company)].append(entry)
            entry.dirty.add("company")
        if full and not entry.full_name:
            before["full_name"] = entry.full_name
            entry.full_name = _cut(full, 255)
            entry.normalized_name = normalize_person_name(full)[:255]
            entry.dirty.update({"full_name", "normalized_name"})
        return before

    def want_tie(self, entry: PersonEntry, since: dt.date | None) -> None:
        if entry is self.member_person or (entry.pk is not None and entry.pk == self.member.person_id):
            return
        prev = self.tie_wanted.get(id(entry))
        if prev is not None and prev[1] is not None and (since is None or prev[1] <= since):
            return
        self.tie_wanted[id(entry)] = (entry, since)

    def flush_persons(self) -> None:
        new = [e for e in self.index.take_pending() if e.pk is None]
        now = timezone.now()
        ids = reserve_ids(Person, len(new))
        person_rows: list[tuple[Any, ...]] = []
        for pk, e in zip(ids, new, strict=True):
            e.pk = pk
            self.index.persons_by_pk[pk] = e
            e.dirty.clear()
            person_rows.append(
                (
                    pk, self.org_id, e.full_name or "(no name)", e.normalized_name, e.first_name, e.last_name,
                    e.company.pk if e.company else None, e.title, e.function, e.location, e.region,
                    e.linkedin_url, "", [], now, now,
                )
            )  # fmt: skip
        insert_rows(Person, PERSON_COLUMNS, person_rows)
        dirty = [e for e in self.index.persons_by_pk.values() if e.dirty]
        if dirty:
            fields = sorted(
                {f for e in dirty for f in e.dirty} - {"company"}
                | ({"company_id"} if any("company" in e.dirty for e in dirty) else set())
            )
            by_pk = {e.pk: e for e in dirty}
            objs = list(
                Person.objects.filter(pk__in=list(by_pk)).only(
                    "id", *[f for f in fields if f != "company_id"]
                )
            )
            for obj in objs:
                e = by_pk[obj.pk]
                for f in fields:
                    if f == "company_id":
                        obj.company_id = e.company.pk if e.company else None
                    else:
                        setattr(obj, f, getattr(e, f))
            Person.objects.bulk_update(objs, [f.removesuffix("_id") for f in fields], batch_size=BATCH)
            for e in dirty:
                e.dirty.clear()
        emails: list[tuple[Any, ...]] = []
        phones: list[tuple[Any, ...]] = []
        for entry in self.index.persons_by_pk.values():
            if not entry.new_emails and not entry.new_phones:
                continue
            pk = _pk(entry)
            for i, email in enumerate(entry.new_emails):
                primary = i == 0 and len(entry.emails) == len(entry.new_emails)
                emails.append((self.org_id, pk, email[:320], primary))
            for phone in entry.new_phones:
                phones.append((self.org_id, pk, phone, ""))
            entry.new_emails, entry.new_phones = [], []
        insert_rows(PersonEmail, ("organization_id", "person_id", "email", "is_primary"), emails)
        insert_rows(PersonPhone, ("organization_id", "person_id", "e164", "label"), phones)
        insert_rows(
            SourceRecord,
            ("organization_id", "person_id", "source", "external_id", "data", "imported_at"),
            [(self.org_id, _pk(e), s, x, d, now) for e, s, x, d in self.source_records],
        )
        self.source_records = []
        merges = []
        for entry, record, reason, before, added_emails, added_phones, source, ext in self.import_merges:
            merges.append(
                PersonMerge(
                    organization_id=self.org_id,
                    kept_id=_pk(entry),
                    merged_name=_cut(
                        full_name_of(record.first_name, record.last_name, record.full_name) or record.key, 255
                    ),
                    kind=PersonMerge.Kind.IMPORT,
                    reason=_cut(reason, 255),
                    fields=before,
                    snapshot={
                        "record": record_data(record),
                        "source": source,
                        "external_id": ext,
                        "emails_added": added_emails,
                        "phones_added": added_phones,
                    },
                    merged_by=self.member,
                )
            )
        PersonMerge.objects.bulk_create(merges, batch_size=BATCH)
        self.import_merges = []
        cands = []
        for fresh, old, score, reason in self.candidates:
            if fresh.pk is None or old.pk is None or fresh.pk == old.pk:
                continue
            a, b = sorted((fresh.pk, old.pk))
            cands.append(
                MergeCandidate(
                    organization_id=self.org_id,
                    person_a_id=a,
                    person_b_id=b,
                    score=score,
                    reason=_cut(reason, 255),
                )
            )
        MergeCandidate.objects.bulk_create(cands, batch_size=BATCH, ignore_conflicts=True)
        self.candidates = []

    def flush_ties(self) -> None:
        wanted = {
            e.pk: since
            for e, since in self.tie_wanted.values()
            if e.pk is not None and e.pk != self.member.person_id
        }
        existing = dict(Tie.objects.filter(member=self.member).values_list("person_id", "since"))
        now = timezone.now()
        new = [
            (
                self.org_id,
                self.member.pk,
                self.member.person_id,
                pk,
                0.0,
                "market",
                "",
                "team",
                since,
                "",
                True,
                now,
            )
            for pk, since in wanted.items()
            if pk not in existing
        ]
        insert_rows(Tie, TIE_COLUMNS, new)
        for pk, since in wanted.items():
            known = existing.get(pk)
            if pk in existing and since is not None and (known is None or since < known):
                Tie.objects.filter(member=self.member, person_id=pk).update(since=since)
        self.new_ties = len(new)
        self.tie_wanted = {}

    def company_status_from_deals(self, company_ids: set[int]) -> None:
        from revere.deals.models import OPEN_STAGES, Deal, Stage

        won = set(
            Deal.objects.filter(company_id__in=company_ids, stage=Stage.WON).values_list(
                "company_id", flat=True
            )
        )
        open_ = set(
            Deal.objects.filter(company_id__in=company_ids, stage__in=OPEN_STAGES).values_list(
                "company_id", flat=True
            )
        )
        base = Company.objects.filter(organization_id=self.org_id, status=CompanyStatus.OTHER)
        base.filter(pk__in=won).update(status=CompanyStatus.CUSTOMER)
        base.filter(Q(pk__in=open_ - won)).update(status=CompanyStatus.PROSPECT)
