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


def wait_until(page, expression: str, timeout: float = 15000) -> None:
    """Wait until the JavaScript ``expression`` is true.

    Playwright's ``wait_for_function`` evaluates its predicate with ``eval`` inside the page, which the
    Content-Security-Policy refuses ('unsafe-eval' is not allowed); ``page.evaluate`` goes through the
    DevTools protocol, which the policy does not cover.
    """
    import time

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout:.0f} ms: {expression}")
        page.wait_for_timeout(50)
