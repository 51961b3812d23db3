"""Column mapping for contact CSVs: header aliases, the suggestion the user corrects, rows to persons."""

from __future__ import annotations

import re

from revere.ingest.readers.common import parse_date, split_emails, split_multi, split_name
from revere.ingest.readers.table import Row
from revere.ingest.records import PersonRecord, ReaderIssue

# The fields a column can map onto (the mapping UI lists these), with the aliases that suggest them.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    # English first, then the German, French and Spanish labels localized exports use.
    "first_name": (
        "first name", "firstname", "given name", "forename", "first",
        "vorname", "prenom", "prénom", "nombre", "voornaam", "nome",
    ),
    "last_name": (
        "last name", "lastname", "surname", "family name", "last",
        "nachname", "nom", "nom de famille", "apellido", "apellidos", "achternaam", "cognome",
    ),
    "full_name": ("name", "full name", "fullname", "display name", "contact name", "contact", "file as", "nom complet"),
    "email": (
        "email", "e-mail", "email address", "e-mail address", "mail", "email 1", "e-mail 1 - value",
        "work email", "business email", "personal email", "primary email", "e-mail 2 address",
        "e-mail 3 address", "email 2", "email 3", "e-mail 2 - value", "e-mail 3 - value",
        "e-mail-adresse", "e-mail adresse", "adresse e-mail", "adresse email", "courriel",
        "correo", "correo electrónico", "correo electronico",
        # Outlook's own export in German, French, Spanish, Dutch, Italian (E-mail Address, E-mail 2...)
        "e-mail 2: adresse", "e-mail 3: adresse", "adresse de messagerie", "adresse de messagerie 2",
        "adresse de messagerie 3", "dirección de correo electrónico", "dirección de correo electrónico 2",
        "dirección de correo electrónico 3", "e-mailadres", "e-mailadres 2", "e-mailadres 3",
        "indirizzo posta elettronica", "indirizzo posta elettronica 2", "indirizzo posta elettronica 3",
    ),
    "phone": (
        "phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "business phone",
        "work phone", "cell", "cell phone", "primary phone", "home phone", "phone 1 - value",
        "phone 2 - value", "mobilephone", "direct phone",
        "telefon", "mobiltelefon", "telefon geschäftlich", "handy", "téléphone", "portable", "teléfono", "móvil",
        "telefon geschäftlich 2", "telefon privat", "telefon (privat)", "hauptnummer der firma",
        "téléphone (bureau)", "téléphone bureau", "tél. mobile", "téléphone mobile", "téléphone (domicile)",
        "teléfono del trabajo", "teléfono móvil", "teléfono particular", "telefoon op werk", "mobiele telefoon",
        "telefono ufficio", "cellulare", "telefono abitazione",
    ),
    "company": (
        "company", "company name", "organization", "organisation", "organization name",
        "employer", "account", "account name", "firm", "firma", "organization 1 - name",
        "unternehmen", "société", "societe", "entreprise", "empresa", "organización", "compañía",
        "bedrijf", "società",
    ),
    "company_domain": (
        "website", "web site", "domain", "company domain", "company domain name", "company website",
        "webseite", "site web", "sitio web",
    ),
    "title": (
        "title", "job title", "jobtitle", "position", "organization title", "organization 1 - title", "role",
        "berufsbezeichnung", "funktion", "poste", "fonction", "cargo", "puesto",
        "titre du poste", "functie", "posizione",
    ),
    "function": (
        "department", "function", "organization department", "organization 1 - department",
        "abteilung", "service", "département", "departamento",
    ),
    "location": (
        "city", "location", "business city", "town", "office location", "ort", "stadt", "ville", "ciudad",
        "ort geschäftlich", "ville (bureau)", "ciudad del trabajo", "plaats (werk)", "città (uff.)",
    ),
    "region": (
        "country", "region", "country/region", "business country", "business country/region",
        "land", "land/region", "pays", "país",
        "land/region geschäftlich", "pays/région (bureau)", "pays/région", "país o región del trabajo",
        "land/regio (werk)", "paese (uff.)",
    ),
    "linkedin_url": ("linkedin", "linkedin url", "linkedin profile", "profile url", "url"),
    "notes": ("notes", "note", "comments", "comment", "description", "notizen", "bemerkungen", "notas"),
    "labels": ("labels", "tags", "categories", "category", "groups", "group membership", "lists", "kategorien", "catégories"),
    "connected_on": ("connected on", "connected", "connection date", "since"),
    "reports_to_name": ("manager", "manager's name", "managers name", "reports to", "name des vorgesetzten", "vorgesetzter"),
    "referred_by_name": ("referred by", "introduced by", "referrer", "empfohlen von"),
    "external_id": ("id", "record id", "contact id", "external id"),
}  # fmt: skip
FIELDS: tuple[str, ...] = (*FIELD_ALIASES, "ignore")


def norm_header(header: str) -> str:
    h = header.strip().lower().replace("\u2019", "'").replace("_", " ")
    return re.sub(r"\s+", " ", h)


_ALIAS_INDEX: dict[str, str] = {alias: f for f, aliases in FIELD_ALIASES.items() for alias in aliases}


def suggest_mapping(headers: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Header -> field for every header an alias recognises (case-insensitive); others are left out.

    "Contact: First Name" style prefixes (Salesforce reports) are tried without the prefix too.
    """
    mapping: dict[str, str] = {}
    for header in headers:
        h = norm_header(header)
        fld = _ALIAS_INDEX.get(h)
        if fld is None and ":" in h:
            fld = _ALIAS_INDEX.get(h.split(":", 1)[1].strip())
        if fld is None:
            compact = h.replace(" ", "").replace("-", "")
            fld = next(
                (f for a, f in _ALIAS_INDEX.items() if a.replace(" ", "").replace("-", "") == compact), None
            )
        if fld is not None:
            mapping[header] = fld
    return mapping


def effective_mapping(headers: list[str], user_mapping: dict[str, str] | None) -> dict[str, str]:
    mapping = suggest_mapping(headers)
    if user_mapping:
        for header, fld in user_mapping.items():
            match = next((h for h in headers if h == header), None) or next(
                (h for h in headers if h.lower() == header.lower()), None
            )
            if match is None:
                continue
            if fld in ("", "ignore"):
                mapping.pop(match, None)
            else:
                mapping[match] = fld
    return mapping


def email_columns(headers: list[str], rows: list[Row], *, taken: set[str]) -> list[str]:
    """Columns no alias names whose every value is one e-mail address: e-mail columns, in any language.

    An address book exported in a language the aliases do not know ("Adresse de messagerie 2",
    "E-Mail 3: Adresse", "Sähköposti") lost its addresses, and with them the persons' identity,
    while the values say what the column is. ``taken``: the columns mapped (or ignored) already.
    """
    from revere.ingest.readers.common import valid_email

    taken_low = {t.lower() for t in taken}
    found = []
    for header in headers:
        if header.lower() in taken_low:
            continue
        values = [v for row in rows if (v := row.values.get(header, ""))]
        if values and all(valid_email(v) for v in values):
            found.append(header)
    return found


_TEXT_FIELDS = {"first_name", "last_name", "full_name", "title", "function", "location", "region"}
_TEXT_FIELDS |= {"linkedin_url", "notes", "reports_to_name", "referred_by_name"}


def person_from_row(
    row: Row, mapping: dict[str, str], *, source: str
) -> tuple[PersonRecord | None, list[ReaderIssue]]:
    """A PersonRecord from a mapped row; None (with the reason) when the row names nobody."""
    issues: list[ReaderIssue] = []
    text: dict[str, str] = {}
    emails: list[str] = []
    phones: list[str] = []
    labels: list[str] = []
    connected_on = None
    values = row.values
    for header, fld in mapping.items():
        value = values.get(header, "")
        if not value:
            continue
        if fld == "email":
            found = split_emails(value)
            if not found:
                issues.append(
                    ReaderIssue(row.line, f"{value!r} in {header!r} is not an e-mail address; ignored.")
                )
            emails.extend(e for e in found if e not in emails)
        elif fld == "phone":
            phones.extend(v for v in split_multi(value) if v not in phones)
        elif fld == "labels":
            labels.extend(v for v in re.split(r"\s*(?::::|;)\s*", value) if v and v not in labels)
        elif fld == "connected_on":
            d = parse_date(value)
            if d is None:
                issues.append(ReaderIssue(row.line, f"{value!r} in {header!r} is not a date; ignored."))
            connected_on = connected_on or d
        elif fld in _TEXT_FIELDS or fld in ("company", "external_id"):
            text.setdefault(fld, value)
    first, last, full = text.get("first_name", ""), text.get("last_name", ""), text.get("full_name", "")
    if not first and not last and full:
        first, last = split_name(full)
    if not full:
        full = " ".join(x for x in (first, last) if x)
    if not full and not emails:
        if phones:
            issues.append(ReaderIssue(row.line, "Skipped: a phone number but no name or e-mail.", "error"))
        else:
            issues.append(ReaderIssue(row.line, "Skipped: no name and no e-mail address.", "error"))
        return None, issues
    person = PersonRecord(
        key=f"line:{row.line}",
        line=row.line,
        first_name=first,
        last_name=last,
        full_name=full or emails[0],
        emails=emails,
        phones=phones,
        company_name=text.get("company", ""),
        title=text.get("title", ""),
        function=text.get("function", ""),
        location=text.get("location", ""),
        region=text.get("region", ""),
        linkedin_url=text.get("linkedin_url", ""),
        reports_to_name=text.get("reports_to_name", ""),
        referred_by_name=text.get("referred_by_name", ""),
        connected_on=connected_on,
        labels=labels,
        notes=text.get("notes", ""),
        source=source,
        external_id=text.get("external_id", ""),
    )
    return person, issues
