"""Attach the signed-in user's Member (or None) to every request as ``request.member``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class MemberMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from revere.tenancy.models import Member

        member = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            member = (
                Member.unrestricted.select_related("person", "organization", "team")
                .filter(user=user, is_active=True)
                .first()
            )
        request.member = member  # type: ignore[attr-defined]
        return self.get_response(request)
