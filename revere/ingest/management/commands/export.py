"""``revere export --as EMAIL --format csv|json|vcard|graphml|gexf [--out FILE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from revere.ingest.exporters import EXPORT_FORMATS, export_render
from revere.tenancy.cli import member_by_email


class Command(BaseCommand):
    help = "Export the network a member may see: CSV, JSON, vCard, or GraphML/GEXF for Gephi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as", dest="as_email", required=True, metavar="EMAIL", help="the member exporting"
        )
        parser.add_argument("--format", required=True, choices=EXPORT_FORMATS)
        parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")

    def handle(self, *args: Any, **opts: Any) -> None:
        member = member_by_email(opts["as_email"])
        export = export_render(member=member, format=opts["format"])
        if opts.get("out"):
            Path(opts["out"]).write_bytes(export.content)
            self.stderr.write(f"Wrote {len(export.content):,} bytes to {opts['out']}")
        else:
            self.stdout.write(export.content.decode("utf-8"), ending="")
