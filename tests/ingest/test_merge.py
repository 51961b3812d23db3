"""Person merges move everything onto the kept person, and undo puts everything back."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from revere.contacts.models import (
    Company,
    MergeCandidate,
    Person,
    PersonEmail,
    PersonMerge,
    PersonPhone,
    SourceRecord,
)
from revere.deals.models import BuyingRole
from revere.ingest.merge.persons import (
    company_merge,
    company_merge_undo,
    merge_candidate_accept,
    person_merge,
    person_merge_undo,
)
from revere.ingest.records import PersonRecord, ReadResult
from revere.ingest.service import import_results
from revere.network.models import InteractionParticipant, Link, Tie
from tests.factories import (
    BuyingRoleFactory,
    CompanyFactory,
    DealFactory,
    InteractionFactory,
    LinkFactory,
    MemberFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


def dump(org):
    """Every row that mentions a person, as comparable tuples."""
    return {
        "persons": sorted(
            Person.unrestricted.filter(organization=org).values_list(
                "id", "full_name", "title", "company_id", "reports_to_id"
            )
        ),
        "emails": sorted(
            PersonEmail.unrestricted.filter(organization=org).values_list("id", "person_id", "email")
        ),
        "phones": sorted(
            PersonPhone.unrestricted.filter(organization=org).values_list("id", "person_id", "e164")
        ),
        "ties": sorted(
            Tie.unrestricted.filter(organization=org).values_list("id", "member_id", "person_id", "strength")
        ),
        "links": sorted(
            Link.unrestricted.filter(organization=org).values_list("id", "a_id", "b_id", "weight")
        ),
        "parts": sorted(
            InteractionParticipant.unrestricted.filter(organization=org).values_list(
                "id", "interaction_id", "person_id"
            )
        ),
        "roles": sorted(
            BuyingRole.unrestricted.filter(organization=org).values_list("id", "deal_id", "person_id", "role")
        ),
    }


@pytest.fixture
def duplicates():
    member = MemberFactory()
    org = member.organization
    keep = PersonFactory(organization=org, full_name="Jane Doe", title="")
    other = PersonFactory(organization=org, full_name="Jane M. Doe", title="CFO")
    third = PersonFactory(organization=org)
    PersonEmail.unrestricted.create(organization=org, person=other, email="jane@other.io")
    PersonPhone.unrestricted.create(organization=org, person=other, e164="+14155550100")
    TieFactory(member=member, person=keep, strength=0.4)
    TieFactory(member=member, person=other, strength=0.7)  # the same member's tie: a collision
    LinkFactory(organization=org, a=keep, b=other)  # a link between the two: becomes a self-link
    LinkFactory(organization=org, a=other, b=third)
    interaction = InteractionFactory(member=member)
    InteractionParticipant.unrestricted.create(organization=org, interaction=interaction, person=other)
    InteractionParticipant.unrestricted.create(organization=org, interaction=interaction, person=keep)
    deal = DealFactory(owner=member)
    BuyingRoleFactory(deal=deal, person=other, role="economic_buyer")
    PersonFactory(organization=org, reports_to=other)
    return member, keep, other, third


def test_merging_moves_every_row_fills_empty_fields_and_deletes_the_other(duplicates):
    member, keep, other, third = duplicates

    merge = person_merge(keep=keep, other=other, member=member)

    keep.refresh_from_db()
    assert not Person.unrestricted.filter(pk=other.pk).exists()
    assert keep.title == "CFO" and merge.fields == {"title": ""}
    assert list(PersonEmail.unrestricted.filter(person=keep).values_list("email", flat=True)) == [
        "jane@other.io"
    ]
    assert Tie.unrestricted.filter(person=keep).count() == 1
    assert Link.unrestricted.filter(a_id=min(keep.pk, third.pk), b_id=max(keep.pk, third.pk)).exists()
    assert BuyingRole.unrestricted.get().person_id == keep.pk
    assert Person.unrestricted.filter(reports_to=keep).count() == 1
    assert merge.merged_person_id == other.pk


def test_undo_restores_exactly_what_was_there(duplicates):
    member, keep, other, _ = duplicates
    before = dump(member.organization)

    merge = person_merge(keep=keep, other=other, member=member)
    person_merge_undo(merge=merge, member=member)

    assert dump(member.organization) == before
    merge.refresh_from_db()
    assert merge.undone_at is not None
    with pytest.raises(ValidationError):
        person_merge_undo(merge=merge)


def test_a_member_cannot_be_merged_away():
    member = MemberFactory()
    other = PersonFactory(organization=member.organization)
    with pytest.raises(ValidationError):
        person_merge(keep=other, other=member.person)


def test_accepting_a_review_candidate_merges_the_pair_and_closes_it():
    member = MemberFactory()
    org = member.organization
    a = PersonFactory(organization=org, full_name="Ada Lovelace")
    b = PersonFactory(organization=org, full_name="Ada Lovelase")
    cand = MergeCandidate.unrestricted.create(
        organization=org, person_a=a, person_b=b, score=92, reason="similar name"
    )

    merge = merge_candidate_accept(candidate=cand, keep=a, member=member)

    assert merge.kind == "review"
    assert not Person.unrestricted.filter(pk=b.pk).exists()


def test_an_import_merge_is_undone_by_splitting_the_record_off_again():
    member = MemberFactory()
    existing = PersonFactory(organization=member.organization, full_name="Jane Doe", title="")
    PersonEmail.unrestricted.create(organization=member.organization, person=existing, email="jane@acme.com")
    result = ReadResult(
        format="vcard",
        persons=[
            PersonRecord(
                key="v1", full_name="Jane Doe", emails=["jane@acme.com", "jd@home.net"], title="CTO"
            ),
        ],
    )
    import_results(member=member, results=[("jane.vcf", result)])
    merge = PersonMerge.unrestricted.get(kept=existing)

    split = person_merge_undo(merge=merge, member=member)

    existing.refresh_from_db()
    assert existing.title == ""
    assert list(PersonEmail.unrestricted.filter(person=split).values_list("email", flat=True)) == [
        "jd@home.net"
    ]
    assert SourceRecord.unrestricted.filter(person=split).get().source == "vcard"


def test_company_merge_moves_people_deals_and_domains():
    member = MemberFactory()
    org = member.organization
    keep = CompanyFactory(organization=org, name="Acme")
    other = CompanyFactory(organization=org, name="ACME Inc", normalized_name="acme inc")
    p = PersonFactory(organization=org, company=other)
    deal = DealFactory(owner=member, company=other)

    company_merge(keep=keep, other=other, member=member)

    p.refresh_from_db()
    deal.refresh_from_db()
    assert p.company_id == keep.pk and deal.company_id == keep.pk
    assert not Company.unrestricted.filter(pk=other.pk).exists()


def test_an_import_after_a_merge_never_reuses_the_merged_persons_key_so_undo_still_works():
    member = MemberFactory()
    org = member.organization
    keep = PersonFactory(organization=org, full_name="Kept One")
    other = PersonFactory(organization=org, full_name="Merged Last")  # the highest key
    merge = person_merge(keep=keep, other=other, member=member)
    result = ReadResult(
        format="vcard", persons=[PersonRecord(key="n1", full_name="Brand New", emails=["new@x.io"])]
    )

    import_results(member=member, results=[("new.vcf", result)])
    person_merge_undo(merge=merge, member=member)

    assert Person.unrestricted.filter(pk=other.pk, full_name="Merged Last").exists()
    assert Person.unrestricted.filter(full_name="Brand New").exclude(pk=other.pk).exists()


def test_company_merge_is_recorded_and_undone_exactly():
    from revere.contacts.models import CompanyDomain, CompanyMerge
    from revere.deals.models import Deal
    from revere.ingest.models import ExternalKey

    member = MemberFactory()
    org = member.organization
    keep = CompanyFactory(organization=org, name="Acme", industry="")
    other = CompanyFactory(
        organization=org, name="ACME Inc", normalized_name="acme inc", industry="Rockets", status="prospect"
    )
    CompanyDomain.unrestricted.create(organization=org, company=other, domain="acme.example")
    sub = CompanyFactory(organization=org, name="Acme Labs", parent=other)
    PersonFactory(organization=org, company=other)
    DealFactory(owner=member, company=other)
    ExternalKey.unrestricted.create(
        organization=org, source="salesforce", kind="company", external_id="001", object_id=other.pk
    )

    def state():
        return {
            "companies": sorted(
                Company.unrestricted.filter(organization=org).values_list(
                    "id", "name", "industry", "status", "parent_id"
                )
            ),
            "people": sorted(Person.unrestricted.filter(organization=org).values_list("id", "company_id")),
            "deals": sorted(Deal.unrestricted.filter(organization=org).values_list("id", "company_id")),
            "domains": sorted(
                CompanyDomain.unrestricted.filter(organization=org).values_list("id", "company_id", "domain")
            ),
            "keys": sorted(ExternalKey.unrestricted.filter(organization=org).values_list("id", "object_id")),
        }

    before = state()
    company_merge(keep=keep, other=other, member=member)
    keep.refresh_from_db()
    assert keep.industry == "Rockets" and keep.status == "prospect"
    assert Company.unrestricted.get(pk=sub.pk).parent_id == keep.pk

    restored = company_merge_undo(merge=CompanyMerge.unrestricted.get(), member=member)

    assert restored.pk == other.pk
    assert state() == before
