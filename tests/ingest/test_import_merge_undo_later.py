"""Undoing an import merge, continued: CRM exports, files through the readers, later imports.

The known answer is computed as in :mod:`tests.ingest.test_import_merge_undo`: the same files
imported into a twin organization where the record becomes a person of its own.
"""

from __future__ import annotations

import datetime as dt

import pytest

from revere.contacts.models import Person, PersonEmail, PersonMerge, SourceRecord
from revere.deals.models import BuyingRole
from revere.ingest.merge.persons import person_merge_undo
from revere.ingest.records import (
    BuyingRoleRecord,
    CompanyRecord,
    DealRecord,
    PersonRecord,
    ReadResult,
)
from revere.ingest.service import Upload, import_files, import_recompute, import_results
from revere.network.models import InteractionParticipant, Tie
from tests.ingest.test_import_merge_undo import company_world, files, state

pytestmark = pytest.mark.django_db


def crm(*, separate: bool) -> list[tuple[str, ReadResult]]:
    """A CRM export: Jane reports to Bob and Carl to Jane; Jane is on a deal, as its economic buyer."""
    jane_emails = ["jd@home.net"] if separate else ["jane.doe@gmail.com", "jd@home.net"]
    return [
        (
            "export.zip",
            ReadResult(
                format="salesforce",
                companies=[CompanyRecord(key="a1", name="Acme Corp", external_id="a1")],
                persons=[
                    PersonRecord(key="c2", full_name="Bob Roe", emails=["bob@acme.org"], company_key="a1"),
                    PersonRecord(
                        key="c1", full_name="Jane Doe", emails=jane_emails, company_key="a1", reports_to_key="c2",
                        title="CFO",
                    ),
                    PersonRecord(
                        key="c3", full_name="Carl Poe", emails=["carl@acme.org"], company_key="a1",
                        reports_to_key="c1",
                    ),
                ],
                deals=[DealRecord(key="d1", name="Acme deal", company_key="a1", stage="buy_in", contact_keys=["c1"])],
                buying_roles=[BuyingRoleRecord(deal_key="d1", person_key="c1", role="economic_buyer")],
            ),
        )
    ]  # fmt: skip


@pytest.mark.parametrize("prior_tie", [True, False], ids=["seller-knew-jane", "tie-only-through-the-crm"])
def test_reports_to_and_buying_roles_through_the_record_go_with_it(prior_tie):
    org, seller, mate, jane = company_world(prior_tie)
    import_results(member=seller, results=crm(separate=False))
    import_recompute(member=seller, rows=10)
    jane.refresh_from_db()
    assert jane.reports_to.full_name == "Bob Roe"
    # Her stated role on the deal, not also the generic influencer of the deal's association.
    assert set(BuyingRole.unrestricted.filter(person=jane).values_list("role", flat=True)) == {
        "economic_buyer"
    }

    split = person_merge_undo(merge=PersonMerge.unrestricted.get(kept=jane), member=seller)

    twin_org, twin_seller, twin_mate, _ = company_world(prior_tie)
    import_results(member=twin_seller, results=crm(separate=True))
    import_recompute(member=twin_seller, rows=10)
    assert state(org, seller, mate) == state(twin_org, twin_seller, twin_mate)
    jane.refresh_from_db()
    assert jane.reports_to is None and not BuyingRole.unrestricted.filter(person=jane).exists()
    assert Person.unrestricted.get(organization=org, full_name="Carl Poe").reports_to_id == split.pk


def test_undoing_one_of_two_records_merged_into_the_same_person_leaves_the_other():
    """Jane's vCard and her Google row both fold into Jane; undoing the card leaves the Google row's tie."""

    def both(seller, *, separate: bool) -> list[tuple[str, ReadResult]]:
        google = ReadResult(
            format="google",
            persons=[
                PersonRecord(
                    key="g1", full_name="Jane Doe", emails=["jane.doe@gmail.com"], location="Lisbon", title="Chief Tech",
                    connected_on=dt.date(2020, 2, 2),
                )
            ],
        )  # fmt: skip
        return [*files(seller, separate=separate), ("contacts.csv", google)]

    org, seller, mate, jane = company_world(False)
    import_results(member=seller, results=both(seller, separate=False))
    import_recompute(member=seller, rows=10)
    assert PersonMerge.unrestricted.filter(kept=jane).count() == 2
    assert Tie.unrestricted.get(member=seller, person=jane).since == dt.date(2019, 5, 1)

    card = PersonMerge.unrestricted.get(kept=jane, snapshot__source="vcard")
    split = person_merge_undo(merge=card, member=seller)

    twin_org, twin_seller, twin_mate, _ = company_world(False)
    import_results(member=twin_seller, results=both(twin_seller, separate=True))
    import_recompute(member=twin_seller, rows=10)
    assert state(org, seller, mate) == state(twin_org, twin_seller, twin_mate)
    assert Tie.unrestricted.get(member=seller, person=jane).since == dt.date(2020, 2, 2)
    assert Tie.unrestricted.get(member=seller, person=split).since == dt.date(2019, 5, 1)
    jane.refresh_from_db()  # the title the card filled is the Google row's now, as it would have been
    assert (jane.title, jane.location, split.title) == ("Chief Tech", "Lisbon", "CTO")


def vcard_and_mailbox(seller, *, separate: bool) -> list[Upload]:
    """A vCard of Jane with her shared address after the new one, and Sam's mails to both."""
    shared = "" if separate else "EMAIL:jane.doe@gmail.com\r\n"  # after jd@home.net: the card's key
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:jane-1\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\n"
        f"EMAIL:jd@home.net\r\n{shared}TITLE:CTO\r\nTEL:+1 415 555 0199\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bob-1\r\nFN:Bob Roe\r\nEMAIL:bob@beta.io\r\nEND:VCARD\r\n"
    )
    me = seller.user.email
    mail = (
        f"From {me} Mon Mar  4 09:00:00 2024\n"
        "Message-ID: <a1@x.example>\nDate: Mon, 4 Mar 2024 09:00:00 +0000\n"
        f"From: Sam <{me}>\nTo: jd@home.net, bob@beta.io\nSubject: hello\n\nBody\n\n"
        f"From {me} Tue Mar  5 09:00:00 2024\n"
        "Message-ID: <a2@x.example>\nDate: Tue, 5 Mar 2024 09:00:00 +0000\n"
        f"From: Sam <{me}>\nTo: jane.doe@gmail.com, jd@home.net\nSubject: both\n\nBody\n"
    )
    return [Upload("jane.vcf", card.encode()), Upload("mail.mbox", mail.encode())]


def test_through_the_readers_a_vcard_and_a_mailbox():
    """The same, from real files: a vCard that matches Jane by her address, and a mailbox."""
    org, seller, mate, jane = company_world(False)
    import_files(member=seller, uploads=vcard_and_mailbox(seller, separate=False))
    # The mailbox's recipients are records too: jd@home.net matched Jane only through the card's
    # address, so it goes with the card; jane.doe@gmail.com is Jane's own.
    merges = {
        m.snapshot["source"] + ":" + m.snapshot["external_id"]: m
        for m in PersonMerge.unrestricted.filter(kept=jane)
    }
    assert set(merges) == {"vcard:jd@home.net", "mbox:jd@home.net", "mbox:jane.doe@gmail.com"}
    merge = merges["vcard:jd@home.net"]

    split = person_merge_undo(merge=merge, member=seller)

    twin_org, twin_seller, twin_mate, _ = company_world(False)
    import_files(member=twin_seller, uploads=vcard_and_mailbox(twin_seller, separate=True))
    assert state(org, seller, mate) == state(twin_org, twin_seller, twin_mate)
    assert set(PersonEmail.unrestricted.filter(person=split).values_list("email", flat=True)) == {
        "jd@home.net"
    }
    # The mailbox's jd@home.net record is merged into the separated person now, as in the twin.
    still = PersonMerge.unrestricted.filter(organization=org, undone_at=None, snapshot__source="mbox")
    kept = dict(still.values_list("snapshot__external_id", "kept_id"))
    assert kept["jd@home.net"] == split.pk and kept["jane.doe@gmail.com"] == jane.pk


def test_undoing_the_mailbox_record_first_then_the_card_keeps_each_source_with_its_person():
    _org, seller, _mate, jane = company_world(False)
    import_files(member=seller, uploads=vcard_and_mailbox(seller, separate=False))
    merges = {
        m.snapshot["source"] + ":" + m.snapshot["external_id"]: m
        for m in PersonMerge.unrestricted.filter(kept=jane)
    }

    mailbox = person_merge_undo(merge=merges["mbox:jd@home.net"], member=seller)
    card = person_merge_undo(merge=merges["vcard:jd@home.net"], member=seller)

    assert list(SourceRecord.unrestricted.filter(person=mailbox).values_list("source", flat=True)) == ["mbox"]
    assert list(SourceRecord.unrestricted.filter(person=card).values_list("source", flat=True)) == ["vcard"]
    assert set(PersonEmail.unrestricted.filter(person=card).values_list("email", flat=True)) == {
        "jd@home.net"
    }
    assert list(SourceRecord.unrestricted.filter(person=jane).values_list("external_id", flat=True)) == [
        "jane.doe@gmail.com"
    ]


@pytest.mark.parametrize("prior_tie", [True, False], ids=["seller-knew-jane", "tie-only-through-the-card"])
def test_a_later_import_that_reaches_jane_through_the_cards_address_goes_with_the_card(prior_tie):
    """The vCard first; the mailbox a day later. Undoing the card's merge then gives what two
    separate imports would have given: the mailbox's messages to jd@home.net are the card's person's."""

    def twice(seller, *, separate: bool) -> None:
        card, mail = vcard_and_mailbox(seller, separate=separate)
        import_files(member=seller, uploads=[card])
        import_files(member=seller, uploads=[mail])

    org, seller, mate, jane = company_world(prior_tie)
    twice(seller, separate=False)
    merge = PersonMerge.unrestricted.get(kept=jane, snapshot__source="vcard")
    assert merge.snapshot["attached"]["links_later"] and merge.snapshot["attached"]["participants"]

    split = person_merge_undo(merge=merge, member=seller)

    twin_org, twin_seller, twin_mate, _ = company_world(prior_tie)
    twice(twin_seller, separate=True)
    assert state(org, seller, mate) == state(twin_org, twin_seller, twin_mate)
    assert set(
        InteractionParticipant.unrestricted.filter(person=split).values_list(
            "interaction__subject", flat=True
        )
    ) == {
        "hello",
        "both",
    }


def test_a_field_the_card_filled_gets_what_a_later_import_offered_for_it():
    _org, seller, _mate, jane = company_world(False)
    import_files(member=seller, uploads=vcard_and_mailbox(seller, separate=False)[:1])
    google = ReadResult(
        format="google",
        persons=[
            PersonRecord(key="g1", full_name="Jane Doe", emails=["jane.doe@gmail.com"], title="Chief Tech")
        ],
    )
    import_results(member=seller, results=[("contacts.csv", google)])
    jane.refresh_from_db()
    assert jane.title == "CTO"  # the card's: the Google row found it filled

    split = person_merge_undo(
        merge=PersonMerge.unrestricted.get(kept=jane, snapshot__source="vcard"), member=seller
    )

    jane.refresh_from_db()
    assert (jane.title, split.title) == ("Chief Tech", "CTO")


def test_a_reimport_of_the_same_files_after_the_merge_then_undo_gives_what_two_separate_imports_give():
    def twice(seller, *, separate: bool) -> None:
        import_files(member=seller, uploads=vcard_and_mailbox(seller, separate=separate))
        import_files(member=seller, uploads=vcard_and_mailbox(seller, separate=separate))

    org, seller, mate, jane = company_world(True)
    twice(seller, separate=False)
    merge = PersonMerge.unrestricted.get(kept=jane, snapshot__source="vcard")

    person_merge_undo(merge=merge, member=seller)

    twin_org, twin_seller, twin_mate, _ = company_world(True)
    twice(twin_seller, separate=True)
    assert state(org, seller, mate) == state(twin_org, twin_seller, twin_mate)


def test_a_teammates_later_mailbox_goes_with_the_card_too():
    def two_members(seller, mate, *, separate: bool) -> None:
        import_files(member=seller, uploads=vcard_and_mailbox(seller, separate=separate)[:1])
        import_files(member=mate, uploads=vcard_and_mailbox(mate, separate=separate)[1:])

    org, seller, mate, jane = company_world(False)
    two_members(seller, mate, separate=False)
    merge = PersonMerge.unrestricted.get(kept=jane, snapshot__source="vcard")
    assert [t["member_id"] for t in merge.snapshot["attached"]["ties_later"]] == [mate.pk]

    split = person_merge_undo(merge=merge, member=seller)

    twin_org, twin_seller, twin_mate, _ = company_world(False)
    two_members(twin_seller, twin_mate, separate=True)
    assert state(org, seller, mate) == state(twin_org, twin_seller, twin_mate)
    assert Tie.unrestricted.get(member=mate, person=split).strength > 0
