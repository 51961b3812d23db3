"""``revere import FILE... --as EMAIL [--format F] [--dry-run] [--json]``: import files for a member."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revere.tenancy.cli import member_by_email

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Import contacts, companies, deals, e-mail or calendars from files, on behalf of a member."

    def add_arguments(self, parser: CommandParser) -> None:
        from revere.ingest.readers import FORMATS

        parser.add_argument("files", nargs="+", help="files to import (one import, one transaction)")
        parser.add_argument(
            "--as", dest="as_email", required=True, metavar="EMAIL", help="the member importing"
        )
        parser.add_argument(
            "--format", default="auto", choices=FORMATS, help="the files' format (default: detect)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="preview only: report what would happen, write nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--mapping", metavar="JSON", help='generic CSV column mapping, e.g. \'{"Mail": "email"}\''
        )
        parser.add_argument(
            "--phone-region",
            metavar="CC",
            help="region (DE, US...) of phone numbers written without a country code, after each contact's "
            "own country (default: the organization's, else REVERE_PHONE_REGION)",
        )
        parser.add_argument("--stages", metavar="JSON", help='deal stage mapping, e.g. \'{"Won it": "won"}\'')

    def handle(self, *args: Any, **opts: Any) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from revere.ingest.service import ImportRefused, Upload, import_read, import_recompute, import_results

        member = member_by_email(opts["as_email"])
        options = {
            "column_mapping": _json_opt(opts.get("mapping"), "--mapping"),
            "stage_mapping": _json_opt(opts.get("stages"), "--stages"),
        }
        uploads = []
        for name in opts["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            uploads.append(Upload(name=path.name, data=path.read_bytes()))
        console = Console(stderr=True, quiet=opts["json"] or opts.get("verbosity", 1) == 0)
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                reading = bar.add_task("reading", total=len(uploads))
                results = []
                for upload in uploads:
                    results.extend(
                        import_read(member=member, uploads=[upload], format=opts["format"], options=options)
                    )
                    bar.advance(reading)
                writing = bar.add_task("dry run" if opts["dry_run"] else "importing", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(writing, completed=done, total=total)

                report = import_results(
                    member=member,
                    results=results,
                    dry_run=opts["dry_run"],
                    progress=progress,
                    region=_region(opts.get("phone_region")),
                )
            recompute = ""
            if not opts["dry_run"]:
                rows = sum(
                    len(r.persons) + len(r.interactions) + len(r.companies) + len(r.deals) for _, r in results
                )
                recompute = import_recompute(member=member, rows=rows)
        except ImportRefused as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        except Exception as exc:
            logger.exception("import failed")
            raise CommandError(
                f"The import failed and nothing was written ({type(exc).__name__}). See the log."
            ) from exc
        data = report.to_json(max_rows=10**9)
        if recompute:
            data["recompute"] = recompute
        if opts["json"]:
            self.stdout.write(json.dumps(data, indent=2, default=str))
            return
        _print_report(Console(file=self.stdout, width=140), data)  # type: ignore[arg-type]


def _region(value: str | None) -> str | None:
    import phonenumbers

    if not value:
        return None
    if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise CommandError(f"--phone-region {value!r} is not a region code (DE, FR, US, GB...).")
    return value.upper()


def _json_opt(value: str | None, flag: str) -> dict[str, str] | None:
    if not value:
        return None
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{flag} must be a JSON object: {exc}") from exc
    if not isinstance(parsed, dict):
        raise CommandError(f"{flag} must be a JSON object.")
    return {str(k): str(v) for k, v in parsed.items()}


def _print_report(console: Any, data: dict[str, Any]) -> None:
    from rich.table import Table

    title = "Dry run: nothing written" if data["dry_run"] else "Imported"
    counts = data["counts"]
    console.print(f"[bold]{title}[/bold]: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for f in data.get("files", []):
        if f.get("empty"):
            console.print(f"[yellow]{f['name']}[/yellow]: {f['empty']}", markup=True, highlight=False)
    kinds = Table("kind", "created", "updated", "merged", "skipped", "errors", "review", title="By kind")
    for kind, c in sorted(data["by_kind"].items()):
        kinds.add_row(
            kind, *(str(c[a]) for a in ("created", "updated", "merged", "skipped", "error", "review"))
        )
    console.print(kinds)
    notable = [
        r for r in data["rows"] if r["action"] in ("error", "review", "merged", "skipped") and r["reason"]
    ]
    if notable:
        rows = Table("file", "line", "kind", "action", "row", "why", title="Rows to look at")
        for r in notable[:200]:
            rows.add_row(r["file"], str(r["line"] or ""), r["kind"], r["action"], r["label"], r["reason"])
        console.print(rows)
        if len(notable) > 200:
            console.print(f"... and {len(notable) - 200} more (use --json for all rows)")
