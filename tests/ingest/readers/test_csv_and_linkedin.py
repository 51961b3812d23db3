"""Generic CSV and LinkedIn Connections.csv, from synthetic fixtures written from FORMATS.md facts."""

from __future__ import annotations

import datetime as dt

from revere.ingest.readers import ReaderOptions, read_file, suggest_mapping


def by_last(result):
    return {p.last_name: p for p in result.persons}


def test_linkedin_2024_layout_with_notes_preamble_and_url_column_reads_every_quirk(fixture_path):
    result = read_file(fixture_path("linkedin_2024_Connections.csv"), filename="Connections.csv")
    assert result.format == "linkedin"
    assert result.rows_read == 8
    people = by_last(result)
    assert len(result.persons) == 7
    ada = people["Lovelace"]
    assert ada.line == 5
    assert ada.connected_on == dt.date(2022, 6, 2)
    assert ada.title == "Chief Scientist"
    assert ada.emails == ["ada@analytical.example"]
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-lovelace-1815"
    assert people["Nayak"].notes == "Credentials: MSc, MBA, PHR"
    assert people["Okafor"].first_name == 'James "Tyler"'
    assert people["O’Brien"].linkedin_url.endswith("ken-o’brien-4a1b2c")
    assert people["王"].company_name == "内蒙古工业大学"
    assert people["Rossi"].phones == ["+39 02 1234 5678"]
    assert people["Rossi"].company_name == ""


def test_linkedin_hidden_members_are_skipped_and_formula_cells_kept_as_text_with_a_warning(fixture_path):
    result = read_file(fixture_path("linkedin_2024_Connections.csv"), filename="Connections.csv")
    skipped = [i for i in result.issues if i.level == "error"]
    assert [i.line for i in skipped] == [9]
    assert by_last(result)["Mallory"].company_name == '=HYPERLINK("http://evil.example")'
    assert any(i.line == 12 and "formula" in i.message for i in result.issues)


def test_linkedin_2020_layout_without_preamble_or_url_and_with_a_bom_reads(fixture_path):
    result = read_file(fixture_path("linkedin_2020_Connections.csv"), filename="Connections.csv")
    assert result.format == "linkedin"
    assert [p.full_name for p in result.persons] == ["Grace Hopper", "Alan Turing"]
    assert result.persons[0].connected_on == dt.date(2020, 12, 9)
    assert result.persons[1].last_name == "Turing"


def test_generic_csv_detects_semicolons_and_windows_1252(fixture_path):
    result = read_file(fixture_path("generic_semicolon_cp1252.csv"), filename="kontakte.csv")
    assert result.format == "csv"
    jurgen, renee = result.persons
    assert (jurgen.first_name, jurgen.last_name) == ("Jürgen", "Müller")
    assert jurgen.company_name == "Müller & Söhne GmbH"
    assert jurgen.title == "Geschäftsführer"
    assert renee.company_name == "Café Noël SARL"
    assert [c.domains for c in result.companies] == [["mueller-soehne.example"]]
    assert jurgen.company_key == result.companies[0].key


def test_generic_csv_reads_utf16_tab_separated_and_reports_a_bad_email(fixture_path):
    result = read_file(fixture_path("generic_utf16.csv"), filename="export.csv")
    linus, nobody = result.persons
    assert (linus.first_name, linus.last_name) == ("Linus", "Torvalds")
    assert linus.phones == ["+1 503 555 0100"]
    assert nobody.emails == []
    assert any(i.line == 3 and "not an e-mail" in i.message for i in result.issues)


def test_suggest_mapping_matches_aliases_case_insensitively_and_leaves_unknown_headers_out():
    mapping = suggest_mapping(
        ["FIRST NAME", "surname", "E-mail Address", "Job Title", "Shoe size", "Contact: Email"]
    )
    assert mapping == {
        "FIRST NAME": "first_name",
        "surname": "last_name",
        "E-mail Address": "email",
        "Job Title": "title",
        "Contact: Email": "email",
    }


def test_a_user_corrected_mapping_overrides_the_suggestion():
    data = b"Who,Reach,Shoe size\nAda Lovelace,ada@example.org,38\n"
    result = read_file(
        data,
        filename="x.csv",
        format="csv",
        options=ReaderOptions(column_mapping={"Who": "full_name", "reach": "email"}),
    )
    (ada,) = result.persons
    assert (ada.first_name, ada.last_name, ada.emails) == ("Ada", "Lovelace", ["ada@example.org"])


def test_a_german_outlook_style_export_maps_by_its_localized_headers():
    data = (
        "Vorname;Nachname;E-Mail-Adresse;Firma;Position;Abteilung;Telefon geschäftlich;Name des Vorgesetzten\r\n"
        "Anna;Schmidt;anna.schmidt@beispiel.example;Beispiel GmbH;Einkaufsleiterin;Einkauf;+49 30 1234567;Max Weber\r\n"
    ).encode("cp1252")
    (anna,) = read_file(data, filename="Kontakte.csv").persons
    assert (anna.first_name, anna.last_name, anna.emails) == (
        "Anna",
        "Schmidt",
        ["anna.schmidt@beispiel.example"],
    )
    assert (anna.company_name, anna.title, anna.function) == ("Beispiel GmbH", "Einkaufsleiterin", "Einkauf")
    assert (anna.phones, anna.reports_to_name) == (["+49 30 1234567"], "Max Weber")


def test_excel_sep_hint_line_sets_the_delimiter_and_is_not_a_row():
    result = read_file(
        b"sep=;\r\nName;Email;Company\r\nAda Lovelace;ada@example.org;Analytical, Engines\r\n",
        filename="x.csv",
    )
    (ada,) = result.persons
    assert (ada.full_name, ada.company_name, ada.line) == ("Ada Lovelace", "Analytical, Engines", 3)
