"""Hostile or broken files are refused as a whole, with a message a user can act on."""

from __future__ import annotations

import gzip
import random

import pytest

from revere.ingest.readers import FORMATS, ReaderOptions, detect, read_file
from revere.ingest.records import UnreadableFile


def refused(data: bytes, filename: str, **kw) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_file(data, filename=filename, **kw)
    message = str(caught.value)
    assert message and "Traceback" not in message
    return message


def test_the_format_names_are_the_ones_the_cli_offers():
    assert FORMATS == (
        "auto",
        "csv",
        "linkedin",
        "linkedin_messages",
        "google",
        "outlook",
        "vcard",
        "salesforce",
        "hubspot",
        "mbox",
        "eml",
        "ics",
    )


def test_an_unknown_format_name_is_refused():
    assert "Unknown format" in refused(b"a,b\n", "x.csv", format="excel")


def test_an_image_renamed_to_csv_is_refused_as_what_it_is():
    assert "PNG image" in refused(b"\x89PNG\r\n\x1a\n" + bytes(200), "contacts.csv")


def test_a_zip_archive_is_refused_with_advice():
    assert "ZIP archive" in refused(b"PK\x03\x04" + bytes(100), "Basic_LinkedInDataExport.zip")


def test_random_binary_is_refused():
    rng = random.Random(4)
    noise = bytes(rng.randrange(256) for _ in range(20000))
    message = refused(noise, "contacts.csv")
    assert "binary" in message or "NUL" in message


def test_nul_bytes_inside_text_are_refused_with_their_line():
    message = refused(
        b"First Name,Last Name,Email\nAda,Lovelace,ada@example.org\nBad,\x00Row,x@example.org\n", "c.csv"
    )
    assert "NUL" in message and "line 3" in message


def test_a_huge_line_is_refused():
    message = refused(b"Name,Email\n" + b"A" * 1_100_000 + b",a@example.org\n", "c.csv")
    assert "longer than" in message


def test_a_file_over_the_size_limit_is_refused():
    data = b"Name,Email\n" + b"Ada Lovelace,ada@example.org\n" * 100
    assert "limit" in refused(data, "c.csv", options=ReaderOptions(max_bytes=1000))


def test_a_file_over_the_row_limit_is_refused():
    data = b"Name,Email\n" + b"".join(b"Person %d,p%d@example.org\n" % (i, i) for i in range(20))
    assert "rows" in refused(data, "c.csv", options=ReaderOptions(max_rows=10))


def test_a_gzip_bomb_is_stopped_at_the_decompressed_limit():
    bomb = gzip.compress(b"\x00" * 20_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    assert "unpacks to more than" in refused(
        bomb, "archive.mbox.gz", options=ReaderOptions(max_bytes=1_000_000)
    )


def test_a_truncated_gzip_is_refused():
    data = gzip.compress(b"From a@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\n\nhi\n" * 50)
    assert "truncated" in refused(data[: len(data) // 2], "mail.mbox.gz")


def test_a_truncated_csv_with_an_open_quote_is_refused():
    data = b'First Name,Last Name,Email\nAda,Lovelace,ada@example.org\nGrace,"Hopper\n'
    message = refused(data, "c.csv")
    assert "truncated" in message and "line 3" in message


def test_a_truncated_calendar_and_a_truncated_json_are_refused():
    assert "truncated" in refused(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n", "cal.ics")
    assert "damaged or truncated" in refused(
        b'{"records": [{"attributes": {"type": "Account"}, "Name": "Ac', "Accounts.json"
    )


def test_the_wrong_forced_format_is_refused():
    linkedin = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,Lovelace,,,,,02 Jun 2022\n"
    assert "vCard" in refused(linkedin, "Connections.csv", format="vcard")
    assert "not a LinkedIn" in refused(b"Name,Email\nAda,ada@example.org\n", "c.csv", format="linkedin")
    assert "not an e-mail message" in refused(linkedin, "c.csv", format="eml")
    assert "calendar" in refused(linkedin, "c.csv", format="ics")


def test_a_csv_with_no_recognisable_column_asks_for_a_mapping():
    assert "Map the columns" in refused(b"Shoe size,Colour\n42,blue\n", "c.csv")


def test_an_empty_file_is_refused():
    assert "empty" in refused(b"  \n\n", "c.csv")


def test_a_text_file_that_is_no_known_format_is_refused():
    assert "no BEGIN:VCARD" in refused(b"just some words\nand more words\n", "notes.vcf")


def test_formula_cells_are_kept_as_text_and_reported_in_every_csv_reader():
    data = (
        b"Name,Email,Company\nEve,eve@example.org,\"=cmd|' /C calc'!A0\"\nBob,bob@example.org,+SUM(A1:A9)\n"
    )
    result = read_file(data, filename="c.csv")
    assert [p.company_name for p in result.persons] == ["=cmd|' /C calc'!A0", "+SUM(A1:A9)"]
    assert [i.line for i in result.issues if "formula" in i.message] == [2, 3]


def test_a_phone_number_with_a_plus_is_not_a_formula():
    result = read_file(b"Name,Phone\nAda,+44 20 7946 0000\n", filename="c.csv")
    assert not [i for i in result.issues if "formula" in i.message]


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n", "x.txt", "vcard"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "x", "ics"),
        (b"From a@b.example Mon Jan  1 00:00:00 2024\nFrom: a@b.example\n\nx\n", "archive", "mbox"),
        (b"Received: from x\nFrom: a@b.example\nTo: c@d.example\nSubject: hi\n\nbody\n", "message", "eml"),
        (
            b'Notes:\n"When exporting..."\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n',
            "c.csv",
            "linkedin",
        ),
        (b"Record ID,Deal Name,Deal Stage,Amount\n1,x,closedwon,5\n", "deals.csv", "hubspot"),
        (b"Id,OpportunityId,ContactId,Role,IsPrimary\n", "ocr.csv", "salesforce"),
        (b"Name,Given Name,Additional Name,Family Name,Group Membership\n", "google.csv", "google"),
        (b"First Name,Last Name,E-mail Address,Business Phone,Manager's Name\n", "outlook.csv", "outlook"),
        (b"Name,Email\nAda,ada@example.org\n", "c.csv", "csv"),
    ],
)
def test_the_format_is_detected_from_content(data, name, expected):
    assert detect(data, filename=name) == expected


def test_an_mbox_with_a_huge_line_is_refused():
    data = (
        b"From a@b.example Mon Jan  1 00:00:00 2024\nFrom: a@b.example\nTo: c@d.example\n\n"
        + b"x" * 1_100_000
        + b"\n"
    )
    message = refused(data, "mail.mbox")
    assert "Line 5" in message and "longer than" in message


def test_an_mbox_that_does_not_start_with_a_from_line_is_refused():
    assert "does not start with a 'From ' line" in refused(
        b"hello\nFrom a@b.example Mon Jan  1\n", "x.mbox", format="mbox"
    )


def test_a_truncated_vcard_is_refused_with_the_line_of_the_open_card():
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gra"
    message = refused(data, "contacts.vcf")
    assert "truncated" in message and "line 5" in message


def test_a_gzipped_linkedin_export_reads():
    data = gzip.compress(
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b"Ada,Lovelace,https://www.linkedin.com/in/ada,,Analytical Engines,Scientist,02 Jun 2022\n"
    )
    result = read_file(data, filename="Connections.csv.gz")
    assert result.format == "linkedin"
    assert [p.full_name for p in result.persons] == ["Ada Lovelace"]


def test_a_broken_encoded_word_and_a_broken_start_time_only_cost_their_own_values():
    mail = b"Message-ID: <x@y.example>\nDate: Mon, 4 Mar 2024 09:00:00 +0000\nFrom: a@b.example\nTo: c@d.example\nSubject: =?UTF-8?B?////?=\n\nx\n"
    (message,) = read_file(mail, filename="m.eml").interactions
    assert message.participants.keys() == {"a@b.example", "c@d.example"}
    ics = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:not-a-date\r\nATTENDEE:mailto:a@b.example\r\n"
        b"ATTENDEE:mailto:c@d.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = read_file(ics, filename="c.ics")
    assert result.interactions == []
    assert any("without a start time" in i.message for i in result.issues)


def test_a_calendar_with_a_damaged_line_is_refused_with_that_line():
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nUID:X\r\nB<GIN:STANDARD\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    with pytest.raises(UnreadableFile) as caught:
        read_file(ics, filename="c.ics")
    assert caught.value.line == 5
    assert "line 5" in str(caught.value)


def test_a_damaged_line_in_a_time_zone_costs_only_that_zone_and_names_it():
    """A VTIMEZONE that cannot be read costs only the events that need it (issue 13): no refusal."""
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nB<GIN:STANDARD\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n"
    result = read_file(ics, filename="c.ics")
    assert result.issues[0].line == 3 and "'X'" in result.issues[0].message
