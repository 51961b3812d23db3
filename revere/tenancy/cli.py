"""The command line's acting member: the member named by ``--as EMAIL`` (every `revere` command that acts for one)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import Q

from revere.tenancy.models import Member


def member_by_email(email: str) -> Member:
    email = email.strip().lower()
    members = list(
        Member.unrestricted.filter(Q(user__email__iexact=email) | Q(person__emails__email=email))
        .select_related("user", "organization", "person")
        .distinct()
    )
    if not members:
        raise CommandError(
            f"No member with the e-mail {email!r}. Give --as the e-mail a member signs in with."
        )
    if len(members) > 1:
        raise CommandError(f"{email!r} names several members; use the sign-in e-mail of one of them.")
    return members[0]
