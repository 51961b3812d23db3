"""Personal API tokens: made and revoked by their member, checked on every API request.

A token is ``rvr_<organization id>_<secret>``, the secret 32 random bytes (URL-safe base64). Only
``sha256(token)`` is stored, so a copy of the database does not hold a usable token; the token is
shown once, when it is made. The API (config/api.py) accepts ``Authorization: Bearer <token>``
beside the session: the request then acts as the token's member, with that member's role and
nothing more. A revoked token, an inactive member or user, or a token of no organization is
refused (401).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from revere.tenancy.models import ApiToken, Member

PREFIX = "rvr_"
#: A token's use is recorded at most this often (one UPDATE, not one per request).
LAST_USED_EVERY = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token text: shown once, never stored


@transaction.atomic
def token_create(*, member: Member, name: str) -> NewToken:
    """Make a token for ``member``; the returned text is the only copy of it."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the token (what script or machine uses it)."})
    if len(name) > 100:
        raise ValidationError({"name": "At most 100 characters."})
    active = ApiToken.unrestricted.filter(
        organization_id=member.organization_id, member=member, revoked_at__isnull=True
    ).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"You have {active} active tokens: revoke one before making another.")
    text = f"{PREFIX}{member.organization_id}_{secrets.token_urlsafe(32)}"
    row = ApiToken.unrestricted.create(
        organization_id=member.organization_id,
        member=member,
        name=name,
        prefix=text[: len(PREFIX) + len(str(member.organization_id)) + 7],
        digest=digest(text),
    )
    return NewToken(token=row, secret=text)


@transaction.atomic
def token_revoke(*, member: Member, token_id: int) -> ApiToken:
    """Revoke one of ``member``'s own tokens (another member's or organization's: DoesNotExist)."""
    row = ApiToken.unrestricted.select_for_update().get(
        organization_id=member.organization_id, member=member, pk=token_id
    )
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
    return row


def member_for_token(text: str) -> Member | None:
    """The active member a token acts as, or None; records the token's use."""
    if not text.startswith(PREFIX):
        return None
    org_part, _, secret = text[len(PREFIX) :].partition("_")
    if not org_part.isdigit() or not secret:
        return None
    wanted = digest(text)
    row = (
        ApiToken.unrestricted.select_related("member__user", "member__person", "member__organization")
        .filter(organization_id=int(org_part), digest=wanted, revoked_at__isnull=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.digest, wanted):
        return None
    member = row.member
    if not member.is_active or not member.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
        ApiToken.unrestricted.filter(pk=row.pk).update(last_used_at=now)
    return member


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: the request acts as the token's member (and user)."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        member = member_for_token(token.strip())
        if member is None:
            return None
        request.user = member.user
        request.member = member  # type: ignore[attr-defined]
        return member
