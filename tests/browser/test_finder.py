"""The middleman finder in Chromium: routes to a person, into a company, an introduction asked and made,
and a route highlighted on the graph."""

from __future__ import annotations

import pytest

from revere.network.models import LinkSource, Visibility
from tests import factories as f
from tests.browser.session import sign_in


@pytest.fixture
def world():
    org = f.OrganizationFactory(name="Lexington")
    team = f.TeamFactory(organization=org)
    sara = f.MemberFactory(organization=org, team=team, person__full_name="Sara Seller")
    tom = f.MemberFactory(organization=org, team=team, person__full_name="Tom Teammate")
    acme = f.CompanyFactory(organization=org, name="Acme")
    cfo = f.PersonFactory(organization=org, company=acme, full_name="Carla Cfo", title="CFO")
    cto = f.PersonFactory(organization=org, company=acme, full_name="Ted Cto", title="CTO")
    deal = f.DealFactory(owner=sara, company=acme)
    f.BuyingRoleFactory(deal=deal, person=cfo, role="economic_buyer")
    f.BuyingRoleFactory(deal=deal, person=cto, role="technical_evaluator")
    f.TieFactory(member=tom, person=cfo, strength=0.8, visibility=Visibility.PRIVATE, notes="golf buddy")
    consultant = f.PersonFactory(organization=org, full_name="Cora Consultant")
    f.TieFactory(member=tom, person=consultant, strength=0.7)
    f.LinkFactory(organization=org, a=consultant, b=cto, weight=0.6, source=LinkSource.MET_TOGETHER)
    for k in range(5):
        f.TieFactory(
            member=sara, person=f.PersonFactory(organization=org, full_name=f"Friend {k}"), strength=0.5
        )
    return {"sara": sara, "tom": tom, "cfo": cfo, "cto": cto}


def test_the_finder_routes_through_a_teammate_and_records_an_introduction(page, world, screenshot):
    sign_in(page, world["sara"])
    page.click("nav >> text=Middleman finder")
    page.fill("#id_to", "Ted Cto")
    page.click("button:has-text('Find')")
    first = page.locator("[data-testid=route]").first
    first.wait_for()
    assert (
        first.locator(".chain").inner_text().replace("\n", "") == "You→Tom Teammate→Cora Consultant→Ted Cto"
    )
    assert "met together" in first.inner_text()
    screenshot(page, "finder-person")

    first.locator("[data-testid=ask-introduction]").click()
    page.locator(".messages").wait_for()
    assert "pending" in page.locator(".messages").inner_text()
    assert "Ted Cto" in page.locator("[data-testid=intros-asked]").inner_text()

    page.fill("#id_to", "")
    page.fill("#id_company", "Acme")
    page.click("button:has-text('Find')")
    table = page.locator("[data-testid=company-routes]")
    table.wait_for()
    cfo_row = page.locator("[data-testid=company-target]", has_text="Carla Cfo")
    assert "Economic buyer" in cfo_row.inner_text() and "Tom Teammate" in cfo_row.inner_text()
    assert "golf" not in page.content()
    screenshot(page, "finder-company")

    page.goto(f"/finder/?to={world['cfo'].pk}")
    hops = page.locator("[data-testid=route]").first.locator(".hop")
    assert hops.nth(1).get_attribute("data-access") == "ask"
    assert "ask Tom Teammate" in hops.nth(1).inner_text()

    page.context.clear_cookies()
    sign_in(page, world["tom"])
    page.goto("/finder/")
    asked = page.locator("[data-testid=intros-of-me]")
    assert "Sara Seller asks to meet Ted Cto" in asked.inner_text()
    asked.locator("[data-testid=mark-made]").first.click()
    page.locator(".messages").wait_for()
    assert "contribution ledger" in page.locator(".messages").inner_text()
    screenshot(page, "finder-introduction-made")


def test_a_route_is_highlighted_on_the_graph(page, world, screenshot):
    sign_in(page, world["sara"])
    page.goto(f"/finder/?to={world['cto'].pk}")
    page.locator("[data-testid=route]").first.locator("a:has-text('Show on the graph')").click()
    page.wait_for_selector("#graph-canvas[data-ready='1']", state="attached")
    on_path = page.evaluate("revereGraph.nodes('.onpath').map(n => n.data('name'))")
    assert on_path == ["Tom Teammate", "Cora Consultant", "Ted Cto"]
    assert page.evaluate("revereGraph.edges('.onpath').length") == 2
    screenshot(page, "graph-path")


pytestmark = pytest.mark.browser
