"""The navigation of DESIGN.md §4, limited to the sections that exist."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# (url name, label, roles that see it or None for all). A section appears once its URL exists.
SECTIONS: list[tuple[str, str, tuple[str, ...] | None]] = [
    ("home", "My network", None),
    ("graph", "Graph", None),
    ("finder", "Middleman finder", None),
    ("advice", "Advice", None),
    ("contacts", "Contacts", None),
    ("companies", "Companies", None),
    ("deals", "Deals", None),
    ("team", "Team", ("manager", "admin")),
    ("coaching", "Coaching", None),
    ("ledger", "Ledger", None),
    ("import", "Import", None),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    member = getattr(request, "member", None)
    if member is None:
        return {"nav": []}
    items = []
    for name, label, roles in SECTIONS:
        if roles is not None and member.role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = request.path == url if name == "home" else request.path.startswith(url)
        items.append({"name": name, "label": label, "url": url, "active": active})
    return {"nav": items, "member": member}
