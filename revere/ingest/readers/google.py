"""Google Contacts CSV: the current layout and the legacy "Google CSV" one.

Several values in one cell are joined by ` ::: ` (e-mails, phones, labels). System labels such as
`* myContacts` are dropped; `* starred` becomes `starred`. A LinkedIn address among the websites
becomes the person's LinkedIn URL.
"""

from __future__ import annotations

import re

from revere.ingest.readers.common import split_emails, split_multi, split_name
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.readers.table import Row, Table, formula_warnings, read_table
from revere.ingest.records import MissingColumns, PersonRecord, ReaderIssue, ReadResult


def _numbered(table: Table, pattern: str) -> list[str]:
    rx = re.compile(pattern, re.I)
    return [h for h in table.headers if rx.match(h)]


def _labels(value: str) -> list[str]:
    out: list[str] = []
    for label in split_multi(value):
        if label.lower().replace(" ", "") in ("*mycontacts", "*othercontacts"):
            continue
        label = label.removeprefix("* ").strip()
        if label and label not in out:
            out.append(label)
    return out


def read(data: bytes, options: ReaderOptions) -> ReadResult:
    table = read_table(data, max_rows=options.max_rows, what="Google Contacts file")
    legacy = table.has("Given Name") or table.has("Family Name")
    if not (legacy or table.has("First Name") or table.has("Organization Name")):
        raise MissingColumns("This is not a Google Contacts CSV: no First Name / Given Name columns.")
    email_cols = _numbered(table, r"^e-mail \d+ - value$")
    phone_cols = _numbered(table, r"^phone \d+ - value$")
    web_cols = _numbered(table, r"^website \d+ - value$")
    addr_cols = _numbered(table, r"^address \d+ - (formatted|city)$")
    country_cols = _numbered(table, r"^address \d+ - country$")
    result = ReadResult(format="google", rows_read=len(table.rows))
    result.issues.extend(table.issues)
    result.issues.extend(formula_warnings(table.rows))
    for row in table.rows:
        person = _person(row, legacy, email_cols, phone_cols, web_cols, addr_cols, country_cols)
        if person is None:
            result.issues.append(ReaderIssue(row.line, "Skipped: no name and no e-mail address.", "error"))
            continue
        result.persons.append(person)
    return result


def _person(
    row: Row,
    legacy: bool,
    email_cols: list[str],
    phone_cols: list[str],
    web_cols: list[str],
    addr_cols: list[str],
    country_cols: list[str],
) -> PersonRecord | None:
    if legacy:
        first = row.get("Given Name")
        last = row.get("Family Name")
        full = row.get("Name")
        company = row.get("Organization 1 - Name")
        title = row.get("Organization 1 - Title")
        function = row.get("Organization 1 - Department")
        labels = _labels(row.get("Group Membership"))
    else:
        first = row.get("First Name")
        last = row.get("Last Name")
        full = row.get("File As")
        company = row.get("Organization Name")
        title = row.get("Organization Title")
        function = row.get("Organization Department")
        labels = _labels(row.get("Labels"))
    emails: list[str] = []
    for col in email_cols:
        emails.extend(e for e in split_emails(row.values.get(col, "")) if e not in emails)
    phones: list[str] = []
    for col in phone_cols:
        phones.extend(p for p in split_multi(row.values.get(col, "")) if p not in phones)
    linkedin = ""
    for col in web_cols:
        for site in split_multi(row.values.get(col, "")):
            if "linkedin.com/" in site.lower() and not linkedin:
                linkedin = site
    location = next((split_multi(row.values[c])[0] for c in addr_cols if row.values.get(c)), "")
    region = next((row.values[c] for c in country_cols if row.values.get(c)), "")
    if not first and not last and full:
        first, last = split_name(full)
    name = " ".join(x for x in (first, row.get("Middle Name", "Additional Name"), last) if x)
    if not name and not emails:
        return None
    return PersonRecord(
        key=emails[0] if emails else f"line:{row.line}",
        line=row.line,
        first_name=first,
        last_name=last,
        full_name=name or full or emails[0],
        emails=emails,
        phones=phones,
        company_name=company,
        title=title,
        function=function,
        location=location.replace("\n", ", "),
        region=region,
        linkedin_url=linkedin,
        labels=labels,
        notes=row.get("Notes"),
        source="google",
    )
