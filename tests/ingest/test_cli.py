"""`revere import`: the report (JSON or tables), dry runs, clear refusals."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from revere.contacts.models import Person
from revere.network.models import Tie

pytestmark = pytest.mark.django_db

LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical Engines Ltd,Engineer,02 Jun 2022\n"
    "Grace,Hopper,https://www.linkedin.com/in/grace-hopper,grace@navy.mil,US Navy,Rear Admiral,15 Jan 2021\n"
)


@pytest.fixture
def linkedin_file(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    return path


def run(*args):
    out = io.StringIO()
    call_command("import", *map(str, args), stdout=out)
    return out.getvalue()


def test_import_as_a_member_prints_json_counts_and_rows(member, linkedin_file):
    data = json.loads(run(linkedin_file, "--as", member.user.email, "--json"))

    assert data["counts"]["created"] == 4
    assert data["by_kind"]["person"]["created"] == 2
    assert {r["line"] for r in data["rows"] if r["kind"] == "person"} == {5, 6}
    assert Tie.unrestricted.filter(member=member).count() == 2
    assert data["recompute"] == "now"


def test_a_dry_run_writes_nothing(member, linkedin_file):
    data = json.loads(run(linkedin_file, "--as", member.user.email, "--json", "--dry-run"))

    assert data["dry_run"] is True and data["by_kind"]["person"]["created"] == 2
    assert not Person.unrestricted.filter(full_name="Ada Lovelace").exists()


def test_the_table_report_names_the_counts(member, linkedin_file):
    out = run(linkedin_file, "--as", member.user.email)
    assert "Imported" in out and "created 4" in out and "person" in out


def test_an_unknown_member_or_a_binary_file_is_refused_without_a_traceback(member, tmp_path):
    junk = tmp_path / "contacts.csv"
    junk.write_bytes(b"\x00\x01\x02PK\x03\x04" * 200)
    with pytest.raises(CommandError, match="No member"):
        run(junk, "--as", "nobody@example.test")
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(junk, "--as", member.user.email)
    assert Person.unrestricted.count() == 1  # the member's own person only


@pytest.mark.realdata
def test_the_salesforce_sample_imports_through_the_command_as_one_import(member, realdata):
    folder = realdata / "csv"
    files = [folder / f"sf_lwc-recipes__{n}.json" for n in ("Accounts", "Contacts", "Opportunities")]

    data = json.loads(run(*files, "--as", member.user.email, "--format", "salesforce", "--json"))

    assert data["by_kind"]["company"]["created"] == 10
    assert data["by_kind"]["person"]["created"] == 6
    assert data["by_kind"]["deal"]["created"] == 20
    assert data["counts"]["errors"] == 0
    assert [f["format"] for f in data["files"]] == ["salesforce"] * 3
