"""Persons of an import: matched against the organization (docs/identity.md), filled, written in bulk.

A record that certainly matches a known person fills that person's empty fields (only the record
the person was made from may change filled ones) and adds their addresses; from another source
it is an import merge, recorded as a PersonMerge that can be undone. A record that matches no one
makes a new person, and a merge candidate for review where it may be someone known.
:func:`flush_persons` writes what the run holds in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import partial
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from revere.contacts.identity import (
    full_name_of,
    is_email,
    normalize_company_name,
    normalize_linkedin_url,
    normalize_person_name,
    phone_number,
)
from revere.contacts.models import MergeCandidate, Person, PersonEmail, PersonMerge, PersonPhone, SourceRecord
from revere.contacts.regions import region_code
from revere.ingest.records import PersonRecord
from revere.ingest.service.attribution import new_shadow
from revere.ingest.service.bulk import BATCH, entries_update, insert_rows, reserve_ids
from revere.ingest.service.clusters import Keys, record_keys
from revere.ingest.service.index import CompanyEntry, Match, PersonEntry, cut, written_pk
from revere.ingest.service.merges_open import source_key
from revere.ingest.service.ties import want_tie

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun

PERSON_COLUMNS = (
    "id", "organization_id", "full_name", "normalized_name", "first_name", "last_name", "company_id", "title",
    "function", "location", "region", "linkedin_url", "seniority", "expertise", "created_at", "updated_at",
)  # fmt: skip
# The fields a record may fill, with their column lengths.
PERSON_LIMITS = {
    "first_name": 120,
    "last_name": 120,
    "title": 255,
    "function": 120,
    "location": 255,
    "region": 120,
    "linkedin_url": 500,
}


def record_data(record: Any) -> dict[str, Any]:
    """The record's non-empty fields, JSON-ready (records are flat: strings, lists of strings, dates)."""
    out: dict[str, Any] = {}
    for k, v in vars(record).items():
        if not v or k[0] == "_":
            continue
        out[k] = v.isoformat() if isinstance(v, dt.date) else v
    return out


def person_record(run: ImportRun, file: str, namespace: str, record: PersonRecord) -> None:
    run.tick()
    keys = record_keys(run, namespace, record)
    full, emails, phones, linkedin_key = keys.full, keys.emails, keys.phones, keys.linkedin
    # A person known only by an address is named by it, but has no name to match on.
    normalized = keys.normalized
    if not full and emails:
        full = emails[0]
    note = partial(run.report.add, file=file, line=record.line, kind="person", label=full or record.key)
    if not full and not emails and not phones and not linkedin_key:
        note(action="skipped", reason="no name, e-mail, phone or profile")
        return
    source, external_id = keys.source
    company: CompanyEntry | None = getattr(record, "_company", None)
    placed: str = getattr(record, "_placed", "")  # the domain that placed the record at the company
    match = run.index.match_person(
        source_key=(source, external_id),
        emails=emails,
        phones=phones,
        linkedin_key=linkedin_key,
        normalized_name=normalized,
        company=company,
    )
    group = run.cluster_of.get(id(record))
    group_entry = run.cluster_entry.get(group) if group is not None else None
    if group_entry is not None and not (match.certain and match.entry is not None):
        # one person with other records of the import, whichever came first (clusters.py)
        match = Match(
            group_entry,
            True,
            "one person with other records of this import",
            key=_shared_key(group_entry, keys),
        )
    if match.entry is not None and match.certain:
        entry = match.entry
        same_source = match.reason == "same source record"
        # Only the record a person was made from may change their fields, once per import.
        owner = same_source and entry.primary_source == (source, external_id) and not entry.matched_in_run
        entry.matched_in_run = True
        before = fill_person(run, entry, record, full, company, overwrite=owner, placed=placed)
        added_emails = [e for e in emails if run.index.person_add_email(entry, e)]
        added_phones = [p for p in phones if run.index.person_add_phone(entry, p)]
        changed = sorted(
            set(before) | ({"emails"} if added_emails else set()) | ({"phones"} if added_phones else set())
        )
        tags: tuple[int, ...] = ()
        if same_source:  # a record an earlier merge brought, again: it counts for that merge
            owner_of = run.shadow_by_match.get(source_key(source, external_id))
            tags = owner_of.tags if owner_of is not None and owner_of.entry is entry else ()
        if not same_source:
            run.index.by_source[(source, external_id)] = entry
            run.source_records.append((entry, source, external_id, record_data(record)))
            shadow = new_shadow(
                run,
                entry=entry,
                record=record,
                emails=added_emails,
                phones=phones,
                separate=new_person(full, normalized, company, record),
                namespace=namespace,
                parent=run.shadow_by_match.get(match.key) if match.key else None,
                source=(source, external_id),
                added=[("email", e) for e in added_emails]
                + [("phone", p) for p in added_phones]
                + (
                    [("linkedin", entry.linkedin_key)]
                    if "linkedin_url" in before and entry.linkedin_key
                    else []
                ),
            )
            if shadow.tags[1:] and run.shadows[shadow.tags[1]].entry is not entry:
                shadow.tags = shadow.tags[:1]  # the key now belongs to someone else
            tags = shadow.tags
            run.import_merges.append(
                (entry, record, match.reason, before, added_emails, added_phones, source, external_id, shadow)
            )
            note(action="merged", reason=f"into {entry.full_name}: {match.reason}")
        elif changed:
            note(action="updated", reason="changed: " + ", ".join(changed))
        else:
            note(action="skipped", reason="already imported, nothing changed")
        run.field_offers[id(entry)].append((tags, offered_fields(record, company)))
    else:
        entry = new_person(full, normalized, company, record)
        entry.placed_by = placed if company is not None else ""
        entry.primary_source = (source, external_id)
        entry.matched_in_run = True
        for e in emails:
            run.index.person_add_email(entry, e)
        for p in phones:
            run.index.person_add_phone(entry, p)
        run.index.add_person(entry)
        run.index.by_source[(source, external_id)] = entry
        run.source_records.append((entry, source, external_id, record_data(record)))
        if match.entry is not None:
            run.candidates.append((entry, match.entry, match.score, match.reason))
            note(
                action="review",
                reason=f"created; may be {match.entry.full_name} ({match.reason}, {match.score:.0f})",
            )
        else:
            note(action="created")
    if group is not None:
        run.cluster_entry.setdefault(group, entry)
    run.person_keys[(namespace, record.key)] = entry
    run.person_rows.append((file, namespace, record, entry))
    if record.is_contact_of_member:
        shadow_of = run.shadow_by_key.get((namespace, record.key))
        own = shadow_of.tags if shadow_of is not None and shadow_of.record is record else ()
        again = run.shadow_by_match.get(source_key(source, external_id))
        if not own and again is not None and again.entry is entry:  # a re-import of a merged record
            own = again.tags
        want_tie(run, entry, record.connected_on, tags=own)


def _shared_key(entry: PersonEntry, keys: Keys) -> tuple[str, str] | None:
    """The key a record shares with the person its group gave it, if any (for the merge's undo)."""
    for email in keys.emails:
        if email in entry.emails:
            return ("email", email)
    if keys.linkedin and keys.linkedin == entry.linkedin_key:
        return ("linkedin", keys.linkedin)
    for phone in keys.phones:
        if phone in entry.phones:
            return ("phone", phone)
    return None


def record_phones(run: ImportRun, record: PersonRecord) -> list[str]:
    """The record's numbers as stored: E.164 when valid in its own country or the member's, else as written."""
    regions = (region_code(record.region), *run.regions)
    return [p for p in dict.fromkeys(phone_number(x, regions) for x in record.phones) if p]


def offered_fields(record: PersonRecord, company: CompanyEntry | None) -> dict[str, Any]:
    """The fields a record would fill on a person who lacks them (for the undo of an import merge)."""
    out: dict[str, Any] = {}
    for f, n in PERSON_LIMITS.items():
        value = cut(getattr(record, f), n)
        if value:
            out[f] = value
    if company is not None:
        out["company"] = company
    return out


def person_external_id(record: PersonRecord, normalized: str, emails: list[str]) -> str:
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
    full: str, normalized: str, company: CompanyEntry | None, record: PersonRecord | None = None
) -> PersonEntry:
    entry = PersonEntry(
        pk=None, full_name=cut(full, 255), normalized_name=normalized[:255], company=company, loaded=True
    )
    if record is not None:
        for f, n in PERSON_LIMITS.items():
            setattr(entry, f, cut(getattr(record, f), n))
        entry.linkedin_key = normalize_linkedin_url(record.linkedin_url)
    return entry


def load_person(entry: PersonEntry) -> None:
    if entry.loaded or entry.pk is None:
        return
    row = Person.unrestricted.filter(pk=entry.pk).values(*PERSON_LIMITS).first() or {}
    for f in PERSON_LIMITS:
        setattr(entry, f, row.get(f, ""))
    entry.loaded = True


def fill_person(
    run: ImportRun,
    entry: PersonEntry,
    record: PersonRecord,
    full: str,
    company: CompanyEntry | None,
    *,
    overwrite: bool,
    placed: str = "",
) -> dict[str, Any]:
    """Fill the person's empty fields from the record (and changed ones, for the same source).

    Returns the fields changed with their values before.
    """
    load_person(entry)
    before: dict[str, Any] = {}
    for f, n in PERSON_LIMITS.items():
        value = cut(getattr(record, f), n)
        current = getattr(entry, f)
        if value and (not current or (overwrite and value != current)):
            before[f] = current
            setattr(entry, f, value)
            entry.dirty.add(f)
    if entry.linkedin_url and not entry.linkedin_key:
        entry.linkedin_key = normalize_linkedin_url(entry.linkedin_url)
        run.index.by_linkedin.setdefault(entry.linkedin_key, entry)
    if company is not None and not placed and entry.company is company:
        entry.placed_by = ""  # a file names the company a domain gave: stated now, evidence for it
    if company is not None and entry.company is None:
        before["company"] = None
        run.index.person_set_company(entry, company)
        entry.placed_by = placed
        entry.dirty.add("company")
    elif (
        company is not None
        and (overwrite or (entry.placed_by and not placed))
        and entry.company is not company
    ):
        # the record's own source may move the person; a company a file names beats one a domain gave
        entry.placed_by = placed
        before["company"] = entry.company.pk if entry.company else None
        old = run.index.by_company.get(id(entry.company), [])
        if entry in old:
            old.remove(entry)
        entry.company = company
        run.index.by_company[id(company)].append(entry)
        entry.dirty.add("company")
    if full and not is_email(full) and (not entry.full_name or not entry.normalized_name):
        # a person named by their address takes the first name a record gives, whichever came first
        before["full_name"] = entry.full_name
        entry.full_name = cut(full, 255)
        entry.normalized_name = normalize_person_name(full)[:255]
        entry.dirty.update({"full_name", "normalized_name"})
    return before


def flush_persons(run: ImportRun) -> None:
    """Write new persons, changed fields, addresses, source records, import merges and candidates."""
    new = [e for e in run.index.take_pending() if e.pk is None]
    now = timezone.now()
    ids = reserve_ids(Person, len(new))
    person_rows: list[tuple[Any, ...]] = []
    for pk, e in zip(ids, new, strict=True):
        e.pk = pk
        run.index.persons_by_pk[pk] = e
        e.dirty.clear()
        person_rows.append(
            (
                pk, run.org_id, e.full_name or "(no name)", e.normalized_name, e.first_name, e.last_name,
                e.company.pk if e.company else None, e.title, e.function, e.location, e.region,
                e.linkedin_url, "", [], now, now,
            )
        )  # fmt: skip
    insert_rows(Person, PERSON_COLUMNS, person_rows)
    entries_update(Person, run.index.persons_by_pk.values())
    emails: list[tuple[Any, ...]] = []
    phones: list[tuple[Any, ...]] = []
    for entry in run.index.persons_by_pk.values():
        if not entry.new_emails and not entry.new_phones:
            continue
        pk = written_pk(entry)
        for i, email in enumerate(entry.new_emails):
            primary = i == 0 and len(entry.emails) == len(entry.new_emails)
            emails.append((run.org_id, pk, email[:320], primary))
        for phone in entry.new_phones:
            phones.append((run.org_id, pk, phone, ""))
        entry.new_emails, entry.new_phones = [], []
    insert_rows(PersonEmail, ("organization_id", "person_id", "email", "is_primary"), emails)
    insert_rows(PersonPhone, ("organization_id", "person_id", "e164", "label"), phones)
    insert_rows(
        SourceRecord,
        ("organization_id", "person_id", "source", "external_id", "data", "imported_at"),
        [(run.org_id, written_pk(e), s, x, d, now) for e, s, x, d in run.source_records],
    )
    run.source_records = []
    # The merges are written by attribution.finish, with what their records attached.
    for entry, record, reason, before, added_emails, added_phones, source, ext, shadow in run.import_merges:
        shadow.merge = PersonMerge(
            organization_id=run.org_id,
            kept_id=written_pk(entry),
            merged_name=cut(
                full_name_of(record.first_name, record.last_name, record.full_name) or record.key, 255
            ),
            kind=PersonMerge.Kind.IMPORT,
            reason=cut(reason, 255),
            fields=before,
            snapshot={
                "record": record_data(record),
                "source": source,
                "external_id": ext,
                "emails_added": added_emails,
                "phones_added": added_phones,
            },
            merged_by=run.member,
        )
    run.import_merges = []
    cands = []
    for fresh, old, score, reason in run.candidates:
        if fresh.pk is None or old.pk is None or fresh.pk == old.pk:
            continue
        a, b = sorted((fresh.pk, old.pk))
        cands.append(
            MergeCandidate(
                organization_id=run.org_id, person_a_id=a, person_b_id=b, score=score, reason=cut(reason, 255)
            )
        )
    MergeCandidate.unrestricted.bulk_create(cands, batch_size=BATCH, ignore_conflicts=True)
    run.candidates = []
