"""``revere ledger --as EMAIL [--period YYYY-MM] [--format table|csv|json]``: the contribution ledger.

What the member may see of it: a seller their own lines, a manager their teams', an admin everyone's.
Without ``--period``, every month; ``csv`` and ``json`` are the export an incentive tool imports
(docs/levers.md §4).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from revere.levers.export import ledger_csv
from revere.levers.ledger import parse_month
from revere.levers.selectors.ledger import ledger_export
from revere.tenancy.cli import member_by_email


class Command(BaseCommand):
    help = "The contribution ledger as the member may see it: table, or the CSV/JSON export for an incentive tool."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help="the member")
        parser.add_argument("--period", metavar="YYYY-MM", help="one month (default: every month)")
        parser.add_argument("--format", choices=("table", "csv", "json"), default="table")

    def handle(self, *args: Any, **opts: Any) -> None:
        member = member_by_email(opts["as_email"])
        try:
            month = parse_month(opts["period"]) if opts.get("period") else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        rows = ledger_export(member=member, month=month)
        if opts["format"] == "csv":
            self.stdout.write(ledger_csv(rows), ending="")
            return
        if opts["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        console = Console(file=self.stdout, width=140, highlight=False)  # type: ignore[arg-type]
        title = f"Ledger {opts.get('period') or '(every month)'} as {member.person.full_name}"
        table = Table(title=title)
        for col, justify in (
            ("period", "left"),
            ("member", "left"),
            ("kind", "left"),
            ("evidence", "left"),
            ("deal", "left"),
            ("amount", "right"),
            ("credit", "right"),
            ("note", "left"),
        ):
            table.add_column(col, justify=justify)  # type: ignore[arg-type]
        total = 0.0
        for r in rows:
            table.add_row(
                r["period"],
                r["member_name"],
                r["kind"],
                r["evidence_id"],
                r["deal_name"],
                r["amount"] or "",
                r["credit"],
                r["note"],
            )
            total += float(r["credit"])
        console.print(table)
        console.print(f"{len(rows)} line{'s' if len(rows) != 1 else ''}, {total:,.2f} credit in all.")
