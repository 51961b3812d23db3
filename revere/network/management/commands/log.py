"""``revere log --as EMAIL --with EMAIL[,EMAIL] --kind meeting|call|email|message|event [--when DATE]
[--subject TEXT] [--json]``: log an interaction as the member; their ties and the participants' links follow."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from revere.network.models import InteractionKind
from revere.network.selectors import persons_by_email
from revere.network.services import interaction_log, strength_band
from revere.tenancy.cli import member_by_email


def parse_when(text: str | None) -> datetime | None:
    """``2026-03-31`` (that day at noon, or now if it is today) or an ISO date and time; None: now."""
    if not text:
        return None
    try:
        if len(text.strip()) == 10:
            day = date.fromisoformat(text.strip())
            if day == timezone.localdate():
                return None
            return timezone.make_aware(datetime.combine(day, time(12, 0)))
        when = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise CommandError(f"--when must look like 2026-03-31 or 2026-03-31T14:30, not {text!r}.") from exc
    return when if timezone.is_aware(when) else timezone.make_aware(when)


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(" ".join(v) for v in exc.message_dict.values())
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Log a meeting, call, e-mail, message or event with contacts or colleagues, as a member."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help="the member")
        parser.add_argument(
            "--with",
            dest="with_",
            required=True,
            metavar="EMAIL[,EMAIL]",
            help="who else was there (e-mails)",
        )
        parser.add_argument("--kind", required=True, choices=InteractionKind.values)
        parser.add_argument("--when", metavar="DATE", help="YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now)")
        parser.add_argument("--subject", default="", help="what it was about")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        member = member_by_email(opts["as_email"])
        emails = [e.strip().lower() for e in opts["with_"].split(",") if e.strip()]
        if not emails:
            raise CommandError("--with needs at least one e-mail address.")
        found = persons_by_email(member=member, emails=emails)
        unknown = [e for e in emails if e not in found]
        if unknown:
            raise CommandError(
                f"Nobody in your organization has the e-mail {', '.join(unknown)}: add them first "
                "(the contacts page, POST /api/persons or revere import). Nothing was logged."
            )
        try:
            logged = interaction_log(
                member=member,
                kind=opts["kind"],
                person_ids=[found[e].pk for e in emails],
                occurred_at=parse_when(opts.get("when")),
                subject=opts["subject"],
            )
        except ValidationError as exc:
            raise CommandError(f"{_messages(exc)} Nothing was logged.") from exc
        i = logged.interaction
        ties = [
            {
                "person_id": t.person_id,
                "name": next(p.full_name for p in logged.persons if p.pk == t.person_id),
                "strength": round(t.effective_strength, 4),
                "band": strength_band(t.effective_strength),
                "network_class": t.effective_class,
            }
            for t in logged.ties
        ]
        if opts["json"]:
            payload = {
                "id": i.pk,
                "kind": i.kind,
                "occurred_at": i.occurred_at.isoformat(),
                "subject": i.subject,
                "participants": [{"person_id": p.pk, "name": p.full_name} for p in logged.persons],
                "ties": ties,
                "links_added": logged.links_added,
                "links_strengthened": logged.links_strengthened,
            }
            self.stdout.write(json.dumps(payload, indent=2))
            return
        names = ", ".join(p.full_name for p in logged.persons)
        self.stdout.write(
            f"Logged a {i.get_kind_display().lower()} with {names} on {timezone.localtime(i.occurred_at):%Y-%m-%d %H:%M}."
        )
        for t in ties:
            self.stdout.write(
                f"  your tie to {t['name']}: {t['strength']:.2f} ({t['band']}, {t['network_class']} network)"
            )
        if logged.links_added or logged.links_strengthened:
            self.stdout.write(
                f"  links among them: {logged.links_added} new, {logged.links_strengthened} strengthened"
            )
