"""A localized HubSpot export imports into the same companies, persons, deals and roles as the English one."""

from __future__ import annotations

from pathlib import Path

import pytest

from revere.contacts.models import Company, CompanyDomain, Person, PersonEmail
from revere.deals.models import BuyingRole, Deal
from revere.ingest.service import Upload, import_files
from revere.network.models import Tie
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def import_set(member, prefix):
    uploads = [
        Upload(f"{kind}.csv", (FIXTURES / f"{prefix}{kind}.csv").read_bytes())
        for kind in ("companies", "contacts", "deals")
    ]
    return import_files(member=member, uploads=uploads)


def what_was_written(member):
    org = {"organization": member.organization}
    companies = sorted(
        (
            c.name,
            c.status,
            sorted(CompanyDomain.unrestricted.filter(company=c).values_list("domain", flat=True)),
            c.industry,
            c.size_band,
        )
        for c in Company.unrestricted.filter(**org).exclude(pk=member.organization.own_company_id)
    )
    persons = sorted(
        (
            p.full_name,
            p.title,
            p.company.name if p.company else "",
            sorted(PersonEmail.unrestricted.filter(person=p).values_list("email", flat=True)),
        )
        for p in Person.unrestricted.filter(**org).exclude(pk=member.person_id)
    )
    deals = sorted(
        (d.name, d.stage, str(d.amount), d.expected_close, d.company.name, d.owner_id == member.pk)
        for d in Deal.unrestricted.filter(**org)
    )
    roles = sorted((r.deal.name, r.person.full_name, r.role) for r in BuyingRole.unrestricted.filter(**org))
    ties = sorted(t.person.full_name for t in Tie.unrestricted.filter(member=member))
    return companies, persons, deals, roles, ties


@pytest.mark.parametrize("language", ["de", "fr"])
def test_a_localized_export_writes_what_the_english_one_writes(language):
    english_member, localized_member = MemberFactory(), MemberFactory()

    english = import_set(english_member, "hubspot_")
    localized = import_set(localized_member, f"hubspot_{language}_")

    assert [f["format"] for f in localized.files] == ["hubspot"] * 3
    assert localized.counts_by_kind() == english.counts_by_kind()
    written = what_was_written(localized_member)
    assert written == what_was_written(english_member)
    companies, persons, deals, roles, _ties = written
    assert ("Initech", "customer", ["initech.com"], "Software", "251-1000") in companies
    assert ("Bill Lumbergh", "VP Operations", "Initech", ["bill@initech.example"]) in persons
    assert deals[2][:3] == ("Initech renewal", "close", "48000.00")
    # The deal's associated contacts without a role of their own are influencers.
    assert ("Initech renewal", "Milton Waddams", "influencer") in roles
