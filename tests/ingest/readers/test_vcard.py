"""vCard 2.1/3.0/4.0: every real file in realdata/vcard, including those vobject alone fails on."""

from __future__ import annotations

import pytest
import vobject

from revere.ingest.readers import read_file

# file -> (persons, first person's full name, first e-mail, company, title, number of phones)
EXPECTED = {
    "ezvcard__John_Doe_ANDROID.vcf": (6, "", ["john.doe@company.com"], "", "", 0),  # an address is no name
    "ezvcard__John_Doe_BLACK_BERRY.vcf": (1, "John Doe", [], "Acme Solutions", "", 1),
    "ezvcard__John_Doe_EVOLUTION.vcf": (
        1,
        "Mr. John Richter, James Doe Sr.",
        ["john.doe@ibm.com"],
        "IBM",
        "Money Counter",
        2,
    ),
    "ezvcard__John_Doe_GMAIL.vcf": (
        1,
        "Mr. John Richter, James Doe Sr.",
        ["john.doe@ibm.com"],
        "IBM",
        "Money Counter",
        2,
    ),
    "ezvcard__John_Doe_IPHONE.vcf": (
        1,
        "Mr. John Richter James Doe Sr.",
        ["john.doe@ibm.com"],
        "IBM",
        "Money Counter",
        7,
    ),
    "ezvcard__John_Doe_LOTUS_NOTES.vcf": (
        1,
        "Mr. Doe John I Johny",
        ["john.doe@ibm.com"],
        "IBM",
        "Generic Accountant",
        2,
    ),
    "ezvcard__John_Doe_MAC_ADDRESS_BOOK.vcf": (
        1,
        "Mr. John Richter,James Doe Sr.",
        ["john.doe@ibm.com"],
        "IBM",
        "Money Counter",
        7,
    ),
    "ezvcard__John_Doe_MS_OUTLOOK.vcf": (
        1,
        "Mr. John Richter James Doe Sr.",
        ["john.doe@ibm.cm"],
        "IBM",
        "Money Counter",
        2,
    ),
    "ezvcard__fullcontact.vcf": (
        1,
        "Prefix FirstName MiddleName LastName Suffix",
        ["home@example.com"],
        "Organization1",
        "Title1",
        9,
    ),
    "ezvcard__gmail-list.vcf": (3, "Arnold Smith", ["asmithk@gmail.com"], "", "", 0),
    "ezvcard__gmail-single.vcf": (
        1,
        "Greg Dartmouth",
        ["gdartmouth@hotmail.com"],
        "TheCompany",
        "TheJobTitle",
        2,
    ),
    "ezvcard__gmail-single2.vcf": (1, "VCard Test", ["email@example.com"], "TheCompany", "TheJobTitle", 11),
    "ezvcard__issue114.vcf": (1, "Dummy, Dummy", ["dummy.dummy@dummy.com"], "Dummy GmbH", "", 2),
    "ezvcard__outlook-2003.vcf": (
        1,
        "John Doe III",
        ["jdoe@hotmail.com"],
        "Company, The",
        "The Job Title",
        4,
    ),
    "ezvcard__outlook-2007.vcf": (
        1,
        "Mr. Michael Angstadt Jr.",
        ["mike.angstadt@gmail.com"],
        "TheCompany",
        "TheJobTitle",
        4,
    ),
    "ezvcard__rfc2426-example.vcf": (
        2,
        "Frank Dawson",
        ["frank_dawson@lotus.com"],
        "Lotus Development Corporation",
        "",
        2,
    ),
    "ezvcard__rfc6350-example.vcf": (
        1,
        "Simon Perreault",
        ["simon.perreault@viagenie.ca"],
        "Viagenie",
        "",
        2,
    ),
    "ezvcard__thunderbird-MoreFunctionsForAddressBook-extension.vcf": (
        1,
        "John Doe",
        ["doe.john@hotmail.com"],
        "TheOrganization",
        "TheTitle",
        5,
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_real_vcard_reads_with_its_people(realdata, name):
    result = read_file(realdata / "vcard" / name, filename=name)
    assert result.format == "vcard"
    count, full_name, emails, company, title, phones = EXPECTED[name]
    first = result.persons[0]
    assert len(result.persons) == count
    assert (first.full_name, first.emails[:1], first.company_name, first.title, len(first.phones)) == (
        full_name,
        emails,
        company,
        title,
        phones,
    )
    assert not [i for i in result.issues if i.level == "error"]


def test_the_real_folder_holds_eighteen_vcards_and_the_test_knows_them_all(realdata):
    assert {p.name for p in (realdata / "vcard").glob("*.vcf")} == set(EXPECTED)


def test_android_quoted_printable_soft_breaks_decode_to_utf8(realdata):
    result = read_file(realdata / "vcard" / "ezvcard__John_Doe_ANDROID.vcf", filename="a.vcf")
    fourth = result.persons[3]
    assert fourth.last_name == "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ"
    assert fourth.phones == ["123456", "234567", "3456789", "45678901"]
    assert fourth.notes.startswith("Ñ Ñ Ñ")


def test_outlook_cards_give_the_department_the_manager_and_a_multi_line_note(realdata):
    (person,) = read_file(realdata / "vcard" / "ezvcard__outlook-2007.vcf", filename="o.vcf").persons
    assert person.function == "TheDepartment"
    assert person.reports_to_name == "TheManagerName"
    assert "I assume it encodes this text inside a NOTE vCard type." in person.notes
    (john,) = read_file(realdata / "vcard" / "ezvcard__John_Doe_MS_OUTLOOK.vcf", filename="o.vcf").persons
    assert (john.reports_to_name, john.location) == ("Big Blue", "Albaney")


def test_iphone_groups_and_an_embedded_photo_leave_only_the_contact_fields(realdata):
    (john,) = read_file(realdata / "vcard" / "ezvcard__John_Doe_IPHONE.vcf", filename="i.vcf").persons
    assert (john.first_name, john.last_name, john.function) == ("John", "Doe", "Accounting")
    assert "905-222-1234" in john.phones  # item2.TEL
    assert not any("/9j/" in v for v in (john.notes, john.title, john.location))


def test_a_latin1_quoted_printable_card_with_an_unindented_photo_and_an_agent_reads():
    card = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FC=\r\nrgen\r\n"
        b"ORG:M=FCller AG;Einkauf\r\n"
        b"EMAIL;INTERNET;PREF:JUERGEN@Mueller.example\r\nEMAIL;INTERNET:j@home.example\r\n"
        b"PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\nAAgAAgESAAMAAAABAAEAAIdpAAQ\r\n\r\n"
        b"AGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Assistant\r\nEND:VCARD\r\n"
        b"TITLE:Leiter\r\nEND:VCARD\r\n"
    )
    (person,) = read_file(card, filename="contact.vcf").persons
    assert (person.first_name, person.last_name) == ("Jürgen", "Müller")
    assert person.emails == ["juergen@mueller.example", "j@home.example"]
    assert person.title == "Leiter"
    assert person.function == "Einkauf"


VOBJECT_FAILS = {
    "ezvcard__John_Doe_ANDROID.vcf",
    "ezvcard__John_Doe_IPHONE.vcf",
    "ezvcard__John_Doe_LOTUS_NOTES.vcf",
    "ezvcard__John_Doe_MS_OUTLOOK.vcf",
    "ezvcard__outlook-2003.vcf",
    "ezvcard__outlook-2007.vcf",
}


def test_the_six_files_vobject_cannot_parse_are_exactly_those_our_parser_must_survive(realdata):
    failing = set()
    for path in sorted((realdata / "vcard").glob("*.vcf")):
        try:
            list(vobject.readComponents(path.read_text(encoding="utf-8", errors="replace")))
        except Exception:  # vobject raises ParseError, VObjectError and others
            failing.add(path.name)
    assert failing == VOBJECT_FAILS
    for name in failing:
        assert read_file(realdata / "vcard" / name, filename=name).persons


def test_managers_come_from_evolution_and_apple_labelled_related_names(realdata):
    (evolution,) = read_file(realdata / "vcard" / "ezvcard__John_Doe_EVOLUTION.vcf", filename="e.vcf").persons
    assert evolution.reports_to_name == "Big Blue"
    (gmail,) = read_file(realdata / "vcard" / "ezvcard__gmail-single2.vcf", filename="g.vcf").persons
    assert gmail.reports_to_name == "Name11"  # item20.X-ABLabel:_$!<Manager>!$_
