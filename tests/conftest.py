"""Shared fixtures: real database (pytest-django), factories, real data, a real browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Beside the project (../shared/realdata); a git worktree elsewhere names it in REVERE_REALDATA.
REALDATA = Path(
    os.environ.get("REVERE_REALDATA") or Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"
)
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The real third-party files in ../shared/realdata, read in place; skip where absent."""
    if not REALDATA.is_dir():
        pytest.skip(
            f"real data folder not found at {REALDATA} (it sits beside the project in ../shared/realdata)"
        )
    return REALDATA


def chromium_path() -> str | None:
    for candidate in (os.environ.get("REVERE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Skips where none is found, unless REVERE_REQUIRE_BROWSER=1."""
    path = chromium_path()
    if path is None:
        if os.environ.get("REVERE_REQUIRE_BROWSER") == "1":
            pytest.fail("REVERE_REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium)")
        pytest.skip("no Chromium found (install Debian's chromium package, or set REVERE_CHROMIUM)")
    # Playwright's sync API runs an event loop; the live server's database is used from tests too.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(pg, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.fspath)
        if "/tests/browser/" in path or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))
