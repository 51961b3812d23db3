"""Every response carries the Content-Security-Policy and the other security headers, and no template
holds what that policy refuses (an inline script, an inline event handler, a style attribute or block)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent / "revere"

pytestmark = pytest.mark.django_db


def test_pages_send_a_csp_without_unsafe_inline_and_the_other_security_headers(client):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_error_pages_carry_the_policy_too(client):
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, HANDLER, STYLE], ids=["script", "handler", "style"])
def test_no_template_holds_what_the_policy_refuses(pattern):
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)[:60]}"
        for path in ROOT.rglob("templates/**/*.html")
        for m in pattern.finditer(path.read_text())
    ]
    assert found == []
