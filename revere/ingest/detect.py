"""Which reader a file needs, from its name and (mostly) its content."""

from __future__ import annotations

import csv
import io
import re

from revere.ingest.readers.hubspot_labels import detection_hints, label_key
from revere.ingest.readers.linkedin_messages import is_messages_header
from revere.ingest.records import UnreadableFile
from revere.ingest.textio import decode_text

_EXT_FORMATS = {
    ".vcf": "vcard",
    ".vcard": "vcard",
    ".ics": "ics",
    ".ical": "ics",
    ".ifb": "ics",
    ".vcs": "ics",
    ".mbox": "mbox",
    ".mbx": "mbox",
    ".eml": "eml",
}
_MAIL_HEADER_RE = re.compile(
    r"^(from|to|cc|subject|date|message-id|received|return-path|mime-version|delivered-to|x-[\w-]+):", re.I
)

SALESFORCE_HINTS = {
    "accountid",
    "stagename",
    "reportstoid",
    "opportunityid",
    "contactid",
    "isdeleted",
    "masterrecordid",
    "billingstreet",
    "billingcity",
    "numberofemployees",
    "annualrevenue",
    "forecastcategory",
    "managerid",
    "userroleid",
    "budgetedcost",
    "actualcost",
    "isprimary",
    "leadsource",
}
HUBSPOT_HINTS = {
    "record id",
    "contact owner",
    "company owner",
    "deal owner",
    "deal stage",
    "deal name",
    "company domain name",
    "associated company ids",
    "associated contact ids",
    "associated company",
    "primary associated company id",
    "lifecycle stage",
    "lead status",
    "hs_buying_role",
    "hubspot_owner_id",
    "dealstage",
    "dealname",
    "hs_lead_status",
    "lifecyclestage",
    "associated deal ids",
    "buying role",
}
# The same columns as HubSpot labels them in German, French, Spanish, Portuguese and Dutch.
HUBSPOT_LABEL_HINTS = detection_hints()


def _name_ext(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""


def csv_headers(text: str, *, lines: int = 12) -> list[list[str]]:
    """The first few non-empty rows, split with the likeliest delimiter (for sniffing only)."""
    head = [ln for ln in text.splitlines()[: lines * 3] if ln.strip()][:lines]
    out: list[list[str]] = []
    for ln in head:
        delim = max(",;\t|", key=ln.count)
        try:
            out.append([c.strip().lower() for c in next(csv.reader(io.StringIO(ln), delimiter=delim), [])])
        except csv.Error:
            continue
    return out


def detect_csv_flavour(text: str) -> str:
    rows = csv_headers(text)
    if not rows:
        return "csv"
    if any(is_messages_header(cells) for cells in rows[:3]):
        return "linkedin_messages"
    if rows[0] and rows[0][0] == "notes:":
        return "linkedin"
    for cells in rows[:5]:
        s = set(cells)
        if {"first name", "last name", "connected on"} <= s:
            return "linkedin"
    cells = rows[0]
    s = set(cells)
    if any(c.startswith(("account: ", "contact: ", "opportunity: ")) for c in cells):
        return "salesforce"
    if s & SALESFORCE_HINTS or ("username" in s and "userroleid" in s):
        return "salesforce"
    if s & HUBSPOT_HINTS or any(c.startswith("hs_") or label_key(c) in HUBSPOT_LABEL_HINTS for c in cells):
        return "hubspot"
    if ("given name" in s and "family name" in s) or "group membership" in s:
        return "google"
    if "organization name" in s and ("labels" in s or "e-mail 1 - value" in s or "file as" in s):
        return "google"
    if "e-mail address" in s and (
        "business phone" in s or "manager's name" in s or "job title" in s or "e-mail 2 address" in s
    ):
        return "outlook"
    return "csv"


def detect_format(data: bytes, filename: str) -> str:
    """One of the reader formats (never "auto") for decompressed ``data``; UnreadableFile if none fits."""
    ext = _name_ext(filename)
    head_bytes = data[:65536]
    try:
        head, _ = decode_text(head_bytes, what="file", check_lines=False)
    except UnreadableFile:
        raise
    stripped = head.lstrip()
    upper = stripped[:2000].upper()
    if upper.startswith("BEGIN:VCARD"):
        return "vcard"
    if upper.startswith("BEGIN:VCALENDAR"):
        return "ics"
    if ext in ("vcard", ".vcf") and "BEGIN:VCARD" in upper:
        return "vcard"
    if stripped.startswith("From ") and "\n" in stripped:
        return "eml" if ext == ".eml" else "mbox"
    if stripped.startswith(("{", "[")):
        if (
            '"records"' in stripped[:5000]
            or '"sobject"' in stripped[:5000]
            or '"attributes"' in stripped[:5000]
        ):
            return "salesforce"
        raise UnreadableFile("This JSON file is not a Salesforce data export (sfdx tree format) we can read.")
    first_lines = [ln for ln in stripped.splitlines()[:20] if ln.strip()]
    mail_like = sum(1 for ln in first_lines if _MAIL_HEADER_RE.match(ln))
    if ext in _EXT_FORMATS:
        fmt = _EXT_FORMATS[ext]
        if fmt == "eml" and mail_like == 0:
            raise UnreadableFile(
                "This .eml file does not start with mail headers (From:, To:, Subject:, ...)."
            )
        if fmt in ("vcard", "ics"):
            marker = "BEGIN:VCARD" if fmt == "vcard" else "BEGIN:VCALENDAR"
            if marker not in head.upper() and not (fmt == "ics" and "BEGIN:VEVENT" in head.upper()):
                kind = "a vCard" if fmt == "vcard" else "an iCalendar"
                raise UnreadableFile(f"This {ext} file has no {marker}: it is not {kind} file.")
        return fmt
    if mail_like >= 2 and first_lines and _MAIL_HEADER_RE.match(first_lines[0]):
        return "eml"
    if ext in (".csv", ".txt", ".tsv", "") or "," in head or ";" in head or "\t" in head:
        return detect_csv_flavour(head)
    raise UnreadableFile("The format of this file could not be recognised.")
