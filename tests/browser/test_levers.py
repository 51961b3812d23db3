"""In Chromium: the team view, the contribution ledger, and a coaching plan with its progress chart,
at 1400 px and at 390 px (no sideways scroll of the page: tables scroll in their own box)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from revere.analytics.coaching import Gap
from revere.deals.models import Stage
from revere.levers.ledger import month_of
from revere.levers.models import Contribution
from revere.levers.services import introduction_mark_made, introduction_request
from revere.levers.services.coaching import coaching_plan_propose
from revere.network.models import NetworkClass
from revere.tenancy.models import Role
from tests import factories as f
from tests.browser.session import sign_in
from tests.browser.test_home import painted_pixels

pytestmark = pytest.mark.browser

WIDTHS = (1400, 390)
LAST = month_of(date.fromordinal(month_of(timezone.localdate()).toordinal() - 1))


def build_team():
    """Four sellers in two groups with no tie between them (two silos); the first two share customers."""
    rng = random.Random(5)
    org = f.OrganizationFactory(name="Lexington")
    team = f.TeamFactory(organization=org, name="Old North")
    manager = f.MemberFactory(organization=org, role=Role.MANAGER, person__full_name="Joseph Warren")
    team.managers.add(manager)
    names = ["Paul Revere", "William Dawes", "Samuel Prescott", "Israel Bissell"]
    sellers = [f.MemberFactory(organization=org, team=team, person__full_name=n) for n in names]
    groups = []
    for tag, pair in (("Boston", sellers[:2]), ("Concord", sellers[2:])):
        company = f.CompanyFactory(organization=org, name=f"{tag} Mills", status="customer")
        people = [
            f.PersonFactory(organization=org, company=company, full_name=f"{tag} Person {k}")
            for k in range(6)
        ]
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                if rng.random() < 0.7:
                    f.LinkFactory(organization=org, a=a, b=b)
        for s in pair:
            for p in people:
                f.TieFactory(
                    member=s,
                    person=p,
                    network_class=NetworkClass.CUSTOMER,
                    strength=0.7,
                    last_interaction=timezone.now() - timedelta(days=10),
                )
        groups.append(people)
    deal = f.DealFactory(
        owner=sellers[1],
        company=groups[0][0].company,
        amount=Decimal("80000"),
        stage=Stage.WON,
        name="Boston Mills renewal",
    )
    intro = introduction_request(
        member=sellers[1], introducer=sellers[0], person_id=groups[0][0].pk, deal_id=deal.pk
    )
    introduction_mark_made(member=sellers[0], contribution_id=intro.pk)
    Contribution.unrestricted.filter(pk=intro.pk).update(
        occurred_at=datetime(LAST.year, LAST.month, 9, tzinfo=UTC)
    )
    return manager, sellers


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_team_view_shows_sellers_overlaps_and_two_silos_at_both_widths(page, screenshot):
    manager, sellers = build_team()
    sign_in(page, manager)
    page.click("nav.mainnav >> text=Team")
    page.wait_for_selector("[data-testid=sellers]")
    assert page.inner_text("[data-testid=silo-count]") == "2"
    table = page.inner_text("[data-testid=sellers]")
    assert all(s.person.full_name in table for s in sellers)
    assert "Paul Revere" in page.inner_text("[data-testid=overlaps]")
    assert "Boston Mills" in page.inner_text("[data-testid=shared-accounts]")
    assert page.inner_text("[data-testid=silo-groups]").count("silo") == 2
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/team/")
        assert no_sideways_scroll(page), f"the team page scrolls sideways at {width} px"
        screenshot(page, f"team-{width}")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/team/?network=customer&sort=customer.size&dir=desc")
    assert "Customer network" in page.inner_text("section[aria-labelledby=sellers-h]")
    href = page.get_attribute(f"[data-testid=seller-network-{sellers[0].pk}]", "href")
    assert href == f"/?seller={sellers[0].pk}"


def test_the_ledger_shows_the_credit_of_an_introduction_that_led_to_a_won_deal(page, screenshot):
    manager, _sellers = build_team()
    sign_in(page, manager)
    page.goto(f"/ledger/?period={LAST:%Y-%m}")
    totals = page.inner_text("[data-testid=member-totals]")
    assert "Paul Revere" in totals and "850.00" in totals  # 50 points and 1 % of 80,000
    page.click("[data-testid=member-totals] >> text=Statement")
    page.wait_for_selector("[data-testid=statement-total]")
    assert "850.00" in page.inner_text("[data-testid=statement-total]")
    assert "introduction/" in page.inner_text("[data-testid=ledger-lines]")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert no_sideways_scroll(page), f"the ledger scrolls sideways at {width} px"
        screenshot(page, f"ledger-{width}")


def test_a_coaching_plan_draws_its_progress_and_the_seller_agrees(page, screenshot):
    manager, sellers = build_team()
    seller = sellers[0]
    org = seller.organization
    from revere.network.models import Snapshot

    for weeks, size in ((10, 2), (6, 3), (2, 5)):
        Snapshot.unrestricted.create(
            organization=org,
            member=seller,
            network_class="market",
            taken_on=timezone.localdate() - timedelta(weeks=weeks),
            metrics={"size": size, "diversity": {"company": 0.4}},
        )
    for k in range(6):
        f.TieFactory(
            member=seller, network_class=NetworkClass.MARKET, strength=0.3, person__full_name=f"Peer {k}"
        )
    plan = coaching_plan_propose(
        member=manager,
        subject=seller,
        gaps=[Gap("market", "size", 6, 40, True)],
        actions={("market", "size"): ["Meet two analysts a month", "Join the regional association"]},
        today=timezone.localdate() - timedelta(weeks=8),
    )
    sign_in(page, seller)
    page.goto(f"/coaching/{plan.pk}/")
    goal = plan.goals.visible_to(seller).first()
    canvas = f"canvas[data-testid=chart-{goal.pk}][data-drawn=true]"
    page.wait_for_selector(canvas)
    assert painted_pixels(page, canvas) > 1000
    assert "Meet two analysts a month" in page.inner_text(f"[data-testid=goal-{goal.pk}]")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        page.wait_for_selector(canvas)
        assert no_sideways_scroll(page), f"the plan scrolls sideways at {width} px"
        screenshot(page, f"coaching-plan-{width}")
    page.click("[data-testid=agree]")
    page.wait_for_selector(".messages")
    assert "agreed" in page.inner_text("[data-testid=agreement]")
