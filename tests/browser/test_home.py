"""In Chromium: My network (four networks, readings, scorecard, trend charts) and the advice page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from revere.network.models import NetworkClass
from revere.network.snapshots import snapshots_take
from tests import factories as f
from tests.browser.session import sign_in
from tests.playbook.conftest import make_clique

pytestmark = pytest.mark.browser

CLIQUE = ["Ada Lovelace", "Ben Franklin", "Cy Young", "Di Prince", "Ed Hopper"]


def build_seller():
    org = f.OrganizationFactory(name="Lexington")
    seller = f.MemberFactory(organization=org, person__full_name="Sam Seller")
    make_clique(org, seller, 5, names=CLIQUE)
    for k in range(3):
        f.TieFactory(
            member=seller,
            person__full_name=f"Prospect Person {k}",
            network_class=NetworkClass.PROSPECT,
            strength=0.4,
            last_interaction=timezone.now() - timedelta(days=30 + k),
        )
    for k in range(4):
        f.TieFactory(
            member=seller, network_class=NetworkClass.INTERNAL, strength=0.7, person__function=f"F{k}"
        )
    f.TieFactory(member=seller, network_class=NetworkClass.CUSTOMER, strength=0.8)
    # A history for the trend lines: the same figures on earlier days.
    for days in (60, 30, 7):
        snapshots_take(organization=org, on=date.today() - timedelta(days=days))
    return seller


def painted_pixels(page, selector: str) -> int:
    return page.eval_on_selector(
        selector,
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }""",
    )


def test_my_network_shows_four_networks_readings_scorecard_and_drawn_trends(page, screenshot):
    seller = build_seller()

    sign_in(page, seller)

    for cls in NetworkClass.values:
        assert page.is_visible(f"[data-testid=network-{cls}]")
        assert page.is_visible(f"[data-testid=reading-{cls}]")
    assert page.inner_text("[data-testid=ties-market]").count("5") >= 1
    assert "One closed clique" in page.inner_text("[data-testid=reading-market]")
    assert "Do I have enough connections?" in page.inner_text("[data-testid=scorecard]")
    assert page.inner_text("[data-testid=verdict-market]") == "3 gaps"
    page.wait_for_selector("canvas[data-testid=trend-market][data-drawn=true]")
    assert painted_pixels(page, "canvas[data-testid=trend-market]") > 500
    assert painted_pixels(page, "canvas[data-testid=trend-internal]") > 500
    axes = page.evaluate(
        """() => { const c = Chart.getChart(document.querySelector('canvas[data-testid=trend-market]'));
                   const s = c.options.scales;
                   return {sizes: [s.x.ticks.font.size, s.y.ticks.font.size, s.y1.ticks.font.size,
                                   c.options.plugins.legend.labels.font.size],
                           titles: [s.x.title.display && s.x.title.text, s.y.title.text, s.y1.title.text],
                           labels: c.data.labels}; }"""
    )
    assert min(axes["sizes"]) >= 12
    assert axes["titles"] == ["Snapshot date", "Contacts", "Constraint"]
    assert not any("-" in label for label in axes["labels"])  # "3 Nov", not "2026-11-03"
    screenshot(page, "my-network")


def test_the_advice_page_names_the_redundant_contacts_and_done_works_without_a_reload(page, screenshot):
    seller = build_seller()
    sign_in(page, seller)

    page.click("nav.mainnav >> text=Advice")
    page.wait_for_selector("[data-testid=let-go]")

    assert page.is_visible("[data-testid=clique-market]")
    let_go = page.inner_text("[data-testid=let-go]")
    assert sum(name in let_go for name in CLIQUE) == 5  # four to let go, the fifth named as the one to keep
    assert "Let go (4)" in let_go
    assert page.inner_text("#kit-total") == "3"
    page.evaluate("window.__marker = 'same page'")
    first = page.locator("[data-testid=kit-item]").first
    first.locator("[data-testid=done-call]").click()
    page.wait_for_selector("[data-testid=kit-done]")
    assert page.inner_text("#kit-total") == "2"
    assert page.evaluate("window.__marker") == "same page"  # htmx swapped the row, no reload
    screenshot(page, "advice")


def test_an_admin_sets_a_target_and_the_sellers_scorecard_follows(page, screenshot):
    seller = build_seller()
    admin = f.MemberFactory(organization=seller.organization, role="admin", person__full_name="Ada Admin")
    sign_in(page, admin)

    page.goto("/targets/")
    form = page.locator("[data-testid=target-market]")
    form.locator("input[name=market-min_size]").fill("5")
    form.locator("input[name=market-max_density]").fill("")
    form.locator("input[name=market-max_constraint]").fill("")
    form.locator("button.primary").click()
    page.wait_for_selector(".messages")
    assert "Market targets saved." in page.inner_text(".messages")
    assert "(organization)" in page.inner_text("[data-testid=target-market]")
    screenshot(page, "targets")

    page.click("form[action='/logout/'] button")
    sign_in(page, seller)
    assert page.inner_text("[data-testid=verdict-market]") == "On target"
