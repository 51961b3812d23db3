"""HubSpot exports: contacts, companies and deals, with their associations.

Headers are property labels (`Record ID`, `Deal Stage`, or localized: `Datensatz-ID`, `Deal-Phase`,
`Nom de la transaction`...) or internal names (`firstname`, `dealstage`, `hs_buying_role`); all are
accepted, case- and accent-insensitively, from the one table in hubspot_labels.py (which also maps
localized stage, lifecycle and buying-role values). Localized exports write dates day first. Associations
are record ids joined by `;`. Keys: `hubspot:contact:<id>`, `hubspot:company:<id>`,
`hubspot:deal:<id>` (also in external_id, so a later file can point at an earlier one). A contact's
buying role becomes a buying role on each deal the same row associates it with.
"""

from __future__ import annotations

import datetime as dt
import re

from revere.ingest.readers.common import domain_of, parse_amount, parse_date, split_emails
from revere.ingest.readers.hubspot_labels import HEADERS, aliases, label_key, language_of, lifecycle_status
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.readers.salesforce.objects import size_band
from revere.ingest.readers.table import Row, formula_warnings, read_table
from revere.ingest.records import (
    BuyingRoleRecord,
    CompanyRecord,
    DealRecord,
    MissingColumns,
    PersonRecord,
    ReaderIssue,
    ReadResult,
)

# Every column's labels, in every language (hubspot_labels.HEADERS is the one table of them).
_COLUMNS: dict[str, tuple[str, ...]] = {column: aliases(column) for column in HEADERS}
# Languages whose exports write dates day first ("30/09/2024", "30.09.2024").
_DAY_FIRST = {"de", "fr", "es", "pt", "nl"}
_NUMERIC_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b")


def _getter(headers: list[str]):
    low: dict[str, str] = {}
    for h in headers:
        low.setdefault(label_key(h), h)

    def get(row: Row, name: str) -> str:
        for alias in _COLUMNS[name]:
            h = low.get(alias)
            if h and row.values.get(h):
                return row.values[h]
        return ""

    def has(name: str) -> bool:
        return any(a in low for a in _COLUMNS[name])

    return get, has


def _ids(value: str) -> list[str]:
    return [x.strip() for x in re.split(r"[;,]", value) if x.strip()]


def _date(value: str, *, day_first: bool) -> dt.date | None:
    m = _NUMERIC_DATE_RE.match(value.strip()) if day_first else None
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return parse_date(value)


def _status(lifecycle: str) -> str:
    localized = lifecycle_status(lifecycle)
    if localized:
        return localized
    s = lifecycle.lower().replace(" ", "")
    if s == "customer":
        return "customer"
    if s in ("lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "subscriber"):
        return "prospect"
    if s == "evangelist":
        return "partner"
    return ""


def read(data: bytes, options: ReaderOptions) -> ReadResult:
    table = read_table(data, max_rows=options.max_rows, what="HubSpot file")
    get, has = _getter(table.headers)
    if has("deal_name") or has("deal_stage"):
        kind = "deal"
    elif has("first") or has("last") or has("email"):
        kind = "contact"
    elif has("company_name") or has("domain"):
        kind = "company"
    else:
        raise MissingColumns("This CSV does not look like a HubSpot contacts, companies or deals export.")
    language = language_of(table.headers)
    result = ReadResult(format="hubspot", rows_read=len(table.rows))
    result.issues.extend(table.issues)
    result.issues.extend(formula_warnings(table.rows))
    for row in table.rows:
        rid = get(row, "id")
        key = f"hubspot:{kind}:{rid}" if rid else f"line:{row.line}"
        if kind == "company":
            _company(row, key, get, result)
        elif kind == "contact":
            _contact(row, key, get, result, options)
        else:
            _deal(row, key, get, result, options, day_first=language in _DAY_FIRST)
    return result


def _company(row: Row, key: str, get, result: ReadResult) -> None:
    name = get(row, "company_name")
    domain = domain_of(get(row, "domain"))
    if not name and not domain:
        result.issues.append(ReaderIssue(row.line, "Skipped: a company without a name or domain.", "error"))
        return
    result.companies.append(
        CompanyRecord(
            key=key,
            name=name or domain,
            line=row.line,
            domains=[domain] if domain else [],
            industry=get(row, "industry"),
            size_band=size_band(get(row, "employees")),
            region=get(row, "country"),
            status=_status(get(row, "lifecycle")),
            source="hubspot",
            external_id=key if key.startswith("hubspot:") else "",
        )
    )


def _contact(row: Row, key: str, get, result: ReadResult, options: ReaderOptions) -> None:
    first, last = get(row, "first"), get(row, "last")
    emails = split_emails(get(row, "email"))
    name = " ".join(x for x in (first, last) if x)
    if not name and not emails:
        result.issues.append(ReaderIssue(row.line, "Skipped: no name and no e-mail address.", "error"))
        return
    company_ids = _ids(get(row, "company_id"))
    company_key = f"hubspot:company:{company_ids[0]}" if company_ids else None
    roles_raw = _ids(get(row, "buying_role"))
    labels: list[str] = []
    roles: list[tuple[str, str]] = []
    for raw in roles_raw:
        role = options.role_for(raw)
        if role:
            roles.append((raw, role))
        else:
            labels.append(f"HubSpot buying role: {raw}")
    deal_ids = _ids(get(row, "deal_ids"))
    for raw, role in roles:
        if not deal_ids:
            labels.append(f"HubSpot buying role: {raw}")
        for did in deal_ids:
            result.buying_roles.append(
                BuyingRoleRecord(
                    deal_key=f"hubspot:deal:{did}", person_key=key, role=role, line=row.line, source_role=raw
                )
            )
    result.persons.append(
        PersonRecord(
            key=key,
            line=row.line,
            first_name=first,
            last_name=last,
            full_name=name or emails[0],
            emails=emails,
            phones=[p for p in (get(row, "phone"),) if p],
            company_name=get(row, "company_name"),
            company_key=company_key,
            title=get(row, "title"),
            function=get(row, "department"),
            location=get(row, "city"),
            region=get(row, "country"),
            linkedin_url=get(row, "linkedin") if "linkedin.com/" in get(row, "linkedin").lower() else "",
            labels=labels,
            source="hubspot",
            external_id=key if key.startswith("hubspot:") else "",
        )
    )


def _deal(row: Row, key: str, get, result: ReadResult, options: ReaderOptions, *, day_first: bool) -> None:
    name = get(row, "deal_name")
    if not name:
        result.issues.append(ReaderIssue(row.line, "Skipped: a deal without a name.", "error"))
        return
    source_stage = get(row, "deal_stage")
    stage = options.stage_for(source_stage) if source_stage else ""
    if source_stage and not stage:
        result.issues.append(
            ReaderIssue(
                row.line,
                f"Deal stage {source_stage!r} is not in the stage mapping; imported without a stage.",
            )
        )
    company_ids = _ids(get(row, "company_id"))
    owner = get(row, "owner")
    amount_raw = get(row, "amount")
    amount = parse_amount(amount_raw)
    if amount_raw and amount is None:
        result.issues.append(ReaderIssue(row.line, f"Amount {amount_raw!r} is not a number; left empty."))
    result.deals.append(
        DealRecord(
            key=key,
            name=name,
            line=row.line,
            company_key=f"hubspot:company:{company_ids[0]}" if company_ids else None,
            stage=stage,
            source_stage=source_stage,
            amount=amount,
            expected_close=_date(get(row, "close"), day_first=day_first),
            owner_email=owner.lower() if "@" in owner else "",
            contact_keys=[f"hubspot:contact:{c}" for c in _ids(get(row, "contact_ids"))],
            source="hubspot",
        )
    )
