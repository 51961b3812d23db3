"""``revere restore FILE [--replace]``: an organization back from ``revere backup``, exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revere.ingest.backup import RestoreRefused, organization_restore


class Command(BaseCommand):
    help = "Restore an organization from a backup file, into a database without it or replacing it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="replace the organization if it exists")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            org = organization_restore(data=path.read_text(encoding="utf-8"), replace=opts["replace"])
        except RestoreRefused as exc:
            raise CommandError(f"{exc} Nothing was restored.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError("This is not a Revere backup (not UTF-8 text). Nothing was restored.") from exc
        self.stdout.write(f"Restored {org.name}.")
