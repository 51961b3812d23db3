"""iCalendar: every real file in realdata/ical reads; attendees filtered; recurrences expanded in the window."""

from __future__ import annotations

import datetime as dt

import pytest

from revere.ingest.readers import ReaderOptions, read_file

WINDOW = ReaderOptions(
    window_start=dt.datetime(2012, 1, 1, tzinfo=dt.UTC), window_end=dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
)
# file -> (meetings in 2012-2015, persons, events read)
EXPECTED = {
    "biweekly__issue101.ics": (0, 0, 1),
    "biweekly__issue115-1.ics": (0, 0, 1),
    "biweekly__issue126.ics": (0, 0, 2),
    "biweekly__outlook-2010.ics": (1, 3, 1),
    "biweekly__vcal-example1.vcs": (0, 0, 1),
    "icalendar__alarm_etar_future.ics": (0, 0, 1),
    "icalendar__alarm_google_future.ics": (0, 0, 1),
    "icalendar__alarm_thunderbird_future.ics": (0, 0, 1),
    "icalendar__event_with_unicode_organizer.ics": (0, 1, 1),
    "icalendar__issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": (0, 1, 1),
    "icalendar__issue_156_RDATE_with_PERIOD_TZID_khal_2.ics": (0, 0, 1),
    "icalendar__property_params.ics": (1, 3, 1),
    "icalendar__rfc_7256_multi_value_parameters.ics": (0, 3, 2),
    "icaljs__google_birthday.ics": (0, 0, 4),
    "icaljs__multiple_rrules.ics": (36, 2, 1),
    "icaljs__parserv2.ics": (863, 2, 1),
    "icaljs__property_params.ics": (0, 0, 0),
    "icaljs__recur_instances.ics": (37, 4, 3),
    "khal__event_dt_partstat.ics": (1, 4, 1),
    "khal__tz_windows_format.ics": (0, 0, 1),
}


# file -> the people on its meetings (placeholders, rooms and declines left out)
PEOPLE = {
    "biweekly__outlook-2010.ics": ["bobsmith@example.com", "janedoe@example.com", "johndoe@example.com"],
    "icalendar__event_with_unicode_organizer.ics": ["john.doe@example.org"],
    "icalendar__issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": ["adm-acme@mydomain.de"],
    "icalendar__property_params.ics": ["rembrand@daxlab.com", "rembrand@xs4all.nl", "rembspam@xs4all.nl"],
    "icalendar__rfc_7256_multi_value_parameters.ics": [
        "janedoe@example.com",
        "jdoe@example.com",
        "jsmith@example.com",
    ],
    "icaljs__multiple_rrules.ics": ["frashed@mozilla.com", "jlal@mozilla.com"],
    "icaljs__parserv2.ics": ["foo@bar.com", "x@bar.com"],
    "icaljs__recur_instances.ics": [
        "calmozilla1@gmail.com",
        "iam.revelation@gmail.com",
        "james@lightsofapollo.com",
        "jlal@mozilla.com",
    ],
    "khal__event_dt_partstat.ics": [
        "hcabot@example.com",
        "jdoe@example.com",
        "jqpublic@example.com",
        "tent@example.com",
    ],
}
# file -> subject of its meetings
SUBJECT = {
    "biweekly__outlook-2010.ics": "Team Meeting",
    "icalendar__property_params.ics": "Test meeting from BB",
    "icaljs__multiple_rrules.ics": "sahaja <> frashed",
    "icaljs__parserv2.ics": "Calendar",
    "icaljs__recur_instances.ics": "Crazy Event Thingy!",
    "khal__event_dt_partstat.ics": "An Event",
}


@pytest.fixture(scope="module")
def results(realdata):
    return {name: read_file(realdata / "ical" / name, filename=name, options=WINDOW) for name in EXPECTED}


def test_the_test_knows_all_twenty_real_calendars(realdata):
    assert {p.name for p in (realdata / "ical").iterdir() if p.suffix in (".ics", ".vcs")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_real_calendar_reads(results, name):
    result = results[name]
    assert result.format == "ics"
    assert (len(result.interactions), len(result.persons), result.rows_read) == EXPECTED[name]
    assert sorted(p.key for p in result.persons) == PEOPLE.get(name, [])
    assert {i.subject for i in result.interactions} == ({SUBJECT[name]} if name in SUBJECT else set())
    keys = [i.key for i in result.interactions]
    assert len(keys) == len(set(keys))
    assert all(i.occurred_at.tzinfo is not None and len(i.participants) >= 2 for i in result.interactions)


def test_declined_delegated_and_non_participants_are_left_out(results):
    (meeting,) = results["khal__event_dt_partstat.ics"].interactions
    assert set(meeting.participants) == {
        "hcabot@example.com",  # its address was folded across lines
        "jdoe@example.com",
        "jqpublic@example.com",
        "tent@example.com",
    }
    assert meeting.participants["jdoe@example.com"] == "Jane Doe"
    assert meeting.occurred_at == dt.datetime(2014, 4, 9, 7, 30, tzinfo=dt.UTC)  # Europe/Berlin, summer time


def test_a_windows_time_zone_name_is_read_and_the_organizer_counted_once(results):
    (meeting,) = results["biweekly__outlook-2010.ics"].interactions
    assert meeting.occurred_at == dt.datetime(2013, 6, 10, 16, 0, tzinfo=dt.UTC)  # Eastern, daylight time
    assert meeting.organizer == "bobsmith@example.com"
    assert meeting.participants["janedoe@example.com"] == "Doe, Jane"
    assert meeting.audience == 3
    (params,) = results["icalendar__property_params.ics"].interactions
    assert list(params.participants).count("rembrand@daxlab.com") == 1
    assert params.audience == 3


def test_google_birthday_placeholders_make_no_meeting(results):
    birthdays = results["icaljs__google_birthday.ics"]
    assert birthdays.interactions == [] and birthdays.persons == []
    assert any("placeholder" in i.message for i in birthdays.issues)


def test_recurring_meetings_expand_within_the_window_with_overridden_instances(results):
    series = results["icaljs__recur_instances.ics"].interactions
    assert all(
        dt.datetime(2012, 1, 1, tzinfo=dt.UTC) <= i.occurred_at < dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
        for i in series
    )
    assert all(i.key.startswith("623c13c0-6c2b-45d6-a12b-c33ad61c4868/") for i in series)
    assert series[0].organizer == "jlal@mozilla.com"


def test_the_window_limits_expansion(realdata):
    narrow = ReaderOptions(
        window_start=dt.datetime(2013, 1, 1, tzinfo=dt.UTC), window_end=dt.datetime(2013, 4, 1, tzinfo=dt.UTC)
    )
    result = read_file(realdata / "ical" / "icaljs__recur_instances.ics", filename="r.ics", options=narrow)
    assert 1 <= len(result.interactions) <= 4


def test_windows_zone_without_vtimezone_rooms_and_no_reply_are_handled():
    ics = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:abc-1\r\nSUMMARY:Kick-off\r\n"
        b"DTSTART;TZID=W. Europe Standard Time:20240115T100000\r\n"
        b"ORGANIZER;CN=Sam Seller:mailto:sam@seller.example\r\n"
        b"ATTENDEE;CN=Sam Seller;PARTSTAT=ACCEPTED:mailto:sam.s@seller.example\r\n"
        b"ATTENDEE;CN=Bill Lumbergh;PARTSTAT=ACCEPTED:mailto:bill@initech.example\r\n"
        b"ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@initech.example\r\n"
        b"ATTENDEE;CN=Calendar:mailto:noreply@initech.example\r\n"
        b"ATTENDEE;PARTSTAT=DECLINED:mailto:milton@initech.example\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = read_file(
        ics, filename="invite.ics", options=ReaderOptions(member_emails={"sam@seller.example"})
    )
    (meeting,) = result.interactions
    assert meeting.key == "abc-1/20240115T090000Z"
    assert meeting.occurred_at == dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.UTC)
    assert meeting.participants == {
        "sam@seller.example": "Sam Seller",
        "bill@initech.example": "Bill Lumbergh",
    }
    (bill,) = result.persons
    assert bill.is_contact_of_member
