"""Import fidelity, the decoders (issue 13, point 4): each class of failure that real files showed,
reproduced on a file written here, with the reason it failed.

* mail headers with raw 8-bit or UTF-8 bytes (RFC 6532) left surrogate escapes in addresses and
  message ids, and the database's encoder raised a traceback at the user;
* one malformed VTIMEZONE (Exchange 2010's blank TZID, iCloud's historical offset +5328) made
  icalendar refuse the whole calendar;
* a calendar without events imported nothing and said nothing;
* an Outlook-looking CSV with only e-mail columns was refused by auto-detection although the
  generic CSV reader reads it;
* re-importing a Salesforce Account file counted every account as updated, without comparing.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revere.contacts.models import Company, Person, PersonEmail
from revere.ingest.readers import read_file
from revere.ingest.readers.mailheaders import decode_header_block
from revere.ingest.records import ReadResult, UnreadableFile
from revere.ingest.service import Upload, import_files
from revere.network.models import Interaction

WINDOW = {"window_start": "2020-01-01", "window_end": "2030-01-01"}


def strings_of(result: ReadResult) -> list[str]:
    """Every text a reader produced (names, addresses, keys, subjects)."""
    out: list[str] = []
    for p in result.persons:
        out += [p.full_name, p.first_name, p.last_name, p.key, *p.emails]
    for i in result.interactions:
        out += [i.key, i.subject, i.organizer or "", *i.participants, *i.participants.values()]
    return out


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- mail headers ------------------------------------------------------------------------------

UTF8_HEADERS = (
    "From: =?utf-8?q?Ren=C3=A9?= <rené@bücher.de>\r\n"
    "To: Jörg Müller <joerg@firma.de>\r\n"
    "Subject: Grüße aus Köln\r\n"
    "Date: Tue, 3 Jun 2025 10:00:00 +0200\r\n"
    "Message-ID: <abcé@bücher.de>\r\n\r\nbody\r\n"
).encode()
LATIN1_HEADERS = (
    "From: Jörg Müller <joerg@firma.de>\r\n"
    "To: Zoë Ægir <zoe@firma.de>\r\n"
    "Subject: Grüße\r\n"
    "Date: Tue, 3 Jun 2025 10:00:00 +0200\r\n"
    "Message-ID: <1@firma.de>\r\n\r\nbody\r\n"
).encode("latin-1")


def test_raw_utf8_headers_rfc6532_are_read_as_utf8_with_no_surrogate_left():
    result = read_file(UTF8_HEADERS, filename="utf8.eml")

    names = {p.emails[0]: p.full_name for p in result.persons}
    assert names == {"rené@bücher.de": "René", "joerg@firma.de": "Jörg Müller"}
    assert result.interactions[0].key == "abcé@bücher.de"
    assert result.interactions[0].subject == "Grüße aus Köln"
    assert all(encodable(s) for s in strings_of(result))


def test_raw_8bit_headers_in_a_legacy_charset_keep_their_names():
    result = read_file(LATIN1_HEADERS, filename="latin1.eml")

    assert {p.full_name for p in result.persons} == {"Jörg Müller", "Zoë Ægir"}
    assert result.interactions[0].subject == "Grüße"


def test_8bit_headers_follow_the_charset_the_message_declares():
    text = "From: Иван Петров <ivan@firma.ru>\r\nSubject: Привет\r\n"
    block = text.encode("cp1251") + b"Content-Type: text/plain; charset=windows-1251\r\n"
    assert decode_header_block(block).startswith(text)


def test_utf8_and_8bit_runs_on_one_line_are_each_decoded_as_what_they_are():
    block = "To: Jörg <j@x.de>, ".encode("latin-1") + "Zé <z@x.de>\r\n".encode()
    assert decode_header_block(block) == "To: Jörg <j@x.de>, Zé <z@x.de>\r\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.binary(max_size=30), subject=st.binary(max_size=40), local=st.binary(min_size=1, max_size=12))
def test_whatever_bytes_a_header_holds_the_reader_returns_encodable_text_or_refuses(name, subject, local):
    clean = bytes(b for b in name + subject + local if b not in b'\r\n\x00<>@,"')
    message = (
        b"From: " + clean[:30] + b" <" + (clean[-12:] or b"x") + b"@firma.de>\r\n"
        b"To: Bo <bo@firma.de>\r\nSubject: " + clean[:40] + b"\r\n"
        b"Date: Tue, 3 Jun 2025 10:00:00 +0200\r\nMessage-ID: <"
        + (clean[:8] or b"m")
        + b"@firma.de>\r\n\r\nx\r\n"
    )
    try:
        result = read_file(message, filename="fuzz.eml")
    except UnreadableFile:
        return  # refused with a message: fine; a traceback or a surrogate is not
    assert all(encodable(s) for s in strings_of(result))


@pytest.mark.django_db
def test_an_import_of_8bit_and_utf8_mail_writes_the_people_without_a_traceback(member):
    report = import_files(
        member=member,
        uploads=[Upload("utf8.eml", UTF8_HEADERS), Upload("latin1.eml", LATIN1_HEADERS)],
        recompute=False,
    )

    assert report.counts()["errors"] == 0
    assert Interaction.unrestricted.filter(member=member).count() == 2
    assert PersonEmail.unrestricted.filter(email="rené@bücher.de").exists()
    assert Person.unrestricted.filter(organization=member.organization, full_name="Zoë Ægir").exists()


# -- calendars -----------------------------------------------------------------------------------


def calendar(zone: str, *events: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + zone
        + "".join(events)
        + "END:VCALENDAR\r\n"
    ).encode()


def event(uid: str, start: str, who: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\n{start}\r\nSUMMARY:{uid}\r\n"
        "ORGANIZER;CN=Ada:mailto:ada@firma.de\r\n"
        f"ATTENDEE;CN={who}:mailto:{who.lower()}@firma.de\r\nEND:VEVENT\r\n"
    )


# Exchange 2010 writes a VTIMEZONE without a TZID, and events pointing at it with TZID="".
BLANK_TZID = (
    "BEGIN:VTIMEZONE\r\nTZID:\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)
# iCloud writes the local mean time before 1835 as "+5328" (for +00:19:32 with the seconds), which
# icalendar refuses ("Offset must be less than 24 hours").
HISTORICAL_OFFSET = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\nBEGIN:STANDARD\r\nDTSTART:18350101T000000\r\n"
    "TZOFFSETFROM:+5328\r\nTZOFFSETTO:+0019\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)


def test_a_blank_tzid_costs_only_the_events_in_that_zone_and_says_so():
    data = calendar(
        BLANK_TZID,
        event("in-blank-zone", 'DTSTART;TZID="":20240305T100000', "Bo"),
        event("in-utc", "DTSTART:20240306T100000Z", "Cy"),
    )

    result = read_file(data, filename="exchange.ics", options=None)

    assert [i.key for i in result.interactions] == ["in-utc/20240306T100000Z"]
    skipped = [i for i in result.issues if i.level == "error"]
    assert len(skipped) == 1 and "in-blank-zone" not in skipped[0].message
    assert skipped[0].line == 13 and "cannot be read" in skipped[0].message
    assert any(i.line == 4 and "no TZID" in i.message for i in result.issues)


def test_a_zone_with_a_historical_offset_is_replaced_by_the_zone_database_of_the_same_name():
    data = calendar(
        HISTORICAL_OFFSET,
        event("amsterdam", "DTSTART;TZID=Europe/Amsterdam:20240305T100000", "Bo"),
    )

    result = read_file(data, filename="icloud.ics")

    assert [i.key for i in result.interactions] == ["amsterdam/20240305T090000Z"]  # CET, UTC+1
    assert any("+5328" in i.message and "time zone database" in i.message for i in result.issues)


@pytest.mark.django_db
def test_a_bad_zone_reaches_the_report_row_by_row_and_the_other_events_are_imported(member):
    data = calendar(
        BLANK_TZID,
        event("in-blank-zone", 'DTSTART;TZID="":20240305T100000', "Bo"),
        event("in-utc", "DTSTART:20240306T100000Z", "Cy"),
    )

    report = import_files(
        member=member, uploads=[Upload("exchange.ics", data)], options=WINDOW, recompute=False
    )

    assert Interaction.unrestricted.filter(member=member).count() == 1
    rows = [(r.line, r.action) for r in report.rows if r.kind == "row"]
    assert (13, "error") in rows and (4, "skipped") in rows


EMPTY_CALENDAR = calendar("", "BEGIN:VTODO\r\nUID:t1\r\nSUMMARY:buy milk\r\nEND:VTODO\r\n")


def test_a_calendar_without_events_says_so():
    result = read_file(EMPTY_CALENDAR, filename="todo.ics")
    assert [i.message for i in result.issues] == [
        "This calendar holds no events (it holds only VTODO): nothing to import."
    ]


@pytest.mark.django_db
def test_a_calendar_without_events_is_named_in_the_report_the_cli_and_the_page(member, client, tmp_path):
    from tests.factories import PASSWORD

    report = import_files(member=member, uploads=[Upload("todo.ics", EMPTY_CALENDAR)], recompute=False)
    assert "no events" in report.files[0]["empty"]

    path = tmp_path / "todo.ics"
    path.write_bytes(EMPTY_CALENDAR)
    out = io.StringIO()
    call_command("import", str(path), "--as", member.user.email, stdout=out)
    assert "todo.ics: This calendar holds no events" in " ".join(out.getvalue().split())

    client.login(username=member.user.username, password=PASSWORD)
    response = client.post("/import/", {"files": [io.BytesIO(EMPTY_CALENDAR)], "format": "auto"}, follow=True)
    assert b"This calendar holds no events" in response.content


# -- auto-detection ------------------------------------------------------------------------------

OUTLOOK_EMAILS_ONLY = (
    b"E-mail Address,E-mail 2 Address,E-mail 3 Address\r\nada@acme-corp.com,,\r\nbo@beta.io,bo@home.net,\r\n"
)


def test_an_outlook_looking_csv_without_its_name_columns_falls_back_to_the_generic_reader():
    result = read_file(OUTLOOK_EMAILS_ONLY, filename="contacts.csv")

    assert result.format == "csv"
    assert [p.emails for p in result.persons] == [["ada@acme-corp.com"], ["bo@beta.io", "bo@home.net"]]
    assert "Read as a generic CSV" in result.issues[0].message


def test_a_format_chosen_by_hand_still_refuses_a_file_without_its_columns():
    with pytest.raises(UnreadableFile, match="not an Outlook contacts CSV"):
        read_file(OUTLOOK_EMAILS_ONLY, filename="contacts.csv", format="outlook")


# -- updates counted only when a value changes -------------------------------------------------

ACCOUNTS = (
    "Id,Name,Type,Website,Industry,NumberOfEmployees,BillingCountry\r\n"
    "0015g00000AbCdEAAV,Acme Corporation,Customer,https://acme-corp.com,Manufacturing,1200,USA\r\n"
    "0015g00000AbCdFAAV,Beta GmbH,Prospect,,Software,,Germany\r\n"
)


@pytest.mark.django_db
def test_reimporting_an_account_file_updates_nothing_and_a_changed_value_counts_once(member):
    first = import_files(member=member, uploads=[Upload("Account.csv", ACCOUNTS.encode())], recompute=False)
    assert first.counts()["created"] == 2

    again = import_files(member=member, uploads=[Upload("Account.csv", ACCOUNTS.encode())], recompute=False)
    assert again.counts()["updated"] == 0 and again.counts()["skipped"] == 2

    changed = ACCOUNTS.replace("Software,", "Consulting,")
    third = import_files(member=member, uploads=[Upload("Account.csv", changed.encode())], recompute=False)
    assert [(r.label, r.reason) for r in third.rows if r.action == "updated"] == [("Beta GmbH", "industry")]
    assert (
        Company.unrestricted.get(organization=member.organization, name="Beta GmbH").industry == "Consulting"
    )
