"""Writes of the contact pages and the API: a member edits a person or a company.

Kept beside ``services.py`` (the import's and the merge's writes) so that the two evolve without
stepping on each other; the same conventions hold: keyword-only arguments, one transaction, the
organization's data version bumped because persons and companies feed the network graph.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from revere.contacts.identity import (
    full_name_of,
    is_email,
    normalize_company_name,
    normalize_domain,
    normalize_email,
    normalize_person_name,
    normalize_phone,
)
from revere.contacts.models import Company, CompanyDomain, Person, PersonEmail, PersonPhone
from revere.contacts.services import person_validate_reports_to
from revere.tenancy.services import organization_graph_changed

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "full_name",
    "company",
    "title",
    "function",
    "seniority",
    "reports_to",
    "expertise",
    "location",
    "region",
    "linkedin_url",
)
COMPANY_FIELDS = ("name", "industry", "size_band", "region", "status", "parent")


def _check_same_org(obj: Any, related: Any, field: str) -> None:
    if related is not None and related.organization_id != obj.organization_id:
        raise ValidationError({field: "Choose one of your organization's records."})


def _values_clean(
    raws: list[str], *, normalize: Callable[[str], str], valid: Callable[[str], bool], field: str, what: str
) -> list[str]:
    """The values normalized and de-duplicated, in order; a blank one is passed over, an invalid one refused."""
    cleaned: list[str] = []
    for raw in raws:
        if not raw.strip():
            continue
        value = normalize(raw)
        if not valid(value):
            raise ValidationError({field: f"{raw.strip()} is not {what}."})
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def _max_length(model: type[Model], field: str) -> int:
    return model._meta.get_field(field).max_length  # type: ignore[return-value,union-attr]


def _replace_values(rows: Any, field: str, wanted: list[str], make: Callable[[str], Model]) -> None:
    """Make the related ``rows`` hold exactly the ``wanted`` values: delete the others, add the missing."""
    rows.exclude(**{f"{field}__in": wanted}).delete()
    have = set(rows.values_list(field, flat=True))
    rows.model.objects.bulk_create(make(v) for v in wanted if v not in have)


def person_emails_clean(*, person: Person, emails: list[str]) -> list[str]:
    """Normalized, de-duplicated addresses; refuse an invalid one or one another person holds."""
    limit = _max_length(PersonEmail, "email")
    cleaned = _values_clean(
        [raw for raw in emails if normalize_email(raw)],  # nothing but brackets or "mailto:" counts as blank
        normalize=normalize_email,
        valid=lambda email: is_email(email) and len(email) <= limit,
        field="emails",
        what="an e-mail address",
    )
    taken = (
        PersonEmail.unrestricted.filter(organization_id=person.organization_id, email__in=cleaned)
        .exclude(person_id=person.pk)
        .select_related("person")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {"emails": f"{taken.email} belongs to {taken.person.full_name}: merge the two persons instead."}
        )
    return cleaned


def person_phones_clean(*, phones: list[str], region: str = "") -> list[str]:
    """Phone numbers in E.164, de-duplicated; refuse one that is no valid number."""
    return _values_clean(
        phones,
        normalize=lambda raw: normalize_phone(raw, region) if region else normalize_phone(raw),
        valid=bool,
        field="phones",
        what="a phone number",
    )


@transaction.atomic
def person_update(
    *,
    person: Person,
    data: dict[str, Any],
    emails: list[str] | None = None,
    phones: list[str] | None = None,
) -> Person:
    """Change a person's fields (only those in ``data``), and replace their e-mails and phones
    when given. Reports-to must stay in the organization and make no cycle; the first e-mail is
    the primary one.
    """
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    _check_same_org(person, data.get("company"), "company")
    if "reports_to" in data:
        person_validate_reports_to(person=person, manager=data["reports_to"])
    before = (person.first_name, person.last_name, person.full_name)
    for name, value in data.items():
        setattr(person, name, value)
    if {"first_name", "last_name", "full_name"} & set(data):
        given = data.get("full_name", "")
        if given == before[2] and (person.first_name, person.last_name) != before[:2]:
            given = ""  # the first or last name changed and the full name was left as it was
        person.full_name = full_name_of(person.first_name, person.last_name, given)
        if not person.full_name:
            raise ValidationError({"full_name": "A person needs a name."})
        person.normalized_name = normalize_person_name(person.full_name)
    person.full_clean(exclude=["reports_to", "organization", "company"])
    person.save()
    if emails is not None:
        wanted = person_emails_clean(person=person, emails=emails)
        _replace_values(
            PersonEmail.unrestricted.filter(person=person),
            "email",
            wanted,
            lambda e: PersonEmail(organization_id=person.organization_id, person=person, email=e),
        )
        for i, e in enumerate(wanted):
            PersonEmail.unrestricted.filter(person=person).filter(email=e).update(is_primary=i == 0)
    if phones is not None:
        wanted = person_phones_clean(phones=phones, region=person.region if len(person.region) == 2 else "")
        _replace_values(
            PersonPhone.unrestricted.filter(person=person),
            "e164",
            wanted,
            lambda p: PersonPhone(organization_id=person.organization_id, person=person, e164=p),
        )
    organization_graph_changed(organization_id=person.organization_id, persons=[person.pk])
    return person


def company_validate_parent(*, company: Company, parent: Company | None) -> None:
    """Refuse a parent outside the organization, the company itself, or one that closes a cycle."""
    if parent is None:
        return
    _check_same_org(company, parent, "parent")
    seen: set[int] = set()
    current: int | None = parent.pk
    while current is not None and current not in seen:
        if current == company.pk:
            raise ValidationError({"parent": "This parent would make a cycle of subsidiaries."})
        seen.add(current)
        current = Company.unrestricted.filter(pk=current).values_list("parent_id", flat=True).first()


@transaction.atomic
def company_update(*, company: Company, data: dict[str, Any], domains: list[str] | None = None) -> Company:
    """Change a company's fields (only those in ``data``) and replace its domains when given.

    The name must stay unique in the organization once normalized ("Acme Inc." is "Acme").
    """
    unknown = set(data) - set(COMPANY_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if "parent" in data:
        company_validate_parent(company=company, parent=data["parent"])
    for name, value in data.items():
        setattr(company, name, value)
    if "name" in data:
        company.name = company.name.strip()
        if not company.name:
            raise ValidationError({"name": "A company needs a name."})
        company.normalized_name = normalize_company_name(company.name)
        clash = (
            Company.unrestricted.filter(
                organization_id=company.organization_id, normalized_name=company.normalized_name
            )
            .exclude(pk=company.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError({"name": f"{clash.name} already has this name."})
    company.full_clean(exclude=["organization", "parent"], validate_constraints=False)
    company.save()
    if domains is not None:
        limit = _max_length(CompanyDomain, "domain")
        wanted = _values_clean(
            domains,
            normalize=normalize_domain,
            valid=lambda domain: bool(domain) and len(domain) <= limit,
            field="domains",
            what="a domain",
        )
        taken = (
            CompanyDomain.unrestricted.filter(organization_id=company.organization_id, domain__in=wanted)
            .exclude(company_id=company.pk)
            .select_related("company")
            .first()
        )
        if taken is not None:
            raise ValidationError({"domains": f"{taken.domain} belongs to {taken.company.name}."})
        _replace_values(
            CompanyDomain.unrestricted.filter(company=company),
            "domain",
            wanted,
            lambda d: CompanyDomain(organization_id=company.organization_id, company=company, domain=d),
        )
    organization_graph_changed(organization_id=company.organization_id, companies=[company.pk])
    return company


def person_create(
    *,
    organization_id: int,
    data: dict[str, Any],
    emails: list[str] | None = None,
    phones: list[str] | None = None,
) -> Person:
    """A new person of the organization, checked and written as :func:`person_update` does."""
    return person_update(
        person=Person(organization_id=organization_id), data=data, emails=emails, phones=phones
    )


def company_create(
    *, organization_id: int, data: dict[str, Any], domains: list[str] | None = None
) -> Company:
    """A new company of the organization, checked and written as :func:`company_update` does."""
    if not data.get("name"):
        raise ValidationError({"name": "A company needs a name."})
    return company_update(company=Company(organization_id=organization_id), data=data, domains=domains)
