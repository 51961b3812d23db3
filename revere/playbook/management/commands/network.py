"""``revere network --as EMAIL [--json] [--limit N]``: my four networks, the scorecard and the advice."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from revere.playbook.selectors import member_network_report
from revere.tenancy.cli import member_by_email


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


class Command(BaseCommand):
    help = "A member's four networks (metrics and readings), the scorecard against targets, and relationship advice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help="the member")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--limit", type=int, default=10, help="candidates and due ties to list (1-200)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 1 <= opts["limit"] <= 200:
            raise CommandError("--limit must be between 1 and 200.")
        member = member_by_email(opts["as_email"])
        report = member_network_report(member=member, limit=opts["limit"])
        if opts["json"]:
            self.stdout.write(json.dumps(report, indent=2, default=str))
            return
        console = Console(file=self.stdout, width=120, highlight=False)  # type: ignore[arg-type]
        self._networks(console, report)
        self._scorecard(console, report)
        self._advice(console, report)
        self._queue(console, report)

    def _networks(self, console: Console, report: dict[str, Any]) -> None:
        nets = report["networks"]
        table = Table(title=f"{report['member_name']}: my four networks")
        table.add_column("")
        for n in nets:
            table.add_column(f"{n['network_class']}\n{n['stage']}", justify="right")
        rows = [
            ("size", "size", 0),
            ("two-step reach", "reach", 0),
            ("density", "density", 2),
            ("effective size", "effective_size", 1),
            ("constraint", "constraint", 2),
            ("mean strength", "mean_strength", 2),
            ("circles", "circles", 0),
        ]
        for label, key, digits in rows:
            table.add_row(label, *[_fmt(n["metrics"][key], digits) for n in nets])
        table.add_row(
            "strong/medium/weak/dormant",
            *[
                "/".join(str(n["metrics"]["bands"][b]) for b in ("strong", "medium", "weak", "dormant"))
                for n in nets
            ],
        )
        table.add_row("diversity (companies)", *[_fmt(n["metrics"]["diversity"]["company"]) for n in nets])
        console.print(table)
        for n in nets:
            reading = n["reading"]
            console.print(
                f"[bold]{n['network_class']}[/bold] · {reading['headline']}: "
                + " ".join(reading["sentences"])
            )

    def _scorecard(self, console: Console, report: dict[str, Any]) -> None:
        table = Table(title="Do I have enough connections?")
        for col in ("network", "measure", "you", "target", "status", "what to do"):
            table.add_column(col, justify="right" if col in ("you", "target") else "left")
        for n in report["networks"]:
            score = n["score"]
            for line in score["lines"]:
                digits = 0 if line["measure"] == "min_size" else 2
                sign = "≥" if line["at_least"] else "≤"
                table.add_row(
                    n["network_class"],
                    line["label"],
                    _fmt(line["actual"], digits),
                    f"{sign} {_fmt(line['target'], digits)}",
                    line["status"],
                    line["action"],
                )
        console.print(table)

    def _advice(self, console: Console, report: dict[str, Any]) -> None:
        advice = report["advice"]
        for cls in advice["cliques"]:
            console.print(
                f"[bold red]Your {cls} contacts form one closed clique[/bold red]: everybody knows everybody."
            )
        for kind, title in (("let_go", "Let go"), ("invest", "Invest")):
            total = advice[f"{kind}_total"]
            console.print(f"\n[bold]{title}[/bold] ({total})")
            for c in advice[kind]:
                console.print(f"  {c['name']} ({c['network_class']}): {c['reason']}")
                if c["redundant_with"]:
                    console.print(
                        "    already brought by: " + ", ".join(p["name"] for p in c["redundant_with"])
                    )

    def _queue(self, console: Console, report: dict[str, Any]) -> None:
        queue = report["keep_in_touch"]
        console.print(
            f"\n[bold]Keep in touch[/bold]: {queue['total_due']} due, {queue['upcoming']} within a week"
        )
        for item in queue["due"]:
            since = (
                f"{item['days_since']} days since last contact"
                if item["days_since"] is not None
                else "never contacted"
            )
            console.print(f"  {item['name']} ({item['network_class']}): {since}; {item['cadence_reason']}")
