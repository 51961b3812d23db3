"""Companies of an import: resolved by external key, domain or normalized name, then written in bulk.

A company record, and every person record that names a company, is resolved against the
identity index before persons are matched (a person's company helps to match them). New
companies, changed fields, domains and external keys are written by :func:`flush_companies`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from revere.contacts.domains import can_name_a_company
from revere.contacts.identity import (
    is_email,
    normalize_company_name,
    normalize_domain,
    normalize_email,
)
from revere.contacts.models import Company, CompanyDomain, CompanyStatus
from revere.ingest.models import ExternalKey
from revere.ingest.records import CompanyRecord, PersonRecord
from revere.ingest.service import domains
from revere.ingest.service.bulk import BATCH, entries_update
from revere.ingest.service.index import CompanyEntry, cut, written_pk

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun


def company_for(
    run: ImportRun, *, name: str = "", domains: list[str] | tuple[str, ...] = (), create: bool = True
) -> CompanyEntry | None:
    """The company with one of these domains or this normalized name; a new one if allowed."""
    for domain in domains:
        hit = run.index.company_by_domain.get(domain)
        if hit is not None:
            return hit
    normalized = normalize_company_name(name) if name.strip() else ""
    if normalized:
        hit = run.index.company_by_name.get(normalized)
        if hit is not None:
            return hit
    if not create or not normalized:
        return None
    entry = CompanyEntry(pk=None, name=cut(name, 255), normalized_name=normalized[:255])
    run.index.add_company(entry)
    return entry


def stored_company(run: ImportRun, namespace: str, external_id: str) -> CompanyEntry | None:
    """The company an earlier import made for this key (one query per source, then memory)."""
    if namespace not in run.stored_company_keys:
        run.stored_company_keys[namespace] = dict(
            ExternalKey.unrestricted.filter(
                organization_id=run.org_id, source=namespace, kind="company"
            ).values_list("external_id", "object_id")
        )
    object_id = run.stored_company_keys[namespace].get(external_id)
    return run.index.companies_by_pk.get(object_id) if object_id else None


def company_by_key(run: ImportRun, namespace: str, key: str | None) -> CompanyEntry | None:
    """The company a record refers to by key: one of this import's, else one an earlier import made."""
    if not key:
        return None
    return run.company_keys.get((namespace, key)) or stored_company(run, namespace, key)


def company_record(run: ImportRun, file: str, namespace: str, record: CompanyRecord) -> None:
    run.tick()
    note = partial(run.report.add, file=file, line=record.line, kind="company")
    domains = [d for d in (normalize_domain(x) for x in record.domains) if d]
    ext = record.external_id or record.key
    # By key, else by name; never by domain: two accounts sharing a website are two companies
    # (a sample export's "Thoughtbridge 78" was folded into "Skippad 225" by xinhuanet.com).
    before = stored_company(run, namespace, ext) or company_for(run, name=record.name, create=False)
    if before is None and not normalize_company_name(record.name or ""):
        note(action="skipped", label=record.key, reason="no company name")
        return
    entry = before or company_for(run, name=record.name)
    assert entry is not None
    entry.reported = True
    run.company_keys[(namespace, record.key)] = entry
    entry.external_keys.add((namespace, ext))
    changed = []
    for domain in domains:
        if can_name_a_company(domain):
            run.domains.state(entry, domain, file, record.line)  # attributed by domains.attribute
        else:
            note(
                action="skipped",
                label=domain,
                reason=f"website domain {domain} names no company (free mail, reserved or a placeholder)",
            )
    for attr, n in (("industry", 120), ("size_band", 10), ("region", 120)):
        value = cut(getattr(record, attr), n)
        if not value or value == getattr(entry, attr):
            continue  # an update is counted only when a value changes (a re-import changes nothing)
        if entry.pk is None:
            if not getattr(entry, attr):
                setattr(entry, attr, value)
        else:
            entry.dirty.add(attr)
            setattr(entry, attr, value)
            changed.append(attr)
    settable = record.status in CompanyStatus.values and record.status != CompanyStatus.OWN
    if settable and entry.status == CompanyStatus.OTHER and record.status != entry.status:
        entry.status = record.status
        entry.dirty.add("status")
        changed.append("status")
    if before is None:
        note(action="created", label=entry.name)
    elif changed:
        note(action="updated", label=entry.name, reason=", ".join(sorted(set(changed))))
    else:
        note(action="skipped", label=entry.name, reason="already known, nothing new")


def person_company(run: ImportRun, file: str, namespace: str, record: PersonRecord) -> None:
    """Resolve (or create) the company a person record names, before persons are matched."""
    company = company_by_key(run, namespace, record.company_key)
    if company is None and record.company_name.strip():
        company = company_for(run, name=record.company_name)
        if company is not None and company.pk is None and not company.reported:
            company.reported = True
            run.report.add(
                file=file,
                line=record.line,
                kind="company",
                action="created",
                label=company.name,
                reason="named by a person's row",
            )
    domains.person_evidence(run, record, company)
    # A company the file names; one placed by an address's domain is decided once every record of
    # the import has given its evidence (place_by_domain).
    record._company = company  # type: ignore[attr-defined]
    record._placed = ""  # type: ignore[attr-defined]


def place_by_domain(run: ImportRun, record: PersonRecord) -> None:
    """A record that names no company: the company its addresses' domain belongs to, if any."""
    if getattr(record, "_company", None) is None:
        emails = [e for e in (normalize_email(x) for x in record.emails) if is_email(e)]
        record._company, record._placed = domains.placed_company(run, emails)  # type: ignore[attr-defined]


def flush_companies(run: ImportRun) -> None:
    """Write new companies, changed fields, new domains and the external keys of this import."""
    new = [e for e in run.index.company_by_name.values() if e.pk is None]
    objs = [
        Company(
            organization_id=run.org_id,
            name=e.name,
            normalized_name=e.normalized_name,
            industry=e.industry,
            size_band=e.size_band,
            region=e.region,
            status=e.status,
        )
        for e in new
    ]
    for obj, entry in zip(Company.unrestricted.bulk_create(objs, batch_size=BATCH), new, strict=True):
        entry.pk = obj.pk
        entry.obj = obj
        run.index.companies_by_pk[obj.pk] = entry
    entries_update(Company, run.index.companies_by_pk.values())
    domains = []
    keys = []
    for entry in run.index.companies_by_pk.values():
        for domain in entry.new_domains:
            domains.append(
                CompanyDomain(organization_id=run.org_id, company_id=written_pk(entry), domain=domain[:255])
            )
        entry.new_domains.clear()
        for source, ext in entry.external_keys:
            keys.append(
                ExternalKey(
                    organization_id=run.org_id,
                    source=source,
                    kind="company",
                    external_id=ext[:255],
                    object_id=written_pk(entry),
                )
            )
        entry.external_keys.clear()
    CompanyDomain.unrestricted.bulk_create(domains, batch_size=BATCH)
    ExternalKey.unrestricted.bulk_create(keys, batch_size=BATCH, ignore_conflicts=True)
