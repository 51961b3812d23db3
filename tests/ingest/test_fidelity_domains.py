"""Import fidelity, company domains (issue 13, point 4), each class on records written here.

* A company's domain was learned from one contact at a shared or example domain (example.com, a
  free-mail provider), then dozens of unrelated later correspondents were put at that company.
* The result of a vCard file depended on how often it was imported: a domain learned late in the
  file placed the earlier rows only on the second import.

The rule (docs/identity.md, "Company domains"): a domain is a company's when a record states it as
the company's website, or when every address at it of people a file places at a company is at
that one company (two addresses, or one whose domain reads as the company's name); never free mail,
reserved or placeholder domains; never a domain people of several companies share; and the
attribution follows its evidence (a merge undone takes it back).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revere.contacts.domains import can_name_a_company, domain_fits_name, domain_owner
from revere.contacts.models import (
    Company,
    CompanyDomain,
    DomainPlacement,
    Person,
    PersonEmail,
    PersonMerge,
    PersonPhone,
)
from revere.ingest.merge import person_merge_undo
from revere.ingest.records import CompanyRecord, InteractionRecord, PersonRecord, ReadResult
from revere.ingest.service import Upload, import_files, import_results
from tests.factories import MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


def card(key, name, emails, company="", title=""):
    return PersonRecord(
        key=key, full_name=name, emails=emails, company_name=company, title=title, source="vcard"
    )


def cards(*records) -> list[tuple[str, ReadResult]]:
    return [("contacts.vcf", ReadResult(format="vcard", persons=list(records)))]


def mailbox(member, *addresses) -> list[tuple[str, ReadResult]]:
    """One message from the member to each address."""
    me = member.user.email
    mail = ReadResult(
        format="mbox",
        interactions=[
            InteractionRecord(
                key=f"m{i}", kind="email", occurred_at=dt.datetime(2025, 1, 1 + i % 28, tzinfo=dt.UTC),
                organizer=me, participants={me: "", a: ""}, source="email",
            )
            for i, a in enumerate(addresses)
        ],
    )  # fmt: skip
    return [("mail.mbox", mail)]


def company_of(email: str, org=None) -> str | None:
    people = Person.unrestricted.filter(emails__email=email)
    person = (people.filter(organization=org) if org is not None else people).get()
    return person.company.name if person.company else None


def domains(org) -> dict[str, tuple[str, bool]]:
    return {
        d.domain: (d.company.name, d.learned) for d in CompanyDomain.unrestricted.filter(organization=org)
    }


# -- the rule, pure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.fr", "icloud.com", "gmx.at", "web.de", "mail.ru", "qq.com",
     "proton.me", "example.com", "mail.example.org", "acme.example", "x.test", "y.invalid", "localhost", "printer.local",
     "noemail.com"],
)  # fmt: skip
def test_free_mail_reserved_and_placeholder_domains_never_name_a_company(domain):
    assert not can_name_a_company(domain)


def test_a_company_domain_reads_as_the_name_or_needs_two_addresses():
    assert domain_fits_name("acme-corp.com", "acme") and domain_fits_name(
        "ibm.com", "international business machines"
    )
    assert not domain_fits_name("consult.io", "acme")
    assert domain_owner("consult.io", {1: {"a@consult.io"}}, {1: "acme"}) == (None, "")
    assert domain_owner("consult.io", {1: {"a@consult.io", "b@consult.io"}}, {1: "acme"})[0] == 1
    assert (
        domain_owner("consult.io", {1: {"a@consult.io"}, 2: {"b@consult.io"}}, {1: "acme", 2: "beta"})[0]
        is None
    )


# -- class 1: a shared or example domain learned from one contact --------------------------------


@pytest.mark.parametrize("domain", ["example.com", "gmail.com", "acme.test"])
def test_one_contact_at_a_shared_or_example_domain_places_no_one_at_their_company(member, domain):
    import_results(member=member, results=cards(card("v1", "Gus Li", [f"gus@{domain}"], "Organization1")))
    strangers = [f"person{i}@{domain}" for i in range(12)]

    import_results(member=member, results=mailbox(member, *strangers))

    assert domains(member.organization) == {}
    assert [company_of(a) for a in strangers] == [None] * 12
    assert company_of(f"gus@{domain}") == "Organization1"  # the file's own statement stays


def test_a_domain_that_people_of_two_companies_write_from_is_neither_ones(member):
    import_results(
        member=member,
        results=cards(
            card("v1", "Dee Diaz", ["dee@partners.io"], "Acme"),
            card("v2", "Dan Roe", ["dan@partners.io"], "Acme"),
            card("v3", "Eve Ng", ["eve@partners.io"], "Beta"),
        ),
    )
    import_results(member=member, results=mailbox(member, "fay@partners.io"))

    assert domains(member.organization) == {}
    assert company_of("fay@partners.io") is None


def test_a_corporate_domain_is_learned_and_places_later_correspondents(member):
    import_results(member=member, results=cards(card("v1", "Ada Lovelace", ["ada@acme-corp.com"], "Acme")))
    import_results(member=member, results=mailbox(member, "bob@acme-corp.com"))

    assert domains(member.organization) == {"acme-corp.com": ("Acme", True)}
    assert company_of("bob@acme-corp.com") == "Acme"
    assert (
        DomainPlacement.unrestricted.get(person__emails__email="bob@acme-corp.com").domain == "acme-corp.com"
    )


def test_people_of_another_company_at_the_domain_take_the_attribution_and_its_placements_back(member):
    import_results(member=member, results=cards(card("v1", "Ada Lovelace", ["ada@acme-corp.com"], "Acme")))
    import_results(member=member, results=mailbox(member, "bob@acme-corp.com"))

    report = import_results(
        member=member, results=cards(card("v9", "Zed Oz", ["zed@acme-corp.com"], "Zeta Ltd"))
    )

    assert domains(member.organization) == {}
    assert company_of("bob@acme-corp.com") is None  # placed by the domain: taken back
    assert company_of("ada@acme-corp.com") == "Acme" and company_of("zed@acme-corp.com") == "Zeta Ltd"
    assert any("taken back" in r.reason for r in report.rows)
    assert not DomainPlacement.unrestricted.filter(organization=member.organization).exists()


def test_two_accounts_stating_the_same_website_are_two_companies_and_neither_gets_it(member):
    accounts = ReadResult(
        format="salesforce",
        companies=[
            CompanyRecord(key="sf:1", name="Skippad 225", domains=["xinhuanet.com"], external_id="sf:1"),
            CompanyRecord(key="sf:2", name="Thoughtbridge 78", domains=["xinhuanet.com"], external_id="sf:2"),
            CompanyRecord(key="sf:3", name="Katz 9", domains=["example.com"], external_id="sf:3"),
        ],
    )
    import_results(member=member, results=[("Account.csv", accounts)])

    org = member.organization
    assert Company.unrestricted.filter(organization=org).exclude(pk=org.own_company_id).count() == 3
    assert domains(org) == {}


def test_undoing_the_merge_that_brought_the_evidence_takes_the_domain_back(member):
    org = member.organization
    jane = PersonFactory(organization=org, full_name="Jane Doe", normalized_name="jane doe", company=None)
    PersonEmail.unrestricted.create(organization=org, person=jane, email="jane@initech.io", is_primary=True)
    import_results(
        member=member, results=cards(card("v1", "Jane Doe", ["jane@initech.io"], "Initech", "CTO"))
    )
    import_results(member=member, results=mailbox(member, "bob@initech.io"))
    assert domains(org) == {"initech.io": ("Initech", True)} and company_of("bob@initech.io") == "Initech"

    person_merge_undo(merge=PersonMerge.unrestricted.get(organization=org, kind="import"), member=member)

    assert domains(org) == {}  # the card, split off, has none of Initech's addresses: no evidence left
    assert company_of("bob@initech.io") is None and company_of("jane@initech.io") is None


# -- class 7: independent of the order and the number of imports ------------------------------

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Stone\r\nEMAIL:bob@acme-corp.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Young\r\nEMAIL:cy@acme-corp.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nORG:Acme\r\nEMAIL:ada@acme-corp.com\r\nEND:VCARD\r\n"
)


def tables(org) -> dict[str, list]:
    """What an import leaves, named by content (ids and the order rows were made in differ)."""
    persons = sorted(
        (
            p.full_name,
            p.title,
            tuple(sorted(PersonEmail.unrestricted.filter(person=p).values_list("email", flat=True))),
            tuple(sorted(PersonPhone.unrestricted.filter(person=p).values_list("e164", flat=True))),
            p.company.name if p.company else None,
        )
        for p in Person.unrestricted.filter(organization=org, member__isnull=True).select_related("company")
    )
    return {
        "persons": persons,
        "companies": sorted(
            Company.unrestricted.filter(organization=org)
            .exclude(pk=org.own_company_id)
            .values_list("name", "industry")
        ),
        "domains": sorted(domains(org).items()),
        "placements": sorted(
            DomainPlacement.unrestricted.filter(organization=org).values_list(
                "person__full_name", "company__name", "domain"
            )
        ),
    }


def test_a_vcard_whose_domain_is_learned_late_in_the_file_gives_the_same_tables_once_or_twice():
    once, twice = MemberFactory(), MemberFactory()
    upload = [Upload("contacts.vcf", VCARD.encode())]
    import_files(member=once, uploads=upload, recompute=False)
    for _ in range(2):
        import_files(member=twice, uploads=upload, recompute=False)

    assert tables(once.organization) == tables(twice.organization)
    assert [p[4] for p in tables(once.organization)["persons"]] == ["Acme"] * 3


# A pool of people whose records never contradict each other: each is written once in full (name,
# company, title, addresses) and once sparse (a name and one address), as address books and mail do.
PEOPLE = [
    ("Ada Lovelace", "Acme", ["ada@acme-corp.com"], "CTO"),
    ("Bob Stone", "", ["bob@acme-corp.com"], ""),  # placed at Acme by the domain, wherever Ada comes
    ("Cy Young", "Beta", ["cy@beta-labs.io", "cy.young@gmail.com"], "CFO"),
    ("Dee Diaz", "Acme", ["dee@partners.io"], ""),
    ("Eve Ng", "Beta", ["eve@partners.io"], "VP"),  # partners.io: people of two companies
    ("Fay Wu", "", ["fay@partners.io"], ""),
    ("Gus Li", "Organization1", ["gus@example.com"], ""),
    ("Hal Ko", "", ["hal@example.com"], ""),
    ("Ivy Ma", "Beta", ["ivy.ma@gmail.com"], ""),
    ("Jo Park", "", ["jo@gmail.com"], ""),
    ("Kim Lund", "Gamma", ["kim@gamma-tools.de", "k.lund@gamma-tools.de"], ""),  # two addresses
    ("Lea Roth", "", ["lea@gamma-tools.de"], ""),
]
RECORDS = [
    record
    for i, (name, company, emails, title) in enumerate(PEOPLE)
    for record in (
        card(f"full{i}", name, emails, company, title),
        card(f"sparse{i}", name, emails[-1:]),
    )
]


def import_in(member, records: list[PersonRecord], cuts: list[int]) -> None:
    """The records as separate imports, cut where ``cuts`` say."""
    bounds = [0, *sorted(set(c % (len(records) + 1) for c in cuts)), len(records)]
    for start, end in itertools.pairwise(bounds):
        if end > start:
            import_results(member=member, results=cards(*records[start:end]))


@pytest.fixture(scope="module")
def reference(django_db_setup, django_db_blocker):
    """The tables of the records imported once, in the order written."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            member = MemberFactory()
            import_in(member, RECORDS, [])
            expected = tables(member.organization)
            transaction.set_rollback(True)
    return expected


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=st.permutations(RECORDS), cuts=st.lists(st.integers(0, 30), max_size=3), again=st.integers(1, 2))
def test_imports_give_the_same_tables_whatever_the_order_and_number_of_imports(reference, order, cuts, again):
    member = MemberFactory()
    for _ in range(again):
        import_in(member, list(order), cuts)

    got = tables(member.organization)
    assert got == reference
    assert dict((d, c) for d, (c, _) in got["domains"]) == {
        "acme-corp.com": "Acme",
        "beta-labs.io": "Beta",
        "gamma-tools.de": "Gamma",
    }
