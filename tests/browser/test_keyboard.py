"""Issue 12, point 4: controls reachable by keyboard, with a visible focus, at 1400 px and on a phone.

On the main pages of the demo seller, Tab moves through the page as a keyboard user would; every
element that takes the focus shows it (an outline of 2 px or more, or a box shadow) and is scrolled
into view. On a phone the folded navigation opens from the keyboard (Enter on the Menu button) and its
links are reachable.
"""

from __future__ import annotations

import pytest

from revere.demo import DEMO_LOGINS, PASSWORD, demo_create
from revere.tenancy.models import Member

pytestmark = pytest.mark.browser

WIDTHS = {"wide": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
PAGES = ["/", "/graph/", "/advice/", "/contacts/", "/finder/", "/deals/"]
TABS = 30

FOCUSED = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {what: e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || e.value || '').trim().slice(0, 30),
          outline: s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0, shadow: s.boxShadow !== 'none',
          inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
          hidden: r.width === 0 && r.height === 0}; }"""


def sign_in(page, email: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", Member.unrestricted.get(user__email=email).user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=member-name]", state="attached")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_control_tabbed_to_shows_its_focus_and_the_phone_menu_opens_from_the_keyboard(
    browser, live_server, width
):
    demo_create(size="small", seed=11)
    seller = dict(DEMO_LOGINS)["seller"]
    context = browser.new_context(base_url=live_server.url, viewport=WIDTHS[width])
    page = context.new_page()
    page.set_default_timeout(20000)
    problems: list[str] = []
    try:
        sign_in(page, seller)
        for path in PAGES:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            reached = 0
            for _ in range(TABS):
                page.keyboard.press("Tab")
                f = page.evaluate(FOCUSED)
                if f is None or f["hidden"]:
                    continue
                reached += 1
                if f["outline"] < 2 and not f["shadow"]:
                    problems.append(f"{path}: no visible focus on {f['what']}")
                if not f["inView"]:
                    problems.append(f"{path}: {f['what']} has the focus but is off screen")
            if reached < 5:
                problems.append(f"{path}: only {reached} controls reached in {TABS} tabs")

        if width == "phone":
            page.goto("/")
            toggle = page.locator("button.nav-toggle")
            assert toggle.is_visible() and not page.locator("nav.mainnav a").first.is_visible()
            toggle.focus()
            page.keyboard.press("Enter")
            assert toggle.get_attribute("aria-expanded") == "true"
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.closest('nav.mainnav') !== null")
            page.keyboard.press("Enter")  # the first link: My network
            page.wait_for_load_state()
            assert page.url.rstrip("/") == live_server.url
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["seller", "manager", "admin"])
def test_at_1400_px_the_navigation_and_the_who_block_fit_on_one_row(browser, live_server, screenshot, role):
    """The top bar of every role at 1400 px: every link on the same row, none wrapped under the
    others (an admin has the most links), and the member's name beside them."""
    demo_create(size="small", seed=11)
    context = browser.new_context(base_url=live_server.url, viewport=WIDTHS["wide"])
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        sign_in(page, dict(DEMO_LOGINS)[role])
        page.goto("/")
        centres = page.eval_on_selector_all(
            "nav.mainnav a, .who > *",
            "els => els.map(e => e.getBoundingClientRect()).filter(r => r.width > 0)"
            " .map(r => Math.round((r.top + r.bottom) / 2))",
        )
        links = page.locator("nav.mainnav a").count()
        screenshot(page, f"topbar-1400-{role}")
    finally:
        context.close()
    assert links >= 8
    # Every item's vertical centre on one line (the bar centres its items): a wrapped link sits a
    # whole row (about 30 px) lower.
    assert max(centres) - min(centres) <= 6, f"the top bar wraps: items centred at {sorted(set(centres))}"
