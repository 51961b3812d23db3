"""Which company each domain belongs to, computed from the evidence, and who it places there.

A domain places people at a company (a correspondent at ``acme.com`` becomes a person at Acme), so
the rule is strict (docs/identity.md, "Company domains"):

* **stated**: a company record's website (a CRM account, a HubSpot company, a CSV's website column)
  is the company's domain, unless the domain can name no company (free mail, reserved, a
  placeholder: revere.contacts.domains) or two companies of the import state it (neither gets it),
  or it is already another company's stated domain (that one keeps it);
* **learned** from addresses: people whom a file places at a company (by name or key) and who
  write from the domain are evidence; the domain is the company's when every such address is at
  that one company and there are two addresses at least, or one whose domain reads as the
  company's name (``ada@acme.com`` at Acme). Never free mail, reserved names or placeholders; never
  a domain that people of several companies share. People placed at a company *by* a domain are no
  evidence (the rule would feed itself).

The evidence is the organization's persons as they are plus this import's records, as sets of
(address, company): the attribution is the same whatever the order of the records and however
often a file is imported. It is computed once per import, before persons are matched; what it
places, it records (``DomainPlacement``), so that a domain that stops being a company's (people of
another company write from it; a merge that brought the evidence is undone: :func:`domains_settle`)
takes its learned row and its placements back. Stated domains and companies a file or a person gave
are never taken back.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from revere.contacts.domains import can_name_a_company, domain_owner
from revere.contacts.identity import email_domain, is_email, normalize_email
from revere.contacts.models import CompanyDomain, DomainPlacement
from revere.ingest.records import PersonRecord, ReadResult
from revere.ingest.service.index import CompanyEntry, IdentityIndex, written_pk

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun


class Attribution:
    """The import's evidence and the company of each domain it touches."""

    def __init__(self) -> None:
        self.stated: defaultdict[str, list[tuple[CompanyEntry, str, int | None]]] = defaultdict(list)
        self.addresses: defaultdict[str, set[tuple[str, int]]] = defaultdict(
            set
        )  # domain -> (address, id(company))
        self.companies: dict[int, CompanyEntry] = {}
        self.touched: set[str] = set()
        self.company: dict[str, CompanyEntry | None] = {}  # the answer, for every touched domain
        self.reasons: dict[str, str] = {}

    def state(self, entry: CompanyEntry, domain: str, file: str, line: int | None) -> None:
        self.stated[domain].append((entry, file, line))
        self.touched.add(domain)

    def evidence(self, email: str, company: CompanyEntry) -> None:
        domain = email_domain(email)
        if can_name_a_company(domain):
            self.addresses[domain].add((email, id(company)))
            self.companies[id(company)] = company
            self.touched.add(domain)

    def touch(self, emails: list[str] | Any) -> None:
        for email in emails:
            domain = email_domain(email)
            if can_name_a_company(domain):
                self.touched.add(domain)


def person_evidence(run: ImportRun, record: PersonRecord, company: CompanyEntry | None) -> None:
    """A person record's addresses: evidence for the company a file placed them at, and domains to settle."""
    emails = [normalize_email(e) for e in record.emails]
    emails = [e for e in emails if is_email(e)]
    run.domains.touch(emails)
    if company is not None:
        for email in emails:
            run.domains.evidence(email, company)


def interactions_touch(run: ImportRun, results: list[tuple[str, ReadResult]]) -> None:
    for _, result in results:
        for rec in result.interactions:
            run.domains.touch(normalize_email(e) for e in rec.participants)


def _owner_by_evidence(
    index: IdentityIndex, att: Attribution, domain: str
) -> tuple[CompanyEntry | None, str]:
    """The rule (contacts.domains.domain_owner) on the organization's persons and the import's records."""
    addresses: defaultdict[int, set[str]] = defaultdict(set)
    companies = dict(att.companies)
    for email, company_id in att.addresses.get(domain, ()):
        addresses[company_id].add(email)
    for entry in index.people_at(domain):
        if entry.company is not None and not entry.placed_by:
            companies[id(entry.company)] = entry.company
            addresses[id(entry.company)].update(e for e in entry.emails if e.endswith("@" + domain))
    key, why = domain_owner(domain, addresses, {k: c.normalized_name for k, c in companies.items()})
    return (companies[key] if key is not None else None), why


def attribute(run: ImportRun) -> None:
    """The company of every domain the import touches; stated websites become the companies' domains."""
    att, index = run.domains, run.index
    for domain in sorted(att.touched):
        if not can_name_a_company(domain):
            continue
        owner = index.company_by_domain.get(domain)
        stated_owner = owner if owner is not None and domain not in index.learned_domains else None
        claims = {id(e): e for e, _, _ in att.stated.get(domain, [])}
        if stated_owner is None and len(claims) == 1:
            (stated_owner,) = claims.values()
            if owner is not None and owner is not stated_owner:
                _forget_learned(run, domain, owner)
            if domain not in stated_owner.domains:
                index.company_by_domain.pop(domain, None)
                index.add_company_domain(stated_owner, domain)
                _note_company(run, stated_owner, f"domain {domain}: its website")
        elif len(claims) > 1 and stated_owner is None:
            names = sorted(e.name for e in claims.values())
            for entry, file, line in att.stated[domain]:
                run.report.add(
                    file=file, line=line, kind="company", action="skipped", label=entry.name,
                    reason=f"website domain {domain} not taken: {' and '.join(names[:2])} both state it",
                )  # fmt: skip
        if stated_owner is not None:
            for entry, file, line in att.stated.get(domain, []):
                if entry is not stated_owner:
                    run.report.add(
                        file=file, line=line, kind="company", action="skipped", label=entry.name,
                        reason=f"website domain {domain} is {stated_owner.name}'s already",
                    )  # fmt: skip
            att.company[domain] = stated_owner
            continue
        company, why = _owner_by_evidence(index, att, domain)
        att.company[domain] = company
        att.reasons[domain] = why


def placed_company(run: ImportRun, emails: list[str]) -> tuple[CompanyEntry | None, str]:
    """The company an address's domain places a person at (the first address that has one)."""
    for email in emails:
        domain = email_domain(email)
        company = run.domains.company.get(domain)
        if company is None and domain not in run.domains.company:
            company = run.index.company_by_domain.get(domain) if can_name_a_company(domain) else None
        if company is not None:
            return company, domain
    return None, ""


def _note_company(run: ImportRun, entry: CompanyEntry, reason: str) -> None:
    run.report.add(file="", line=None, kind="company", action="updated", label=entry.name, reason=reason)


def _forget_learned(run: ImportRun, domain: str, owner: CompanyEntry) -> None:
    CompanyDomain.unrestricted.filter(organization_id=run.org_id, domain=domain, learned=True).delete()
    owner.domains.discard(domain)
    owner.new_domains.discard(domain)
    run.index.company_by_domain.pop(domain, None)
    run.index.learned_domains.discard(domain)


def settle(run: ImportRun) -> None:
    """Record the import's placements, then make the learned domains and placements what the evidence
    now in the database says (contacts.services.company_domains_settle), reporting what changed."""
    from revere.contacts.services import company_domains_settle

    placements(run)
    changes = company_domains_settle(organization_id=run.org_id, domains=sorted(run.domains.touched))
    for kind, label, reason in changes:
        if kind == "person":
            person = run.index.persons_by_pk.get(int(label))
            label = person.full_name if person is not None else label
        run.report.add(file="", line=None, kind=kind, action="updated", label=label, reason=reason)


def placements(run: ImportRun) -> None:
    """Make the DomainPlacement rows say what the persons' ``placed_by`` say."""
    gone, new = [], []
    for entry in run.index.persons_by_pk.values():
        if entry.placed_by == entry.placed_row and (not entry.placed_by or entry.company is not None):
            continue
        if entry.placed_row:
            gone.append(entry.pk)
        if entry.placed_by and entry.company is not None:
            new.append(
                DomainPlacement(
                    organization_id=run.org_id, person_id=written_pk(entry), company_id=written_pk(entry.company),
                    domain=entry.placed_by[:255],
                )
            )  # fmt: skip
        entry.placed_row = entry.placed_by
    DomainPlacement.unrestricted.filter(organization_id=run.org_id, person_id__in=gone).delete()
    DomainPlacement.unrestricted.bulk_create(new, batch_size=2000)
