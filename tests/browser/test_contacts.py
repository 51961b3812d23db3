"""Contacts in Chromium: search a contact, open their page, open their company's org chart."""

from __future__ import annotations

from revere.contacts.models import Person
from revere.deals.models import Stage
from revere.network.models import InteractionParticipant, Visibility
from tests import factories as f
from tests.browser.session import sign_in


def build_company():
    org = f.OrganizationFactory(name="Lexington")
    team = f.TeamFactory(organization=org, name="East")
    me = f.MemberFactory(organization=org, team=team, person__full_name="Sam Seller")
    ann = f.MemberFactory(organization=org, team=team, person__full_name="Ann Partner")
    bob = f.MemberFactory(organization=org, team=team, person__full_name="Bob Quiet")
    acme = f.CompanyFactory(organization=org, name="Acme Freight", industry="Logistics", status="prospect")
    ceo = f.PersonFactory(organization=org, company=acme, full_name="Carol Chief", title="Chief Executive")
    cfo = f.PersonFactory(
        organization=org, company=acme, full_name="Frank Money", title="CFO", reports_to=ceo
    )
    cto = f.PersonFactory(organization=org, company=acme, full_name="Tina Tech", title="CTO", reports_to=ceo)
    dev = f.PersonFactory(
        organization=org, company=acme, full_name="Dan Builder", title="Lead engineer", reports_to=cto
    )
    f.PersonFactory(
        organization=org, company=acme, full_name="Pat Buyer", title="Procurement", reports_to=cfo
    )
    for i in range(30):
        f.PersonFactory(organization=org, company=f.CompanyFactory(organization=org), title=f"Role {i}")
    deal = f.DealFactory(owner=me, company=acme, stage=Stage.BUY_IN, name="Acme fleet tracking")
    f.BuyingRoleFactory(deal=deal, person=cfo, role="economic_buyer", stance="neutral")
    f.BuyingRoleFactory(deal=deal, person=cto, role="champion", stance="supporter")
    f.BuyingRoleFactory(deal=deal, person=dev, role="technical_evaluator", stance="opponent")
    f.TieFactory(member=me, person=cto, strength=0.8, notes="Met at the logistics summit")
    f.TieFactory(member=ann, person=cfo, strength=0.4)
    f.TieFactory(member=bob, person=ceo, strength=0.9, visibility=Visibility.PRIVATE)
    f.LinkFactory(organization=org, a=cto, b=dev, weight=0.9, source="org_chart")
    f.LinkFactory(organization=org, a=cto, b=cfo, weight=0.5, source="met")
    meeting = f.InteractionFactory(member=me, subject="Fleet tracking demo")
    for p in (cto, dev):
        InteractionParticipant.unrestricted.create(organization=org, interaction=meeting, person=p)
    return me, acme, cto


def test_a_seller_searches_a_contact_opens_them_and_their_company_s_org_chart(page, screenshot):
    me, acme, cto = build_company()
    sign_in(page, me)
    assert page.locator("nav.mainnav a[href='/contacts/']").count() == 1
    page.goto("/contacts/")
    page.wait_for_selector("[data-testid=contact-list]")
    screenshot(page, "contacts-list")

    page.fill("[data-testid=contact-search]", "tina")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=contact-list] tbody tr').length === 1"
    )  # htmx replaced the results without a page load
    assert "q=tina" in page.url
    page.click("[data-testid=contact-list] >> text=Tina Tech")

    page.wait_for_selector("[data-testid=person-name]")
    assert page.inner_text("[data-testid=person-name]") == "Tina Tech"
    ties = page.inner_text("[data-testid=ties]")
    assert "You · strong" in ties and "Met at the logistics summit" in ties
    assert "Dan Builder" in page.inner_text("[data-testid=links]")
    assert "Fleet tracking demo" in page.inner_text("[data-testid=interactions]")
    screenshot(page, "contact-detail")

    page.click("[data-testid=person-company]")
    page.wait_for_selector("[data-testid=org-chart]")
    chart = page.locator("[data-testid=org-chart]")
    # Tina reports to Carol: her node sits inside Carol's nested list.
    nested = page.locator(
        f"ul.orgchart li:has(> details > summary > div[data-person='{Person.unrestricted.get(company=acme, full_name='Carol Chief').pk}']) "
        f"ul div[data-person='{cto.pk}']"
    )
    assert nested.count() == 1
    text = chart.inner_text()
    assert "Champion" in text and "Supporter" in text and "Economic buyer" in text
    assert "ask Bob Quiet" in text and "Ann Partner · medium" in text
    screenshot(page, "company-org-chart")


def test_a_seller_edits_a_contact_s_title(page):
    me, _acme, cto = build_company()
    sign_in(page, me)
    page.goto(f"/contacts/{cto.pk}/edit/")
    page.fill("input[name=title]", "Chief Technology Officer")
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=person-name]")
    assert "Chief Technology Officer" in page.inner_text(".lede")


def test_a_seller_merges_a_duplicate_found_by_search_and_undoes_it(page, screenshot):
    me, acme, cto = build_company()
    dup = f.PersonFactory(organization=me.organization, company=acme, full_name="Tina Tech-Dup", title="")
    sign_in(page, me)
    page.goto(f"/contacts/{cto.pk}/")
    page.click("[data-testid=merge-duplicate]")
    page.wait_for_selector("[data-testid=search-merge]")
    page.fill("[data-testid=search-merge]", "tech-dup")
    page.wait_for_selector("[data-testid=matches-merge] >> text=Tina Tech-Dup")  # found by htmx as one types
    page.click("[data-testid=matches-merge] >> text=Tina Tech-Dup")
    page.wait_for_selector("[data-testid=merge-button]")
    assert "Tina Tech-Dup" in page.inner_text("[data-testid=slot-merge]")
    screenshot(page, "contact-merge")
    page.click("[data-testid=merge-button]")
    page.wait_for_selector("[data-testid=merges]")
    assert page.inner_text("[data-testid=person-name]") == "Tina Tech"
    assert "Tina Tech-Dup" in page.inner_text("[data-testid=merges]")
    page.click("[data-testid=undo-merge]")
    page.wait_for_selector("[data-testid=person-name] >> text=Tina Tech-Dup")
    assert page.url.endswith(f"/contacts/{dup.pk}/")
