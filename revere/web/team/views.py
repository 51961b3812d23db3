"""The team page (managers and admins) and the coaching plans page (everyone: a seller sees their own)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from revere.levers.selectors.coaching import coaching_plans
from revere.levers.selectors.team import teams_for
from revere.levers.services.coaching import coaching_plan_propose
from revere.network.graph import CLASSES
from revere.network.models import NetworkClass
from revere.network.selectors import DIVERSITY_DIMENSION
from revere.tenancy.decorators import member_required
from revere.tenancy.models import Member, Role
from revere.web.team.selectors import coaching_gaps, team_page

MEASURES = [
    ("size", "Size", 0),
    ("reach", "Two-step reach", 0),
    ("density", "Density", 2),
    ("constraint", "Constraint", 2),
    ("effective_size", "Effective size", 1),
    ("mean_strength", "Mean strength", 2),
    ("diversity", "Diversity", 2),
]
PAIRS_SHOWN = 12
LEADGEN_SHOWN = 10
MIX_WIDTH = 80


def _mix(bands: dict[str, int]) -> list[tuple[str, float, float]]:
    """The strength mix as bars of one SVG, ``MIX_WIDTH`` wide: (band, x, width)."""
    total = sum(bands.values())
    out, x = [], 0.0
    for band, count in bands.items():
        if count and total:
            w = MIX_WIDTH * count / total
            out.append((band, round(x, 2), round(w, 2)))
            x += w
    return out


def _defined(c: Any) -> dict[str, float | None]:
    """A candidate's figures with the undefined ones (NaN: too few contacts) as None."""
    return {
        k: None if v != v else v
        for k, v in (
            ("effective_size", c.effective_size),
            ("constraint", c.constraint),
            ("diversity", c.diversity),
            ("fading_share", c.fading_share),
        )
    }


def _sort_key(key: str, rows: list[dict[str, Any]]) -> Any:
    def value(r: dict[str, Any]) -> Any:
        if key == "name":
            return (0, r["seller"].name.lower())
        if key == "team":
            return (0, r["seller"].team.lower())
        if key == "gaps":
            return (0, r["gaps"])
        cls, _, measure = key.partition(".")
        v = r["seller"].figure(cls, measure) if cls in CLASSES else None
        return (1, 0) if v is None else (0, v)

    return value


@login_required
@member_required
def team(request: HttpRequest) -> HttpResponse:
    """The team view: each seller's four networks, the team's reach, overlaps, silos, brokers, leads."""
    member = request.member  # type: ignore[attr-defined]
    if member.role == Role.SELLER:
        raise PermissionDenied("The team view is for managers and admins.")
    teams = teams_for(member=member)
    chosen = None
    if request.GET.get("team"):
        chosen = next((t for t in teams if str(t.pk) == request.GET["team"]), None)
        if chosen is None:
            raise Http404("No such team of yours.")
    page = team_page(member=member, team=chosen)
    view = page.view
    network = request.GET.get("network", "all")
    if network not in (*CLASSES, "all"):
        network = "all"
    plans = {p.member_id: p for p in coaching_plans(member=member) if p.is_open}
    rows = []
    for s in view.sellers:
        scores = page.scores[s.member_id]
        rows.append(
            {
                "seller": s,
                "scores": [(cls, scores[cls]) for cls in CLASSES],
                "gaps": sum(len(sc.gaps) for sc in scores.values()),
                "plan": plans.get(s.member_id),
                "cells": [
                    (cls, s.networks[cls], scores[cls])
                    for cls in (CLASSES if network == "all" else [network])
                ],
                "figures": [(m, s.figure(network, m), d) for m, _, d in MEASURES] if network != "all" else [],
                "mix": _mix(s.networks[network].bands) if network != "all" else [],
            }
        )
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir", "asc" if sort in ("name", "team") else "desc") == "desc"
    rows.sort(key=_sort_key(sort, rows), reverse=descending)
    reach = {r.network: r for r in view.reach}
    names = {s.member_id: s.name for s in view.sellers}
    persons = {s.member_id: s.person_id for s in view.sellers}
    context = {
        "view": view,
        "rows": rows,
        "teams": teams,
        "chosen": chosen,
        "network": network,
        "network_label": NetworkClass(network).label if network != "all" else "All four",
        "classes": [(c, NetworkClass(c).label) for c in CLASSES],
        "measures": MEASURES,
        "dimension": DIVERSITY_DIMENSION.get(network, ""),
        "sort": sort,
        "dir": "desc" if descending else "asc",
        "reach_all": reach.get("all"),
        "reach_rows": [(NetworkClass(c).label, reach[c]) for c in CLASSES],
        "pairs": view.pairs[:PAIRS_SHOWN],
        "pairs_total": len(view.pairs),
        "candidates": [c for c in view.lead_generation if c.candidate],
        "leadgen": [
            (names[c.ego], persons[c.ego], c, _defined(c)) for c in view.lead_generation[:LEADGEN_SHOWN]
        ],
        "is_admin": member.role == Role.ADMIN,
    }
    return render(request, "web/team.html", context)


@login_required
@member_required
def coaching(request: HttpRequest) -> HttpResponse:
    """Coaching plans: a seller's own; a manager's or admin's of their teams, and who has none open."""
    member = request.member  # type: ignore[attr-defined]
    plans = coaching_plans(member=member)
    open_for = {p.member_id for p in plans if p.is_open}
    sellers: list[Member] = []
    if member.role != Role.SELLER:
        sellers = [
            m
            for m in Member.objects.visible_to(member)
            .filter(team__in=teams_for(member=member), is_active=True)
            .exclude(pk=member.pk)
            .select_related("person", "team")
            .order_by("person__full_name")
            if m.pk not in open_for
        ]
    return render(
        request,
        "web/coaching.html",
        {"plans": plans, "without": sellers, "is_seller": member.role == Role.SELLER},
    )


@login_required
@member_required
@require_POST
def coaching_propose(request: HttpRequest, member_id: int) -> HttpResponse:
    """Propose a plan for a seller: a goal per scorecard gap, and one where their deals stall."""
    member = request.member  # type: ignore[attr-defined]
    subject = Member.objects.visible_to(member).filter(pk=member_id).select_related("person").first()
    if subject is None:
        raise Http404("No such member.")
    try:
        found = coaching_gaps(member=member, subject=subject)
        plan = coaching_plan_propose(member=member, subject=subject, gaps=found.gaps, actions=found.actions)
    except (LookupError, PermissionDenied) as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("coaching")
    messages.success(
        request, f"A plan for {subject.person.full_name}: change what you like, then agree it together."
    )
    return redirect("coaching_plan", plan_id=plan.pk)
