"""Every page in tests/browser/pages.py, in Chromium at 1400 px and at 390 × 844 (a phone).

For each page: no console error, no Content-Security-Policy violation, no sideways scroll, no serious or
critical axe-core violation (axe-core from node_modules, loaded from the site's own static files so the
page's CSP applies to it as to everything else), a screenshot in tests/screenshots/pages/.
All pages are visited before the test fails, so one run lists every problem.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.test import override_settings

from revere.demo import DEMO_LOGINS, PASSWORD, demo_create
from revere.tenancy.models import Member
from tests.browser.pages import PAGES, Page, World

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "pages"
WIDTHS = {"wide": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE = "/static/vendor/axe-core/axe.min.js"

# Before any page script: collect CSP violations (init scripts are not subject to the page's CSP).
COLLECT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


def world() -> World:
    demo_create(size="small", seed=11)
    members = {}
    for role, email in DEMO_LOGINS:
        members[role] = Member.unrestricted.select_related("person", "user").get(user__email=email)
    return World(seller=members["seller"], manager=members["manager"], admin=members["admin"])


def sign_in_as(context, base: str, member: Member | None) -> None:
    context.clear_cookies()
    if member is None:
        return
    pg = context.new_page()
    pg.goto(base + "/login/")
    pg.fill("input[name=username]", member.user.username)
    pg.fill("input[name=password]", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_selector("[data-testid=member-name]", state="attached")
    pg.close()


def check(pg, page: Page, url: str) -> list[str]:
    errors: list[str] = []
    console: list[str] = []
    pg.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
    response = pg.goto(url)
    assert response is not None
    if response.status != page.status:
        errors.append(f"status {response.status}, expected {page.status}")
    if page.ready:
        pg.wait_for_selector(page.ready, state="attached", timeout=30000)
    pg.wait_for_load_state("networkidle")
    if page.status != 200:  # Chromium logs the error status of the document itself
        console = [c for c in console if f"status of {page.status}" not in c]
    errors += [f"console: {c}" for c in console]
    errors += [f"CSP: {v}" for v in pg.evaluate("window.__csp")]
    width = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        wide = pg.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                 .slice(0, 4).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
        )
        errors.append(f"sideways scroll: scrollWidth {width[0]} > innerWidth {width[1]} ({wide})")
    if not page.axe:
        return errors
    pg.add_script_tag(url=AXE)
    result = pg.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    errors += [f"axe {v['impact']}: {v['id']} {json.dumps(v['nodes'])}" for v in result]
    return errors


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_works_at_both_widths_without_console_errors_sideways_scroll_or_axe_violations(
    browser, live_server, width
):
    w = world()
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server.url, viewport=WIDTHS[width])
    context.add_init_script(COLLECT)
    problems: dict[str, list[str]] = {}
    only = {
        n for n in os.environ.get("REVERE_PAGES", "").split(",") if n
    }  # REVERE_PAGES=graph,home while working
    pages = [p for p in PAGES if not only or p.name in only]
    signed_in: object = "nobody yet"
    with override_settings(DEBUG=False):
        for page in pages:
            who = w.member(page.who) if page.who else None
            if who != signed_in:
                sign_in_as(context, live_server.url, who)
                signed_in = who
            pg = context.new_page()
            pg.set_default_timeout(20000)
            try:
                errors = check(pg, page, page.url(w))
                pg.screenshot(path=str(SHOTS / f"{page.name}-{width}.png"))  # what the screen shows first
                pg.screenshot(path=str(SHOTS / f"{page.name}-{width}-full.png"), full_page=True)
            except Exception as exc:  # one broken page must not hide the others' problems
                errors = [f"{type(exc).__name__}: {exc}"]
            finally:
                pg.close()
            if errors:
                problems[page.name] = errors
    context.close()
    report = "\n".join(f"{name}: " + "\n    ".join(errs) for name, errs in problems.items())
    assert not problems, f"{len(problems)} of {len(pages)} pages at {width}:\n{report}"
