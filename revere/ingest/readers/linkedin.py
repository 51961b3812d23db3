"""LinkedIn Connections.csv, both layouts (2023+ with the "Notes:" preamble and URL; ~2020 without).

Quirks (FORMATS.md): rows empty except the date (hidden members) are skipped; credentials inside the
last name ("Nayak, MSc, MBA, PHR") move to the notes; doubled quotes and trailing spaces are
handled by the CSV parser and cleaning; percent-encoded URLs are decoded; a phone number in the
Company column is moved to phones; `Connected On` (`02 Jun 2022`) becomes when the tie began.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from revere.ingest.readers.common import parse_date, split_emails
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.readers.table import formula_warnings, read_table
from revere.ingest.records import MissingColumns, PersonRecord, ReaderIssue, ReadResult, UnreadableFile

_PHONE_RE = re.compile(r"^\+?[\d\s().\-/]{7,}$")
_CREDENTIAL_RE = re.compile(
    r"^(MSc|MBA|PhD|Ph\.D\.?|MD|CPA|PMP|PHR|SPHR|CFA|MA|BA|BSc|MS|BS|MEng|Dr\.?|Jr\.?|Sr\.?|II|III|IV|"
    r"CISSP|CSM|SHRM-CP|SHRM-SCP|PE|Esq\.?|LL\.?M\.?|JD|RN|CFP|ACCA|FCA|CIPD|[A-Z]{2,6})$"
)


def is_linkedin_header(cells: list[str]) -> bool:
    low = [c.strip().lower() for c in cells]
    return "first name" in low and "last name" in low and "connected on" in low


def read(data: bytes, options: ReaderOptions) -> ReadResult:
    try:
        table = read_table(
            data, max_rows=options.max_rows, is_header=is_linkedin_header, what="LinkedIn file"
        )
    except UnreadableFile as exc:
        if "No header row" in str(exc):
            raise MissingColumns(
                "This is not a LinkedIn Connections.csv: no First Name, Last Name and Connected On header."
            ) from exc
        raise
    if not table.has("First Name", "Last Name", "Connected On"):
        raise MissingColumns(
            "This is not a LinkedIn Connections.csv: no First Name, Last Name and Connected On columns."
        )
    result = ReadResult(format="linkedin", rows_read=len(table.rows))
    result.issues.extend(table.issues)
    result.issues.extend(formula_warnings(table.rows))
    for row in table.rows:
        first = row.get("First Name")
        last = row.get("Last Name")
        url = row.get("URL", "Profile URL")
        email_cell = row.get("Email Address", "E-mail Address", "Email")
        company = row.get("Company")
        position = row.get("Position")
        connected_raw = row.get("Connected On")
        connected = parse_date(connected_raw)
        if connected_raw and connected is None:
            result.issues.append(
                ReaderIssue(row.line, f"Connected On {connected_raw!r} is not a date; left empty.")
            )
        if not (first or last or url or email_cell):
            result.issues.append(
                ReaderIssue(
                    row.line, "Skipped: a hidden or deleted member (only the date is given).", "error"
                )
            )
            continue
        notes = ""
        if "," in last:
            name_part, _, rest = last.partition(",")
            tokens = [t.strip() for t in rest.split(",") if t.strip()]
            if tokens and all(_CREDENTIAL_RE.match(t) for t in tokens):
                last = name_part.strip()
                notes = "Credentials: " + ", ".join(tokens)
        phones: list[str] = []
        if company and _PHONE_RE.match(company) and sum(ch.isdigit() for ch in company) >= 7:
            phones.append(company)
            result.issues.append(
                ReaderIssue(
                    row.line, f"The Company column holds a phone number ({company}); kept as a phone."
                )
            )
            company = ""
        emails = split_emails(email_cell)
        if url:
            url = unquote(url).strip()
        full = " ".join(x for x in (first, last) if x)
        person = PersonRecord(
            key=url or (emails[0] if emails else f"line:{row.line}"),
            line=row.line,
            first_name=first,
            last_name=last,
            full_name=full or (emails[0] if emails else url),
            emails=emails,
            phones=phones,
            company_name=company,
            title=position,
            linkedin_url=url,
            connected_on=connected,
            notes=notes,
            source="linkedin",
        )
        result.persons.append(person)
    return result
