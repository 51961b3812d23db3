"""In Chromium: the demo seller signs in and sees their name and figures on the home page."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from revere.playbook.home import member_home_figures
from revere.tenancy.models import Member

pytestmark = pytest.mark.browser

SELLER = "seller@lexington.example"
PASSWORD = "revere-demo"


def test_the_demo_seller_signs_in_and_sees_their_name_and_figures(page, screenshot):
    call_command("demo", size="small", seed=7, verbosity=0)
    member = Member.unrestricted.select_related("person").get(user__username=SELLER)

    page.goto("/")
    assert "/login/" in page.url
    page.fill("#id_username", SELLER)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.wait_for_selector("[data-testid=member-name]")
    assert page.inner_text("[data-testid=member-name]") == member.person.full_name
    assert page.inner_text("[data-testid=member-role]") == "Seller"
    figures = member_home_figures(member=member)
    for cls, expected in figures.ties_per_class.items():
        text = page.inner_text(f"[data-testid=ties-{cls}]")
        assert f"{expected:,}" in text, (cls, expected, text)
    assert figures.ties_per_class["market"] > 0
    for stage, expected in figures.open_deals_per_stage.items():
        assert page.inner_text(f"[data-testid=deals-{stage}]").strip().startswith(str(expected))
    screenshot(page, "home-demo-seller")


def test_a_wrong_password_keeps_the_visitor_on_the_sign_in_page(page, screenshot):
    call_command("demo", size="small", seed=7, verbosity=0)
    page.goto("/login/")
    page.fill("#id_username", SELLER)
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert "did not match" in page.inner_text("[role=alert]")
    screenshot(page, "login-wrong-password")
