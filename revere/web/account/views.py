"""The member's own page: who they are, and their personal API tokens (made, shown once, revoked)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from revere.tenancy.decorators import member_required
from revere.tenancy.models import ApiToken, Member
from revere.tenancy.tokens import token_create, token_revoke


def _member(request: HttpRequest) -> Member:
    return request.member  # type: ignore[attr-defined,no-any-return]


@login_required
@member_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """GET: the page. POST: make a token and show it once (this response is its only copy)."""
    member = _member(request)
    new_token = None
    error = ""
    status = 200
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            new_token = token_create(member=member, name=name)
            name = ""
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 400
    tokens = list(ApiToken.objects.visible_to(member).filter(member=member))
    response = render(
        request,
        "web/account.html",
        {"tokens": tokens, "new_token": new_token, "error": error, "name": name},
        status=status,
    )
    if new_token is not None:
        response["Cache-Control"] = "no-store"  # the token must not stay in a cache
    return response


@login_required
@member_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        row = token_revoke(member=_member(request), token_id=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404("You have no such token.") from exc
    messages.success(
        request, f"Revoked {row.name} ({row.prefix}…): scripts using it are refused from now on."
    )
    return redirect("account")
