"""``revere coaching --as EMAIL [--seller EMAIL] [--propose] [--json]``: coaching plans.

A seller sees their own plans; a manager or admin those of their teams (``--seller`` for one).
``--propose`` (a manager, with ``--seller``) proposes a plan from the seller's gaps and stall stage.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from revere.levers.api import plan_out
from revere.levers.selectors.coaching import coaching_plan, coaching_plans
from revere.levers.services.coaching import coaching_plan_propose
from revere.tenancy.cli import member_by_email
from revere.tenancy.visibility import own_or_scope_ids
from revere.web.team.selectors import coaching_gaps


class Command(BaseCommand):
    help = "Coaching plans the member may see: goals, progress, agreement; --propose one for a seller."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help="the member")
        parser.add_argument("--seller", metavar="EMAIL", help="only this seller's plans")
        parser.add_argument("--propose", action="store_true", help="propose a plan for --seller (managers)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        member = member_by_email(opts["as_email"])
        subject = member_by_email(opts["seller"]) if opts.get("seller") else None
        if subject is not None and (
            subject.organization_id != member.organization_id or subject.pk not in own_or_scope_ids(member)
        ):
            raise CommandError("That seller's plans are not yours to see.")
        if opts["propose"]:
            if subject is None:
                raise CommandError("--propose needs --seller EMAIL.")
            try:
                found = coaching_gaps(member=member, subject=subject)
                coaching_plan_propose(member=member, subject=subject, gaps=found.gaps, actions=found.actions)
            except (PermissionDenied, LookupError) as exc:
                raise CommandError(str(exc)) from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        details = [
            plan_out(coaching_plan(member=member, plan_id=p.pk))
            for p in coaching_plans(member=member, subject=subject)
        ]
        if opts["json"]:
            self.stdout.write(json.dumps(details, indent=2, default=str))
            return
        if not details:
            self.stdout.write("No coaching plan.")
        for d in details:
            agreed = (
                "agreed by both"
                if d["member_agreed"] and d["manager_agreed"]
                else (
                    "agreed by the seller"
                    if d["member_agreed"]
                    else "agreed by the manager"
                    if d["manager_agreed"]
                    else "not agreed yet"
                )
            )
            self.stdout.write(
                f"{d['member_name']}: {d['status']} plan {d['starts_on']} to {d['ends_on']} ({agreed})"
            )
            for g in d["goals"]:
                now = "–" if g["current"] is None else f"{g['current']:.2f}"
                verdict = (
                    "met"
                    if g["met"]
                    else "missed"
                    if g["met"] is False
                    else f"{g['progress'] * 100:.0f}% of the way"
                )
                self.stdout.write(
                    f"  {g['label']}: {g['start_value']:.2f} -> {g['target_value']:.2f} by {g['due_on']}, now {now} ({verdict})"
                )
                for a in g["actions"][:2]:
                    self.stdout.write(f"    - {a}")
