"""Readers: files people already have, turned into normalized records (revere.ingest.records).

Entry point: :func:`read_file`. Each format lives in its own module with a
``read(data: bytes, options: ReaderOptions) -> ReadResult`` function; readers never touch the
database. Whole-file problems raise :class:`UnreadableFile`; row problems become ReaderIssues
(level "error" = the row was skipped, "warning" = imported with a remark).

Formats (FORMATS): csv (generic.py mapping by alias), linkedin (Connections.csv), linkedin_messages
(messages.csv: interactions among LinkedIn profiles), google, outlook, vcard, salesforce
(export CSVs, sfdx tree JSON, report exports), hubspot, mbox, eml, ics. "auto" detects from content
and name (detect.py); gzip is accepted everywhere and capped (textio.py).

Record keys, so files can point at each other:
- Salesforce: ``sf:<15-char Id>`` (15 and 18 character ids agree), sfdx references ``sfref:AccountRef3``
  (sample CSVs without ids number their rows the same way); report exports ``sfreport:account:<name>``.
- HubSpot: ``hubspot:contact:<id>``, ``hubspot:company:<id>``, ``hubspot:deal:<id>``.
  For both CRMs external_id carries the key, so a key missing from one file resolves to a record
  an earlier import brought.
- Address books: the e-mail, the LinkedIn URL, else ``line:<n>``. Mail and calendar people: the e-mail.
- Interactions: Message-ID (or ``sha1:`` of sender/date/subject/recipients); meetings
  ``<UID>/<start in UTC>``, one per occurrence; LinkedIn messages ``linkedin:<conversation id>/<hash>``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from revere.ingest.readers.mapping import FIELDS, suggest_mapping
from revere.ingest.readers.options import (
    DEAL_STAGES,
    DEFAULT_ROLE_MAPPING,
    DEFAULT_STAGE_MAPPING,
    ReaderOptions,
)
from revere.ingest.records import MissingColumns, ReaderIssue, ReadResult, UnreadableFile
from revere.ingest.textio import load_bytes

FORMATS: tuple[str, ...] = (
    "auto", "csv", "linkedin", "linkedin_messages", "google", "outlook", "vcard", "salesforce", "hubspot", "mbox", "eml", "ics",
)  # fmt: skip

_MODULES = {
    "csv": "generic_csv",
    "linkedin": "linkedin",
    "linkedin_messages": "linkedin_messages",
    "google": "google",
    "outlook": "outlook",
    "vcard": "vcard",
    "salesforce": "salesforce",
    "hubspot": "hubspot",
    "mbox": "mail",
    "eml": "mail",
    "ics": "ics",
}

__all__ = [
    "DEAL_STAGES",
    "DEFAULT_ROLE_MAPPING",
    "DEFAULT_STAGE_MAPPING",
    "FIELDS",
    "FORMATS",
    "ReaderOptions",
    "detect",
    "read_file",
    "suggest_mapping",
]


def detect(source: bytes | str | Path, *, filename: str, options: ReaderOptions | None = None) -> str:
    """The format ``read_file(..., format="auto")`` would use."""
    from revere.ingest.detect import detect_format

    opts = options or ReaderOptions()
    return detect_format(load_bytes(source, max_bytes=opts.max_bytes), filename)


def _generic_instead(data: bytes, opts: ReaderOptions, fmt: str, exc: MissingColumns) -> ReadResult:
    """Auto-detection took the file for ``fmt`` but its columns are not all there: read it as any CSV."""
    from revere.ingest.readers.generic_csv import read as read_csv

    try:
        result = read_csv(data, opts)
    except UnreadableFile as generic:
        raise UnreadableFile(f"{exc} Read as a generic CSV, it fails too: {generic}") from generic
    result.issues.insert(0, ReaderIssue(None, f"Read as a generic CSV: {exc}"))
    return result


def clean_names(result: ReadResult) -> None:
    """Every name a reader found, through the one name normalizer (identity.clean_name).

    A person left without a name is named by their address by the import service, and has no
    name to be matched on.
    """
    from revere.contacts.identity import clean_name

    for person in result.persons:
        person.first_name = clean_name(person.first_name)
        person.last_name = clean_name(person.last_name)
        person.full_name = clean_name(person.full_name)
        person.reports_to_name = clean_name(person.reports_to_name)
        person.referred_by_name = clean_name(person.referred_by_name)
    for rec in result.interactions:
        rec.participants = {addr: clean_name(name) for addr, name in rec.participants.items()}
        rec.profiles = [(url, clean_name(name)) for url, name in rec.profiles]


def read_file(
    source: bytes | str | Path,
    *,
    filename: str,
    format: str = "auto",
    options: ReaderOptions | None = None,
) -> ReadResult:
    """Read one file (a path or its bytes; gzip accepted) into records.

    ``filename`` is the name the user gave (used for detection and messages). Raises UnreadableFile
    with a message for the user when the file as a whole cannot be read.
    """
    from revere.ingest.detect import detect_format

    opts = options or ReaderOptions()
    if format not in FORMATS:
        raise UnreadableFile(f"Unknown format {format!r}; choose one of {', '.join(FORMATS)}.")
    data = load_bytes(source, max_bytes=opts.max_bytes)
    fmt = detect_format(data, filename) if format == "auto" else format
    module = importlib.import_module(f"revere.ingest.readers.{_MODULES[fmt]}")
    reader = getattr(module, f"read_{fmt}", None) or module.read
    try:
        try:
            result: ReadResult = reader(data, opts)
        except MissingColumns as exc:
            if format != "auto" or fmt == "csv":
                raise
            result = _generic_instead(data, opts, fmt, exc)
    except UnreadableFile:
        raise
    except RecursionError as exc:
        raise UnreadableFile(f"The file is nested too deeply to read as {fmt}.") from exc
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, UnicodeError) as exc:
        # A reader bug or an input we did not foresee: the user gets a clear refusal, not a traceback.
        raise UnreadableFile(f"The file could not be read as {fmt} ({type(exc).__name__}: {exc}).") from exc
    clean_names(result)
    return result
