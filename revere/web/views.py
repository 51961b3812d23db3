from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from revere.deals.models import Stage
from revere.playbook.selectors import member_home
from revere.web.decorators import member_required


@login_required
@member_required
def home(request: HttpRequest) -> HttpResponse:
    """My network: the four networks side by side, the scorecard, open deals, what to do next."""
    member = request.member  # type: ignore[attr-defined]
    page = member_home(member=member)
    figures = page.figures
    cards = [(card, figures.ties_per_class[card.key]) for card in page.cards]
    stages = [(s, Stage(s).label, n) for s, n in figures.open_deals_per_stage.items()]
    trends = {card.key: card.trend for card in page.cards}
    context = {"page": page, "figures": figures, "cards": cards, "stages": stages, "trends": trends}
    return render(request, "web/home.html", context)
