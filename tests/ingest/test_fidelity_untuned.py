"""Import fidelity, second pass (issue 13, points 4 and 6): files from exporters nobody tuned for.

Each file here is written as its exporter writes it (FORMATS.md, and the exporters' own habits),
with the reason it came out wrong before the fix:

* Outlook's own export in French or German names its columns in that language ("Adresse de
  messagerie", "E-Mail 2: Adresse", "Téléphone (bureau)", "Pays/Région (bureau)"): the generic
  reader kept the names and lost every address, phone and country (persons without identity);
* a phone written "+49 (0)711 123456" or "+1 (302) 556-4395" was reported as a formula cell;
* Apple Calendar writes an attendee as ``urn:uuid:…`` with the address in ``EMAIL=``: left out;
* a company's own card (Apple's ``X-ABShowAs:COMPANY``, vCard 4's ``KIND:org``) became a person
  named after the company, and a ``KIND:group`` card a person named "Board";
* a subject split into encoded words in the middle of a character, or cut short, came out as
  Windows-1252 debris ("broken â‚");
* LinkedIn's doubled quotes in an unquoted cell (``James ""Tyler""``) stayed in the first name.
"""

from __future__ import annotations

import pytest

from revere.contacts.models import Company, CompanyDomain, Person, PersonEmail, PersonPhone
from revere.ingest.readers import read_file
from revere.ingest.readers.mailheaders import header_text
from revere.ingest.service import Upload, import_files
from revere.network.models import InteractionParticipant

# -- Outlook in other languages ------------------------------------------------------------------

OUTLOOK_FR = (
    "Prénom,Deuxième prénom,Nom,Titre,Suffixe,Société,Service,Titre du poste,Ville (bureau),"
    "Pays/Région (bureau),Téléphone (bureau),Tél. mobile,Adresse de messagerie,"
    "Nom complet de l'adresse de messagerie,Adresse de messagerie 2\r\n"
    "Hélène,,Dubois,Mme,,Société Générale,Achats,Directrice des achats,Paris,France,01 42 14 20 00,"
    "06 12 34 56 78,helene.dubois@socgen.com,Hélène Dubois (helene.dubois@socgen.com),\r\n"
    "François,,Lefèvre,M.,,Société Générale,,Acheteur,Paris,France,+33 (0)1 42 14 20 01,,"
    "francois.lefevre@socgen.com,,f.lefevre@orange.fr\r\n"
).encode("utf-16")  # Outlook's "Unicode" CSV: UTF-16 with its BOM
OUTLOOK_DE = (
    '"Anrede","Vorname","Nachname","Firma","Position","Ort geschäftlich","Land/Region geschäftlich",'
    '"Telefon geschäftlich","Mobiltelefon","E-Mail-Adresse","E-Mail-Typ","E-Mail: Angezeigter Name",'
    '"E-Mail 2: Adresse"\r\n'
    '"Frau","Anja","Groß","Müller & Söhne GmbH","Vertriebsleiterin","Stuttgart","Deutschland",'
    '"0711 123457","0171 23456789","a.gross@mueller-soehne.de","SMTP","Anja Groß (a.gross@mueller-soehne.de)",'
    '"anja.gross@web.de"\r\n'
).encode("cp1252")


def people(member) -> dict[str, tuple[list[str], list[str], str, str]]:
    out = {}
    for p in Person.unrestricted.filter(organization=member.organization).exclude(pk=member.person_id):
        emails = sorted(PersonEmail.unrestricted.filter(person=p).values_list("email", flat=True))
        phones = sorted(PersonPhone.unrestricted.filter(person=p).values_list("e164", flat=True))
        out[p.full_name] = (emails, phones, p.title, p.location)
    return out


@pytest.mark.django_db
def test_a_french_outlook_export_keeps_addresses_phones_titles_and_countries(member):
    report = import_files(member=member, uploads=[Upload("contacts.csv", OUTLOOK_FR)], recompute=False)

    assert report.counts()["errors"] == 0
    assert people(member) == {
        "Hélène Dubois": (
            ["helene.dubois@socgen.com"], ["+33142142000", "+33612345678"], "Directrice des achats", "Paris",
        ),
        "François Lefèvre": (
            ["f.lefevre@orange.fr", "francois.lefevre@socgen.com"], ["+33142142001"], "Acheteur", "Paris",
        ),
    }  # fmt: skip
    company = Company.unrestricted.get(organization=member.organization, name="Société Générale")
    assert list(CompanyDomain.unrestricted.filter(company=company).values_list("domain", flat=True)) == [
        "socgen.com"
    ]  # orange.fr is mail anyone has: never the company's


@pytest.mark.django_db
def test_a_german_outlook_export_reads_its_second_address_and_the_rows_country(member):
    import_files(member=member, uploads=[Upload("Kontakte.csv", OUTLOOK_DE)], recompute=False)

    assert people(member) == {
        "Anja Groß": (
            ["a.gross@mueller-soehne.de", "anja.gross@web.de"],
            ["+4917123456789", "+49711123457"],  # Deutschland on the row: no +1, no number as written
            "Vertriebsleiterin",
            "Stuttgart",
        )
    }


def test_a_column_whose_every_value_is_an_address_is_read_as_addresses_in_any_language():
    data = "Etunimi,Sukunimi,Sähköposti\nAino,Virtanen,aino@virtanen-oy.fi\nEero,Laine,\n".encode()
    result = read_file(data, filename="yhteystiedot.csv")
    assert [p.emails for p in result.persons] == [["aino@virtanen-oy.fi"]]  # Eero: no name column known
    assert any("Read as e-mail addresses" in i.message and "Sähköposti" in i.message for i in result.issues)

    # A mapping given by hand wins: a column the member ignores stays ignored.
    from revere.ingest.readers import ReaderOptions

    told = ReaderOptions(column_mapping={"Etunimi": "first_name", "Sähköposti": "ignore"})
    assert [p.emails for p in read_file(data, filename="y.csv", options=told).persons] == [[], []]


@pytest.mark.parametrize("phone", ["+49 (0)711 123456", "+1 (302) 556-4395", "+44 (0) 20 7946 0958"])
def test_a_phone_with_parentheses_is_no_formula(phone):
    result = read_file(f'Name,Email,Phone\nAda,ada@lovelace-ltd.co.uk,"{phone}"\n'.encode(), filename="c.csv")
    assert not [i for i in result.issues if "formula" in i.message]
    assert result.persons[0].phones == [phone]


@pytest.mark.parametrize("cell", ["+SUM(A1:A9)", '-HYPERLINK ("http://x")', "@cmd|' /C calc'!A0", "=1+1"])
def test_a_call_a_pipe_or_an_equals_sign_still_is_a_formula(cell):
    data = f'Name,Email,Phone\nAda,ada@lovelace-ltd.co.uk,"{cell.replace(chr(34), chr(34) * 2)}"\n'.encode()
    assert [i.line for i in read_file(data, filename="c.csv").issues if "formula" in i.message] == [2]


# -- Apple Calendar's attendees --------------------------------------------------------------------

APPLE_ICS = (
    b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Apple Inc.//macOS 14.2//EN\nCALSCALE:GREGORIAN\n"
    b"BEGIN:VEVENT\nDTSTART;TZID=America/New_York:20250120T140000\nDTEND;TZID=America/New_York:20250120T150000\n"
    b"ORGANIZER;CN=Tom Hale;EMAIL=tom.hale@hale-partners.com:mailto:tom.hale@hale-partners.com\n"
    b"ATTENDEE;CN=Tom Hale;CUTYPE=INDIVIDUAL;EMAIL=tom.hale@hale-partners.com;PARTSTAT=ACCEPTED;ROLE=CHAIR:"
    b"mailto:tom.hale@hale-partners.com\n"
    b"ATTENDEE;CN=Niklas Berg;CUTYPE=INDIVIDUAL;EMAIL=niklas.berg@lindqvist.se;PARTSTAT=TENTATIVE:"
    b"urn:uuid:1F4C2D9A-1234-4ABC-9DEF-0123456789AB\n"
    b"ATTENDEE;CN=Sala 3;CUTYPE=ROOM;EMAIL=sala3@hale-partners.com:urn:uuid:2A4C2D9A-1234-4ABC-9DEF-0123456789AB\n"
    b"SUMMARY:Lindqvist intro call\nUID:5B0D6B12-5E44-4C9A-8B6A-6E4E0F3C9A11\n"
    b"BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT15M\nDESCRIPTION:Reminder\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n"
)


def test_an_attendee_written_as_a_urn_with_its_address_in_email_is_read():
    meeting = read_file(APPLE_ICS, filename="Work.ics").interactions[0]
    assert meeting.participants == {
        "tom.hale@hale-partners.com": "Tom Hale",
        "niklas.berg@lindqvist.se": "Niklas Berg",
    }
    assert meeting.key == "5B0D6B12-5E44-4C9A-8B6A-6E4E0F3C9A11/20250120T190000Z"  # EST, UTC-5


# -- company and group cards -------------------------------------------------------------------------

APPLE_VCF = (
    "\ufeffBEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//iPhone OS 17.2//EN\nN:Nakamura;Haruto;;;\n"
    "FN:Haruto Nakamura\nORG:Sakura Robotics K.K.;Sales\nTITLE:Country Manager\n"
    "item1.EMAIL;type=INTERNET;type=pref:haruto.nakamura@sakura-robotics.co.jp\nitem1.X-ABLabel:_$!<Work>!$_\n"
    "TEL;type=CELL;type=VOICE;type=pref:+81 90-1234-5678\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nFN:Sakura Robotics K.K.\nORG:Sakura Robotics K.K.;\nX-ABShowAs:COMPANY\n"
    "item1.EMAIL;type=INTERNET;type=pref:info@sakura-robotics.co.jp\nitem2.URL:https://www.sakura-robotics.co.jp/en\n"
    "TEL;type=MAIN:+81 3-1234-0000\nitem3.ADR;type=WORK:;;1-1 Marunouchi;Chiyoda-ku;Tokyo;100-0005;Japan\n"
    "END:VCARD\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Lagos Fintech Ltd\r\nEMAIL:hello@gmail.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Board\r\n"
    "MEMBER:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\nEND:VCARD\r\n"
).encode()


def test_a_company_card_is_a_company_and_a_group_card_no_one():
    result = read_file(APPLE_VCF, filename="Contacts.vcf")

    assert [p.full_name for p in result.persons] == ["Haruto Nakamura"]
    assert [(c.name, c.domains, c.region) for c in result.companies] == [
        ("Sakura Robotics K.K.", ["sakura-robotics.co.jp"], "Japan"),
        ("Lagos Fintech Ltd", ["gmail.com"], ""),  # the import refuses free mail as a domain
    ]
    assert any(i.level == "error" and "group card" in i.message for i in result.issues)


@pytest.mark.django_db
def test_an_address_book_with_a_company_card_imports_the_company_once_with_its_domain(member):
    report = import_files(member=member, uploads=[Upload("Contacts.vcf", APPLE_VCF)], recompute=False)

    org = member.organization
    assert list(Person.unrestricted.filter(organization=org).exclude(pk=member.person_id).values_list(
        "full_name", "company__name"
    )) == [("Haruto Nakamura", "Sakura Robotics K.K.")]  # fmt: skip
    sakura = Company.unrestricted.get(organization=org, name="Sakura Robotics K.K.")
    assert list(CompanyDomain.unrestricted.filter(company=sakura).values_list("domain", flat=True)) == [
        "sakura-robotics.co.jp"
    ]
    lagos = Company.unrestricted.get(organization=org, name="Lagos Fintech Ltd")
    assert not CompanyDomain.unrestricted.filter(company=lagos).exists()
    assert report.counts()["errors"] == 1  # the group card, reported


# -- encoded words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "text"),
    [
        # Outlook and others cut a long subject into words where the line ends, mid-character too.
        ("=?utf-8?q?Gr=C3?= =?utf-8?q?=BC=C3=9Fe_aus_K=C3?=\r\n =?utf-8?q?=B6ln?=", "Grüße aus Köln"),
        ("=?utf-8?b?4oKs?= =?utf-8?b?IDUw?=", "€ 50"),
        ("=?utf-8?q?broken_=E2=82?=", "broken"),  # cut short: the cut character only is lost
        ("=?utf-8?q?Ren=E9?=", "René"),  # Windows-1252 labelled UTF-8: read as what it is
        ("=?utf-8?b?5L2Q6Jek?= =?iso-8859-1?q?_und_J=F6rg?=", "佐藤 und Jörg"),
        ("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard"),
    ],
)
def test_encoded_words_are_decoded_as_one_run_of_bytes_per_charset(header, text):
    assert header_text(header) == text


@pytest.mark.django_db
def test_a_subject_cut_mid_character_is_imported_whole(member):
    mail = (
        b"From: Ana Costa <ana@northwind-traders.com>\r\nTo: Bruno Alves <bruno@contoso-pt.com>\r\n"
        b"Subject: =?utf-8?q?Reuni=C3?=\r\n =?utf-8?q?=A3o_de_or=C3=A7amento?=\r\n"
        b"Date: Tue, 7 Jan 2025 10:00:00 +0000\r\nMessage-ID: <r1@northwind-traders.com>\r\n\r\nx\r\n"
    )
    report = import_files(member=member, uploads=[Upload("m.eml", mail)], recompute=False)
    assert [r.label for r in report.rows if r.kind == "interaction"] == ["Reunião de orçamento"]
    assert InteractionParticipant.unrestricted.count() == 2


# -- LinkedIn's doubled quotes -------------------------------------------------------------------------


def test_doubled_quotes_left_in_an_unquoted_cell_are_one_quote():
    data = (
        b'Notes:\n"When exporting your connection data, you may notice..."\n\n'
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b'James ""Tyler"",Brooks ,https://www.linkedin.com/in/jtbrooks,,Brooks Consulting,Owner,15 Jan 2023\n'
    )
    person = read_file(data, filename="Connections.csv").persons[0]
    assert (person.first_name, person.last_name, person.full_name) == (
        'James "Tyler"',
        "Brooks",
        'James "Tyler" Brooks',
    )


# -- legacy charsets -------------------------------------------------------------------------------

WESTERN = ["Jürgen Weiß,Müller & Söhne GmbH", "Hélène Dubois,Société Générale", "François Lefèvre,Genève SA",
           "José Núñez,Núñez y Cía", "Søren Ærø,Bjørn Åsheim A/S", "Niccolò Papà,Città di Forlì"]  # fmt: skip


@pytest.mark.parametrize("rows", [1, 2, 6, 60])
def test_a_western_file_in_windows_1252_is_read_as_windows_1252_whatever_its_size(rows):
    """charset-normalizer read a German file's one "Schröder" as HP Roman-8 ("Schr—der"), and
    Western files of any size as Windows-1250 ("Lefčvre", "Núńez") or cp775."""
    text = "Name,Company\n" + "".join(f"{WESTERN[i % len(WESTERN)]}\n" for i in range(rows))
    result = read_file(text.encode("cp1252"), filename="contacts.csv")
    assert [(p.full_name, p.company_name) for p in result.persons] == [
        tuple(WESTERN[i % len(WESTERN)].split(",")) for i in range(rows)
    ]


@pytest.mark.parametrize(
    ("names", "encoding"),
    [
        (["Łukasz Żółkiewski", "Zdzisław Wrocławski", "Antonín Dvořák"], "cp1250"),
        (["Иван Петров", "Мария Иванова", "Ольга Смирнова"], "cp1251"),
        (["Γιώργος Παπαδόπουλος", "Ελένη Νικολάου", "Νίκος Αθηναίος"], "cp1253"),
    ],
)
def test_other_windows_code_pages_are_still_found(names, encoding):
    text = "Name,Email\n" + "".join(f"{n},p{i}@firma.eu\n" for i, n in enumerate(names))
    assert [p.full_name for p in read_file(text.encode(encoding), filename="c.csv").persons] == names


def test_a_utf8_file_with_rows_appended_in_windows_1252_is_read_line_by_line():
    data = "Name,Email\nJosé Núñez,jose@nunez-sa.es\n".encode() + "Zoë Faure,zoe@faure-sa.fr\n".encode(
        "cp1252"
    )
    assert [p.full_name for p in read_file(data, filename="c.csv").persons] == ["José Núñez", "Zoë Faure"]


# -- a domain that writes the umlauts out ----------------------------------------------------------


@pytest.mark.django_db
def test_a_german_companys_domain_with_its_umlauts_written_out_reads_as_its_name(member):
    """'mueller-soehne.de' did not read as "Müller & Söhne GmbH" (muller and sohne): one address there
    did not teach the domain, and colleagues writing from it later were placed nowhere."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Weiß;Jürgen;;;\r\nFN:Jürgen Weiß\r\nORG:Müller & Söhne GmbH;Einkauf\r\n"
        "EMAIL;TYPE=WORK:j.weiss@mueller-soehne.de\r\nEND:VCARD\r\n"
    ).encode()
    mail = (
        b"From: Anja Gross <a.gross@mueller-soehne.de>\r\nTo: j.weiss@mueller-soehne.de\r\nSubject: x\r\n"
        b"Date: Tue, 7 Jan 2025 10:00:00 +0100\r\nMessage-ID: <m1@mueller-soehne.de>\r\n\r\nx\r\n"
    )
    import_files(member=member, uploads=[Upload("c.vcf", card), Upload("m.eml", mail)], recompute=False)

    company = Company.unrestricted.get(organization=member.organization, name="Müller & Söhne GmbH")
    assert list(CompanyDomain.unrestricted.filter(company=company).values_list("domain", flat=True)) == [
        "mueller-soehne.de"
    ]
    assert Person.unrestricted.get(full_name="Anja Gross").company_id == company.pk


@pytest.mark.django_db
def test_an_excel_workbook_named_csv_is_refused_with_what_to_do_and_nothing_written(member):
    import io
    import zipfile

    from revere.ingest.service import ImportRefused

    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ImportRefused, match=r"Excel workbook \(\.xlsx\): save it as CSV"):
        import_files(member=member, uploads=[Upload("Connections.csv", workbook.getvalue())], recompute=False)
    assert not Person.unrestricted.exclude(pk=member.person_id).exists()
