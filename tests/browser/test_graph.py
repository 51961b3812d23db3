"""The graph explorer in Chromium: nodes drawn, a click opens a card, a filter hides nodes, 5,000 contacts."""

from __future__ import annotations

import random
import time

import pytest

from revere.contacts.models import Company, Person
from revere.network.models import Link, NetworkClass, Tie
from tests import factories as f
from tests.browser.session import sign_in, wait_until
from tests.conftest import SCREENSHOTS

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


# Frame times while a person drags and wheels over the canvas: a requestAnimationFrame loop records
# the gap between frames (16.7 ms at 60 Hz) during real mouse events sent by Playwright.
RECORD_FRAMES = """() => { const frames = []; let last = performance.now(); let on = true;
  const tick = (t) => { frames.push(t - last); last = t; if (on) requestAnimationFrame(tick); };
  requestAnimationFrame(tick); window.__stopFrames = () => { on = false; return frames.slice(1); }; }"""
FRAME_RUNS = [("pan at overview", "pan"), ("zoom in", "zoom"), ("pan zoomed in", "pan")]


def frame_times(page, action: str) -> tuple[float, float, float, int]:
    box = page.locator("#graph-canvas").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.evaluate(RECORD_FRAMES)
    if action == "pan":
        page.mouse.down()
        for k in range(30):
            page.mouse.move(x + 4 * k, y + 2 * k)
        page.mouse.up()
    else:
        for _ in range(30):
            page.mouse.wheel(0, -120)
            page.wait_for_timeout(30)
    page.wait_for_timeout(300)
    frames = sorted(page.evaluate("window.__stopFrames()"))
    n = len(frames)
    return frames[n // 2], frames[int(n * 0.95)], frames[-1], n


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
    wait_until(page, f"document.getElementById('graph-shown').textContent === '{240 - customers}'")
    assert visible_people(page) == 240 - customers
    page.select_option("[data-testid=filter-company]", str(target.company_id))
    wait_until(page, "revereGraph.nodes('.person').filter(n => n.visible()).length < 30")
    assert visible_people(page) == sum(
        1
        for i, p in enumerate(people)
        if p.company_id == target.company_id and CLASSES[(i // 12) % 4] != "customer"
    )
    screenshot(page, "graph-filtered")


def test_the_circles_are_listed_named_and_a_choice_frames_one(page, screenshot):
    seller, _ = build_network(120)
    sign_in(page, seller)
    wait_ready(page)
    circles = page.locator("[data-testid=graph-circles] button")
    assert circles.count() == 10  # ten companies of twelve, each its own circle
    assert "12 contacts" in circles.first.inner_text() and "Company 0000" in circles.first.inner_text()
    labelled = page.evaluate("revereGraph.nodes('.person.labelled').length")
    assert labelled == 15
    zoom = page.evaluate("revereGraph.zoom()")
    circles.nth(3).click()
    assert circles.nth(3).get_attribute("aria-pressed") == "true"
    assert page.evaluate("revereGraph.zoom()") > zoom
    screenshot(page, "graph-circle-chosen")


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
    frames = {label: frame_times(page, action) for label, action in FRAME_RUNS}
    screenshot(page, "graph-5000")
    data_ms, ready_ms, edges_ms = page.evaluate(
        "[+document.getElementById('graph').dataset.loadedMs, +document.getElementById('graph-canvas').dataset.readyMs,"
        " +document.getElementById('graph-canvas').dataset.drawnMs]"
    )
    print(
        f"5,000 contacts: data in {data_ms / 1000:.1f} s, elements built at {ready_ms / 1000:.1f} s, first frame "
        f"drawn at {edges_ms / 1000:.1f} s after navigation (test wall clock {loaded:.1f} s); "
        f"a filter in {ms:.0f} ms; frame times (ms, median / p95 / max): "
        + "; ".join(f"{k} {v[0]:.0f} / {v[1]:.0f} / {v[2]:.0f} over {v[3]} frames" for k, v in frames.items())
    )
    # Guards against a hang, not speed targets (speed is printed above, measured in docs/finder.md and
    # bench/bench_explorer.py): on the shared 2-core machine under other runs' load wall times vary 3x.
    assert loaded < 60
    assert ms < 3000
    assert visible_people(page) < 5000


pytestmark = pytest.mark.browser


# Where everything the graph draws (people, circle boxes and every label) lies on screen, and the canvas.
DRAWN_BOX = """() => { const c = revereGraph; const b = c.elements().not('.filtered').renderedBoundingBox({includeLabels: true});
  return {x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, w: c.width(), h: c.height(), zoom: c.zoom()}; }"""


def tiny_network(kind: str):
    """A new seller's first contacts: one alone, two who know each other, or three in two groups."""
    org = f.OrganizationFactory()
    seller = f.MemberFactory(organization=org, person__full_name="Nina New")
    acme = f.CompanyFactory(organization=org, name="Acme Freight Logistics", industry="Logistics")
    names = {"one": ["Pia Bridgewater-Holmström"], "two": ["Pia Bridgewater-Holmström", "Otto Long"]}
    names["three"] = [*names["two"], "Carla Apart"]
    people = [f.PersonFactory(organization=org, full_name=n, company=acme) for n in names[kind]]
    for p in people:
        f.TieFactory(member=seller, person=p, strength=0.8)
    if len(people) >= 2:
        f.LinkFactory(organization=org, a=people[0], b=people[1])
    return seller, people


@pytest.mark.parametrize("kind", ["one", "two", "three"])
@pytest.mark.parametrize("width", ["wide", "phone"])
def test_a_tiny_network_is_framed_whole_and_not_zoomed_in_past_reading_size(
    browser, live_server, kind, width
):
    """One to three contacts: every circle, person and label fits inside the canvas, and the view is not
    zoomed in past 1.5x (a name at 14 px drawn at 21 px), at 1400 px and on a 390 x 844 phone."""
    seller, people = tiny_network(kind)
    viewport = {"wide": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}[width]
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, seller)
        wait_ready(page)
        page.locator("#graph-canvas").scroll_into_view_if_needed()
        box = page.evaluate(DRAWN_BOX)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#graph-canvas").screenshot(path=str(SCREENSHOTS / f"graph-tiny-{kind}-{width}.png"))
        assert box["zoom"] <= 1.5, box
        assert box["x1"] >= 0 and box["y1"] >= 0, box
        assert box["x2"] <= box["w"] and box["y2"] <= box["h"], box
        assert page.evaluate("revereGraph.nodes('.person.labelled').length") == len(people)
    finally:
        context.close()
