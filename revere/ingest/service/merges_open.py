"""Import merges of earlier imports, followed by a later one, so that their undo stays exact.

An earlier import folded a record into a known person, adding addresses (and phones, a source
record) to them. A later import that reaches that person through one of those (a mailbox's
message to the added address, a re-import of the same file, a record with the added address)
attaches to the kept person what a separate import would have attached to the record's own
person. Each still-open merge is loaded here as a shadow of the run (``loaded``) with the keys it
added; the writers tag what reaches the person through them as for this import's own merges, and
:func:`extend` adds this import's part to the merge's ``attached`` record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from revere.contacts.identity import normalize_email
from revere.contacts.models import PersonMerge
from revere.ingest.records import PersonRecord, ReadResult
from revere.ingest.service.index import PersonEntry

if TYPE_CHECKING:
    from revere.ingest.service.attribution import Shadow
    from revere.ingest.service.run import ImportRun


def source_key(source: str, external_id: str) -> tuple[str, str]:
    return ("source", f"{source}\x00{external_id}")


def _reachable(run: ImportRun, results: list[tuple[str, ReadResult]]) -> list[int]:
    from revere.ingest.service.persons import record_phones

    """The known persons this import's addresses and phones name, and those its deals name by an earlier
    import's key: only their merges can be reached."""
    emails: set[str] = set()
    phones: set[str] = set()
    for _, result in results:
        for person in result.persons:
            emails.update(normalize_email(e) for e in person.emails)
            phones.update(record_phones(run, person))
        for rec in result.interactions:
            emails.update(normalize_email(e) for e in rec.participants)
            if rec.organizer:
                emails.add(normalize_email(rec.organizer))
    found = {run.index.by_email[e].pk for e in emails if e in run.index.by_email}
    found |= {entry.pk for p in phones if p for entry in run.index.by_phone.get(p, ())}
    found |= {c.person_id for c in run.stored_contacts.values()}
    return sorted(pk for pk in found if pk is not None)


def load(run: ImportRun, results: list[tuple[str, ReadResult]]) -> None:
    """A shadow for each open import merge (with what it recorded) into a person the import names by an
    address or phone, keyed by what it added that the person still has."""
    reachable = _reachable(run, results)
    for i in range(0, len(reachable), 5000):
        _load(run, reachable[i : i + 5000])


def _load(run: ImportRun, kept_ids: list[int]) -> None:
    from revere.ingest.service.attribution import Shadow

    merges = PersonMerge.unrestricted.filter(
        organization_id=run.org_id,
        kept_id__in=kept_ids,
        kind=PersonMerge.Kind.IMPORT,
        merged_person_id__isnull=True,
        undone_at__isnull=True,
        snapshot__has_key="attached",
    ).order_by("id")
    rows = merges.values_list(
        "id",
        "kept_id",
        "fields",
        "snapshot__source",
        "snapshot__external_id",
        "snapshot__attached__emails",
        "snapshot__attached__phones_moved",
        "snapshot__attached__sources",
    )
    for merge_id, kept_id, fields, source, external_id, emails, phones, sources in rows:
        entry = run.index.persons_by_pk.get(kept_id)
        if entry is None:
            continue
        number = len(run.shadows)
        shadow = Shadow(
            number=number,
            entry=entry,
            record=PersonRecord(key=""),
            emails=[e for e in emails or [] if e in entry.emails],
            phones=[],
            separate=PersonEntry(pk=None, full_name="", normalized_name="", company=None),
            wants_tie=False,
            since=None,
            tags=(number,),
            loaded=merge_id,
            merge=PersonMerge(pk=merge_id, fields=fields or {}, snapshot={}),
        )
        run.shadows.append(shadow)
        for email in shadow.emails:
            run.shadow_by_email[email] = shadow
            run.shadow_by_match[("email", email)] = shadow
        for phone in phones or []:
            if phone in entry.phones:
                run.shadow_by_match[("phone", phone)] = shadow
        for src, ext in [[source, external_id], *(sources or [])]:
            run.shadow_by_match[source_key(src, ext)] = shadow


def extend(run: ImportRun, shadows: list[Shadow], parts: dict[int, dict[str, Any]]) -> None:
    """Add what this import attached through loaded shadows to their merges' ``attached`` record."""
    touched = {s.loaded: s for s in shadows if s.loaded and _active(s, parts[s.number])}
    changed = []
    for merge in PersonMerge.unrestricted.filter(pk__in=list(touched)):
        shadow = touched[merge.pk]
        part = parts[shadow.number]
        attached = merge.snapshot["attached"]
        for key in ("participants", "roles", "reports", "emails", "phones_moved", "sources", "children"):
            attached[key] = [*attached.get(key, []), *part[key]]
        attached["phones"] = list(dict.fromkeys([*attached.get("phones", []), *part["phones"]]))
        if part["reports_to"] and not attached.get("reports_to"):
            attached["reports_to"] = part["reports_to"]
        # Later runs' links and ties are undone before earlier ones (each is relative to its run).
        attached["links_later"] = [*attached.get("links_later", []), part["links"]]
        if part["tie"].get("wanted") or part["participants"]:
            attached["ties_later"] = [*attached.get("ties_later", []), part["tie"]]
        separate = attached["separate"]
        for column, value in part["separate"].items():
            if value and not separate.get(column):
                separate[column] = value
        for f, value in part["fields_without"].items():
            attached.setdefault("fields_without", {}).setdefault(f, value)
        changed.append(merge)
    PersonMerge.unrestricted.bulk_update(changed, ["snapshot"], batch_size=500)


def _active(shadow: Shadow, part: dict[str, Any]) -> bool:
    keys = ("participants", "roles", "reports", "emails", "sources", "children", "links", "fields_without")
    return any(part[k] for k in keys) or bool(part["tie"].get("wanted")) or bool(part["reports_to"])
