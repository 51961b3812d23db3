"""Signing in through the real sign-in page, shared by the browser tests."""

from tests import factories as f


def sign_in(page, member):
    """Sign ``member`` in (password :data:`tests.factories.PASSWORD`) and wait for the home page."""
    page.goto("/login/")
    page.fill("input[name=username]", member.user.username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.wait_for_selector("[data-testid=member-name]", state="attached")
