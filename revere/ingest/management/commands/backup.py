"""``revere backup FILE [--org SLUG]``: every table of one organization as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revere.ingest.backup import organization_backup_json
from revere.tenancy.models import Organization


class Command(BaseCommand):
    help = "Back up a whole organization (users, members and every tenant table) to a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--org", metavar="SLUG", help="the organization (needed when there are several)")

    def handle(self, *args: Any, **opts: Any) -> None:
        orgs = Organization.objects.all()
        if opts.get("org"):
            orgs = orgs.filter(slug=opts["org"])
        found = list(orgs[:2])
        if not found:
            raise CommandError(
                "No such organization." if opts.get("org") else "There is no organization to back up."
            )
        if len(found) > 1:
            slugs = ", ".join(Organization.objects.values_list("slug", flat=True))
            raise CommandError(f"Several organizations exist; choose one with --org ({slugs}).")
        text = organization_backup_json(organization=found[0])
        Path(opts["file"]).write_text(text, encoding="utf-8")
        self.stdout.write(f"Backed up {found[0].name} to {opts['file']} ({len(text):,} bytes).")
