"""Undoing an import merge gives the database a separate import would have made.

The known answer is computed by the import itself: the same files imported into a twin
organization where the record does not match the existing contact (it lacks the shared e-mail
address), so the import makes it a person of its own. Undoing the merge in the first
organization must give the same persons, e-mails, phones, source records, ties (start, strength,
class, visibility), links (weight, source, last seen) and interaction participants.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from revere.contacts.models import CompanyDomain, Person, PersonEmail, PersonMerge, PersonPhone, SourceRecord
from revere.deals.models import BuyingRole
from revere.ingest.merge.persons import person_merge_undo
from revere.ingest.records import (
    InteractionRecord,
    LinkRecord,
    PersonRecord,
    ReadResult,
)
from revere.ingest.service import import_recompute, import_results
from revere.network.models import InteractionParticipant, Link, Tie
from revere.tenancy.models import Organization
from revere.tenancy.visibility import tie_detail_condition
from tests.factories import (
    PASSWORD,
    MemberFactory,
    OrganizationFactory,
    PersonFactory,
    TeamFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """One instant for both worlds: tie strength decays with time, so a world recomputed a few
    seconds after the other differed in the sixth digit (0.02099 against 0.020989) now and then."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)


def company_world(prior_tie: bool):
    """An organization with a seller, a teammate (with a private tie to Jane) and Jane Doe."""
    org = OrganizationFactory()
    team = TeamFactory(organization=org)
    seller = MemberFactory(
        organization=org, team=team, person__first_name="Sam", person__last_name="Seller", person__title="AE"
    )
    mate = MemberFactory(
        organization=org, team=team, person__first_name="Tia", person__last_name="Mate", person__title="AE2"
    )
    jane = PersonFactory(
        organization=org, first_name="Jane", last_name="Doe", full_name="Jane Doe", normalized_name="jane doe",
        title="", company=None,
    )  # fmt: skip
    PersonEmail.unrestricted.create(
        organization=org, person=jane, email="jane.doe@gmail.com", is_primary=True
    )
    if prior_tie:
        TieFactory(member=seller, person=jane, strength=0.0, since=dt.date(2021, 3, 1), visibility="team")
    TieFactory(member=mate, person=jane, strength=0.0, since=dt.date(2022, 1, 1), visibility="private")
    return org, seller, mate, jane


def files(seller, *, separate: bool) -> list[tuple[str, ReadResult]]:
    """Jane's card (with a new address, phone, title and company), Bob's, a link row, three interactions.

    ``separate``: the card lacks jane.doe@gmail.com, so it matches no one and becomes its own person.
    (A free-mail address: it names no company domain, so leaving it out changes nothing else.)
    """
    me = seller.user.email
    jane_emails = ["jd@home.net"] if separate else ["jane.doe@gmail.com", "jd@home.net"]
    cards = ReadResult(
        format="vcard",
        persons=[
            PersonRecord(
                key="v1", full_name="Jane Doe", emails=jane_emails, phones=["+1 415 555 0199"], title="CTO",
                company_name="Acme Corp", connected_on=dt.date(2019, 5, 1),
            ),
            PersonRecord(key="v2", full_name="Bob Roe", emails=["bob@beta.io"], connected_on=dt.date(2020, 1, 1)),
        ],
        links=[LinkRecord(a_key="v1", b_key="v2", source="stated", weight=0.4)],
    )  # fmt: skip
    mail = ReadResult(
        format="mbox",
        interactions=[
            InteractionRecord(
                key="i1", kind="meeting", occurred_at=dt.datetime(2026, 10, 1, 9, tzinfo=UTC), subject="kickoff",
                organizer=me, participants={"jd@home.net": "Jane", "bob@beta.io": "Bob"}, audience=3,
            ),
            InteractionRecord(
                key="i2", kind="email", occurred_at=dt.datetime(2026, 10, 5, 9, tzinfo=UTC), subject="both",
                organizer=me, participants={"jane.doe@gmail.com": "Jane", "jd@home.net": "Jane"}, audience=3,
            ),
            InteractionRecord(
                key="i3", kind="email", occurred_at=dt.datetime(2026, 9, 1, 9, tzinfo=UTC), subject="old",
                organizer=me, participants={"jane.doe@gmail.com": "Jane", "bob@beta.io": "Bob"}, audience=3,
            ),
        ],
    )  # fmt: skip
    return [("jane.vcf", cards), ("mail.mbox", mail)]


def imported(prior_tie: bool, *, separate: bool):
    org, seller, mate, jane = company_world(prior_tie)
    import_results(member=seller, results=files(seller, separate=separate))
    import_recompute(member=seller, rows=10)
    return org, seller, mate, jane


def state(org, seller, mate) -> dict[str, list]:
    """Every row the undo may touch, named by persons' names and titles (ids differ between worlds)."""
    label = {
        p.pk: f"{p.full_name}/{p.title}"
        for p in Person.unrestricted.filter(organization=org).select_related("company")
    }
    assert len(set(label.values())) == len(label)
    who = {seller.pk: "seller", mate.pk: "mate"}
    logins = {seller.user.email: "seller's login", mate.user.email: "mate's login"}

    def company(p: Person) -> str | None:
        return "own" if p.company_id == org.own_company_id else (p.company.name if p.company else None)

    def ties(qs) -> list:
        return sorted(
            (
                who[t.member_id], label[t.person_id], t.since, t.visibility, t.network_class,
                round(t.strength, 6), t.last_interaction, t.is_active,
            )
            for t in qs
        )  # fmt: skip

    return {
        "persons": sorted(
            (
                label[p.pk],
                p.first_name,
                p.last_name,
                p.function,
                p.location,
                p.region,
                p.linkedin_url,
                company(p),
                label.get(p.reports_to_id or 0),
            )
            for p in Person.unrestricted.filter(organization=org).select_related("company")
        ),
        "emails": sorted(
            (label[e.person_id], logins.get(e.email, e.email), e.is_primary)
            for e in PersonEmail.unrestricted.filter(organization=org)
        ),
        "phones": sorted(
            (label[p.person_id], p.e164) for p in PersonPhone.unrestricted.filter(organization=org)
        ),
        "sources": sorted(
            (label[s.person_id], s.source, s.external_id)
            for s in SourceRecord.unrestricted.filter(organization=org)
        ),
        "ties": ties(Tie.unrestricted.filter(organization=org)),
        "links": sorted(
            (tuple(sorted((label[k.a_id], label[k.b_id]))), round(k.weight, 9), k.source, k.last_seen)
            for k in Link.unrestricted.filter(organization=org)
        ),
        "company domains": sorted(
            (d.company.name, d.domain)
            for d in CompanyDomain.unrestricted.filter(organization=org).select_related("company")
        ),
        "buying roles": sorted(
            (r.deal.name, label[r.person_id], r.role)
            for r in BuyingRole.unrestricted.filter(organization=org).select_related("deal")
        ),
        "participants": sorted(
            (p.interaction.subject, label[p.person_id], p.role)
            for p in InteractionParticipant.unrestricted.filter(organization=org).select_related(
                "interaction"
            )
        ),
        # what each member may see of the ties (own and team-visible in full, a private one as "ask")
        "seller sees": ties(Tie.objects.visible_to(seller)),
        "seller sees in full": ties(Tie.objects.visible_to(seller).filter(tie_detail_condition(seller))),
        "mate sees": ties(Tie.objects.visible_to(mate)),
        "mate sees in full": ties(Tie.objects.visible_to(mate).filter(tie_detail_condition(mate))),
    }


@pytest.mark.parametrize("prior_tie", [True, False], ids=["seller-knew-jane", "tie-only-through-the-card"])
def test_undo_gives_what_a_separate_import_gives(prior_tie):
    org, seller, mate, jane = imported(prior_tie, separate=False)
    merge = PersonMerge.unrestricted.get(organization=org, kept=jane, kind="import")
    jane.refresh_from_db()
    assert jane.title == "CTO" and jane.company is not None  # the card filled her empty fields
    assert set(PersonEmail.unrestricted.filter(person=jane).values_list("email", flat=True)) == {
        "jane.doe@gmail.com",
        "jd@home.net",
    }
    version = Organization.objects.get(pk=org.pk).data_version

    split = person_merge_undo(merge=merge, member=seller)

    twin = imported(prior_tie, separate=True)
    assert state(org, seller, mate) == state(twin[0], twin[1], twin[2])
    assert split.full_name == "Jane Doe" and split.title == "CTO"
    assert Organization.objects.get(pk=org.pk).data_version > version


def test_the_known_answer_by_hand():
    """The separate world spelled out, so the twin import is itself checked."""
    org, seller, mate, jane = imported(True, separate=False)
    split = person_merge_undo(merge=PersonMerge.unrestricted.get(kept=jane), member=seller)
    jane.refresh_from_db()
    bob = Person.unrestricted.get(organization=org, full_name="Bob Roe")

    assert jane.title == "" and jane.company is None
    assert list(PersonEmail.unrestricted.filter(person=jane).values_list("email", flat=True)) == [
        "jane.doe@gmail.com"
    ]
    assert list(PersonEmail.unrestricted.filter(person=split).values_list("email", "is_primary")) == [
        ("jd@home.net", True)
    ]
    assert list(PersonPhone.unrestricted.filter(person=split).values_list("e164", flat=True)) == [
        "+14155550199"
    ]
    assert not PersonPhone.unrestricted.filter(person=jane).exists()
    assert SourceRecord.unrestricted.filter(person=split).get().external_id == "v1"
    # The seller's tie to Jane was there before: it stays, with its own start; the card's is the split's.
    assert Tie.unrestricted.get(member=seller, person=jane).since == dt.date(2021, 3, 1)
    assert Tie.unrestricted.get(member=seller, person=split).since == dt.date(2019, 5, 1)
    assert Tie.unrestricted.get(member=mate, person=jane).visibility == "private"
    assert not Tie.unrestricted.filter(member=mate, person=split).exists()
    # kickoff went to jd@home.net only; "both" to both addresses; "old" to jane.doe@gmail.com only.
    parts = set(
        InteractionParticipant.unrestricted.filter(person__in=[jane, split]).values_list(
            "interaction__subject", "person_id"
        )
    )
    assert parts == {("kickoff", split.pk), ("both", jane.pk), ("both", split.pk), ("old", jane.pk)}
    pairs = {(k.a_id, k.b_id): k for k in Link.unrestricted.filter(organization=org)}
    assert set(pairs) == {
        tuple(sorted((split.pk, bob.pk))),
        tuple(sorted((split.pk, jane.pk))),
        tuple(sorted((jane.pk, bob.pk))),
    }
    stated_then_met = pairs[tuple(sorted((split.pk, bob.pk)))]
    assert stated_then_met.source == "stated"
    assert stated_then_met.weight == pytest.approx(1 - (1 - 0.4) * (1 - 0.5))
    assert pairs[tuple(sorted((jane.pk, bob.pk)))].weight == pytest.approx(0.3)
    assert pairs[tuple(sorted((jane.pk, bob.pk)))].source == "emailed"
    tie = Tie.unrestricted.get(member=seller, person=split)
    assert tie.strength > 0 and tie.last_interaction == dt.datetime(2026, 10, 5, 9, tzinfo=UTC)


def test_a_tie_made_only_through_the_card_moves_to_the_split_person():
    _org, seller, _mate, jane = imported(False, separate=False)
    tie = Tie.unrestricted.get(member=seller, person=jane)
    assert tie.since == dt.date(2019, 5, 1)

    split = person_merge_undo(merge=PersonMerge.unrestricted.get(kept=jane), member=seller)

    tie.refresh_from_db()
    assert tie.person_id == split.pk and tie.since == dt.date(2019, 5, 1)
    # Jane keeps a tie only from her own mail ("old" and "both"), begun on the first of it.
    kept = Tie.unrestricted.get(member=seller, person=jane)
    assert kept.since == dt.date(2026, 9, 1) and kept.strength > 0


def test_undo_twice_is_refused_and_changes_nothing():
    org, seller, mate, jane = imported(True, separate=False)
    merge = PersonMerge.unrestricted.get(kept=jane)
    person_merge_undo(merge=merge, member=seller)
    after = state(org, seller, mate)

    with pytest.raises(ValidationError, match="already undone"):
        person_merge_undo(merge=merge, member=seller)
    assert state(org, seller, mate) == after


def test_undo_through_the_api_and_the_review_page(client):
    org, seller, mate, jane = imported(False, separate=False)
    merge = PersonMerge.unrestricted.get(kept=jane)
    client.login(username=seller.user.username, password=PASSWORD)
    listed = client.get("/api/merge-candidates")
    assert listed.status_code == 200

    undone = client.post(f"/api/merges/{merge.pk}/undo")

    assert undone.status_code == 200 and undone.json()["undone_at"]
    twin = imported(False, separate=True)
    assert state(org, seller, mate) == state(twin[0], twin[1], twin[2])
    again = client.post(f"/api/merges/{merge.pk}/undo")
    assert again.status_code == 422 and "already undone" in again.json()["detail"]
    page = client.post(f"/import/merges/{merge.pk}/undo/", follow=True)
    assert page.status_code == 200
    assert "This merge was already undone." in [str(m) for m in page.context["messages"]]


def test_the_review_page_undoes_an_import_merge(client):
    org, seller, mate, jane = imported(True, separate=False)
    merge = PersonMerge.unrestricted.get(kept=jane)
    client.login(username=seller.user.username, password=PASSWORD)

    page = client.post(f"/import/merges/{merge.pk}/undo/", follow=True)

    assert page.status_code == 200
    assert [str(m) for m in page.context["messages"]] == ["Undone: Jane Doe is a person of their own again."]
    twin = imported(True, separate=True)
    assert state(org, seller, mate) == state(twin[0], twin[1], twin[2])


def test_a_merge_recorded_before_the_import_kept_what_it_attached_still_splits_its_addresses_off():
    _org, seller, _mate, jane = imported(True, separate=False)
    merge = PersonMerge.unrestricted.get(kept=jane)
    merge.snapshot.pop("attached")  # as merges were recorded before
    merge.save(update_fields=["snapshot"])

    split = person_merge_undo(merge=merge, member=seller)

    assert list(PersonEmail.unrestricted.filter(person=split).values_list("email", flat=True)) == [
        "jd@home.net"
    ]
    assert list(PersonPhone.unrestricted.filter(person=split).values_list("e164", flat=True)) == [
        "+14155550199"
    ]
    assert SourceRecord.unrestricted.filter(person=split).get().external_id == "v1"
    assert list(PersonEmail.unrestricted.filter(person=jane).values_list("email", flat=True)) == [
        "jane.doe@gmail.com"
    ]
