"""Import fidelity, phones and names (issue 13, point 4), each class on a file written here.

* phones: a trunk "(0)" after a country code was kept (+49 (0611) … became +490611…), a number
  without a country code was turned into an impossible +1 number, a valid number of another
  country was dropped. Only numbers phonenumbers validates (written internationally, or in the
  contact's own country, the member's, the organization's) are stored as E.164; the rest as written.
* names: an attendee's CN that is its own address in quotes was kept as a name; placeholders
  ("No Name", "Unknown", "(none)") were kept; "eve@example.com <frank@example.com>" made two people.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from revere.contacts.identity import clean_name, is_e164, normalize_phone, phone_number
from revere.contacts.models import Person, PersonPhone
from revere.contacts.regions import region_code
from revere.ingest.readers import read_file
from revere.ingest.readers.mailheaders import addresses
from revere.ingest.service import Upload, import_files

# -- phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "regions", "stored"),
    [
        ("+49 (0611) 1234567", ("US",), "+496111234567"),  # the trunk 0 after +49 is no digit of it
        ("+49 (0)611 1234567", ("US",), "+496111234567"),
        ("0049 611 1234567", ("US",), "+496111234567"),  # 00: the international prefix
        ("(0611) 1234567", ("DE", "US"), "+496111234567"),  # the contact's own country first
        ("(0611) 1234567", ("US",), "(0611) 1234567"),  # no +1 invented: kept as written
        ("555-1234", ("US",), "555-1234"),  # a local number only: no region makes it whole
        ("1 (302) 556-4395", ("US",), "+13025564395"),
        ("+1 202 555 0173", (), "+12025550173"),
        ("+12345678", ("US",), "+12345678"),  # looks international, is no number: as written
        ("call reception", ("US",), ""),  # no digit: not a phone number
    ],
)
def test_a_number_is_stored_as_e164_only_when_phonenumbers_validates_it(written, regions, stored):
    assert phone_number(written, regions) == stored
    assert is_e164(stored) == (stored.startswith("+") and stored != "+12345678")


def test_countries_as_files_write_them_name_their_region():
    assert [region_code(c) for c in ("Germany", "Deutschland", "DE", "USA", "France", "Österreich", "Mars")] == [
        "DE", "DE", "DE", "US", "FR", "AT", "",
    ]  # fmt: skip


def test_normalize_phone_still_gives_e164_or_nothing_for_callers_that_need_a_key():
    assert normalize_phone("030 123456", "DE") == "+4930123456"
    assert normalize_phone("555-1234") == ""


OUTLOOK = (
    "First Name,Last Name,E-mail Address,Business Phone,Mobile Phone,Business Country/Region\r\n"
    "Jörg,Müller,joerg@firma-gmbh.de,+49 (0611) 1234567,(0611) 7654321,Deutschland\r\n"
    "Ann,Lee,ann@lee-llc.com,555-1234,(415) 555-0100,United States\r\n"
    "Zoë,Faure,zoe@faure-sa.fr,01 42 68 53 00,,\r\n"
)


@pytest.mark.django_db
def test_an_import_stores_valid_numbers_as_e164_and_keeps_the_others_as_written(member):
    import_files(member=member, uploads=[Upload("contacts.csv", OUTLOOK.encode())], recompute=False)

    phones = {
        p.full_name: sorted(PersonPhone.unrestricted.filter(person=p).values_list("e164", flat=True))
        for p in Person.unrestricted.filter(organization=member.organization).exclude(pk=member.person_id)
    }
    assert phones == {
        "Jörg Müller": ["+496111234567", "+496117654321"],  # the row's country: Deutschland
        "Ann Lee": ["+14155550100", "555-1234"],
        "Zoë Faure": ["01 42 68 53 00"],  # no country on the row, US by default: kept as written
    }


@pytest.mark.django_db
def test_the_member_or_the_organization_gives_the_region_of_numbers_without_a_country(member, tmp_path):
    member.organization.phone_region = "FR"
    member.organization.save()
    import_files(member=member, uploads=[Upload("contacts.csv", OUTLOOK.encode())], recompute=False)
    assert PersonPhone.unrestricted.filter(person__full_name="Zoë Faure", e164="+33142685300").exists()

    path = tmp_path / "c.csv"
    path.write_text("Name,Email,Phone\nMo Ali,mo@ali-co.eg,(0611) 1234567\n")
    call_command("import", str(path), "--as", member.user.email, "--phone-region", "de", stdout=io.StringIO())
    assert PersonPhone.unrestricted.filter(person__full_name="Mo Ali", e164="+496111234567").exists()


@pytest.mark.django_db
def test_a_number_kept_as_written_matches_no_one(member):
    rows = "Name,Email,Phone\nAnn Lee,ann@one.example.net,555-1234\nAnn Lee,ann@two.example.net,555-1234\n"
    import_files(member=member, uploads=[Upload("c.csv", rows.encode())], recompute=False)
    assert Person.unrestricted.filter(organization=member.organization, full_name="Ann Lee").count() == 2


# -- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "clean"),
    [
        ('"ada@firma.de"', ""),  # a calendar's CN that is the attendee's address, in quotes
        ("ja mes@lightsofapollo.com", ""),  # the same, folded with a space
        ("eve@example.com", ""),  # an address is no name, whoever's it is
        ("No Name", ""),
        ("Unknown", ""),
        ("(none)", ""),
        ("N/A", ""),
        ("-", ""),
        ("Kein Name", ""),
        ('"Ada Lovelace"', "Ada Lovelace"),
        ("Ada <ada@firma.de>", "Ada"),
        ("Na Li", "Na Li"),
        ("O'Neil", "O'Neil"),
    ],
)
def test_the_name_normalizer_drops_addresses_quotes_and_placeholders(written, clean):
    assert clean_name(written) == clean


def test_an_address_written_as_the_display_name_of_another_is_one_person_not_two():
    assert addresses(['eve@example.com <frank@example.com>, "Bo, X" <bo@b.io>']) == (
        [("frank@example.com", ""), ("bo@b.io", "Bo, X")],
        [],
    )


CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
    "DTSTART:20240306T100000Z\r\nSUMMARY:Review\r\n"
    'ORGANIZER;CN="ada@firma.de":mailto:ada@firma.de\r\n'
    "ATTENDEE;CN=No Name:mailto:bo@firma.de\r\n"
    "ATTENDEE;CN=Cy Young:mailto:cy@firma.de\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Unknown\r\nN:;;;;\r\nEMAIL:dee@firma.de\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:(none)\r\nN:Eck;Ed;;;\r\nEMAIL:ed@firma.de\r\nEND:VCARD\r\n"
)
MAIL = (
    'From: eve@example.com <frank@firma.de>\r\nTo: "Gus" <gus@firma.de>, "Ha, Li" <li@firma.de>\r\n'
    "Subject: x\r\nDate: Tue, 3 Jun 2025 10:00:00 +0200\r\nMessage-ID: <n@firma.de>\r\n\r\nx\r\n"
)


def test_every_reader_cleans_names_through_the_one_normalizer():
    meeting = read_file(CALENDAR.encode(), filename="c.ics")
    assert {p.emails[0]: p.full_name for p in meeting.persons} == {
        "ada@firma.de": "",
        "bo@firma.de": "",
        "cy@firma.de": "Cy Young",
    }
    cards = read_file(VCARDS.encode(), filename="c.vcf")
    assert [(p.full_name, p.first_name, p.last_name) for p in cards.persons] == [
        ("", "", ""),
        ("", "Ed", "Eck"),
    ]
    mail = read_file(MAIL.encode(), filename="m.eml")
    assert sorted(p.emails[0] for p in mail.persons) == ["frank@firma.de", "gus@firma.de", "li@firma.de"]
    assert {p.emails[0]: p.full_name for p in mail.persons}["frank@firma.de"] == ""


@pytest.mark.django_db
def test_persons_without_a_real_name_are_named_by_their_address_and_matched_by_it_only(member):
    import_files(
        member=member,
        uploads=[Upload("c.ics", CALENDAR.encode()), Upload("c.vcf", VCARDS.encode()), Upload("m.eml", MAIL.encode())],
        recompute=False,
    )  # fmt: skip

    names = dict(
        Person.unrestricted.filter(organization=member.organization)
        .exclude(pk=member.person_id)
        .values_list("emails__email", "full_name")
    )
    assert names == {
        "ada@firma.de": "ada@firma.de",
        "bo@firma.de": "bo@firma.de",
        "cy@firma.de": "Cy Young",
        "dee@firma.de": "dee@firma.de",
        "ed@firma.de": "Ed Eck",
        "frank@firma.de": "frank@firma.de",
        "gus@firma.de": "Gus",
        "li@firma.de": "Ha, Li",
    }
    assert not Person.unrestricted.filter(
        organization=member.organization, emails__email="eve@example.com"
    ).exists()
    assert Person.unrestricted.get(emails__email="bo@firma.de").normalized_name == ""
