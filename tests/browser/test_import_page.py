"""Import in Chromium: upload a LinkedIn Connections.csv, read the preview, confirm, see the report."""

from __future__ import annotations

from revere.contacts.models import Person
from revere.network.models import Tie
from tests import factories as f
from tests.browser.session import sign_in
from tests.ingest.test_cli import LINKEDIN


def test_a_seller_uploads_a_linkedin_file_previews_it_and_sees_the_report(page, screenshot, tmp_path):
    member = f.MemberFactory(person__full_name="Sam Seller")
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    sign_in(page, member)

    page.click("nav.mainnav >> text=Import")
    page.set_input_files("[data-testid=import-files]", str(path))
    page.click("[data-testid=import-preview]")
    page.wait_for_selector("[data-testid=preview-counts]")
    assert page.inner_text("[data-testid=preview-counts] [data-testid=count-created]") == "4"
    assert "Ada Lovelace" in page.inner_text("[data-testid=report-rows]")
    assert not Person.unrestricted.filter(full_name="Ada Lovelace").exists()
    screenshot(page, "import-preview")

    page.click("[data-testid=import-confirm]")
    page.wait_for_selector("[data-testid=import-report]")
    assert (
        page.inner_text("[data-testid=report-counts] [data-testid=count-created]") == "4"
    )  # 2 persons, 2 companies
    screenshot(page, "import-report")
    assert Tie.unrestricted.filter(member=member, person__full_name="Grace Hopper").exists()


def test_a_file_that_is_not_contacts_is_refused_with_a_message(page, tmp_path):
    member = f.MemberFactory()
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 500)
    sign_in(page, member)

    page.goto("/import/")
    page.set_input_files("[data-testid=import-files]", str(path))
    page.click("[data-testid=import-preview]")
    page.wait_for_selector("[data-testid=import-error]")
    assert "Nothing was imported" in page.inner_text("[data-testid=import-error]")


def test_a_seller_merges_a_possible_duplicate_from_the_review_page_and_undoes_it(page, screenshot):
    from revere.contacts.models import MergeCandidate

    member = f.MemberFactory(person__full_name="Sam Seller")
    org = member.organization
    acme = f.CompanyFactory(organization=org, name="Analytical Engines")
    a = f.PersonFactory(organization=org, company=acme, full_name="Ada Lovelace")
    b = f.PersonFactory(organization=org, company=acme, full_name="Ada Lovelase")
    MergeCandidate.unrestricted.create(
        organization=org, person_a=a, person_b=b, score=92, reason="similar name at Analytical Engines"
    )
    sign_in(page, member)

    page.goto("/import/review/")
    assert "Ada Lovelase" in page.inner_text("[data-testid=candidates]")
    screenshot(page, "import-review")
    page.click("[data-testid=candidates] button[value=keep_a]")
    page.wait_for_selector("[data-testid=merges]")
    assert not Person.unrestricted.filter(pk=b.pk).exists()

    page.click("[data-testid=merges] button:has-text('Undo')")
    page.wait_for_selector("text=a person of their own again")
    assert Person.unrestricted.filter(pk=b.pk, full_name="Ada Lovelase").exists()
