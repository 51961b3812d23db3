"""Google, Outlook, HubSpot and Salesforce exports, from synthetic fixtures written from FORMATS.md facts."""

from __future__ import annotations

import datetime as dt

from revere.ingest.readers import ReaderOptions, read_file


def read(fixture_path, name, **kw):
    return read_file(fixture_path(name), filename=name, **kw)


def test_google_current_layout_splits_multi_values_and_drops_system_labels(fixture_path):
    result = read(fixture_path, "google_current_contacts.csv")
    assert result.format == "google"
    margaret, noname = result.persons
    assert margaret.emails == ["margaret@hamtech.example", "mh@apollo.example", "maggie@home.example"]
    assert margaret.phones == ["+1 617 555 0199", "+1 617 555 0100"]
    assert margaret.labels == ["Customers", "starred"]
    assert (margaret.company_name, margaret.title, margaret.function) == (
        "Hamilton Technologies, Inc.",
        "CEO",
        "Engineering",
    )
    assert margaret.linkedin_url == "https://www.linkedin.com/in/margaret-hamilton"
    assert noname.full_name == "" and noname.emails == ["noname@example.org"]  # the service names them by it
    assert [(i.line, i.level) for i in result.issues] == [(4, "error")]  # line 2 spans two lines


def test_google_legacy_layout_reads_given_and_family_names_and_organization_columns(fixture_path):
    result = read(fixture_path, "google_legacy_contacts.csv")
    assert result.format == "google"
    katherine, dorothy = result.persons
    assert (katherine.first_name, katherine.last_name) == ("Katherine", "Johnson")
    assert (katherine.company_name, katherine.title) == ("NASA Langley", "Mathematician")
    assert katherine.labels == ["NASA"]
    assert (dorothy.first_name, dorothy.last_name) == ("Dorothy", "Vaughan")


def test_outlook_utf16_gives_manager_and_referrer_names_and_resolves_exchange_addresses(fixture_path):
    result = read(fixture_path, "outlook_contacts_utf16.csv")
    assert result.format == "outlook"
    bjorn, soren = result.persons
    assert bjorn.last_name == "Ærøskøbing"
    assert bjorn.title == "Indkøbschef"  # Job Title, not the honorific in Title
    assert bjorn.reports_to_name == "Søren Kierkegaard"
    assert bjorn.referred_by_name == "Karen Blixen"
    assert bjorn.emails == ["bjorn@oresund.example", "bjorn.a@oresund.example"]
    assert bjorn.labels == ["Kunder", "VIP"]
    assert soren.company_name == "Øresund Logistik A/S"


def test_outlook_windows_1252_reads_accents(fixture_path):
    result = read(fixture_path, "outlook_contacts_cp1252.csv")
    francois, helene = result.persons
    assert francois.company_name == "Société Générale S.A."
    assert francois.reports_to_name == "Hélène Dubois"
    assert helene.referred_by_name == "François Lefèvre"


def test_hubspot_companies_contacts_and_deals_keep_their_associations(fixture_path):
    companies = read(fixture_path, "hubspot_companies.csv")
    contacts = read(fixture_path, "hubspot_contacts.csv")
    deals = read(fixture_path, "hubspot_deals.csv")
    assert {c.format for c in (companies, contacts, deals)} == {"hubspot"}
    initech = companies.companies[0]
    assert (initech.key, initech.domains, initech.status, initech.size_band) == (
        "hubspot:company:5001",
        ["initech.com"],
        "customer",
        "251-1000",
    )
    bill = contacts.persons[0]
    assert bill.company_key == "hubspot:company:5001"
    assert [(r.deal_key, r.role) for r in contacts.buying_roles] == [
        ("hubspot:deal:9001", "decision_maker"),
        ("hubspot:deal:9002", "decision_maker"),
    ]
    renewal, expansion, pilot = deals.deals
    assert (renewal.stage, renewal.amount, renewal.owner_email) == ("close", 48000.0, "sam@seller.example")
    assert renewal.contact_keys == ["hubspot:contact:101", "hubspot:contact:102"]
    assert expansion.stage == "identify"
    assert pilot.stage == "" and pilot.source_stage == "Custom stage 7"
    assert any(i.line == 4 and "Custom stage 7" in i.message for i in deals.issues)


def test_salesforce_accounts_have_parents_and_deleted_rows_are_skipped(fixture_path):
    result = read(fixture_path, "salesforce_Account.csv")
    acme, europe = result.companies
    assert acme.key == "sf:0015g00000AbCdE"
    assert europe.parent_key == acme.key
    assert (acme.status, europe.status) == ("customer", "prospect")
    assert [(i.line, i.level) for i in result.issues] == [(4, "error")]


def test_salesforce_contacts_point_at_accounts_and_managers_whatever_the_id_length(fixture_path):
    result = read(fixture_path, "salesforce_Contact.csv")
    wile, road, anna = result.persons
    assert wile.company_key == "sf:0015g00000AbCdE"
    assert road.reports_to_key == wile.key
    assert anna.reports_to_key == wile.key  # a 15-character id names the same record


def test_salesforce_opportunity_stages_follow_the_editable_mapping(fixture_path):
    default = read(fixture_path, "salesforce_Opportunity.csv")
    assert [d.stage for d in default.deals] == ["identify", "close", "won", ""]
    assert default.deals[1].expected_close == dt.date(2024, 8, 15)
    edited = read(
        fixture_path,
        "salesforce_Opportunity.csv",
        options=ReaderOptions(stage_mapping={"verbal yes": "close", "Prospecting": "buy_in"}),
    )
    assert [d.stage for d in edited.deals] == ["buy_in", "close", "won", "close"]


def test_salesforce_contact_roles_become_buying_roles(fixture_path):
    result = read(fixture_path, "salesforce_OpportunityContactRole.csv")
    assert [(r.deal_key, r.person_key, r.role) for r in result.buying_roles] == [
        ("sf:0065g00000AaAaB", "sf:0035g00000QrStU", "economic_buyer"),
        ("sf:0065g00000AaAaB", "sf:0035g00000QrStV", "technical_evaluator"),
    ]
    assert [(i.line, i.level) for i in result.issues] == [(4, "error")]


def test_salesforce_users_are_colleagues_with_managers_not_contacts(fixture_path):
    sam, vera = read(fixture_path, "salesforce_User.csv").persons
    assert sam.reports_to_key == vera.key
    assert not sam.is_contact_of_member
