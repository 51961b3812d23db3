from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from revere.deals.models import Stage
from revere.network.models import NetworkClass
from revere.tenancy.selectors import member_home_figures
from revere.web.decorators import member_required


@login_required
@member_required
def home(request: HttpRequest) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    figures = member_home_figures(member=member)
    classes = [(c.value, c.label, figures.ties_per_class[c.value]) for c in NetworkClass]
    stages = [(s, Stage(s).label, n) for s, n in figures.open_deals_per_stage.items()]
    return render(request, "web/home.html", {"figures": figures, "classes": classes, "stages": stages})
