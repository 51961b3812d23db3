"""``revere paths --as EMAIL (--to EMAIL | --company NAME) [--k 5] [--max-intermediaries 3] [--me-only] [--json]``."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from revere.deals.buying_roles import company_routes_by_role
from revere.network.finder import (
    DEFAULT_K,
    MAX_INTERMEDIARIES,
    MAX_K,
    Route,
    paths_to_person,
    resolve_company,
    resolve_person,
)
from revere.tenancy.cli import member_by_email


def _route_json(route: Route | None) -> dict[str, Any] | None:
    if route is None:
        return None
    data = dataclasses.asdict(route)
    data["intermediaries"] = route.intermediaries
    return data


def _score(route: Route) -> str:
    return f"{route.score:.3f}" if route.score is not None else route.score_band


class Command(BaseCommand):
    help = "The best introduction paths from a member (and their team) to a person or a company."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help="the member asking")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--to", metavar="EMAIL", help="the person to reach (e-mail, id or name)")
        target.add_argument("--company", metavar="NAME", help="the company to reach (name or id)")
        parser.add_argument("--k", type=int, default=DEFAULT_K, help=f"how many paths (1-{MAX_K})")
        parser.add_argument("--max-intermediaries", type=int, default=MAX_INTERMEDIARIES)
        parser.add_argument("--me-only", action="store_true", help="only paths that start from me")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        member = member_by_email(opts["as_email"])
        if not 1 <= opts["k"] <= MAX_K:
            raise CommandError(f"--k must be between 1 and {MAX_K}.")
        from_team = not opts["me_only"]
        hops = opts["max_intermediaries"]
        if opts.get("to"):
            person, candidates = resolve_person(member, opts["to"])
            if person is None:
                names = ", ".join(f"{p.full_name} (id {p.pk})" for p in candidates[:10])
                raise CommandError(f"No single person matches {opts['to']!r}. {names}".strip())
            routes = paths_to_person(
                member=member, person_id=person.pk, k=opts["k"], max_intermediaries=hops, from_team=from_team
            )
            if opts["json"]:
                payload: dict[str, Any] = {
                    "target": {"id": person.pk, "name": person.full_name},
                    "routes": [_route_json(r) for r in routes],
                }
                self.stdout.write(json.dumps(payload, indent=2, default=str))
                return
            self.stdout.write(f"{len(routes)} route(s) to {person.full_name}, best first:")
            for n, route in enumerate(routes, 1):
                self.stdout.write(f"\n{n}. {' -> '.join(route.names)}   score {_score(route)}")
                for hop in route.hops:
                    last = f", last {hop.last:%Y-%m-%d}" if hop.last else ""
                    self.stdout.write(f"   {hop.from_name} -> {hop.to_name} ({hop.how}{last}): {hop.ask}")
            return
        company, companies = resolve_company(member, opts["company"])
        if company is None:
            names = ", ".join(f"{c.name} (id {c.pk})" for c in companies[:10])
            raise CommandError(f"No single company matches {opts['company']!r}. {names}".strip())
        cr = company_routes_by_role(
            member=member, company_id=company.pk, max_intermediaries=hops, from_team=from_team
        )
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "company": {"id": company.pk, "name": company.name, "people": cr.people},
                        "by_buying_role": cr.by_buying_role,
                        "targets": [
                            {**dataclasses.asdict(t), "route": _route_json(t.route)} for t in cr.targets
                        ],
                        "brokers": [
                            {**dataclasses.asdict(b), "route": _route_json(b.route)} for b in cr.brokers
                        ],
                    },
                    indent=2,
                    default=str,
                )
            )
            return
        self.stdout.write(f"Routes into {company.name} ({cr.people} people):")
        for t in cr.targets:
            chain = " -> ".join(t.route.names) + f"   score {_score(t.route)}" if t.route else "no route"
            roles = f" [{', '.join(t.roles)}]" if t.roles else ""
            self.stdout.write(f"  {t.name}{roles}: {chain}")
        self.stdout.write("Brokers (linked to most of its people; Gould-Fernandez roles):")
        for b in cr.brokers:
            broker_roles = ", ".join(f"{k} {v:.0f}" for k, v in b.roles.items() if v)
            self.stdout.write(
                f"  {b.name} ({b.company}): linked to {b.reach}; {broker_roles or 'no open two-paths'}"
            )
