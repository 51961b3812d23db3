"""iCalendar (.ics, and vCalendar 1.0 .vcs): each meeting an interaction among its attendees.

Left out: attendees who DECLINED or DELEGATED, ROLE=NON-PARTICIPANT, CUTYPE=ROOM/RESOURCE/GROUP,
placeholder addresses (Google's birthday calendar `...@virtual`, no-reply senders, Google's group
and resource calendars); cancelled events; events with nobody on them (personal entries, counted in
one warning). The organizer is a participant once, even when listed again as attendee (same address,
or the same name under another address). Recurring events (RRULE, RDATE, EXDATE, overridden
instances) are expanded between options.window_start and window_end with recurring-ical-events; a
single event is read whatever its date. Windows time zone names ("W. Europe Standard Time") are
mapped to IANA zones; an unknown zone is read as UTC with a warning.

Key: UID + "/" + the instance start in UTC (ISO), so re-importing creates nothing new and every
occurrence of a series is its own interaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo
from typing import Any

import icalendar
import recurring_ical_events
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from revere.contacts.identity import clean_name
from revere.ingest.readers.common import split_name, valid_email
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.records import InteractionRecord, PersonRecord, ReaderIssue, ReadResult, UnreadableFile
from revere.ingest.textio import decode_text

_SKIP_PARTSTAT = {"DECLINED", "DELEGATED"}
_SKIP_CUTYPE = {"ROOM", "RESOURCE", "GROUP"}
_PLACEHOLDER_RE = re.compile(
    r"(@virtual$|^(no-?reply|do-?not-?reply|noreply-[^@]*|calendar-notification|unknownorganizer)@|"
    r"@(group|resource|import)\.calendar\.google\.com$|@calendar\.google\.com$)",
    re.I,
)


def _address(value: Any) -> str:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    # A folded line can leave a space inside the address ("hcabot@ example.com").
    return re.sub(r"\s+", "", text).lower()


def _user_address(prop: Any) -> str:
    """An ORGANIZER's or ATTENDEE's e-mail address: its mailto: value, else its EMAIL parameter.

    Apple Calendar and CalDAV servers write attendees as ``urn:uuid:…`` (or another calendar user
    address) with the address in ``EMAIL=`` (RFC 7986, 6.2): such an attendee was left out.
    """
    addr = _address(prop)
    if valid_email(addr):
        return addr
    fallback = _address(_param(prop, "EMAIL"))
    return fallback if valid_email(fallback) else addr


def _param(prop: Any, name: str) -> str:
    params = getattr(prop, "params", None) or {}
    v = params.get(name, "")
    if isinstance(v, list):
        v = v[0] if v else ""
    return str(v).strip()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _tz_for(tzid: str) -> dt.tzinfo | None:
    name = WINDOWS_TO_OLSON.get(tzid.strip('"'), tzid.strip('"'))
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _instant(value: Any, prop: Any, issues: list[ReaderIssue], line: int | None) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            tzid = _param(prop, "TZID")
            tz = _tz_for(tzid) if tzid else dt.UTC
            if tz is None:
                issues.append(ReaderIssue(line, f"Unknown time zone {tzid!r}; the time is read as UTC."))
                tz = dt.UTC
            value = value.replace(tzinfo=tz)
        return value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return None


def _start(event: Any, issues: list[ReaderIssue], line: int | None) -> dt.datetime | None:
    """The event's start as an aware UTC datetime; None when absent or unreadable (the caller reports it)."""
    prop = event.get("DTSTART")
    if prop is None:
        return None
    try:
        value = prop.dt
    except ValueError:  # icalendar's BrokenCalendarProperty: a DTSTART that is no date
        return None
    return _instant(value, prop, issues, line)


def _participants(event: Any, issues: list[ReaderIssue]) -> tuple[str | None, dict[str, str], int]:
    """(organizer, participants, placeholders left out) of one event."""
    participants: dict[str, str] = {}
    organizer_prop = event.get("ORGANIZER")
    organizer = _user_address(organizer_prop) if organizer_prop is not None else ""
    organizer_cn = clean_name(_param(organizer_prop, "CN")) if organizer_prop is not None else ""
    left_out = 0
    if organizer and valid_email(organizer) and not _PLACEHOLDER_RE.search(organizer):
        participants[organizer] = organizer_cn
    else:
        organizer = ""
    for att in _as_list(event.get("ATTENDEE")):
        addr = _user_address(att)
        cn = clean_name(_param(att, "CN"))
        if _PLACEHOLDER_RE.search(addr):
            left_out += 1
            continue
        if not valid_email(addr):
            continue
        if _param(att, "PARTSTAT").upper() in _SKIP_PARTSTAT:
            continue
        if _param(att, "ROLE").upper() == "NON-PARTICIPANT":
            continue
        if _param(att, "CUTYPE").upper() in _SKIP_CUTYPE:
            continue
        if organizer and addr != organizer and cn and organizer_cn and cn.lower() == organizer_cn.lower():
            continue  # the organizer again, under another address
        if addr not in participants or (cn and not participants[addr]):
            participants[addr] = cn
    return organizer or None, participants, left_out


def _uid(event: Any) -> str:
    uid = str(event.get("UID", "")).strip()
    if uid:
        return uid
    basis = f"{event.get('SUMMARY', '')}|{event.get('DTSTART').to_ical() if event.get('DTSTART') else ''}"
    return "sha1:" + hashlib.sha1(basis.encode()).hexdigest()


_TZID_RE = re.compile(r"^TZID(?:;[^:]*)?:(.*)$", re.I | re.M)


def _zone_problem(block: str) -> str | None:
    """Why a VTIMEZONE cannot be used (a blank TZID, an offset icalendar refuses...), or None."""
    tzid = _TZID_RE.search(re.sub(r"\r?\n[ \t]", "", block))
    if tzid is None or not tzid.group(1).strip().strip('"'):
        return "it has no TZID"
    try:
        cal = icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{block}END:VCALENDAR\r\n")
        for zone in cal.walk("VTIMEZONE"):
            zone.to_tz()  # type: ignore[attr-defined]
    except Exception as exc:  # icalendar raises many kinds here; any of them makes the zone unusable
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


def sound_zones(text: str) -> tuple[str, dict[str, tuple[int, str]]]:
    """The calendar without its unusable VTIMEZONE blocks, and those blocks' TZID -> (line, why).

    One malformed zone (Exchange 2010's blank TZID, iCloud's historical offset ``+5328``) made
    icalendar refuse the whole file; taken out, it costs only the events that need it (see read).
    """
    lines = text.splitlines(keepends=True)
    keep: list[str] = []
    bad: dict[str, tuple[int, str]] = {}
    i = 0
    while i < len(lines):
        if lines[i].strip().upper() != "BEGIN:VTIMEZONE":
            keep.append(lines[i])
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].strip().upper() != "END:VTIMEZONE":
            end += 1
        block = "".join(lines[i : end + 1])
        if not block.endswith("\n"):
            block += "\r\n"
        why = _zone_problem(block)
        if why is None:
            keep.extend(lines[i : end + 1])
        else:
            tzid = _TZID_RE.search(re.sub(r"\r?\n[ \t]", "", block))
            bad[tzid.group(1).strip().strip('"') if tzid else ""] = (i + 1, why)
        i = end + 1
    return ("".join(keep), bad) if bad else (text, bad)


def _needs_bad_zone(event: Any, bad: dict[str, tuple[int, str]]) -> str | None:
    """The TZID of a malformed VTIMEZONE the event's start needs and no zone database knows, or None."""
    prop = event.get("DTSTART")
    if prop is None or not bad:
        return None
    params = getattr(prop, "params", None) or {}
    if "TZID" not in params:
        return None
    tzid = str(params.get("TZID") or "").strip().strip('"')
    if tzid in bad and (not tzid or _tz_for(tzid) is None):
        return tzid
    return None


def _line_of_error(text: str, message: str) -> int | None:
    """The line icalendar's error quotes ("Content line could not be parsed into parts: '...'")."""
    m = re.search(r"parts: '(.{4,}?)'", message)
    if not m:
        return None
    pos = text.find(m.group(1)[:60])
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def _event_lines(text: str) -> list[int]:
    """The line of every BEGIN:VEVENT, in file order (the order icalendar walks them)."""
    return [n for n, raw in enumerate(text.splitlines(), start=1) if raw.upper().startswith("BEGIN:VEVENT")]


def read(data: bytes, options: ReaderOptions) -> ReadResult:
    text, _ = decode_text(data, what="calendar file")
    upper = text.upper()
    if "BEGIN:VCALENDAR" not in upper and "BEGIN:VEVENT" not in upper:
        raise UnreadableFile("This is not a calendar file: it has no BEGIN:VCALENDAR.")
    if "END:VCALENDAR" not in upper and "BEGIN:VCALENDAR" in upper:
        raise UnreadableFile("The calendar file is truncated: it has no END:VCALENDAR.")
    parsed, bad_zones = sound_zones(text)
    try:
        components = icalendar.Calendar.from_ical(parsed, multiple=True)
    except (ValueError, KeyError, IndexError) as exc:
        line = _line_of_error(text, str(exc))
        where = f" at line {line}" if line else ""
        raise UnreadableFile(f"The calendar file cannot be parsed{where} ({exc}).", line=line) from exc
    result = ReadResult(format="ics")
    for tzid, (zline, why) in bad_zones.items():
        known = bool(tzid) and _tz_for(tzid) is not None
        result.issues.append(
            ReaderIssue(
                zline,
                f"The time zone {tzid or '(blank TZID)'!r} defined here cannot be read ({why}); "
                + (
                    "its events use the zone of that name from the time zone database."
                    if known
                    else "events in it are skipped, the others are imported."
                ),
            )
        )
    events: list[Any] = []
    for comp in components:
        events.extend(comp.walk("VEVENT"))
    lines: dict[str, int] = {}
    for event, begin in zip(events, _event_lines(text), strict=False):
        lines.setdefault(_uid(event), begin)
    if len(events) > options.max_rows:
        raise UnreadableFile(
            f"The calendar holds more than {options.max_rows:,} events, the limit; split it."
        )
    result.rows_read = len(events)
    if not events:
        others = sorted({str(c.name) for comp in components for c in comp.subcomponents} - {"VTIMEZONE"})
        held = f" (it holds only {', '.join(others)})" if others else ""
        result.issues.append(ReaderIssue(None, f"This calendar holds no events{held}: nothing to import."))
    recurring_uids = {_uid(e) for e in events if e.get("RRULE") is not None or e.get("RDATE") is not None}
    instances: list[tuple[Any, dt.datetime | None]] = []
    for event in events:
        uid = _uid(event)
        if uid in recurring_uids:
            continue
        instances.append((event, _start(event, result.issues, lines.get(uid))))
    if recurring_uids:
        expanded = _expand(components, recurring_uids, events, options, result, lines)
        instances.extend(expanded)
        quiet = recurring_uids - {_uid(e) for e, _ in expanded}
        if quiet:
            result.issues.append(
                ReaderIssue(
                    None,
                    f"{len(quiet)} recurring series with no occurrence between "
                    f"{options.window_start:%Y-%m-%d} and {options.window_end:%Y-%m-%d} (the import window).",
                )
            )
    people: dict[str, str] = {}
    no_attendees = placeholders = 0
    seen: set[str] = set()
    for event, start in instances:
        uid = _uid(event)
        line = lines.get(uid)
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        organizer, participants, left_out = _participants(event, result.issues)
        placeholders += left_out
        for addr, name in participants.items():
            if name or addr not in people:
                people[addr] = name or people.get(addr, "")
        zone = _needs_bad_zone(event, bad_zones)
        if zone is not None:
            result.issues.append(
                ReaderIssue(
                    line,
                    f"Skipped: the event starts in time zone {zone or '(blank TZID)'!r}, whose definition "
                    f"(line {bad_zones[zone][0]}) cannot be read.",
                    "error",
                )
            )
            continue
        if start is None:
            result.issues.append(ReaderIssue(line, "Skipped: an event without a start time.", "error"))
            continue
        if len(participants) < 2:
            no_attendees += 1
            continue
        key = f"{uid}/{start.strftime('%Y%m%dT%H%M%SZ')}"
        if key in seen:
            continue
        seen.add(key)
        result.interactions.append(
            InteractionRecord(
                key=key,
                kind="meeting",
                occurred_at=start,
                line=line,
                subject=str(event.get("SUMMARY", ""))[:500],
                organizer=organizer,
                participants=participants,
                audience=len(participants),
                source="ics",
            )
        )
    result.interactions.sort(key=lambda i: (i.occurred_at, i.key))
    if no_attendees:
        result.issues.append(
            ReaderIssue(
                None,
                f"{no_attendees} event(s) with fewer than two attendees (personal entries) were not imported.",
            )
        )
    if placeholders:
        result.issues.append(
            ReaderIssue(
                None, f"{placeholders} placeholder attendee(s) (birthday calendar, no-reply, rooms) left out."
            )
        )
    own = options.own_emails()
    met_by_member = {a for i in result.interactions if own & set(i.participants) for a in i.participants}
    for addr, name in people.items():
        if addr in own:
            continue
        first, last = split_name(name) if name else ("", "")
        result.persons.append(
            PersonRecord(
                key=addr,
                first_name=first,
                last_name=last,
                full_name=name or addr,
                emails=[addr],
                source="ics",
                is_contact_of_member=addr in met_by_member,
            )
        )
    return result


def _expand(
    components: list[Any],
    uids: set[str],
    events: list[Any],
    options: ReaderOptions,
    result: ReadResult,
    lines: dict[str, int],
) -> list[tuple[Any, dt.datetime | None]]:
    out: list[tuple[Any, dt.datetime | None]] = []
    for comp in components:
        try:
            occurrences = recurring_ical_events.of(comp, skip_bad_series=True).between(
                options.window_start, options.window_end
            )
        except Exception as exc:
            result.issues.append(
                ReaderIssue(
                    None,
                    f"Recurring events could not be expanded ({type(exc).__name__}); first occurrences kept.",
                )
            )
            for e in events:
                if _uid(e) in uids and e.get("DTSTART"):
                    out.append((e, _start(e, result.issues, lines.get(_uid(e)))))
            return out
        for occ in occurrences:
            if _uid(occ) not in uids:
                continue
            out.append((occ, _start(occ, result.issues, lines.get(_uid(occ)))))
    return out
