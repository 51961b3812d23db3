"""Styled error pages (config/urls.py names them handler403/404/500): never Django's debug page or a bare text.

Each renders templates/<status>.html (which extends web/error.html) with the site's navigation. The 500
handler must not fail in turn: if rendering the page raises (the database that caused the error is
down, say), it answers with a short static page instead.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static

PAGES = {
    403: ("You can't open this page", "It belongs to someone else's work, or your role does not include it."),
    404: (
        "This page does not exist",
        "The address may be mistyped, or what it showed was deleted or merged.",
    ),
    500: ("Something went wrong on our side", "The error was logged. Try again in a moment."),
}

_FALLBACK_500 = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Server error · Revere</title></head>"
    "<body><main><h1>Something went wrong on our side</h1><p>The error was logged. Try again in a moment.</p>"
    "<p><a href='/'>Back to Revere</a></p></main></body></html>"
)


def _page(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    title, message = PAGES[status]
    message = detail or message
    context = {"status": status, "title": title, "message": message}
    return render(request, f"{status}.html", context, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # PermissionDenied messages are written for the person who hit them ("Only an admin sets ...").
    detail = str(exception) if exception is not None and exception.args else ""
    return _page(request, 403, detail)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        title, message = PAGES[500]
        # No context processors: they read the database, which may be what failed.
        body: str = render_to_string(
            "500.html", {"status": 500, "title": title, "message": message, "nav": []}
        )
    except Exception:
        body = _FALLBACK_500
    return HttpResponse(body, status=500)


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico for pages that do not name their icon (the admin, the API docs)."""
    return HttpResponseRedirect(static("web/favicon.svg"))
