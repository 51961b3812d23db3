"""Issue 12's "done when", in Chromium at 1400 px and on a 390 × 844 phone: a new seller, without
leaving the app, adds a contact, says how they know them, logs a meeting, and sees their network
and their advice change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from revere.contacts.models import Person
from tests import factories as f
from tests.browser.session import sign_in, wait_until

WIDTHS = {"desktop": (1400, 900), "phone": (390, 844)}


def build_world():
    """A new seller with one market contact, Pia Bridge: a weak tie, last met 200 days ago, and the
    seller's only way to six people at six companies, so the advice says to invest in her."""
    org = f.OrganizationFactory(name="Lexington")
    seller = f.MemberFactory(organization=org, person__full_name="Nina New")
    hub = f.CompanyFactory(organization=org, name="Hub Partners", industry="Software")
    f.CompanyFactory(organization=org, name="Nordic Freight", industry="Logistics")
    pia = f.PersonFactory(organization=org, full_name="Pia Bridge", company=hub)
    f.TieFactory(
        member=seller, person=pia, strength=0.2, last_interaction=timezone.now() - timedelta(days=200)
    )
    for k in range(6):
        other = f.CompanyFactory(organization=org, name=f"Reach {k}", industry="Retail")
        f.LinkFactory(organization=org, a=pia, b=f.PersonFactory(organization=org, company=other))
    return seller, pia


def open_nav(page, label: str) -> None:
    """Follow the main navigation as a person would: on a phone, open the menu first."""
    toggle = page.locator("button.nav-toggle")
    if toggle.is_visible():
        toggle.click()
    page.locator("nav.mainnav").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def market_ties(page) -> str:
    return page.inner_text("[data-testid=ties-market] .big").strip()


@pytest.mark.parametrize("device", list(WIDTHS))
def test_a_new_seller_adds_a_contact_says_how_they_know_them_logs_a_meeting_and_sees_network_and_advice_change(
    page, screenshot, device
):
    width, height = WIDTHS[device]
    page.set_viewport_size({"width": width, "height": height})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    seller, pia = build_world()
    sign_in(page, seller)

    # Before: one market tie, and the advice says to invest in Pia.
    assert market_ties(page) == "1"
    open_nav(page, "Advice")
    invest = page.locator("[data-testid=invest]")
    assert "1–1 of 1" in invest.locator("[data-testid=count-invest]").first.inner_text()
    assert "Pia Bridge is your only way to 6 people" in invest.inner_text()
    no_sideways_scroll(page)
    screenshot(page, f"daily-1-advice-before-{device}")

    # Add a contact, saying how they know them (the tie, in the same form).
    open_nav(page, "Contacts")
    page.click("[data-testid=new-contact]")
    page.fill("input[name=first_name]", "Nora")
    page.fill("input[name=last_name]", "Newman")
    page.fill("input[name=company]", "Nordic Freight")
    assert page.is_checked("[data-testid=add-tie]")
    page.select_option("select[name=tie-how_well]", "working")
    page.fill("textarea[name=tie-notes]", "Met at the Lisbon logistics fair")
    no_sideways_scroll(page)
    screenshot(page, f"daily-2-new-contact-{device}")
    page.click("[data-testid=save-person]")
    page.wait_for_selector("[data-testid=person-name]")
    nora = Person.unrestricted.get(organization=seller.organization, full_name="Nora Newman")
    assert page.url.endswith(f"/contacts/{nora.pk}/")
    assert "Nora Newman added, and to your market network" in page.inner_text("body")
    assert "Met at the Lisbon logistics fair" in page.inner_text("[data-testid=my-tie]")

    # Log a meeting with Nora and Pia, from Nora's page.
    form = page.locator("[data-testid=log-interaction] [data-testid=log-form]")
    assert "Nora Newman" in form.locator("[data-testid=chips]").inner_text()
    form.locator("[data-testid=picker-input]").fill("Pia")
    form.locator("[data-testid=picks] >> text=Pia Bridge").first.click()
    wait_until(page, "document.querySelectorAll('[data-testid=log-form] [data-chip]').length === 2")
    assert form.locator("select[name=kind]").input_value() == "meeting"
    form.locator("input[name=subject]").fill("Freight tracking coffee")
    no_sideways_scroll(page)
    screenshot(page, f"daily-3-log-meeting-{device}")
    form.locator("[data-testid=log-submit]").click()
    page.wait_for_selector("text=Logged a meeting with")
    note = page.inner_text("body")
    assert (
        "Logged a meeting with Nora Newman, Pia Bridge" in note
        or "Logged a meeting with Pia Bridge, Nora Newman" in note
    )
    assert "Freight tracking coffee" in page.inner_text("[data-testid=interactions]")

    # Their network changed: two market ties on My network, Nora on the graph, linked to Pia.
    open_nav(page, "My network")
    assert market_ties(page) == "2"
    no_sideways_scroll(page)
    screenshot(page, f"daily-4-my-network-after-{device}")
    open_nav(page, "Graph")
    page.wait_for_selector("#graph-canvas[data-ready='1']", state="attached", timeout=30000)
    assert page.evaluate(f"revereGraph.getElementById('{nora.pk}').length") == 1
    assert (
        page.evaluate(
            f"revereGraph.getElementById('{nora.pk}').edgesWith(revereGraph.getElementById('{pia.pk}')).length"
        )
        >= 1
    )
    no_sideways_scroll(page)
    screenshot(page, f"daily-5-graph-after-{device}")

    # Their advice changed: Pia, met today, is no longer a fading bridge.
    open_nav(page, "Advice")
    invest = page.locator("[data-testid=invest]")
    assert "Pia Bridge" not in invest.inner_text()
    assert "No fading bridges right now." in invest.inner_text()
    no_sideways_scroll(page)
    screenshot(page, f"daily-6-advice-after-{device}")
    assert errors == []


def build_recording_world():
    """A seller with an overdue prospect contact (Kim, last met 100 days ago), an open deal at Kim's
    company with Kim's CFO Carl on its committee, and Lou, a contact who knows nobody yet."""
    org = f.OrganizationFactory(name="Lexington")
    seller = f.MemberFactory(organization=org, person__full_name="Nina New")
    acme = f.CompanyFactory(organization=org, name="Acme Fleet", industry="Logistics", status="prospect")
    kim = f.PersonFactory(organization=org, full_name="Kim Keeper", company=acme)
    carl = f.PersonFactory(organization=org, full_name="Carl Finance", company=acme, title="CFO")
    lou = f.PersonFactory(organization=org, full_name="Lou Loner")
    f.TieFactory(
        member=seller,
        person=kim,
        network_class="prospect",
        strength=0.4,
        last_interaction=timezone.now() - timedelta(days=100),
    )
    f.TieFactory(member=seller, person=lou, strength=0.5)
    deal = f.DealFactory(owner=seller, company=acme, name="Acme fleet tracking", stage="buy_in")
    f.BuyingRoleFactory(deal=deal, person=carl, role="economic_buyer")
    return seller, kim, carl, lou, deal


@pytest.mark.parametrize("device", list(WIDTHS))
def test_a_seller_logs_from_the_keep_in_touch_queue_and_a_deal_page_and_states_a_link(
    page, screenshot, device
):
    """Issue 12, point 1 in Chromium at both widths: a call logged from the keep-in-touch queue (the
    form opens in place), a meeting with a deal's buyer logged from the deal's page, and a stated
    link ("Lou knows Kim") from a contact's page; each recorded and said so, no sideways scroll."""
    from revere.network.models import Interaction, Link, Tie

    width, height = WIDTHS[device]
    page.set_viewport_size({"width": width, "height": height})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    seller, kim, carl, lou, deal = build_recording_world()
    sign_in(page, seller)

    # The keep-in-touch queue on the advice page: "Log…" opens the form in place with Kim in it.
    page.goto("/advice/")
    item = page.locator("[data-testid=kit-item]", has_text="Kim Keeper")
    item.locator("[data-testid=log-more]").click()
    form = item.locator("[data-testid=log-form]")
    form.wait_for()
    assert "Kim Keeper" in form.locator("[data-testid=chips]").inner_text()
    form.locator("select[name=kind]").select_option("call")
    no_sideways_scroll(page)
    screenshot(page, f"daily-7-queue-log-{device}")
    form.locator("[data-testid=log-submit]").click()
    page.wait_for_selector("text=Logged a call with Kim Keeper")
    assert page.url.endswith("/advice/")
    assert Interaction.unrestricted.filter(organization=seller.organization, kind="call").count() == 1
    tie = Tie.unrestricted.get(member=seller, person=kim)
    assert tie.last_interaction is not None and tie.last_interaction > timezone.now() - timedelta(minutes=5)

    # The deal's page: its committee is suggested; a meeting with Carl, the economic buyer.
    page.goto(f"/deals/{deal.pk}/")
    log = page.locator("#log [data-testid=log-form]")
    log.locator(f"[data-pick='{carl.pk}']").click()
    wait_until(page, "document.querySelectorAll('#log [data-chip]').length === 1")
    log.locator("input[name=subject]").fill("Budget walk-through")
    no_sideways_scroll(page)
    screenshot(page, f"daily-8-deal-log-{device}")
    log.locator("[data-testid=log-submit]").click()
    page.wait_for_selector("text=Logged a meeting with Carl Finance")
    assert Tie.unrestricted.filter(member=seller, person=carl, is_active=True).exists()

    # Lou's page: "Does Lou Loner know someone? Say so": Kim.
    page.goto(f"/contacts/{lou.pk}/")
    page.click("[data-testid=state-link-toggle]")
    box = page.locator("[data-testid=state-link]")
    box.locator("[data-testid=picker-input]").fill("Kim")
    box.locator("[data-testid=picks] >> text=Kim Keeper").first.click()
    wait_until(page, "document.querySelectorAll('[data-testid=state-link] [data-chip]').length === 1")
    no_sideways_scroll(page)
    screenshot(page, f"daily-9-state-link-{device}")
    box.locator("[data-testid=state-link-submit]").click()
    page.wait_for_selector("text=Noted: they know Kim Keeper.")
    link = Link.unrestricted.get(
        organization=seller.organization, a_id=min(lou.pk, kim.pk), b_id=max(lou.pk, kim.pk)
    )
    assert link.source == "stated"
    assert errors == []
