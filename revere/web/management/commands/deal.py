"""``revere deal --as EMAIL --id ID [--stage S] [--json]``: one deal with its stage's playbook and exit check."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from revere.deals.models import OPEN_STAGES
from revere.tenancy.cli import member_by_email
from revere.web.deals.export import deal_full


def _line(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


class Command(BaseCommand):
    help = "One deal with its playbook: leads, coverage, solution team, references and the exit check."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL")
        parser.add_argument("--id", dest="deal_id", type=int, required=True)
        parser.add_argument(
            "--stage", choices=[s.value for s in OPEN_STAGES], help="another stage's playbook"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        member = member_by_email(opts["as_email"])
        try:
            d = deal_full(member=member, deal_id=opts["deal_id"], stage=opts.get("stage"))
        except Http404 as exc:
            raise CommandError(f"No deal #{opts['deal_id']} that you may see.") from exc
        if opts["json"]:
            self.stdout.write(json.dumps(d, indent=2))
            return
        w = self.stdout.write
        amount = f"{d['amount']:,.0f} {d['currency']}" if d["amount"] is not None else "no amount"
        w(
            f"#{d['id']} {d['name']} · {d['company']['name']} · {amount} · stage {d['stage']} · owner {d['owner']['name']}"
        )
        w("Team: " + _line([m["name"] for m in d["team"]]))
        w("History:")
        for h in d["history"]:
            flag = " [moved past a failing check]" if h["flagged"] else ""
            why = f" ({h['reason']})" if h["reason"] else ""
            w(f"  {h['at'][:10]} {h['from'] or 'opened'} -> {h['to']}{flag}{why}")
        pb = d["playbook"]
        w(f"Playbook of {pb['stage']}:")
        check = pb["exit_check"]
        if check["checks"]:
            w(f"  Exit check: {'passes' if check['passes'] else 'fails'}")
            for c in check["checks"]:
                w(f"    [{'ok' if c['ok'] else 'missing'}] {c['message']}")
        if "one" in pb:
            one = pb["one"]
            w(
                f"  Reached through {len(one['bridges'])} contacts, {one['effective']:.1f} non-redundant bridges"
            )
            for b in one["bridges"]:
                w("    You -> " + " -> ".join(s["name"] for s in b["path"]) + f" (score {b['score']:.2f})")
        if "two" in pb:
            two = pb["two"]
            w(f"  {two['threads']} buyer threads across {two['departments']} departments: {two['shape']}")
            for r in two["roles"]:
                w(f"    {r['label']}: {r['state']}" + (f" ({', '.join(r['people'])})" if r["people"] else ""))
            for t in two["routes"]:
                for r in t["routes"]:
                    w(f"    Way in to {t['target']}: " + " -> ".join(s["name"] for s in r["steps"]))
            for o in two["unsupported"]:
                w(f"    Opponent with no supporter near: {o['name']}")
        if "three" in pb:
            three = pb["three"]
            for e in three["experts"]:
                w(f"  {e['skill']}: " + _line([p["name"] for p in e["people"]]))
            w("  Proposed team: " + _line([f"{t['skill']}: {t['name']}" for t in three["team"]]))
            if three["cohesion"] is not None:
                w(
                    f"  Cohesion {three['cohesion']:.2f}"
                    + (
                        f"; strengthen {three['weakest'][0]} - {three['weakest'][1]}"
                        if three["weakest"]
                        else ""
                    )
                )
        if "four" in pb:
            for r in pb["four"]["offered"]:
                w(
                    f"  Reference {r['name']} ({r['company']}): score {r['score']:.2f}, like the buyer in "
                    f"{r['matches']}, {r['uses_90']} uses in 90 days"
                )
            for r in pb["four"]["rested"]:
                w(f"  Resting: {r['name']} (free in {r['free_in']} days)")
