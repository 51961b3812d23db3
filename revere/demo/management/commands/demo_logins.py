"""`revere demo_logins`: print the demo logins (a seller, a manager, an admin)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from revere.demo import DEMO_LOGINS, PASSWORD
from revere.tenancy.models import Member


class Command(BaseCommand):
    help = "Print the demo logins and their password."

    def handle(self, *args: Any, **options: Any) -> None:
        names = dict(
            Member.unrestricted.filter(user__username__in=[e for _, e in DEMO_LOGINS]).values_list(
                "user__username", "person__full_name"
            )
        )
        self.stdout.write(f"  Demo logins (password: {PASSWORD})")
        for role, email in DEMO_LOGINS:
            who = f"  ({names[email]})" if email in names else "  (not loaded: run `revere demo`)"
            self.stdout.write(f"    {role:<8} {email}{who}")
