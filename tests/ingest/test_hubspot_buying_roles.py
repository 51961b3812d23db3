"""A HubSpot contact's own buying role on a deal wins over the generic one its association gives.

The contacts file states Bill Lumbergh's role (`DECISION_MAKER`, localized `Entscheidungsträger`) on
deals 9001 and 9002; the deals file associates Bill and Milton Waddams with 9001 without a role
(generic: influencer). Whichever file comes first in one import, and across two imports (the contacts
file alone first keeps Bill's role with his source record for the deals file after it), Bill is
the decision maker on both deals and nothing else; Milton, who states no role on a deal, is an
influencer. Importing again changes nothing and adds no row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from revere.deals.models import BuyingRole
from revere.ingest.service import Upload, import_files
from tests.factories import MemberFactory
from tests.ingest.test_hubspot_localized_import import what_was_written

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"

EXPECTED = [
    ("Initech expansion", "Bill Lumbergh", "decision_maker"),
    ("Initech renewal", "Bill Lumbergh", "decision_maker"),
    ("Initech renewal", "Milton Waddams", "influencer"),
]
ORDERS = {
    "contacts-first": ("companies", "contacts", "deals"),
    "deals-first": ("companies", "deals", "contacts"),
}


def uploads(prefix: str, kinds: tuple[str, ...]) -> list[Upload]:
    return [Upload(f"{kind}.csv", (FIXTURES / f"{prefix}{kind}.csv").read_bytes()) for kind in kinds]


def roles(member) -> list[tuple[str, str, str]]:
    rows = BuyingRole.unrestricted.filter(organization=member.organization).select_related("deal", "person")
    return sorted((r.deal.name, r.person.full_name, r.role) for r in rows)


def role_rows(member) -> list[tuple[int, int, int, str]]:
    rows = BuyingRole.unrestricted.filter(organization=member.organization)
    return sorted(rows.values_list("pk", "deal_id", "person_id", "role"))


@pytest.mark.parametrize("prefix", ["hubspot_", "hubspot_de_"], ids=["en", "de"])
@pytest.mark.parametrize("order", list(ORDERS))
def test_stated_role_wins_whichever_file_comes_first(prefix, order):
    member = MemberFactory()

    report = import_files(member=member, uploads=uploads(prefix, ORDERS[order]))

    assert roles(member) == EXPECTED
    stated = [r for r in report.rows if r.kind == "buying_role" and r.action == "created"]
    assert sorted(r.label for r in stated) == [
        "Bill Lumbergh: Decision maker on Initech expansion",
        "Bill Lumbergh: Decision maker on Initech renewal",
    ]
    assert not [r for r in report.rows if r.kind == "buying_role" and r.action == "skipped"]


@pytest.mark.parametrize("prefix", ["hubspot_", "hubspot_de_"], ids=["en", "de"])
def test_both_orders_write_the_same(prefix):
    first, second = MemberFactory(), MemberFactory()

    import_files(member=first, uploads=uploads(prefix, ORDERS["contacts-first"]))
    import_files(member=second, uploads=uploads(prefix, ORDERS["deals-first"]))

    assert what_was_written(first) == what_was_written(second)


@pytest.mark.parametrize("order", list(ORDERS))
def test_importing_again_adds_no_role(order):
    member = MemberFactory()
    import_files(member=member, uploads=uploads("hubspot_", ORDERS[order]))
    before = role_rows(member)

    for again in ORDERS.values():
        report = import_files(member=member, uploads=uploads("hubspot_", again))
        assert role_rows(member) == before
        assert report.counts_by_kind()["buying_role"]["created"] == 0
    assert roles(member) == EXPECTED


def test_a_role_stated_later_replaces_the_generic_one():
    """Bill's row had no role when the deals came in (influencer); a later contacts file states it."""
    member = MemberFactory()
    without = uploads("hubspot_", ("companies", "contacts", "deals"))
    without[1].data = without[1].data.replace(b"DECISION_MAKER", b"")
    import_files(member=member, uploads=without)
    assert roles(member) == [
        ("Initech expansion", "Bill Lumbergh", "influencer"),
        ("Initech renewal", "Bill Lumbergh", "influencer"),
        ("Initech renewal", "Milton Waddams", "influencer"),
    ]
    generic = role_rows(member)

    report = import_files(member=member, uploads=uploads("hubspot_", ("contacts",)))

    assert roles(member) == EXPECTED
    assert [pk for pk, *_ in role_rows(member)] == [pk for pk, *_ in generic]  # the same rows, changed
    assert report.counts_by_kind()["buying_role"]["updated"] == 2
    after = role_rows(member)
    for again in (("deals",), ("companies", "deals", "contacts"), ("contacts",)):
        import_files(member=member, uploads=uploads("hubspot_", again))
        assert role_rows(member) == after


def test_contacts_file_alone_after_the_deals_were_imported():
    """A deals file alone cannot name contacts it does not hold; the contacts file after it gives the roles."""
    member = MemberFactory()
    import_files(member=member, uploads=uploads("hubspot_", ("companies", "deals")))
    assert roles(member) == []

    import_files(member=member, uploads=uploads("hubspot_", ("contacts",)))
    assert roles(member) == EXPECTED[:2]


def test_a_generic_role_left_beside_a_stated_one_goes_on_the_next_import():
    """An import before this rule left Bill both influencer and decision maker: importing again mends it."""
    member = MemberFactory()
    import_files(member=member, uploads=uploads("hubspot_", ORDERS["deals-first"]))
    for row in BuyingRole.unrestricted.filter(role="decision_maker"):
        BuyingRole.unrestricted.create(
            organization=row.organization, deal=row.deal, person=row.person, role="influencer"
        )

    import_files(member=member, uploads=uploads("hubspot_", ORDERS["contacts-first"]))

    assert roles(member) == EXPECTED


@pytest.mark.parametrize("prefix", ["hubspot_", "hubspot_de_"], ids=["en", "de"])
def test_contacts_alone_then_deals_alone_in_a_second_import(prefix):
    """Two uploads: the contacts file states Bill's roles before their deals exist; the deals file after
    it gives Bill those roles, not influencer. Milton, who states none on a deal, is an influencer."""
    member = MemberFactory()
    first = import_files(member=member, uploads=uploads(prefix, ("companies", "contacts")))
    assert roles(member) == []
    kept = [r for r in first.rows if r.kind == "buying_role"]
    assert len(kept) == 2 and all("kept with the contact" in r.reason for r in kept)

    report = import_files(member=member, uploads=uploads(prefix, ("deals",)))

    assert roles(member) == EXPECTED
    stated = [r for r in report.rows if r.kind == "buying_role" and r.action == "created"]
    assert sorted(r.label for r in stated) == [
        "Bill Lumbergh: Decision maker on Initech expansion",
        "Bill Lumbergh: Decision maker on Initech renewal",
    ]


@pytest.mark.parametrize("prefix", ["hubspot_", "hubspot_de_"], ids=["en", "de"])
def test_two_uploads_write_what_one_import_writes(prefix):
    one, two = MemberFactory(), MemberFactory()

    import_files(member=one, uploads=uploads(prefix, ORDERS["contacts-first"]))
    import_files(member=two, uploads=uploads(prefix, ("companies", "contacts")))
    import_files(member=two, uploads=uploads(prefix, ("deals",)))

    assert roles(one) == roles(two) == EXPECTED


def test_two_uploads_imported_again_add_no_role():
    member = MemberFactory()
    import_files(member=member, uploads=uploads("hubspot_", ("companies", "contacts")))
    import_files(member=member, uploads=uploads("hubspot_", ("deals",)))
    before = role_rows(member)

    for again in (("deals",), ("contacts",), ("companies", "contacts"), ("deals",), ORDERS["deals-first"]):
        report = import_files(member=member, uploads=uploads("hubspot_", again))
        assert role_rows(member) == before
        assert report.counts_by_kind().get("buying_role", {}).get("created", 0) == 0
    assert roles(member) == EXPECTED


def test_a_contact_without_a_stated_role_is_an_influencer_on_a_later_deal():
    """The contacts file states no role (an empty column): each associated contact is an influencer."""
    member = MemberFactory()
    contacts = uploads("hubspot_", ("companies", "contacts"))
    contacts[1].data = contacts[1].data.replace(b"DECISION_MAKER", b"")
    import_files(member=member, uploads=contacts)

    import_files(member=member, uploads=uploads("hubspot_", ("deals",)))

    assert roles(member) == [
        ("Initech expansion", "Bill Lumbergh", "influencer"),
        ("Initech renewal", "Bill Lumbergh", "influencer"),
        ("Initech renewal", "Milton Waddams", "influencer"),
    ]


def test_the_kept_role_follows_the_latest_contacts_file():
    """A contacts file imported again with Bill's role changed: the deals file after it gives the new one."""
    member = MemberFactory()
    import_files(member=member, uploads=uploads("hubspot_", ("companies", "contacts")))
    changed = uploads("hubspot_", ("contacts",))
    changed[0].data = changed[0].data.replace(b"DECISION_MAKER", b"CHAMPION")
    import_files(member=member, uploads=changed)

    import_files(member=member, uploads=uploads("hubspot_", ("deals",)))

    assert roles(member) == [
        ("Initech expansion", "Bill Lumbergh", "champion"),
        ("Initech renewal", "Bill Lumbergh", "champion"),
        ("Initech renewal", "Milton Waddams", "influencer"),
    ]
