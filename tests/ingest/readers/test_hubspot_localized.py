"""HubSpot exports with localized property labels read into the same records as the English export."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from revere.ingest.readers import detect, read_file
from revere.ingest.readers.common import parse_amount
from revere.ingest.readers.hubspot_labels import HEADERS, LANGUAGES, label_key, language_of

# What the file says in its own words, not what it means: the stage as written, the raw role.
_AS_WRITTEN = {"source_stage", "source_role", "labels"}


def read(fixture_path, name):
    return read_file(fixture_path(name), filename=name)


def meaning(records):
    return [{k: v for k, v in dataclasses.asdict(r).items() if k not in _AS_WRITTEN} for r in records]


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("kind", ["companies", "contacts", "deals"])
def test_a_localized_export_is_detected_and_read_into_the_english_exports_records(
    fixture_path, language, kind
):
    english = read(fixture_path, f"hubspot_{kind}.csv")
    localized = read(fixture_path, f"hubspot_{language}_{kind}.csv")

    assert detect(fixture_path(f"hubspot_{language}_{kind}.csv"), filename="export.csv") == "hubspot"
    assert localized.format == "hubspot"
    assert localized.rows_read == english.rows_read
    assert meaning(localized.companies) == meaning(english.companies)
    assert meaning(localized.persons) == meaning(english.persons)
    assert meaning(localized.deals) == meaning(english.deals)
    assert meaning(localized.buying_roles) == meaning(english.buying_roles)
    assert [(i.line, i.level) for i in localized.issues] == [(i.line, i.level) for i in english.issues]


def test_localized_values_map_stages_roles_lifecycle_day_first_dates_and_decimal_commas(fixture_path):
    deals = read(fixture_path, "hubspot_fr_deals.csv").deals
    assert [(d.stage, d.source_stage) for d in deals] == [
        ("close", "Contrat envoyé"),
        ("identify", "Rendez-vous programmé"),
        ("", "Custom stage 7"),
    ]
    assert deals[0].amount == 48000.0  # "48 000,00"
    assert deals[0].expected_close == dt.date(2024, 9, 30)  # 30/09/2024, day first
    assert deals[1].expected_close == dt.date(2024, 12, 15)
    contacts = read(fixture_path, "hubspot_de_contacts.csv")
    assert [(r.person_key, r.role, r.source_role) for r in contacts.buying_roles] == [
        ("hubspot:contact:101", "decision_maker", "Entscheidungsträger"),
        ("hubspot:contact:101", "decision_maker", "Entscheidungsträger"),
    ]
    # Roles without a deal on the row stay as labels, in the file's own words.
    assert contacts.persons[1].labels == [
        "HubSpot buying role: Blockierer",
        "HubSpot buying role: Endbenutzer",
    ]
    companies = read(fixture_path, "hubspot_de_companies.csv").companies
    assert [c.status for c in companies] == ["customer", "prospect"]
    assert parse_amount("1.234,5") == 1234.5 and parse_amount("48,000.00") == 48000.0


ROWS = {
    "es": (
        "ID de registro,Nombre,Apellidos,Correo,Número de teléfono,Propietario del contacto,"
        "ID de la empresa principal asociada,Cargo,Etapa del ciclo de vida\n"
        "101,Bill,Lumbergh,bill@initech.example,+1 512 555 0101,Sam,5001,VP Operations,Cliente\n"
    ),
    "pt": (
        "ID do registro,Nome,Sobrenome,E-mail,Número de telefone,Proprietário do contato,"
        "ID da empresa principal associada,Cargo,Fase do ciclo de vida\n"
        "101,Bill,Lumbergh,bill@initech.example,+1 512 555 0101,Sam,5001,VP Operations,Cliente\n"
    ),
    "nl": (
        "Record-ID;Voornaam;Achternaam;E-mail;Telefoonnummer;Eigenaar contactpersoon;"
        "ID van primair gekoppeld bedrijf;Functie;Levenscyclusfase\n"
        "101;Bill;Lumbergh;bill@initech.example;+1 512 555 0101;Sam;5001;VP Operations;Klant\n"
    ),
    # Upper case, no accents, a curly apostrophe: the labels still match.
    "fr": (
        "ID DE FICHE D’INFORMATIONS,PRENOM,NOM,E-MAIL,NUMERO DE TELEPHONE,PROPRIETAIRE DU CONTACT,"
        "ID DE L'ENTREPRISE PRINCIPALE ASSOCIEE,INTITULE DU POSTE,PHASE DU CYCLE DE VIE\n"
        "101,Bill,Lumbergh,bill@initech.example,+1 512 555 0101,Sam,5001,VP Operations,Client\n"
    ),
}


@pytest.mark.parametrize("language", sorted(ROWS))
def test_spanish_portuguese_dutch_and_unaccented_french_contacts_map_every_column(language):
    data = ROWS[language].encode("utf-8")

    assert detect(data, filename="hubspot.csv") == "hubspot"
    result = read_file(data, filename="hubspot.csv")
    (bill,) = result.persons
    assert (bill.key, bill.first_name, bill.last_name, bill.emails, bill.phones) == (
        "hubspot:contact:101",
        "Bill",
        "Lumbergh",
        ["bill@initech.example"],
        ["+1 512 555 0101"],
    )
    assert (bill.title, bill.company_key) == ("VP Operations", "hubspot:company:5001")
    assert language_of(data.decode().splitlines()[0].split(";" if language == "nl" else ",")) == language


def test_a_plain_german_address_book_is_not_taken_for_hubspot():
    data = "Vorname;Nachname;E-Mail;Firma;Position\nJürgen;Müller;j@m.example;Müller GmbH;Chef\n".encode()
    assert detect(data, filename="kontakte.csv") == "csv"


def test_the_label_table_covers_every_language_for_the_columns_that_decide_a_record():
    for column in ("id", "first", "last", "email", "company_name", "deal_name", "deal_stage", "owner"):
        assert set(LANGUAGES) <= set(HEADERS[column]), column
    assert label_key(" Numéro  de Téléphone ") == "numero de telephone"
