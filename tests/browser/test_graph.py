"""The graph explorer in Chromium: nodes drawn, a click opens a card, a filter hides nodes, 5,000 contacts."""

from __future__ import annotations

import random
import time

import pytest

from revere.contacts.models import Company, Person
from revere.network.models import Link, NetworkClass, Tie
from tests import factories as f
from tests.browser.session import sign_in

CLASSES = [NetworkClass.MARKET, NetworkClass.PROSPECT, NetworkClass.CUSTOMER, NetworkClass.INTERNAL]


def build_network(n_contacts: int, *, seed: int = 7, cluster: int = 12):
    """A seller whose contacts sit in companies of ``cluster`` people, linked inside each company."""
    rng = random.Random(seed)
    org = f.OrganizationFactory()
    seller = f.MemberFactory(organization=org, person__full_name="Sam Seller")
    n_companies = max(1, n_contacts // cluster)
    companies = Company.unrestricted.bulk_create(
        [
            Company(
                organization=org,
                name=f"Company {k:04d}",
                normalized_name=f"company {k:04d}",
                industry=["Retail", "Banking", "Energy", "Health"][k % 4],
            )
            for k in range(n_companies)
        ]
    )
    people = Person.unrestricted.bulk_create(
        [
            Person(
                organization=org,
                full_name=f"Contact {i:05d}",
                normalized_name=f"contact {i:05d}",
                company=companies[i % n_companies],
                title="Buyer" if i % 5 else "Director",
            )
            for i in range(n_contacts)
        ]
    )
    Tie.unrestricted.bulk_create(
        [
            Tie(
                organization=org,
                member=seller,
                ego=seller.person,
                person=p,
                strength=rng.uniform(0.05, 1.0),
                network_class=CLASSES[(i // cluster) % 4],
            )
            for i, p in enumerate(people)
        ]
    )
    pairs = set()
    by_company: dict[int, list[int]] = {}
    for p in people:
        by_company.setdefault(p.company_id, []).append(p.pk)
    for members in by_company.values():
        for a in members:
            for b in rng.sample(members, min(3, len(members))):
                if a != b:
                    pairs.add((min(a, b), max(a, b)))
    Link.unrestricted.bulk_create([Link(organization=org, a_id=a, b_id=b, weight=0.5) for a, b in pairs])
    return seller, people


def wait_ready(page, timeout: float = 30000) -> None:
    page.goto("/graph/")
    page.wait_for_selector("#graph-canvas[data-ready='1']", state="attached", timeout=timeout)


def visible_people(page) -> int:
    return page.evaluate("revereGraph.nodes('.person').filter(n => n.visible()).length")


def test_the_graph_draws_the_contacts_a_click_opens_a_card_and_a_filter_hides_nodes(page, screenshot):
    seller, people = build_network(240)
    sign_in(page, seller)
    wait_ready(page)
    assert page.evaluate("revereGraph.nodes('.person').length") == 240
    assert visible_people(page) == 240
    assert page.locator("#graph-shown").inner_text() == "240"
    screenshot(page, "graph-explorer")

    # Click the node of one contact where Cytoscape drew it.
    target = people[0]
    box = page.locator("#graph-canvas").bounding_box()
    pos = page.evaluate(
        f"(() => {{ const n = revereGraph.getElementById('{target.pk}'); return n.renderedPosition(); }})()"
    )
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    card = page.locator("[data-testid=node-card]")
    card.wait_for()
    assert card.get_attribute("data-person") == str(target.pk)
    assert target.full_name in card.inner_text()
    assert "Linked to" in card.inner_text()
    screenshot(page, "graph-card")

    customers = page.evaluate("revereGraph.nodes('.person[cls = \"customer\"]').length")
    assert customers > 0
    page.uncheck("[data-testid=filter-cls-customer]")
    page.wait_for_function(f"document.getElementById('graph-shown').textContent === '{240 - customers}'")
    assert visible_people(page) == 240 - customers
    page.select_option("[data-testid=filter-company]", str(target.company_id))
    page.wait_for_function("revereGraph.nodes('.person').filter(n => n.visible()).length < 30")
    assert visible_people(page) == sum(
        1
        for i, p in enumerate(people)
        if p.company_id == target.company_id and CLASSES[(i // 12) % 4] != "customer"
    )
    screenshot(page, "graph-filtered")


def test_search_finds_a_contact_and_opens_their_card(page):
    seller, people = build_network(60)
    sign_in(page, seller)
    wait_ready(page)
    page.fill("#graph-search", "Contact 00042")
    page.press("#graph-search", "Enter")
    page.locator(f"[data-testid=node-card][data-person='{people[42].pk}']").wait_for()
    assert page.locator("#graph-search-result").inner_text() == "1 match"


def test_five_thousand_contacts_load_and_filter_smoothly(page, screenshot):
    seller, _ = build_network(5000)
    sign_in(page, seller)
    started = time.perf_counter()
    wait_ready(page, timeout=60000)
    loaded = time.perf_counter() - started
    assert page.evaluate("revereGraph.nodes('.person').length") == 5000
    page.wait_for_selector("#graph-canvas[data-drawn-ms]", state="attached", timeout=60000)
    assert page.evaluate("revereGraph.edges().length") > 10000
    # A filter over 5,000 nodes: measured inside the page, from the change to the re-render.
    ms = page.evaluate(
        """() => { const t = performance.now();
                   const box = document.querySelector('[data-testid=filter-cls-market]');
                   box.checked = false; box.dispatchEvent(new Event('change', {bubbles: true}));
                   return performance.now() - t; }"""
    )
    pan = page.evaluate(
        """() => { const t = performance.now();
                   for (let i = 0; i < 10; i++) { revereGraph.panBy({x: 5, y: 5}); }
                   return performance.now() - t; }"""
    )
    screenshot(page, "graph-5000")
    data_ms, ready_ms, edges_ms = page.evaluate(
        "[+document.getElementById('graph').dataset.loadedMs, +document.getElementById('graph-canvas').dataset.readyMs,"
        " +document.getElementById('graph-canvas').dataset.drawnMs]"
    )
    print(
        f"5,000 contacts: data in {data_ms / 1000:.1f} s, elements built at {ready_ms / 1000:.1f} s, first frame "
        f"drawn at {edges_ms / 1000:.1f} s after navigation (test wall clock {loaded:.1f} s); "
        f"a filter in {ms:.0f} ms; 10 pans in {pan:.0f} ms"
    )
    assert loaded < 20
    assert ms < 1000
    assert visible_people(page) < 5000


pytestmark = pytest.mark.browser
