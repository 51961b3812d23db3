"""A contact's stated buying role kept for a deals file imported later, and the undo of its merge.

The contacts (with Jane's stated role on deal d1) come in one import, the deal in a later one. When
Jane's record was folded into a known Jane, the role the later deal gives her goes with the record
on undo: the organization then holds what the twin, where the record was a person of its own, holds.
"""

from __future__ import annotations

import pytest

from revere.contacts.models import PersonMerge, SourceRecord
from revere.deals.models import BuyingRole
from revere.ingest.merge.persons import person_merge_undo
from revere.ingest.records import BuyingRoleRecord, CompanyRecord, DealRecord, PersonRecord, ReadResult
from revere.ingest.service import import_recompute, import_results
from tests.ingest.test_import_merge_undo import company_world, state

pytestmark = pytest.mark.django_db


def contacts(*, separate: bool) -> list[tuple[str, ReadResult]]:
    """Jane states she is d1's economic buyer before d1 is imported; Carl states nothing."""
    jane_emails = ["jd@home.net"] if separate else ["jane.doe@gmail.com", "jd@home.net"]
    result = ReadResult(
        format="salesforce",
        companies=[CompanyRecord(key="a1", name="Acme Corp", external_id="a1")],
        persons=[
            PersonRecord(key="c1", full_name="Jane Doe", emails=jane_emails, company_key="a1", title="CFO"),
            PersonRecord(key="c3", full_name="Carl Poe", emails=["carl@acme.org"], company_key="a1"),
        ],
        buying_roles=[BuyingRoleRecord(deal_key="d1", person_key="c1", role="economic_buyer")],
    )
    return [("contacts.csv", result)]


def deals() -> list[tuple[str, ReadResult]]:
    deal = DealRecord(key="d1", name="Acme deal", company_key="a1", stage="buy_in", contact_keys=["c1", "c3"])
    return [("deals.csv", ReadResult(format="salesforce", deals=[deal]))]


def roles(org) -> list[tuple[str, str, str]]:
    rows = BuyingRole.unrestricted.filter(organization=org).select_related("deal", "person")
    return sorted((r.deal.name, r.person.full_name, r.role) for r in rows)


def test_the_stated_role_is_kept_in_the_source_record():
    org, seller, _, _ = company_world(False)
    import_results(member=seller, results=contacts(separate=True))

    data = {s.external_id: s.data for s in SourceRecord.unrestricted.filter(organization=org)}
    assert data["c1"]["buying_roles"] == [["d1", "economic_buyer"]]
    assert "buying_roles" not in data["c3"]

    import_results(member=seller, results=deals())
    assert roles(org) == [
        ("Acme deal", "Carl Poe", "influencer"),
        ("Acme deal", "Jane Doe", "economic_buyer"),
    ]


@pytest.mark.parametrize("prior_tie", [True, False], ids=["seller-knew-jane", "tie-only-through-the-crm"])
def test_a_role_a_later_deal_gives_through_a_merged_record_goes_with_it_on_undo(prior_tie):
    org, seller, mate, jane = company_world(prior_tie)
    import_results(member=seller, results=contacts(separate=False))
    import_results(member=seller, results=deals())
    import_recompute(member=seller, rows=10)
    assert set(BuyingRole.unrestricted.filter(person=jane).values_list("role", flat=True)) == {
        "economic_buyer"
    }
    merge = PersonMerge.unrestricted.get(kept=jane)
    assert [role for _, _, role in merge.snapshot["attached"]["roles"]] == ["economic_buyer"]

    person_merge_undo(merge=merge, member=seller)

    twin_org, twin_seller, twin_mate, _ = company_world(prior_tie)
    import_results(member=twin_seller, results=contacts(separate=True))
    import_results(member=twin_seller, results=deals())
    import_recompute(member=twin_seller, rows=10)
    assert state(org, seller, mate) == state(twin_org, twin_seller, twin_mate)
    assert not BuyingRole.unrestricted.filter(person=jane).exists()
