"""The import service: files -> records (readers) -> one atomic write, or a preview of it.

``import_files`` is the whole import for callers that hold the files (the CLI, tests, the
benchmark); ``revere.ingest.service.jobs`` keeps uploads, previews and reports on ImportJob rows
for the page and the API. Guarantees (docs/import.md):

* everything is read and checked before the first write; a file that cannot be read, is too big
  or has too many rows is refused with a message and nothing is written;
* the write is one ``transaction.atomic``: if anything fails in the middle, nothing stays;
* a preview is the very same run, rolled back: what it says is what the commit will do;
* re-importing a file creates nothing new (source records, external ids, interaction ids).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from revere.ingest.records import ReadResult, UnreadableFile
from revere.ingest.service.report import ImportReport
from revere.ingest.service.run import ImportRun, record_count
from revere.tenancy.models import Member

logger = logging.getLogger(__name__)

# Imports with more records than this recompute tie strength in a background task.
BACKGROUND_RECOMPUTE_ROWS = 2000


class ImportRefused(Exception):
    """The import cannot go ahead; the message is for the user, as it is."""


@dataclass
class Upload:
    name: str
    data: bytes


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def import_check_size(*, name: str, size: int) -> None:
    limit = settings.REVERE_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            f"{name} is {_mb(size)}; the limit is {_mb(limit)}. Split the file or export less."
        )
    if size == 0:
        raise ImportRefused(f"{name} is empty.")


def reader_options(*, member: Member, options: dict[str, Any] | None = None) -> Any:
    from revere.contacts.models import PersonEmail
    from revere.ingest.readers import ReaderOptions

    options = options or {}
    emails = set(PersonEmail.unrestricted.filter(person_id=member.person_id).values_list("email", flat=True))
    if member.user.email:
        emails.add(member.user.email.lower())
    person = member.person
    opts = ReaderOptions(
        column_mapping=options.get("column_mapping") or None,
        stage_mapping=options.get("stage_mapping") or None,
        member_emails=emails,
        member_name=person.full_name if person else "",
        member_linkedin=person.linkedin_url if person else "",
        max_bytes=settings.REVERE_IMPORT_MAX_BYTES,
        max_rows=settings.REVERE_IMPORT_MAX_ROWS,
    )
    # Recurring meetings are expanded within a window (default: two years back, 90 days ahead).
    for key in ("window_start", "window_end"):
        if options.get(key):
            value = dt.datetime.fromisoformat(str(options[key]))
            setattr(opts, key, value if value.tzinfo else value.replace(tzinfo=dt.UTC))
    return opts


def import_read(
    *, member: Member, uploads: list[Upload], format: str = "auto", options: dict[str, Any] | None = None
) -> list[tuple[str, ReadResult]]:
    """Read every file, or refuse the whole import with a message naming the file at fault."""
    from revere.ingest.readers import read_file

    opts = reader_options(member=member, options=options)
    results: list[tuple[str, ReadResult]] = []
    for upload in uploads:
        import_check_size(name=upload.name, size=len(upload.data))
        try:
            result = read_file(upload.data, filename=upload.name, format=format, options=opts)
        except UnreadableFile as exc:
            where = f" (line {exc.line})" if exc.line else ""
            raise ImportRefused(f"{upload.name}{where}: {exc}") from exc
        except Exception as exc:  # a reader bug must never become a traceback for the user
            logger.exception("reading %s failed", upload.name)
            raise ImportRefused(f"{upload.name} could not be read; nothing was imported.") from exc
        results.append((upload.name, result))
    for name, result in results:
        refuse_formulas(name, result)
    import_check_rows(results)
    return results


def import_check_rows(results: list[tuple[str, ReadResult]]) -> None:
    """Refuse an import whose files hold more records, together, than one import may."""
    rows = sum(record_count(r) for _, r in results)
    if rows > settings.REVERE_IMPORT_MAX_ROWS:
        raise ImportRefused(
            f"These files hold {rows:,} records; the limit is {settings.REVERE_IMPORT_MAX_ROWS:,} per import. "
            "Import them in parts."
        )


# Spreadsheet-made formats, and the record fields a spreadsheet shows as cells.
SPREADSHEET_FORMATS = {"csv", "linkedin", "google", "outlook", "salesforce", "hubspot"}
FORMULA_FIELDS = {
    "persons": (
        "first_name",
        "last_name",
        "full_name",
        "company_name",
        "title",
        "function",
        "location",
        "notes",
    ),
    "companies": ("name", "industry", "region"),
    "deals": ("name",),
}


def refuse_formulas(name: str, result: ReadResult) -> None:
    """A spreadsheet file with a formula cell is refused whole: it is hostile or broken (issue 4)."""
    from revere.ingest.readers.common import is_formula

    if result.format not in SPREADSHEET_FORMATS:
        return
    for kind, fields in FORMULA_FIELDS.items():
        for record in getattr(result, kind):
            for f in fields:
                value = getattr(record, f, "")
                if value and value.lstrip()[:1] in "=+-@" and is_formula(value):
                    shown = value if len(value) <= 40 else value[:37] + "..."
                    where = f"line {record.line}" if record.line else "a row"
                    raise ImportRefused(
                        f"{name}, {where}: {f.replace('_', ' ')} holds {shown!r}, which a spreadsheet would run as a "
                        "formula. Nothing was imported; remove the formula and import again."
                    )


def import_results(
    *,
    member: Member,
    results: list[tuple[str, ReadResult]],
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    region: str | None = None,
) -> ImportReport:
    """Write what the readers made of the files, in one transaction (rolled back for a dry run).

    ``region``: the region the member says the files' phone numbers are in (before the organization's).
    """
    from revere.tenancy.services import organization_bump_data_version

    with transaction.atomic():
        regions = ((region.upper(),) if region else ()) + default_regions(member)
        run = ImportRun(member=member, regions=regions, progress=progress)
        report = run.run(results)
        report.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
        else:
            organization_bump_data_version(organization_id=member.organization_id)
    return report


def phone_region_check(value: object) -> str | None:
    """The region the member gives for numbers without a country code ("de" -> "DE"), or None.

    One check for every way in (the CLI's --phone-region, the import page, the API's
    ``phone_region``); a code phonenumbers does not know is refused with a message."""
    import phonenumbers

    text = str(value or "").strip().upper()
    if not text:
        return None
    if text not in phonenumbers.SUPPORTED_REGIONS:
        raise ImportRefused(
            f"Phone region {str(value).strip()[:20]!r} is not a region code (DE, FR, US, GB...). Nothing was imported."
        )
    return text


def import_files(
    *,
    member: Member,
    uploads: list[Upload],
    format: str = "auto",
    options: dict[str, Any] | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    recompute: bool = True,
) -> ImportReport:
    """Read, then write in one transaction (or preview), then recompute tie strength."""
    results = import_read(member=member, uploads=uploads, format=format, options=options)
    region = phone_region_check((options or {}).get("phone_region"))
    report = import_results(member=member, results=results, dry_run=dry_run, progress=progress, region=region)
    if not dry_run and recompute:
        import_recompute(member=member, rows=sum(record_count(r) for _, r in results))
    return report


def default_regions(member: Member) -> tuple[str, ...]:
    """The regions a number without a country code is tried in after the contact's own country:
    the organization's (``Organization.phone_region``), then ``REVERE_PHONE_REGION`` (default US)."""
    fallback = getattr(settings, "REVERE_PHONE_REGION", os.environ.get("REVERE_PHONE_REGION", "US"))
    own = member.organization.phone_region.upper()
    return tuple(dict.fromkeys(r for r in (own, fallback.upper()) if r))


def import_recompute(*, member: Member, rows: int) -> str:
    """Tie strength and network classes after an import: here for small ones, a task for large ones.

    Returns "now" or "queued".
    """
    from revere.network.services import network_recompute

    if rows > BACKGROUND_RECOMPUTE_ROWS:
        from revere.network.tasks import network_recompute_task

        organization_id, member_ids = member.organization_id, [member.pk]
        transaction.on_commit(
            lambda: network_recompute_task.enqueue(organization_id=organization_id, member_ids=member_ids)
        )
        return "queued"
    network_recompute(organization=member.organization, member_ids=[member.pk])
    return "now"


__all__ = [
    "ImportRefused",
    "ImportReport",
    "Upload",
    "import_files",
    "import_read",
    "import_recompute",
    "import_results",
    "phone_region_check",
]
