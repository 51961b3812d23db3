"""Outlook contacts CSV (often UTF-16 or Windows-1252; decoding is textio's job).

`Title` is the honorific (Mr., Dr.), `Job Title` the position. `Manager's Name` becomes
reports_to_name and `Referred By` referred_by_name: the import service resolves them against
people it knows. Exchange addresses (`/o=ExchangeLabs/...`) are not e-mail addresses: the address in
`E-mail Display Name` ("Ada Lovelace (ada@example.org)") is used instead when there is one.
"""

from __future__ import annotations

import re

from revere.ingest.readers.common import split_emails
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.readers.table import formula_warnings, read_table
from revere.ingest.records import MissingColumns, PersonRecord, ReaderIssue, ReadResult

_PHONE_COLS = (
    "Mobile Phone", "Business Phone", "Business Phone 2", "Primary Phone", "Company Main Phone", "Home Phone",
    "Home Phone 2", "Car Phone", "Other Phone",
)  # fmt: skip
_EMAIL_SETS = (
    ("E-mail Address", "E-mail Display Name"),
    ("E-mail 2 Address", "E-mail 2 Display Name"),
    ("E-mail 3 Address", "E-mail 3 Display Name"),
)


def read(data: bytes, options: ReaderOptions) -> ReadResult:
    table = read_table(data, max_rows=options.max_rows, what="Outlook contacts file")
    if not (table.has("First Name") or table.has("Last Name")) or not table.has("E-mail Address"):
        raise MissingColumns(
            "This is not an Outlook contacts CSV: no First Name/Last Name and E-mail Address columns."
        )
    result = ReadResult(format="outlook", rows_read=len(table.rows))
    result.issues.extend(table.issues)
    result.issues.extend(formula_warnings(table.rows))
    for row in table.rows:
        emails: list[str] = []
        for addr_col, display_col in _EMAIL_SETS:
            found = split_emails(row.get(addr_col))
            if not found and row.get(addr_col):
                found = split_emails(" ".join(re.findall(r"\(([^()]+)\)", row.get(display_col))))
                if not found:
                    result.issues.append(
                        ReaderIssue(
                            row.line,
                            f"{row.get(addr_col)!r} in {addr_col!r} is not an e-mail address; ignored.",
                        )
                    )
            emails.extend(e for e in found if e not in emails)
        phones: list[str] = []
        for col in _PHONE_COLS:
            v = row.get(col)
            if v and v not in phones:
                phones.append(v)
        first, middle, last = row.get("First Name"), row.get("Middle Name"), row.get("Last Name")
        name = " ".join(x for x in (first, middle, last) if x)
        if not name and not emails:
            result.issues.append(ReaderIssue(row.line, "Skipped: no name and no e-mail address.", "error"))
            continue
        labels = [c.strip() for c in re.split(r"[;,]", row.get("Categories")) if c.strip()]
        web = row.get("Web Page")
        result.persons.append(
            PersonRecord(
                key=emails[0] if emails else f"line:{row.line}",
                line=row.line,
                first_name=first,
                last_name=last,
                full_name=name or emails[0],
                emails=emails,
                phones=phones,
                company_name=row.get("Company"),
                title=row.get("Job Title"),
                function=row.get("Department"),
                location=row.get("Business City", "Home City", "Office Location"),
                region=row.get(
                    "Business Country/Region", "Business Country", "Home Country/Region", "Home Country"
                ),
                linkedin_url=web if "linkedin.com/" in web.lower() else "",
                reports_to_name=row.get("Manager's Name"),
                referred_by_name=row.get("Referred By"),
                labels=labels,
                notes=row.get("Notes"),
                source="outlook",
            )
        )
    return result
