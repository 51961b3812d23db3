"""``revere deals --as EMAIL [--stage S] [--json]``: the board, deals per stage with their warnings."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from revere.deals.models import Stage
from revere.deals.selectors import deals_board
from revere.tenancy.cli import member_by_email
from revere.web.deals.export import board_dict


class Command(BaseCommand):
    help = "The deal board: the deals you may see per stage, with amounts, days in stage and warnings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
        parser.add_argument("--stage", choices=Stage.values, help="one stage only")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        member = member_by_email(opts["as_email"])
        data = board_dict(deals_board(member=member))
        if opts.get("stage"):
            data["columns"] = [c for c in data["columns"] if c["stage"] == opts["stage"]]
        if opts["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        for col in data["columns"]:
            total = f"{col['total']:,.0f}" if col["total"] else "0"
            self.stdout.write(
                f"{col['label']}: {col['count']} deal{'s' if col['count'] != 1 else ''}, {total}"
            )
            for d in col["deals"]:
                amount = f"{d['amount']:,.0f} {d['currency']}" if d["amount"] is not None else "no amount"
                self.stdout.write(
                    f"  #{d['id']} {d['name']} · {d['company']['name']} · {amount} · "
                    f"{d['days_in_stage']} days in stage · {d['owner']['name']}"
                )
                for w in d["warnings"]:
                    self.stdout.write(f"      ! {w['text']}")
