from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages need a Member: a signed-in user outside every organization gets a plain 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "member", None) is None:
            return render(request, "web/no_member.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
