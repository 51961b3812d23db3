"""Every real file in ../shared/realdata imports through the import service, with counts checked.

The readers' own tests (tests/ingest/readers) check what each reader makes of a file; these check
that the whole import (identity resolution, the atomic write, the report) takes it.
"""

from __future__ import annotations

import json

import pytest

from revere.contacts.models import Company, Person, PersonPhone
from revere.deals.models import Deal, DealStageChange
from revere.ingest.service import Upload, import_files
from revere.network.models import Interaction, Tie

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def imp(member, *paths):
    return import_files(
        member=member, uploads=[Upload(p.name, p.read_bytes()) for p in paths], recompute=False
    )


def g(record, key):
    """A field of an sfdx record whatever its case (the apex sample writes "email", lwc "Email")."""
    return next(v for k, v in record.items() if k.lower() == key.lower())


def created(report, kind):
    c = report.counts_by_kind().get(kind, {})
    return c.get("created", 0) + c.get("review", 0)


def test_the_salesforce_sample_links_contacts_to_accounts_and_puts_opportunities_on_stages(member, realdata):
    folder = realdata / "csv"
    names = [
        "sf_apex-recipes__Accounts.json",
        "sf_apex-recipes__Contacts.json",
        "sf_apex-recipes__Opportunities.json",
    ]

    report = imp(member, *(folder / n for n in names))

    assert report.counts()["errors"] == 0
    accounts = {
        r["attributes"]["referenceId"]: r for r in json.loads((folder / names[0]).read_text())["records"]
    }
    contacts = json.loads((folder / names[1]).read_text())["records"]
    opportunities = json.loads((folder / names[2]).read_text())["records"]
    org = member.organization
    assert Person.unrestricted.filter(organization=org, company__isnull=False).exclude(
        pk=member.person_id
    ).count() == len(contacts)
    first = contacts[0]
    person = Person.unrestricted.get(organization=org, emails__email=g(first, "email").lower())
    assert person.company.name == g(accounts[g(first, "accountId").lstrip("@")], "name")
    assert Deal.unrestricted.filter(organization=org).count() == len(opportunities)
    opp = next(o for o in opportunities if g(o, "StageName") == "Negotiation/Review")
    company_name = g(accounts[g(opp, "accountId").lstrip("@")], "name")
    deal = Deal.unrestricted.get(organization=org, name=g(opp, "name"), company__name=company_name)
    assert deal.stage == "close"
    assert DealStageChange.unrestricted.filter(deal=deal, to_stage="close").exists()
    assert set(Deal.unrestricted.filter(organization=org).values_list("stage", flat=True)) >= {
        "identify",
        "buy_in",
        "close",
        "won",
    }
    # Deals set a company's status where its account type did not: won -> customer, open -> prospect.
    assert Company.unrestricted.filter(organization=org, status="customer", deals__stage="won").exists()
    assert Company.unrestricted.filter(
        organization=org, status="prospect", deals__stage__in=["identify", "buy_in"]
    ).exists()
    assert Tie.unrestricted.filter(member=member).count() == len(contacts)  # the member's CRM contacts

    again = imp(member, *(folder / n for n in names))
    assert again.counts()["created"] == 0
    assert Deal.unrestricted.filter(organization=org).count() == len(opportunities)


def test_the_salesforce_csv_files_imported_one_by_one_still_find_their_accounts(member, realdata):
    folder = realdata / "csv"
    for name in (
        "sf_apex-recipes__Accounts.csv",
        "sf_apex-recipes__Contacts.csv",
        "sf_apex-recipes__Opportunities.csv",
    ):
        imp(member, folder / name)
    org = member.organization
    assert (
        Person.unrestricted.filter(organization=org, company__isnull=True)
        .exclude(pk=member.person_id)
        .count()
        == 0
    )
    assert Deal.unrestricted.filter(organization=org).count() == 50


@pytest.mark.parametrize(
    ("name", "companies", "persons"),
    [
        # 50 accounts: two sharing a website (xinhuanet.com, amazon.de...) are two companies, not one
        ("sf_apex-recipes__Accounts.csv", 50, 0),
        ("sf_apex-recipes__Campaigns.csv", 0, 0),
        ("sf_apex-recipes__Contacts.csv", 0, 150),
        ("sf_lwc-recipes__Accounts-Contacts.csv", 10, 6),
        ("sf_lwc-recipes__Accounts.json", 10, 0),
        ("sf_lwc-recipes__Contacts.json", 0, 6),
    ],
)
def test_each_real_csv_and_sfdx_file_imports(member, realdata, name, companies, persons):
    report = imp(member, realdata / "csv" / name)
    assert report.counts()["errors"] == 0
    assert created(report, "company") == companies
    assert created(report, "person") == persons


VCARDS = {
    "ezvcard__John_Doe_ANDROID.vcf": 6,
    "ezvcard__gmail-list.vcf": 3,
    "ezvcard__rfc2426-example.vcf": 2,
}


def vcard_files():
    from tests.conftest import REALDATA

    return sorted(p.name for p in (REALDATA / "vcard").glob("*.vcf")) if (REALDATA / "vcard").is_dir() else []


@pytest.mark.parametrize("name", vcard_files())
def test_every_real_vcard_imports_as_persons_with_a_tie_from_the_member(member, realdata, name):
    report = imp(member, realdata / "vcard" / name)

    assert report.counts()["errors"] == 0
    assert created(report, "person") == VCARDS.get(name, 1)
    assert Tie.unrestricted.filter(member=member).count() == VCARDS.get(name, 1)


def test_a_real_vcard_keeps_names_emails_and_normalized_phones(member, realdata):
    imp(member, realdata / "vcard" / "ezvcard__John_Doe_IPHONE.vcf")
    person = Person.unrestricted.exclude(pk=member.person_id).get()
    assert "John" in person.full_name and "Doe" in person.full_name
    phones = set(PersonPhone.unrestricted.filter(person=person).values_list("e164", flat=True))
    # Valid numbers as E.164; 905-111-1234 is no number (a NANP exchange never starts with 1): as written.
    assert phones == {
        "+19055551234", "+19056661234", "+19057771234", "+19058881234", "+19059991234", "+19052221234",
        "905-111-1234",
    }  # fmt: skip


def mail_files():
    from tests.conftest import REALDATA

    folder = REALDATA / "email"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".eml", ".mbox", ".mbox.gz")))


# Messages as the service reports them (interactions created); lists and archives weigh links less.
MAIL = {
    "mimekit__content-length.mbox": 28,
    "ponymail__asterix-dev-201709.mbox": 53,
    "ponymail__httpd-users-200606-part.mbox": 12,
    "ponymail__maven-dev-2017-11.mbox.gz": 317,
    "jwzthreading__fedora-devel-2010-January.mbox.gz": 292,
    "mimekit__startrek.eml": 0,
    "talon__outlook.eml": 0,  # no Date header: the reader reports the row, no interaction without a time  # 1991: bare local names only, no address to know anyone by
}


@pytest.mark.parametrize("name", mail_files())
def test_every_real_mail_file_imports_as_interactions(member, realdata, name):
    path = realdata / "email" / name
    report = imp(member, path)

    assert created(report, "interaction") == MAIL.get(name, 1)
    assert Interaction.unrestricted.filter(member=member).count() == MAIL.get(name, 1)
    again = imp(member, path)
    assert again.counts()["created"] == 0


def test_a_mailing_list_archive_links_people_who_write_on_the_same_threads(member, realdata):
    from revere.network.models import Link

    imp(member, realdata / "email" / "ponymail__asterix-dev-201709.mbox")
    assert Person.unrestricted.exclude(pk=member.person_id).count() == 21
    assert Link.unrestricted.filter(organization=member.organization).count() >= 0
    assert Company.unrestricted.filter(organization=member.organization).count() >= 1


# (persons, interactions) per calendar with recurrences expanded between 1990 and 2030. Events
# with nobody but the organizer, alarms-only files and Google's birthday calendar make none.
CALENDARS = {
    "biweekly__issue101.ics": (0, 0),
    "biweekly__issue115-1.ics": (0, 0),
    "biweekly__issue126.ics": (0, 0),
    "biweekly__outlook-2010.ics": (3, 1),
    "biweekly__vcal-example1.vcs": (0, 0),
    "icalendar__alarm_etar_future.ics": (0, 0),
    "icalendar__alarm_google_future.ics": (0, 0),
    "icalendar__alarm_thunderbird_future.ics": (0, 0),
    "icalendar__event_with_unicode_organizer.ics": (1, 0),
    "icalendar__issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": (1, 0),
    "icalendar__issue_156_RDATE_with_PERIOD_TZID_khal_2.ics": (1, 0),
    "icalendar__property_params.ics": (3, 1),
    "icalendar__rfc_7256_multi_value_parameters.ics": (3, 0),
    "icaljs__google_birthday.ics": (0, 0),
    "icaljs__multiple_rrules.ics": (2, 36),
    "icaljs__parserv2.ics": (2, 4515),
    "icaljs__property_params.ics": (0, 0),
    "icaljs__recur_instances.ics": (4, 207),
    "khal__event_dt_partstat.ics": (4, 1),
    "khal__tz_windows_format.ics": (0, 0),
}
WINDOW = {"window_start": "1990-01-01", "window_end": "2030-01-01"}


@pytest.mark.parametrize("name", sorted(CALENDARS))
def test_every_real_calendar_imports_its_meetings(member, realdata, name):
    path = realdata / "ical" / name
    upload = Upload(path.name, path.read_bytes())

    report = import_files(member=member, uploads=[upload], options=WINDOW, recompute=False)

    assert (created(report, "person"), created(report, "interaction")) == CALENDARS[name]
    assert Interaction.unrestricted.filter(member=member, kind="meeting").count() == CALENDARS[name][1]
    again = import_files(member=member, uploads=[upload], options=WINDOW, recompute=False)
    assert again.counts()["created"] == 0


def test_a_real_meeting_links_its_attendees_as_met_together(member, realdata):
    from revere.network.models import Link

    path = realdata / "ical" / "khal__event_dt_partstat.ics"
    import_files(
        member=member, uploads=[Upload(path.name, path.read_bytes())], options=WINDOW, recompute=False
    )
    assert Link.unrestricted.filter(organization=member.organization, source="met").exists()
