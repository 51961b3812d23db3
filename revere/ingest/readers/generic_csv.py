"""Any contact CSV: columns mapped by alias (or the user's corrected mapping)."""

from __future__ import annotations

from revere.ingest.readers.common import domain_of
from revere.ingest.readers.mapping import effective_mapping, email_columns, person_from_row
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.readers.table import Table, formula_warnings, read_table
from revere.ingest.records import CompanyRecord, ReaderIssue, ReadResult, UnreadableFile


def read(data: bytes, options: ReaderOptions) -> ReadResult:
    table = read_table(data, max_rows=options.max_rows)
    return read_table_as_contacts(table, options, fmt="csv")


def read_table_as_contacts(table: Table, options: ReaderOptions, *, fmt: str) -> ReadResult:
    mapping = effective_mapping(table.headers, options.column_mapping)
    told = set(options.column_mapping or {})
    found_by_content = email_columns(table.headers, table.rows, taken=set(mapping) | told)
    mapping.update(dict.fromkeys(found_by_content, "email"))
    fields = set(mapping.values())
    if not fields & {"first_name", "last_name", "full_name", "email"}:
        raise UnreadableFile(
            "No column of this CSV could be recognised as a name or an e-mail address "
            f"(headers: {', '.join(table.headers[:12])}). Map the columns by hand."
        )
    result = ReadResult(format=fmt, rows_read=len(table.rows))
    result.issues.extend(table.issues)
    if found_by_content:
        result.issues.append(
            ReaderIssue(
                table.header_line,
                f"Read as e-mail addresses (every value is one): {', '.join(found_by_content)}.",
            )
        )
    unmapped = [h for h in table.headers if h not in mapping]
    if unmapped and fmt == "csv":
        result.issues.append(ReaderIssue(table.header_line, f"Columns not imported: {', '.join(unmapped)}."))
    result.issues.extend(formula_warnings(table.rows))
    domain_headers = [h for h, f in mapping.items() if f == "company_domain"]
    companies: dict[str, CompanyRecord] = {}
    for row in table.rows:
        person, issues = person_from_row(row, mapping, source=fmt)
        result.issues.extend(issues)
        if person is None:
            continue
        if person.company_name:
            domain = next((domain_of(row.values[h]) for h in domain_headers if row.values.get(h)), "")
            if domain:
                key = f"domain:{domain}"
                comp = companies.get(key)
                if comp is None:
                    comp = companies[key] = CompanyRecord(
                        key=key, name=person.company_name, line=row.line, domains=[domain], source=fmt
                    )
                person.company_key = comp.key
        result.persons.append(person)
    result.companies.extend(companies.values())
    return result
