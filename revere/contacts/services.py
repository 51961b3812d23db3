"""Writes on companies and persons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from revere.contacts.domains import can_name_a_company, domain_owner
from revere.contacts.models import Company, CompanyDomain, DomainPlacement, Person, PersonEmail
from revere.tenancy.services import organization_graph_changed


def person_validate_reports_to(*, person: Person, manager: Person | None) -> None:
    """Refuse a reports-to outside the person's organization, to themself, or that closes a cycle."""
    if manager is None:
        return
    if manager.organization_id != person.organization_id:
        raise ValidationError({"reports_to": "The manager must belong to the same organization."})
    if person.pk is not None and manager.pk == person.pk:
        raise ValidationError({"reports_to": "A person cannot report to themself."})
    if person.pk is None:
        return
    # Walk up from the manager; meeting the person again means a cycle. One query per level,
    # bounded by the depth of the org chart (and a guard against existing bad data).
    seen: set[int] = set()
    current: int | None = manager.pk
    while current is not None and current not in seen:
        if current == person.pk:
            raise ValidationError({"reports_to": "This reports-to would make a cycle in the org chart."})
        seen.add(current)
        current = Person.unrestricted.filter(pk=current).values_list("reports_to_id", flat=True).first()


@transaction.atomic
def person_set_reports_to(*, person: Person, manager: Person | None) -> Person:
    person_validate_reports_to(person=person, manager=manager)
    person.reports_to = manager
    person.save(update_fields=["reports_to", "updated_at"])
    return person


@transaction.atomic
def company_domains_settle(
    *, organization_id: int, domains: Iterable[str] = (), person_ids: Iterable[int] = ()
) -> list[tuple[str, str, str]]:
    """Make the learned company domains and the placements by domain what the evidence says now.

    For each domain (those given, and those of the persons' addresses): the learned ``CompanyDomain``
    row is the company ``domains.domain_owner`` names from the addresses of people placed at a
    company by a file or a person (not by a domain), or none; a person placed by the domain
    (``DomainPlacement``) at another company than its owner loses that company; a person with no
    company and an address at an owned domain is placed there. Stated domains (``learned`` False)
    are never changed. Called at the end of every import and after a merge is undone, so an
    attribution goes when its evidence goes (docs/identity.md). Returns (kind, label, why) rows.
    """
    org = {"organization_id": organization_id}
    wanted = {d for d in domains if can_name_a_company(d)}
    persons = list(person_ids)
    if persons:
        for email in PersonEmail.unrestricted.filter(**org, person_id__in=persons).values_list(
            "email", flat=True
        ):
            domain = email.rpartition("@")[2]
            if can_name_a_company(domain):
                wanted.add(domain)
    if not wanted:
        return []
    at: defaultdict[str, dict[int, set[str]]] = defaultdict(dict)  # domain -> person -> addresses
    for person_id, email in PersonEmail.unrestricted.filter(**org).values_list("person_id", "email"):
        domain = email.rpartition("@")[2]
        if domain in wanted:
            at[domain].setdefault(person_id, set()).add(email)
    ids = {p for people in at.values() for p in people}
    company_of = dict(Person.unrestricted.filter(**org, pk__in=ids).values_list("pk", "company_id"))
    placed = {
        p: (c, d)
        for p, c, d in DomainPlacement.unrestricted.filter(**org, person_id__in=ids).values_list(
            "person_id", "company_id", "domain"
        )
    }
    rows = {d: (pk, c, learned) for pk, d, c, learned in CompanyDomain.unrestricted.filter(
        **org, domain__in=wanted).values_list("pk", "domain", "company_id", "learned")}  # fmt: skip
    names, display = {}, {}
    for pk, name, normalized in Company.unrestricted.filter(**org).values_list(
        "pk", "name", "normalized_name"
    ):
        names[pk], display[pk] = normalized, name
    out: list[tuple[str, str, str]] = []
    owners: dict[str, int | None] = {}
    for domain in sorted(wanted):
        row = rows.get(domain)
        if row is not None and not row[2]:
            owners[domain] = row[1]  # stated
            continue
        addresses: defaultdict[int, set[str]] = defaultdict(set)
        for person_id, emails in at.get(domain, {}).items():
            company = company_of.get(person_id)
            if company is not None and placed.get(person_id, (None,))[0] != company:
                addresses[company] |= emails
        owner, why = domain_owner(domain, dict(addresses), names)
        owners[domain] = owner
        if row is not None and row[1] != owner:
            CompanyDomain.unrestricted.filter(pk=row[0]).delete()
            out.append(
                ("company", display[row[1]], f"domain {domain} taken back: {why or 'no longer its own'}")
            )
        if owner is not None and (row is None or row[1] != owner):
            CompanyDomain.unrestricted.create(**org, company_id=owner, domain=domain[:255], learned=True)
            out.append(("company", display[owner], f"domain {domain} {why}"))
    moves: dict[int, int | None] = {}
    for person_id, (company, domain) in placed.items():  # placements the owner no longer gives
        if company_of.get(person_id) == company and domain in owners and owners[domain] != company:
            moves[person_id] = None
    for domain in sorted(owners):
        owner = owners[domain]
        for person_id in sorted(at.get(domain, {})) if owner is not None else ():
            if moves.get(person_id, company_of.get(person_id)) is None:
                moves[person_id] = owner
                placed[person_id] = (owner, domain)
    for person_id, company in moves.items():
        Person.unrestricted.filter(pk=person_id).update(company_id=company)
        DomainPlacement.unrestricted.filter(**org, person_id=person_id).delete()
        if company is not None:
            DomainPlacement.unrestricted.create(
                **org, person_id=person_id, company_id=company, domain=placed[person_id][1]
            )
        out.append(
            (
                "person",
                str(person_id),
                f"placed at {company} by its domain"
                if company
                else "no company: its domain is no longer one company's",
            )
        )
    if moves:  # the graph's company of those persons (revere/network/graph) follows
        organization_graph_changed(organization_id=organization_id, persons=list(moves))
    return out
