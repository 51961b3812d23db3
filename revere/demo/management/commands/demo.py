"""`revere demo [--size small|large|huge] [--seed N] [--if-empty]`: load the demo company."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from revere.demo import DEMO_LOGINS, PASSWORD, SIZES, demo_create
from revere.tenancy.models import Organization

STEPS = 9  # the progress messages demo_create sends (the replace step only when there is one)


class Command(BaseCommand):
    help = "Load the Lexington Systems demo company (replaces an existing demo), deterministic per seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1775, help="same seed, same company (default 1775)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when an organization already exists"
        )
        parser.add_argument(
            "--json", action="store_true", help="print what was made as JSON, no progress bar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=cast(IO[str], self.stdout), highlight=False, width=100)
        if options["if_empty"] and Organization.objects.exists():
            console.print("An organization exists already; the demo was not loaded.")
            return
        if options["json"]:
            summary = demo_create(size=options["size"], seed=options["seed"])
            self.stdout.write(json.dumps(asdict(summary)))
            return
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bar:
            task = bar.add_task(f"Demo ({options['size']})", total=STEPS)

            def step(name: str) -> None:
                bar.update(task, advance=1, description=name)

            summary = demo_create(size=options["size"], seed=options["seed"], progress=step)
            bar.update(task, completed=STEPS, description="done")

        console.print(f"Lexington Systems: the {summary.size} demo, seed {summary.seed}")
        table = Table()
        table.add_column("made")
        table.add_column("count", justify="right")
        for name, count in summary.counts.items():
            table.add_row(name, f"{count:,}")
        for cls, count in summary.ties_by_class.items():
            table.add_row(f"  ties · {cls}", f"{count:,}")
        for stage, count in summary.deals_by_stage.items():
            table.add_row(f"  deals · {stage}", f"{count:,}")
        console.print(table)
        wall = {k: v for k, v in summary.seconds.items() if k != "cpu"}
        timings = ", ".join(f"{k} {v:.1f}s" for k, v in wall.items())
        cpu = summary.seconds.get("cpu", 0.0)
        console.print(f"Took {sum(wall.values()):.1f}s ({timings}; {cpu:.1f}s of CPU).")
        console.print("Logins (password " + PASSWORD + "): " + ", ".join(f"{r} {e}" for r, e in DEMO_LOGINS))
