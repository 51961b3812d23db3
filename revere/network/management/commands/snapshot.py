"""``revere snapshot [--org SLUG] [--date YYYY-MM-DD] [--schedule]``: store every member's network metrics.

``--schedule`` queues the background worker's scheduled snapshots instead (every
``REVERE_SNAPSHOT_EVERY_DAYS``, weekly by default; nothing is queued twice).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revere.network.snapshots import snapshots_take
from revere.network.tasks import snapshots_schedule
from revere.tenancy.models import Organization


class Command(BaseCommand):
    help = "Store each member's per-network metrics for a date (today by default), for the trend charts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", metavar="SLUG", help="only this organization (default: all)")
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="the date to store them under (default: today)"
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="queue the worker's scheduled snapshots (weekly by default) instead of taking them now",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts.get("schedule"):
            queued = snapshots_schedule(delay=timedelta(0))
            self.stdout.write(
                "Scheduled snapshots queued for the worker."
                if queued
                else "Scheduled snapshots: already queued, off (REVERE_SNAPSHOT_EVERY_DAYS=0), or no worker backend."
            )
            return
        try:
            on = date.fromisoformat(opts["date"]) if opts.get("date") else None
        except ValueError as exc:
            raise CommandError(f"--date must look like 2026-03-31, not {opts['date']!r}.") from exc
        orgs = Organization.objects.order_by("pk")
        if opts.get("org"):
            orgs = orgs.filter(slug=opts["org"])
            if not orgs.exists():
                raise CommandError(f"No organization with the slug {opts['org']!r}.")
        for org in orgs:
            written = snapshots_take(organization=org, on=on)
            self.stdout.write(f"{org.name}: {written} snapshot rows ({written // 4} members × 4 networks)")
