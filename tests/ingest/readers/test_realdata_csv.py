"""Every real file in realdata/csv (Salesforce CC0 sample data) reads without error."""

from __future__ import annotations

import pytest

from revere.ingest.readers import read_file

# file -> (companies, persons, deals, rows read)
EXPECTED = {
    "sf_apex-recipes__Accounts.csv": (50, 0, 0, 50),
    "sf_apex-recipes__Accounts.json": (50, 0, 0, 50),
    "sf_apex-recipes__Campaigns.csv": (0, 0, 0, 15),
    "sf_apex-recipes__Contacts.csv": (0, 150, 0, 150),
    "sf_apex-recipes__Contacts.json": (0, 150, 0, 150),
    "sf_apex-recipes__Opportunities.csv": (0, 0, 50, 50),
    "sf_apex-recipes__Opportunities.json": (0, 0, 50, 50),
    "sf_apex-recipes__data-plan.json": (0, 0, 0, 0),
    "sf_apex-recipes__data-plan2.json": (0, 0, 0, 0),
    "sf_lwc-recipes__Accounts-Contacts.csv": (10, 6, 0, 14),
    "sf_lwc-recipes__Accounts.json": (10, 0, 0, 10),
    "sf_lwc-recipes__Contacts.json": (0, 6, 0, 6),
    "sf_lwc-recipes__Opportunities.json": (0, 0, 20, 20),
    "sf_lwc-recipes__data-plan.json": (0, 0, 0, 0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_real_salesforce_file_reads_with_the_expected_counts(realdata, name):
    path = realdata / "csv" / name
    result = read_file(path, filename=name)
    assert result.format == "salesforce"
    counts = (len(result.companies), len(result.persons), len(result.deals), result.rows_read)
    assert counts == EXPECTED[name]
    assert not [i for i in result.issues if i.level == "error"]


def test_the_real_folder_holds_no_csv_or_json_file_the_test_forgets(realdata):
    on_disk = {p.name for p in (realdata / "csv").iterdir() if p.suffix in (".csv", ".json")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_apex_sample_contacts_point_at_accounts_by_sfdx_reference(realdata, suffix):
    accounts = read_file(
        realdata / "csv" / f"sf_apex-recipes__Accounts.{suffix}", filename=f"Accounts.{suffix}"
    )
    contacts = read_file(
        realdata / "csv" / f"sf_apex-recipes__Contacts.{suffix}", filename=f"Contacts.{suffix}"
    )
    by_key = {c.key: c for c in accounts.companies}
    lianna = contacts.persons[0]
    assert (lianna.full_name, lianna.emails, lianna.title) == (
        "Lianna Sinisbury",
        ["lsinisbury0@dropbox.com"],
        "Statistician I",
    )
    assert by_key[lianna.company_key].name == "Blogtags 78"
    assert all(p.company_key in by_key for p in contacts.persons)


def test_apex_sample_opportunities_are_on_mapped_stages_and_unknown_ones_are_reported(realdata):
    result = read_file(realdata / "csv" / "sf_apex-recipes__Opportunities.csv", filename="Opportunities.csv")
    first = result.deals[0]
    assert (first.name, first.stage, first.source_stage, first.amount) == (
        "Cape starling",
        "buy_in",
        "Id. Decision Makers",
        119373.34,
    )
    stages = [d.stage for d in result.deals]
    assert stages.count("won") == 3  # "Closed/Won"
    assert stages.count("") == 8  # "Assigned dynamically" is no standard stage
    assert sum("Assigned dynamically" in i.message for i in result.issues) == 8


def test_lwc_report_export_with_a_bom_links_contacts_to_their_accounts(realdata):
    result = read_file(realdata / "csv" / "sf_lwc-recipes__Accounts-Contacts.csv", filename="report.csv")
    amy = result.persons[0]
    assert (amy.first_name, amy.last_name, amy.title, amy.emails) == (
        "Amy",
        "Taylor",
        "VP of Engineering",
        ["amy@demo.net"],
    )
    companies = {c.key: c for c in result.companies}
    assert companies[amy.company_key].name == "Alpha Dynamics"
    assert companies[amy.company_key].status == "partner"


def test_lwc_opportunities_json_maps_every_standard_stage(realdata):
    result = read_file(realdata / "csv" / "sf_lwc-recipes__Opportunities.json", filename="Opportunities.json")
    assert all(d.stage for d in result.deals)
    assert {d.company_key for d in result.deals} <= {f"sfref:AccountRef{i}" for i in range(1, 11)}
