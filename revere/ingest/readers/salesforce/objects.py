"""Salesforce objects (Account, Contact, Opportunity, OpportunityContactRole, User) to records.

Every function takes one record as a dict with lower-case API field names, so the API names of a
data export (`AccountId`), the lower-case names of the sample data (`accountId`) and the sfdx JSON
all read the same.

Keys: an Id becomes ``sf:<first 15 characters>`` (15- and 18-character ids name the same record);
an sfdx reference ``@AccountRef3`` becomes ``sfref:AccountRef3``. ``external_id`` holds the key too,
so the import service can resolve a reference to a record imported from another file.
"""

from __future__ import annotations

import re

from revere.ingest.readers.common import domain_of, parse_amount, parse_date, split_emails
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.records import (
    BuyingRoleRecord,
    CompanyRecord,
    DealRecord,
    PersonRecord,
    ReaderIssue,
    ReadResult,
)

_ID_RE = re.compile(r"^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$")


def ref_key(value: str) -> str | None:
    """The key a reference cell points at: an Id, an `@XRefN` sfdx reference, or None."""
    v = value.strip()
    if not v:
        return None
    if v.startswith("@"):
        return f"sfref:{v[1:]}"
    if _ID_RE.match(v):
        return f"sf:{v[:15]}"
    return None


def own_key(v: dict[str, str], *, ref: str | None, sobject: str, index: int) -> str:
    """This record's key: its Id, its sfdx referenceId, or `<Object>Ref<n>` by position (sample CSVs)."""
    rid = v.get("id", "")
    if rid and _ID_RE.match(rid):
        return f"sf:{rid[:15]}"
    if ref:
        return f"sfref:{ref}"
    return f"sfref:{sobject}Ref{index}"


def size_band(employees: str) -> str:
    try:
        n = int(float(employees))
    except ValueError:
        return ""
    if n <= 0:
        return ""
    for limit, band in ((10, "1-10"), (50, "11-50"), (250, "51-250"), (1000, "251-1000")):
        if n <= limit:
            return band
    return "1000+"


def company_status(account_type: str) -> str:
    t = account_type.lower()
    if "customer" in t:
        return "customer"
    if "prospect" in t:
        return "prospect"
    if any(w in t for w in ("partner", "integrator", "reseller")):
        return "partner"
    return ""


def deleted(v: dict[str, str]) -> bool:
    return v.get("isdeleted", "").lower() in ("true", "1")


def account(v: dict[str, str], key: str, line: int, result: ReadResult) -> None:
    name = v.get("name", "")
    if not name:
        result.issues.append(ReaderIssue(line, "Skipped: an account without a name.", "error"))
        return
    domain = domain_of(v.get("website", ""))
    result.companies.append(
        CompanyRecord(
            key=key,
            name=name,
            line=line,
            domains=[domain] if domain else [],
            industry=v.get("industry", ""),
            size_band=size_band(v.get("numberofemployees", "")),
            region=v.get("billingcountry", "") or v.get("shippingcountry", ""),
            status=company_status(v.get("type", "")),
            parent_key=ref_key(v.get("parentid", "")),
            source="salesforce",
            external_id=key,
        )
    )


def contact(v: dict[str, str], key: str, line: int, result: ReadResult, *, user: bool = False) -> None:
    first, last = v.get("firstname", ""), v.get("lastname", "")
    full = v.get("name", "") or " ".join(x for x in (first, last) if x)
    emails = split_emails(v.get("email", ""))
    if not full and not emails:
        result.issues.append(ReaderIssue(line, "Skipped: no name and no e-mail address.", "error"))
        return
    phones = [p for p in (v.get("phone", ""), v.get("mobilephone", "")) if p]
    manager = v.get("managerid", "") if user else v.get("reportstoid", "")
    result.persons.append(
        PersonRecord(
            key=key,
            line=line,
            first_name=first,
            last_name=last,
            full_name=full or emails[0],
            emails=emails,
            phones=list(dict.fromkeys(phones)),
            company_key=None if user else ref_key(v.get("accountid", "")),
            title=v.get("title", ""),
            function=v.get("department", ""),
            location=v.get("mailingcity", ""),
            region=v.get("mailingcountry", ""),
            reports_to_key=ref_key(manager),
            labels=["Salesforce user"] if user else [],
            notes=v.get("description", ""),
            source="salesforce",
            external_id=key,
            # Users are the seller's own colleagues, not their contacts.
            is_contact_of_member=not user,
        )
    )


def opportunity(v: dict[str, str], key: str, line: int, result: ReadResult, options: ReaderOptions) -> None:
    name = v.get("name", "")
    if not name:
        result.issues.append(ReaderIssue(line, "Skipped: an opportunity without a name.", "error"))
        return
    source_stage = v.get("stagename", "")
    stage = options.stage_for(source_stage) if source_stage else ""
    if not stage:
        is_closed = v.get("isclosed", "").lower() == "true"
        is_won = v.get("iswon", "").lower() == "true"
        if is_closed:
            stage = "won" if is_won else "lost"
        elif source_stage:
            result.issues.append(
                ReaderIssue(
                    line,
                    f"Stage {source_stage!r} is not in the stage mapping; the deal is imported without a stage "
                    "(add it to the mapping to place it).",
                )
            )
    amount_raw = v.get("amount", "")
    amount = parse_amount(amount_raw)
    if amount_raw and amount is None:
        result.issues.append(ReaderIssue(line, f"Amount {amount_raw!r} is not a number; left empty."))
    result.deals.append(
        DealRecord(
            key=key,
            name=name,
            line=line,
            company_key=ref_key(v.get("accountid", "")),
            stage=stage,
            source_stage=source_stage,
            amount=amount,
            expected_close=parse_date(v.get("closedate", "")),
            source="salesforce",
        )
    )


def contact_role(v: dict[str, str], line: int, result: ReadResult, options: ReaderOptions) -> None:
    deal_key = ref_key(v.get("opportunityid", ""))
    person_key = ref_key(v.get("contactid", ""))
    if not deal_key or not person_key:
        result.issues.append(
            ReaderIssue(line, "Skipped: a contact role without an opportunity or a contact.", "error")
        )
        return
    source_role = v.get("role", "")
    role = options.role_for(source_role)
    if not role:
        result.issues.append(
            ReaderIssue(
                line,
                f"Skipped: role {source_role or '(empty)'!r} says nothing about the buying decision "
                "(map it to a buying role to import it).",
                "error",
            )
        )
        return
    result.buying_roles.append(
        BuyingRoleRecord(
            deal_key=deal_key, person_key=person_key, role=role, line=line, source_role=source_role
        )
    )
