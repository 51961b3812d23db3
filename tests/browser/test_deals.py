"""In Chromium: drag a deal card between stages (a refused move asks for a reason, then the history
shows it flagged), open the playbook of each stage, request a reference; at 1400 px and 390 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from revere.contacts.models import CompanyStatus
from revere.deals.models import DealStageChange, ReferenceUse, Stage
from revere.deals.services import buying_role_set, deal_create, deal_move_stage
from revere.network.graph import organization_graph_clear
from revere.network.models import NetworkClass
from tests import factories as f
from tests.browser.session import sign_in, wait_until

pytestmark = pytest.mark.browser


def build():
    organization_graph_clear()
    org = f.OrganizationFactory(name="Lexington")
    team = f.TeamFactory(organization=org, name="Old North")
    seller = f.MemberFactory(organization=org, team=team, person__full_name="Paul Revere")
    mate = f.MemberFactory(
        organization=org, team=team, person__full_name="William Dawes", person__expertise=["telematics"]
    )
    acme = f.CompanyFactory(organization=org, name="Acme Freight", industry="Logistics", region="Europe")
    cfo = f.PersonFactory(
        organization=org, company=acme, full_name="Frank Money", title="CFO", function="Finance"
    )
    cto = f.PersonFactory(organization=org, company=acme, full_name="Tina Tech", title="CTO", function="IT")
    f.TieFactory(
        member=seller,
        person=cfo,
        strength=0.7,
        network_class=NetworkClass.PROSPECT,
        last_interaction=timezone.now() - timedelta(days=5),
    )
    f.TieFactory(member=seller, person=mate.person, strength=0.6, network_class=NetworkClass.INTERNAL)
    customer = f.CompanyFactory(
        organization=org,
        name="Boston Mills",
        industry="Logistics",
        region="Europe",
        status=CompanyStatus.CUSTOMER,
    )
    rita = f.PersonFactory(organization=org, company=customer, full_name="Rita Reference")
    f.TieFactory(member=seller, person=rita, strength=0.8, network_class=NetworkClass.CUSTOMER)
    f.LinkFactory(organization=org, a=rita, b=cfo, weight=0.5)
    f.ReferenceFactory(organization=org, person=rita, satisfaction=5)
    deal = deal_create(
        member=seller,
        name="Acme fleet tracking",
        company=acme,
        amount=120000,
        needed_expertise=["telematics"],
    )
    deal_move_stage(member=seller, deal=deal, to_stage=Stage.BUY_IN)
    buying_role_set(member=seller, deal=deal, person=cfo, role="economic_buyer", stance="supporter")
    buying_role_set(member=seller, deal=deal, person=cto, role="decision_maker", stance="opponent")
    organization_graph_clear()
    return seller, deal


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_drag_a_card_to_the_next_stage_give_the_reason_and_see_the_flagged_history(page, screenshot):
    seller, deal = build()
    sign_in(page, seller)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/deals/")
    card = f"[data-testid=card][data-deal='{deal.pk}']"
    page.drag_and_drop(card, "[data-testid=col-solution]")
    page.wait_for_selector("[data-testid=notice][data-kind=refused]")
    notice = page.inner_text("[data-testid=notice]")
    assert "1 buyer thread" in notice and "Give a reason" in notice
    screenshot(page, "deals-board-refused-1400")
    page.fill("[data-testid=reason]", "CTO workshop booked for Monday")
    page.click("[data-testid=reason-form] button[type=submit]")
    page.wait_for_selector("[data-testid=notice][data-kind=moved]")
    wait_until(page, f"document.querySelector(\"[data-testid=col-solution] [data-deal='{deal.pk}']\")")
    last = DealStageChange.unrestricted.filter(deal=deal).order_by("-pk").first()
    assert (last.to_stage, last.flagged, last.reason) == (
        Stage.SOLUTION,
        True,
        "CTO workshop booked for Monday",
    )
    screenshot(page, "deals-board-moved-1400")
    page.click(f"{card} a.deal-name")
    page.wait_for_selector("[data-testid=history]")
    history = page.inner_text("[data-testid=history]")
    assert "moved past a failing check" in history and "CTO workshop booked for Monday" in history
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/deals/")
    assert no_sideways_scroll(page)
    screenshot(page, "deals-board-390")


def test_the_playbook_of_each_stage_and_a_reference_request(page, screenshot):
    seller, deal = build()
    sign_in(page, seller)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for stage in ("identify", "buy_in", "solution", "close"):
            page.goto(f"/deals/{deal.pk}/?stage={stage}")
            page.wait_for_selector(f"[data-testid=playbook][data-stage={stage}]")
            assert no_sideways_scroll(page), (stage, width)
            screenshot(page, f"deal-playbook-{stage}-{width}")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"/deals/{deal.pk}/?stage=buy_in")
    assert "1 buyer thread" in page.inner_text("[data-testid=threads]")
    assert "Tina Tech" in page.inner_text("[data-testid=unsupported]")
    page.goto(f"/deals/{deal.pk}/?stage=solution")
    assert "William Dawes" in page.inner_text("[data-testid=proposed-team]")
    page.click("[data-testid=team-accept] button")
    page.wait_for_selector("[data-testid=deal-team]")
    assert "William Dawes" in page.inner_text("[data-testid=deal-team]")
    page.goto(f"/deals/{deal.pk}/?stage=close")
    assert "Rita Reference" in page.inner_text("[data-testid=references]")
    page.click("[data-testid=reference-request]")
    page.wait_for_selector("[data-testid=reference-requests]")
    assert "pending" in page.inner_text("[data-testid=reference-requests]")
    assert ReferenceUse.unrestricted.filter(deal=deal, status="pending").count() == 1
    screenshot(page, "deal-reference-requested-1400")
