"""``revere team --as EMAIL [--team NAME] [--json]``: the team view's figures, as the member may see them.

Managers see the teams they manage, admins every team; a seller has no team view.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from revere.levers.selectors.team import teams_for
from revere.network.graph import CLASSES
from revere.tenancy.cli import member_by_email
from revere.web.team.selectors import team_page


def _f(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if isinstance(value, float) else f"{value:,}"


class Command(BaseCommand):
    help = "The team view: sellers' four networks, team reach, overlaps, silos, brokers, lead-generation candidates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as", dest="as_email", required=True, metavar="EMAIL", help="a manager or admin"
        )
        parser.add_argument("--team", metavar="NAME", help="one team (default: every team in view)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        member = member_by_email(opts["as_email"])
        teams = teams_for(member=member)
        if not teams and member.role == "seller":
            raise CommandError("The team view is for managers and admins.")
        chosen = None
        if opts.get("team"):
            chosen = next((t for t in teams if t.name.lower() == opts["team"].strip().lower()), None)
            if chosen is None:
                known = ", ".join(t.name for t in teams) or "none"
                raise CommandError(f"No team {opts['team']!r} in your view (yours: {known}).")
        try:
            page = team_page(member=member, team=chosen)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(page.as_dict(), indent=2, default=str))
            return
        view = page.view
        console = Console(file=self.stdout, width=150, highlight=False)  # type: ignore[arg-type]
        table = Table(title=f"{chosen.name if chosen else 'Every team in view'}: {len(view.sellers)} sellers")
        table.add_column("seller")
        table.add_column("team")
        for cls in CLASSES:
            table.add_column(f"{cls}\nsize", justify="right")
        table.add_column("market\nconstraint", justify="right")
        table.add_column("market\neff. size", justify="right")
        table.add_column("gaps", justify="right")
        for s in view.sellers:
            scores = page.scores[s.member_id]
            table.add_row(
                s.name,
                s.team,
                *(f"{s.networks[c].size}{'' if scores[c].enough else ' !'}" for c in CLASSES),
                _f(s.networks["market"].constraint),
                _f(s.networks["market"].effective_size, 1),
                str(sum(len(sc.gaps) for sc in scores.values())),
            )
        console.print(table)
        for r in view.reach:
            console.print(
                f"reach {r.network:>8}: {r.reach_union:,} people within two steps (summed {r.reach_sum:,}); "
                f"contacts {r.contacts_union:,} (summed {r.contacts_sum:,}); redundancy {_f(r.redundancy)}"
            )
        console.print(
            f"silos: {len(view.silos)} (groups of the {len(view.communities)} circles nobody bridges)"
        )
        for grp in view.silos:
            circles = ", ".join(str(x + 1) for x in grp.circles)
            sellers = ", ".join(n for _, n in grp.sellers) or "nobody"
            console.print(
                f"  silo {grp.number + 1}: {grp.people} people in circles {circles}, reached by {sellers}"
            )
        console.print("overlaps (most shared):")
        for p in view.pairs[:10]:
            console.print(
                f"  {p.network}: {p.a_name} · {p.b_name}: {p.shared} shared ({p.share_a:.2f} / {p.share_b:.2f})"
            )
        console.print(
            "brokers: " + ", ".join(f"{b.name} ({b.communities} circles)" for b in view.brokers[:8])
        )
        console.print("uncovered pipeline accounts: " + (", ".join(u.name for u in view.uncovered) or "none"))
        names = {s.member_id: s.name for s in view.sellers}
        leads = [c for c in view.lead_generation if c.candidate]
        console.print(
            "lead-generation candidates: "
            + (", ".join(f"{names[c.ego]} (score {c.score:.1f}, {c.fading} fading)" for c in leads) or "none")
        )
