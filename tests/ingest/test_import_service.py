"""The import service: identity resolution, idempotence, atomicity, ties, links, deals."""

from __future__ import annotations

import datetime as dt

import pytest

from revere.contacts.models import (
    Company,
    MergeCandidate,
    Person,
    PersonEmail,
    PersonMerge,
    PersonPhone,
    SourceRecord,
)
from revere.deals.models import BuyingRole, Deal, DealStageChange
from revere.ingest.records import (
    BuyingRoleRecord,
    CompanyRecord,
    DealRecord,
    InteractionRecord,
    PersonRecord,
    ReaderIssue,
    ReadResult,
)
from revere.ingest.service import import_results
from revere.network.models import Interaction, InteractionParticipant, Link, Tie
from revere.tenancy.restricted import manager_for
from tests.factories import MemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


def table_counts():
    return {
        m.__name__: manager_for(m).count()
        for m in (
            Company,
            Person,
            PersonEmail,
            SourceRecord,
            Tie,
            Link,
            Interaction,
            InteractionParticipant,
            Deal,
        )
    }


def linkedin_result():
    return ReadResult(
        format="linkedin",
        persons=[
            PersonRecord(
                key="line:5",
                line=5,
                first_name="Ada",
                last_name="Lovelace",
                company_name="Analytical Engines Ltd",
                title="Engineer",
                linkedin_url="https://www.linkedin.com/in/ada",
                connected_on=dt.date(2022, 6, 2),
            ),
            PersonRecord(
                key="line:6",
                line=6,
                first_name="Grace",
                last_name="Hopper",
                company_name="Navy",
                connected_on=dt.date(2021, 1, 3),
            ),
        ],
        rows_read=2,
    )


def test_an_address_book_creates_persons_companies_and_ties_from_the_member(member):
    report = import_results(member=member, results=[("Connections.csv", linkedin_result())])

    assert report.counts()["created"] == 4  # two persons and the two companies their rows name
    assert report.counts_by_kind()["person"]["created"] == 2
    ada = Person.unrestricted.get(full_name="Ada Lovelace")
    assert ada.company.name == "Analytical Engines Ltd"
    assert ada.company.normalized_name == "analytical engines"
    tie = Tie.unrestricted.get(member=member, person=ada)
    assert tie.since == dt.date(2022, 6, 2)
    assert tie.ego_id == member.person_id
    rows = {r.line: r for r in report.rows if r.kind == "person"}
    assert rows[5].action == "created" and rows[6].action == "created"


def test_reimporting_the_same_file_creates_nothing_new(member):
    import_results(member=member, results=[("Connections.csv", linkedin_result())])
    before = table_counts()

    report = import_results(member=member, results=[("Connections.csv", linkedin_result())])

    assert table_counts() == before
    assert report.counts()["created"] == 0
    assert {r.action for r in report.rows if r.kind == "person"} == {"skipped"}


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(member):
    before = table_counts()

    report = import_results(member=member, results=[("Connections.csv", linkedin_result())], dry_run=True)

    assert report.counts_by_kind()["person"]["created"] == 2
    assert report.counts_by_kind()["company"]["created"] == 2
    assert table_counts() == before


@pytest.fixture
def deals_refuse_doomed(db):
    """A real database trigger that refuses any deal named "Doomed": a failing record, not a mock."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "CREATE OR REPLACE FUNCTION refuse_doomed() RETURNS trigger AS $$ BEGIN "
                "IF NEW.name = 'Doomed' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cur.execute(
                "CREATE TRIGGER refuse_doomed BEFORE INSERT ON deals_deal FOR EACH ROW EXECUTE FUNCTION refuse_doomed()"
            )
        else:
            cur.execute(
                "CREATE TRIGGER refuse_doomed BEFORE INSERT ON deals_deal WHEN NEW.name = 'Doomed' "
                "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )
    yield
    with connection.cursor() as cur:
        cur.execute(
            "DROP TRIGGER refuse_doomed" + (" ON deals_deal" if connection.vendor == "postgresql" else "")
        )


def test_a_failure_in_the_middle_leaves_the_database_as_it_was(member, deals_refuse_doomed):
    from django.db import DatabaseError

    import_results(member=member, results=[("Connections.csv", linkedin_result())])
    before = table_counts()
    # Companies, persons, ties and a first deal are written before the database refuses "Doomed".
    result = ReadResult(
        format="salesforce",
        companies=[CompanyRecord(key="c1", name="Fresh Company")],
        persons=[PersonRecord(key="p1", first_name="New", last_name="Person", company_key="c1")],
        deals=[
            DealRecord(key="d0", name="Fine", company_key="c1", stage="identify"),
            DealRecord(key="d1", name="Doomed", company_key="c1", stage="identify"),
        ],
    )

    with pytest.raises(DatabaseError):
        import_results(member=member, results=[("broken.csv", result)])

    assert table_counts() == before
    assert not Company.unrestricted.filter(name="Fresh Company").exists()
    assert not Deal.unrestricted.filter(name="Fine").exists()


def test_the_same_email_merges_into_one_person_and_the_merge_is_recorded(member):
    existing = PersonFactory(
        organization=member.organization, full_name="Jane Doe", normalized_name="jane doe"
    )
    PersonEmail.unrestricted.create(organization=member.organization, person=existing, email="jane@acme.com")
    result = ReadResult(
        format="vcard",
        persons=[
            PersonRecord(
                key="v1",
                line=1,
                full_name="Jane Q. Doe",
                emails=["Jane@ACME.com"],
                phones=["(415) 555-0100"],
                title="CTO",
            ),
        ],
    )

    report = import_results(member=member, results=[("jane.vcf", result)])

    assert (
        Person.unrestricted.filter(
            organization=member.organization, normalized_name__startswith="jane"
        ).count()
        == 1
    )
    existing.refresh_from_db()
    assert PersonPhone.unrestricted.filter(person=existing).get().e164 == "+14155550100"
    assert report.rows[0].action == "merged"
    merge = PersonMerge.unrestricted.get(kept=existing)
    assert merge.kind == "import"
    assert "title" in merge.fields
    assert merge.snapshot["phones_added"] == ["+14155550100"]


def test_a_similar_name_at_the_same_company_waits_for_review(member):
    import_results(member=member, results=[("Connections.csv", linkedin_result())])
    result = ReadResult(
        format="vcard",
        persons=[
            PersonRecord(
                key="v1", line=3, full_name="Ada Lovelase", company_name="Analytical Engines Limited"
            ),
        ],
    )

    report = import_results(member=member, results=[("ada.vcf", result)])

    assert report.rows[0].action == "review"
    cand = MergeCandidate.unrestricted.get()
    names = {cand.person_a.full_name, cand.person_b.full_name}
    assert names == {"Ada Lovelace", "Ada Lovelase"}
    assert cand.score >= 88


def test_rows_within_one_file_resolve_to_each_other(member):
    result = ReadResult(
        format="csv",
        persons=[
            PersonRecord(key="line:2", line=2, full_name="Bob Stone", emails=["bob@stone.io"]),
            PersonRecord(
                key="line:3", line=3, full_name="Robert Stone", emails=["BOB@stone.io"], title="CEO"
            ),
        ],
    )

    report = import_results(member=member, results=[("people.csv", result)])

    assert (
        Person.unrestricted.filter(organization=member.organization).exclude(pk=member.person_id).count() == 1
    )
    assert [r.action for r in report.rows] == ["created", "merged"]


def test_reader_issues_appear_in_the_report_with_their_line(member):
    result = ReadResult(format="csv", issues=[ReaderIssue(line=7, message="no name", level="warning")])

    report = import_results(member=member, results=[("x.csv", result)])

    assert report.rows[0].line == 7 and report.rows[0].action == "skipped"


def test_emails_make_interactions_participants_and_links_weighted_by_audience(member):
    me = member.user.email
    when = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    result = ReadResult(
        format="mbox",
        interactions=[
            InteractionRecord(
                key="<m1@x>",
                kind="email",
                occurred_at=when,
                organizer=me,
                participants={"a@acme.com": "Alice A", "b@acme.com": "Bob B"},
                audience=3,
            ),
            InteractionRecord(
                key="<m2@x>",
                kind="email",
                occurred_at=when,
                organizer="list@lists.org",
                participants={
                    me: "",
                    "a@acme.com": "Alice A",
                    "c@acme.com": "Carol",
                    **{f"p{i}@big.org": "" for i in range(40)},
                },
                audience=43,
                via_list=True,
            ),
        ],
    )

    import_results(member=member, results=[("mail.mbox", result)])

    m1 = Interaction.unrestricted.get(external_id="<m1@x>")
    assert m1.outbound is True
    assert InteractionParticipant.unrestricted.filter(interaction=m1).count() == 3
    alice = Person.unrestricted.get(emails__email="a@acme.com")
    assert alice.full_name == "Alice A"
    assert Link.unrestricted.count() == 1  # the 44-person list message makes no pairwise links
    link = Link.unrestricted.get()
    assert link.source == "emailed"
    assert 0 < link.weight <= 0.3 + 1e-9


def test_deals_get_stage_history_buying_roles_and_set_company_status(member):
    result = ReadResult(
        format="salesforce",
        companies=[CompanyRecord(key="001A", name="Globex Corp"), CompanyRecord(key="001B", name="Initech")],
        persons=[
            PersonRecord(key="003A", full_name="Hank Scorpio", company_key="001A", is_contact_of_member=False)
        ],
        deals=[
            DealRecord(key="006A", name="Globex expansion", company_key="001A", stage="won", amount=1000.0),
            DealRecord(
                key="006B",
                name="Initech pilot",
                company_key="001B",
                stage="buy_in",
                source_stage="Needs Analysis",
            ),
        ],
        buying_roles=[BuyingRoleRecord(deal_key="006A", person_key="003A", role="economic_buyer")],
    )

    import_results(member=member, results=[("sf.csv", result)])

    globex = Company.unrestricted.get(name="Globex Corp")
    assert globex.status == "customer"
    assert Company.unrestricted.get(name="Initech").status == "prospect"
    deal = Deal.unrestricted.get(name="Initech pilot")
    assert deal.owner == member and deal.stage == "buy_in"
    assert list(DealStageChange.unrestricted.filter(deal=deal).values_list("to_stage", flat=True)) == [
        "buy_in"
    ]
    assert BuyingRole.unrestricted.get().role == "economic_buyer"
    assert not Tie.unrestricted.filter(person__full_name="Hank Scorpio").exists()

    result.deals[1].stage = "close"
    import_results(member=member, results=[("sf.csv", result)])
    assert list(DealStageChange.unrestricted.filter(deal=deal).values_list("to_stage", flat=True)) == [
        "buy_in",
        "close",
    ]
    assert Deal.unrestricted.count() == 2


def test_a_deal_owner_is_the_member_with_that_email(member):
    colleague = MemberFactory(organization=member.organization)
    result = ReadResult(
        format="hubspot",
        companies=[CompanyRecord(key="c", name="Umbrella")],
        deals=[
            DealRecord(
                key="d", name="Umbrella deal", company_key="c", owner_email=colleague.user.email.upper()
            )
        ],
    )

    import_results(member=member, results=[("deals.csv", result)])

    assert Deal.unrestricted.get().owner == colleague


def test_outlook_managers_name_sets_reports_to_and_referred_by_links(member):
    result = ReadResult(
        format="outlook",
        persons=[
            PersonRecord(key="line:2", line=2, full_name="Mia Boss", company_name="Contoso"),
            PersonRecord(
                key="line:3",
                line=3,
                full_name="Sam Worker",
                company_name="Contoso",
                reports_to_name="Mia Boss",
                referred_by_name="Nobody Known",
            ),
            PersonRecord(
                key="line:4",
                line=4,
                full_name="Ray Ref",
                company_name="Fabrikam",
                referred_by_name="Sam Worker",
            ),
        ],
    )

    report = import_results(member=member, results=[("outlook.csv", result)])

    sam = Person.unrestricted.get(full_name="Sam Worker")
    assert sam.reports_to.full_name == "Mia Boss"
    assert Link.unrestricted.filter(source="org_chart").count() == 1
    assert Link.unrestricted.filter(source="introduced").count() == 1
    assert any(
        r.kind == "introduction" and r.action == "skipped" and "Nobody Known" in r.reason for r in report.rows
    )


def test_two_files_that_disagree_do_not_flip_a_persons_fields_on_every_reimport(member):
    crm = ReadResult(
        format="hubspot",
        persons=[PersonRecord(key="1", full_name="Jane Doe", emails=["jane@acme.com"], title="CTO")],
    )
    cards = ReadResult(
        format="vcard",
        persons=[
            PersonRecord(
                key="v", full_name="Jane Doe", emails=["jane@acme.com"], title="Chief Technology Officer"
            )
        ],
    )
    import_results(member=member, results=[("crm.csv", crm)])
    import_results(member=member, results=[("cards.vcf", cards)])

    for name, result in (("crm.csv", crm), ("cards.vcf", cards), ("crm.csv", crm)):
        report = import_results(member=member, results=[(name, result)])
        assert [r.action for r in report.rows] == ["skipped"], name
    assert Person.unrestricted.get(full_name="Jane Doe").title == "CTO"


def test_the_source_a_person_came_from_may_change_their_title(member):
    crm = ReadResult(format="hubspot", persons=[PersonRecord(key="1", full_name="Jane Doe", title="CTO")])
    import_results(member=member, results=[("crm.csv", crm)])
    crm.persons[0].title = "CEO"

    report = import_results(member=member, results=[("crm.csv", crm)])

    assert report.rows[0].action == "updated"
    assert Person.unrestricted.get(full_name="Jane Doe").title == "CEO"
