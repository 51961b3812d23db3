"""Salesforce: data-export CSVs (one per object), sfdx tree-import JSON, and report exports.

The object of a CSV is recognised from its columns (Account, Contact, Opportunity,
OpportunityContactRole, User); header names are compared case-insensitively. A report export
has `Object: Field Label` headers (`Account: Account Name`, `Contact: First Name`): each row gives
an account, the contact at it and, when present, an opportunity. An sfdx data plan (a list of
sobjects and files) holds no records: it reads as empty, with a note naming the files to import.
"""

from __future__ import annotations

import json
from typing import Any

from revere.ingest.readers.common import clean
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.readers.salesforce import objects
from revere.ingest.readers.table import Table, formula_warnings, read_table
from revere.ingest.records import CompanyRecord, MissingColumns, ReaderIssue, ReadResult, UnreadableFile
from revere.ingest.textio import decode_text

SOBJECTS = ("Account", "Contact", "Opportunity", "OpportunityContactRole", "User")

# Report export labels (after the "Object: " prefix, lower case, spaces removed) -> API field names.
_REPORT_LABELS = {
    "accountname": "name",
    "opportunityname": "name",
    "contactname": "name",
    "fullname": "name",
    "mobile": "mobilephone",
    "stage": "stagename",
    "billingcountry": "billingcountry",
    "employees": "numberofemployees",
    "accounttype": "type",
}


def read(data: bytes, options: ReaderOptions) -> ReadResult:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return read_json(data, options)
    table = read_table(data, max_rows=options.max_rows, what="Salesforce file")
    return read_csv_table(table, options)


def sobject_of(headers: set[str]) -> str | None:
    if {"opportunityid", "contactid"} <= headers:
        return "OpportunityContactRole"
    if "stagename" in headers or ("closedate" in headers and "amount" in headers):
        return "Opportunity"
    if "username" in headers:
        return "User"
    if "lastname" in headers or "firstname" in headers:
        return "Contact"
    if "budgetedcost" in headers or "actualcost" in headers:
        return "Campaign"
    if "name" in headers:
        return "Account"
    return None


def _dispatch(
    sobject: str,
    v: dict[str, str],
    *,
    ref: str | None,
    index: int,
    line: int,
    result: ReadResult,
    options: ReaderOptions,
) -> None:
    if objects.deleted(v):
        result.issues.append(ReaderIssue(line, "Skipped: deleted in Salesforce (IsDeleted).", "error"))
        return
    key = objects.own_key(v, ref=ref, sobject=sobject, index=index)
    if sobject == "Account":
        objects.account(v, key, line, result)
    elif sobject == "Contact":
        objects.contact(v, key, line, result)
    elif sobject == "User":
        objects.contact(v, key, line, result, user=True)
    elif sobject == "Opportunity":
        objects.opportunity(v, key, line, result, options)
    elif sobject == "OpportunityContactRole":
        objects.contact_role(v, line, result, options)


def read_csv_table(table: Table, options: ReaderOptions) -> ReadResult:
    result = ReadResult(format="salesforce", rows_read=len(table.rows))
    result.issues.extend(table.issues)
    lower = [h.lower().strip() for h in table.headers]
    if any(":" in h for h in lower):
        return _read_report(table, result)
    sobject = sobject_of(set(lower))
    if sobject is None:
        raise MissingColumns(
            "This CSV does not look like a Salesforce Account, Contact, Opportunity, OpportunityContactRole "
            "or User export."
        )
    if sobject == "Campaign":
        result.issues.append(
            ReaderIssue(table.header_line, "Campaigns are not imported; the file was read and skipped.")
        )
        return result
    # "@AccountRef1" is an sfdx reference, not a formula: only real formula cells are flagged.
    result.issues.extend(w for w in formula_warnings(table.rows) if "'@" not in w.message)
    for index, row in enumerate(table.rows, start=1):
        v = {h.lower().strip(): val for h, val in row.values.items()}
        _dispatch(sobject, v, ref=None, index=index, line=row.line, result=result, options=options)
    return result


def _read_report(table: Table, result: ReadResult) -> ReadResult:
    """A report export: every row an account, its contact and perhaps an opportunity."""
    result.issues.extend(formula_warnings(table.rows))
    companies: dict[str, CompanyRecord] = {}
    for row in table.rows:
        parts: dict[str, dict[str, str]] = {}
        for header, value in row.values.items():
            obj, _, label = header.partition(":")
            fld = label.strip().lower().replace(" ", "")
            fld = _REPORT_LABELS.get(fld, fld)
            parts.setdefault(obj.strip().lower(), {})[fld] = value
        account_key = None
        acc = parts.get("account")
        if acc and acc.get("name"):
            account_key = "sfreport:account:" + acc["name"].lower()
            if account_key not in companies:
                before = len(result.companies)
                objects.account(acc, account_key, row.line, result)
                if len(result.companies) > before:
                    companies[account_key] = result.companies[-1]
        con = parts.get("contact")
        if con and any(con.values()):
            if account_key:
                con["accountid"] = ""
            before = len(result.persons)
            objects.contact(con, f"line:{row.line}", row.line, result)
            if len(result.persons) > before:
                person = result.persons[-1]
                person.company_key = account_key
                person.company_name = acc.get("name", "") if acc else ""
                person.external_id = ""
    return result


def _stringify(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return clean(value)
    return ""


def read_json(data: bytes, options: ReaderOptions) -> ReadResult:
    text, _ = decode_text(data, what="JSON file", check_lines=False)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            f"The JSON file is damaged or truncated near line {exc.lineno} ({exc.msg}).", line=exc.lineno
        ) from exc
    result = ReadResult(format="salesforce")
    if isinstance(doc, list) and all(isinstance(x, dict) and "sobject" in x for x in doc):
        files = [f for x in doc for f in x.get("files", []) if isinstance(f, str)]
        result.issues.append(
            ReaderIssue(
                None,
                "This is an sfdx data plan: it lists the files to import ("
                + ", ".join(files)
                + ") and holds no records itself.",
            )
        )
        return result
    if not isinstance(doc, dict) or not isinstance(doc.get("records"), list):
        raise UnreadableFile('This JSON file is not a Salesforce sfdx tree export (no "records" list).')
    records = doc["records"]
    if len(records) > options.max_rows:
        raise UnreadableFile(f"The file has more than {options.max_rows:,} records, the limit; split it.")
    result.rows_read = len(records)
    for index, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            result.issues.append(ReaderIssue(index, "Skipped: not a record.", "error"))
            continue
        attrs = rec.get("attributes") if isinstance(rec.get("attributes"), dict) else {}
        sobject = str(attrs.get("type", "")) if attrs else ""
        ref = str(attrs.get("referenceId", "")) if attrs and attrs.get("referenceId") else None
        v = {str(k).lower(): _stringify(val) for k, val in rec.items() if k != "attributes"}
        if sobject not in SOBJECTS:
            guessed = sobject_of(set(v))
            if sobject or guessed is None or guessed == "Campaign":
                result.issues.append(
                    ReaderIssue(index, f"Skipped: {sobject or 'unknown'} records are not imported.", "error")
                )
                continue
            sobject = guessed
        _dispatch(sobject, v, ref=ref, index=index, line=index, result=result, options=options)
    return result
