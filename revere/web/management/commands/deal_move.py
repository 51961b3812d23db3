"""``revere deal-move --as EMAIL --id ID --to STAGE [--reason TEXT]``: move a deal through deal_move_stage."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from revere.deals.models import Stage
from revere.deals.selectors import deal_get
from revere.deals.services import DealMoveRefused, deal_move_stage
from revere.tenancy.cli import member_by_email


class Command(BaseCommand):
    help = "Move a deal to another stage; a refused move says why (and whether a reason lets it through)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
        parser.add_argument("--id", dest="deal_id", type=int, required=True)
        parser.add_argument("--to", dest="to_stage", required=True, choices=Stage.values)
        parser.add_argument("--reason", default="", help="needed for won, lost, or past a failing exit check")

    def handle(self, *args: Any, **opts: Any) -> None:
        member = member_by_email(opts["as_email"])
        try:
            deal = deal_get(member=member, deal_id=opts["deal_id"])
        except Http404 as exc:
            raise CommandError(f"No deal #{opts['deal_id']} that you may see.") from exc
        try:
            move = deal_move_stage(
                member=member, deal=deal, to_stage=opts["to_stage"], reason=opts["reason"], source="cli"
            )
        except DealMoveRefused as exc:
            hint = " (add --reason TEXT)" if exc.needs_reason else ""
            raise CommandError(exc.text + hint) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{deal.name} moved to {Stage(deal.stage).label}.")
        for message in move.failed:
            self.stdout.write(f"  flagged: {message}")
