"""The deal playbook as the page shows it: names resolved, figures rounded, one sentence per item."""

from __future__ import annotations

import html
import math
from typing import Any

from revere.analytics.coverage import KEY_ROLES
from revere.analytics.strength import strength_band
from revere.deals.models import BuyingRoleKind
from revere.deals.playbook import LeadRow, Playbook, Tie
from revere.deals.selectors import Card

ROLE_LABELS = dict(BuyingRoleKind.choices)
SHAPES = {
    "none": "no buyer thread yet",
    "single": "single-threaded: one person or one department holds the deal",
    "some": "some threads, across departments",
    "multi": "multi-threaded: the shape won deals have",
}


def _tie(t: Tie | None) -> str:
    if t is None:
        return "no tie"
    if t.ask:
        return f"ask {t.holder}"
    who = "you" if t.holder == "You" else t.holder
    return f"{who}: {t.band}" + (f" ({t.strength:.2f})" if t.strength is not None else "")


def _path(ids: Any, names: dict[int, str]) -> list[dict[str, Any]]:
    return [{"id": p, "name": names.get(int(p), "someone")} for p in ids]


_CARD = (
    '<li class="deal-card" draggable="true" data-move-url="{move}" data-deal="{pk}" data-testid="card">'
    '<a class="deal-name" href="{url}">{name}</a>'
    '<p class="card-line"><span class="visually-hidden">Company: </span>{company} · <strong>{amount}</strong></p>'
    '<p class="card-line muted"><span data-testid="card-age">{days} day{s} in stage</span> · '
    '<span class="visually-hidden">Owner: </span>{owner}</p>{warnings}'
    '<form class="move" method="post" action="{move}" hx-post="{move}" hx-target="#board" hx-swap="outerHTML">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}"><input type="hidden" name="from" value="board">'
    '<label class="visually-hidden" for="move-{pk}">Move {name} to</label>'
    '<select name="to_stage" id="move-{pk}" data-testid="move-select">{options}</select>'
    '<button type="submit">Move</button></form></li>'
)
_WARNING = '<li class="warning warn-{kind}" data-kind="{kind}">{text}</li>'


def card_html(c: Card, *, url: str, move_url: str, options: str, csrf: str) -> str:
    """One card of the board: a link to the deal, company, amount, days in stage, owner, warnings, and
    the Move to… form (htmx posts it; the board's drag submits it).

    Every value from the database is escaped with the standard library's :func:`html.escape`
    (quotes included); ``url``, ``move_url``, ``options`` and ``csrf`` are the page's own, made
    safe by the caller. Plain string formatting, not ``format_html``: a board holds hundreds of
    cards and ``format_html``'s lazy-string machinery cost a third of the page
    (docs/benchmarks.md, "Deals"). The caller marks the joined column safe.
    """
    d = c.deal
    amount = f"{c.amount:,.0f} {d.currency}" if c.amount is not None else "no amount"
    days = c.days_in_stage
    warnings = (
        '<ul class="warnings" data-testid="card-warnings">'
        + "".join(_WARNING.format(kind=_esc(w.kind), text=_esc(w.text)) for w in c.warnings)
        + "</ul>"
        if c.warnings
        else ""
    )
    return _CARD.format(
        move=_esc(move_url),
        pk=int(d.pk),
        url=_esc(url),
        name=_esc(d.name),
        company=_esc(c.company_name),
        amount=_esc(amount),
        days=int(days),
        s="" if days == 1 else "s",
        owner=_esc(c.owner_name),
        warnings=warnings,
        csrf=_esc(csrf),
        options=options,
    )


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def lead_view(row: LeadRow) -> dict[str, Any]:
    return {
        "row": row,
        "bridges": [
            {"path": _path(b.path, row.names), "score": b.score, "redundancy": b.redundancy}
            for b in row.lead.bridges[:5]
        ],
    }


def playbook_view(book: Playbook) -> dict[str, Any]:
    """Template-ready dicts of the playbook's stage (only the stage shown is filled)."""
    out: dict[str, Any] = {"stage": book.stage, "checks": book.checks, "passes": book.checks_pass}
    if book.one is not None:
        lead = book.one.lead
        out["one"] = {
            "reached": lead is not None,
            "effective": lead.effective_bridges if lead else 0.0,
            "circles": lead.circles if lead else 0,
            "people": lead.people if lead else 0,
            "bridges": [
                {"path": _path(b.path, book.one.names), "score": b.score, "band": strength_band(b.tie)}
                for b in (lead.bridges[:8] if lead else ())
            ],
        }
    if book.two is not None:
        two = book.two
        cov = two.coverage
        roles = []
        for r in KEY_ROLES:
            rc = cov.roles[r]
            roles.append(
                {
                    "label": ROLE_LABELS.get(r, r),
                    "state": rc.state,
                    "people": [two.names.get(p, "someone") for p in rc.persons],
                }
            )
        out["two"] = {
            "chart": [
                {
                    "id": row.person_id,
                    "name": row.name,
                    "title": row.title,
                    "function": row.function or "—",
                    "boss": two.names.get(row.reports_to, "") if row.reports_to else "",
                    "roles": ", ".join(row.roles),
                    "stance": row.stance,
                    "thread": _tie(row.thread),
                }
                for row in two.org_chart
            ],
            "threads": two.thread_count,
            "departments": two.department_count,
            "shape": SHAPES.get(cov.shape, cov.shape),
            "single": cov.single_threaded,
            "power": cov.power,
            "roles": roles,
            "gaps": two.gaps,
            "routes": [
                {
                    "target": two.names.get(t, "someone"),
                    "target_id": t,
                    "routes": [
                        {
                            "steps": [{"id": p, "name": n} for p, n in route.steps],
                            "how": "; ".join(h.how for h in route.hops),
                            "band": route.score_band,
                            "ask": route.introducer_name,
                        }
                        for route in rs
                    ],
                }
                for t, rs in two.routes.items()
            ],
            "unsupported": [{"id": p, "name": n} for p, n in two.unsupported],
        }
    if book.three is not None:
        three = book.three
        team = three.team
        c = team.cohesion if team else None
        out["three"] = {
            "skills": three.skills,
            "experts": [
                {
                    "skill": s,
                    "people": [
                        {
                            "id": e.person_id,
                            "name": e.name,
                            "title": e.title,
                            "tied": [_tie(t) for t in e.tied[:3]],
                        }
                        for e in es[:6]
                    ],
                }
                for s, es in three.experts.items()
            ],
            "team": [
                {"skill": s, "name": three.team_names.get(p, "you"), "id": p}
                for s, p in (team.assignment.items() if team else ())
            ],
            "members": [three.team_names.get(p, "you") for p in (team.members if team else ())],
            "missing": list(team.missing) if team else [],
            "density": c.density if c else None,
            "mean_strength": None if c is None or math.isnan(c.mean_strength) else c.mean_strength,
            "cohesion": c.weighted_density if c else None,
            "weakest": three.weakest,
            "exact": team.exact if team else True,
            "ratio": team.ratio if team else 1.0,
            "connected": team.connected if team else True,
            "accepted": bool(team) and set(team.members) <= set(three.current) if team else False,
        }
    if book.four is not None:
        four = book.four

        def ref(r: Any) -> dict[str, Any]:
            return {
                "id": r.person,
                "name": four.names.get(r.person, "someone"),
                "company": four.companies.get(r.person, ""),
                "score": r.score,
                "matches": ", ".join(r.matches) or "nothing in common",
                "tie": r.tie,
                "holder": four.holders.get(r.person, ""),
                "proximity": r.proximity,
                "path": _path(r.path, four.names),
                "satisfaction": r.satisfaction,
                "uses_90": r.uses_90,
                "fatigue": r.fatigue,
                "terms": f"{r.terms.max_uses} per {r.terms.per_days} days",
                "free_in": r.free_in_days,
            }

        out["four"] = {
            "offered": [ref(r) for r in four.offered],
            "rested": [ref(r) for r in four.rested],
            "pending": [{"id": pk, "name": n, "status": s} for pk, n, s in four.pending],
        }
    return out
