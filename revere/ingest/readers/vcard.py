"""vCard 2.1, 3.0 and 4.0, with a tolerant parser of our own.

vobject fails on a third of real exports, so every file goes through this parser, which survives:
folded lines (space or tab), quoted-printable values with soft line breaks (`=` at the end of a
line, the next line not indented), CHARSET parameters, v2.1 bare parameters (`TEL;CELL;PREF`),
Apple `item1.` groups, several EMAIL and TEL, `ORG:Company;Department`, base64 PHOTO/KEY/LOGO data
(indented or not; skipped), embedded AGENT cards, vCard 4 `tel:` URIs and quoted parameter values,
blank lines and cards glued together (`END:VCARDBEGIN:VCARD`).
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass, field

from revere.ingest.readers.common import clean, domain_of, split_emails, split_name
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.records import CompanyRecord, PersonRecord, ReaderIssue, ReadResult, UnreadableFile
from revere.ingest.textio import decode_text

_PROP_RE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?[A-Za-z][A-Za-z0-9-]*(?:;[^:]*)?:")
_BINARY_PROPS = {"PHOTO", "LOGO", "SOUND", "KEY"}


@dataclass
class Prop:
    name: str
    params: dict[str, list[str]]
    value: str
    group: str = ""

    def types(self) -> set[str]:
        return {t.lower() for t in self.params.get("TYPE", [])}


@dataclass
class Card:
    line: int
    props: list[Prop] = field(default_factory=list)

    def all(self, name: str) -> list[Prop]:
        return [p for p in self.props if p.name == name]

    def first(self, name: str) -> str:
        for p in self.props:
            if p.name == name and p.value.strip():
                return p.value
        return ""


def _split_unquoted(text: str, sep: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _parse_params(parts: list[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for part in parts:
        if not part:
            continue
        if "=" in part:
            key, _, val = part.partition("=")
            vals = [v.strip().strip('"') for v in _split_unquoted(val, ",")]
            params.setdefault(key.strip().upper(), []).extend(v for v in vals if v)
        else:
            bare = part.strip().upper()
            if bare in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                params.setdefault("ENCODING", []).append(bare)
            else:
                params.setdefault("TYPE", []).append(bare)
    return params


def _is_qp(params: dict[str, list[str]]) -> bool:
    return any(v.upper() == "QUOTED-PRINTABLE" for v in params.get("ENCODING", []))


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfold: (first physical line number, logical line) for every property line."""
    out: list[tuple[int, str]] = []
    text = re.sub(r"(?i)END:VCARD(?=BEGIN:VCARD)", "END:VCARD\n", text)
    qp_open = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            qp_open = False
            continue
        if out and qp_open:
            # Quoted-printable soft break: the previous value ended with "=".
            out[-1] = (out[-1][0], out[-1][1][:-1] + line.lstrip(" \t"))
            qp_open = out[-1][1].endswith("=")
            continue
        if line[0] in " \t" and out:
            out[-1] = (out[-1][0], out[-1][1] + line[1:])
        elif out and not _PROP_RE.match(line):
            # Not a property: an unindented continuation (iPhone base64, Lotus Notes text).
            out[-1] = (out[-1][0], out[-1][1] + line)
        else:
            out.append((number, line))
        head = out[-1][1].split(":", 1)[0].upper()
        qp_open = "QUOTED-PRINTABLE" in head and out[-1][1].endswith("=")
    return out


def _decode_qp(value: str, charset: str) -> str:
    raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
    for enc in (charset, "utf-8", "cp1252"):
        try:
            return raw.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")


def _unescape(value: str) -> str:
    return re.sub(r"\\([nN,;:\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _split_structured(value: str) -> list[str]:
    """N, ADR, ORG: fields split at unescaped `;`."""
    parts = re.split(r"(?<!\\);", value)
    return [_unescape(p).strip() for p in parts]


def parse_cards(text: str, *, max_cards: int) -> tuple[list[Card], list[ReaderIssue]]:
    cards: list[Card] = []
    issues: list[ReaderIssue] = []
    current: Card | None = None
    depth = 0
    for number, line in _logical_lines(text):
        name_part, sep, value = line.partition(":")
        if not sep:
            if current is not None:
                issues.append(ReaderIssue(number, f"Line {line[:40]!r} is not a vCard property; ignored."))
            continue
        pieces = _split_unquoted(name_part, ";")
        full_name = pieces[0].strip()
        group, _, prop_name = full_name.rpartition(".")
        prop_name = prop_name.upper()
        if prop_name == "BEGIN" and value.strip().upper() == "VCARD":
            if current is not None:
                depth += 1  # an embedded AGENT card: skipped
                continue
            if len(cards) >= max_cards:
                raise UnreadableFile(
                    f"The file has more than {max_cards:,} cards, the limit; split it.", line=number
                )
            current = Card(line=number)
            continue
        if prop_name == "END" and value.strip().upper() == "VCARD":
            if depth:
                depth -= 1
                continue
            if current is not None:
                cards.append(current)
            current = None
            continue
        if current is None or depth:
            continue
        if prop_name in _BINARY_PROPS:
            continue
        params = _parse_params(pieces[1:])
        if _is_qp(params):
            charset = (params.get("CHARSET") or ["utf-8"])[0]
            value = _decode_qp(value, charset)
        current.props.append(Prop(prop_name, params, value, group))
    if current is not None:
        raise UnreadableFile(
            f"The vCard file is truncated: the card starting on line {current.line} has no END:VCARD.",
            line=current.line,
        )
    return cards, issues


def _person(card: Card) -> PersonRecord | None:
    n = _split_structured(card.first("N")) if card.first("N") else []
    last = n[0] if n else ""
    first = n[1] if len(n) > 1 else ""
    fn = _unescape(card.first("FN")).strip()
    if not first and not last and fn:
        first, last = split_name(fn)
    emails: list[str] = []
    for p in card.all("EMAIL"):
        emails.extend(e for e in split_emails(_unescape(p.value)) if e not in emails)
    phones: list[str] = []
    for p in card.all("TEL"):
        v = _unescape(p.value).strip()
        if v.lower().startswith("tel:"):
            v = v[4:].split(";", 1)[0]
        if v and v not in phones:
            phones.append(v)
    org = _split_structured(card.first("ORG")) if card.first("ORG") else []
    company = org[0] if org else ""
    department = next((d for d in org[1:] if d), "")
    linkedin = ""
    for p in card.all("URL") + card.all("X-SOCIALPROFILE"):
        if "linkedin.com/" in p.value.lower():
            linkedin = _unescape(p.value).strip()
            break
    location = region = ""
    for p in card.all("ADR"):
        adr = _split_structured(p.value)
        if len(adr) > 3 and adr[3] and not location:
            location = adr[3]
        if len(adr) > 6 and adr[6] and not region:
            region = adr[6]
    labels: list[str] = []
    for p in card.all("CATEGORIES"):
        labels.extend(
            c.strip()
            for c in re.split(r"(?<!\\),", _unescape(p.value))
            if c.strip() and c.strip() not in labels
        )
    labels = [lbl for lbl in labels if lbl.lower() not in ("my contacts", "mycontacts")]
    full = fn or " ".join(x for x in (first, last) if x)
    if not full and not emails:
        return None
    manager = card.first("X-MS-MANAGER") or card.first("X-MANAGER") or card.first("X-EVOLUTION-MANAGER")
    if not manager:
        # Apple: item20.X-ABRELATEDNAMES:Name + item20.X-ABLabel:_$!<Manager>!$_
        labels_by_group = {p.group.lower(): p.value.lower() for p in card.all("X-ABLABEL") if p.group}
        manager = next(
            (
                p.value
                for p in card.all("X-ABRELATEDNAMES")
                if p.group and "manager" in labels_by_group.get(p.group.lower(), "")
            ),
            "",
        )
    return PersonRecord(
        key=emails[0] if emails else f"line:{card.line}",
        line=card.line,
        first_name=clean(first),
        last_name=clean(last),
        full_name=clean(full) or emails[0],
        emails=emails,
        phones=phones,
        company_name=clean(company),
        title=clean(_unescape(card.first("TITLE"))) or clean(_unescape(card.first("ROLE"))),
        function=clean(department),
        location=clean(location),
        region=clean(region),
        linkedin_url=linkedin,
        reports_to_name=clean(_unescape(manager)),
        labels=labels,
        notes=_unescape(card.first("NOTE")).strip(),
        source="vcard",
    )


def _kind(card: Card) -> str:
    """ "" for a person's card; "org", "group", "location" for the others.

    vCard 4 says KIND (individual by default); Apple's address book marks a company's own card
    ``X-ABShowAs:COMPANY``; 3.0 cards from CardDAV servers write ``X-ADDRESSBOOKSERVER-KIND:group``.
    A company card read as a person made "Sakura Robotics K.K." a person named Sakura Robotics.
    """
    kind = (card.first("KIND") or card.first("X-ADDRESSBOOKSERVER-KIND")).strip().lower()
    if card.first("X-ABSHOWAS").strip().upper() == "COMPANY":
        kind = "org"
    if kind in ("org", "organization"):
        return "org"
    return kind if kind in ("group", "location") else ""


def _company(card: Card) -> CompanyRecord | None:
    """A company's own card as the company: its name, and its website's or addresses' domains."""
    org = _split_structured(card.first("ORG")) if card.first("ORG") else []
    name = clean(org[0] if org else "") or clean(_unescape(card.first("FN")))
    if not name:
        return None
    domains: list[str] = []
    for value in [p.value for p in card.all("URL")] + [
        e for p in card.all("EMAIL") for e in split_emails(_unescape(p.value))
    ]:
        domain = domain_of(_unescape(value))
        if domain and domain not in domains and "linkedin.com" not in domain:
            domains.append(domain)
    region = next((a[6] for p in card.all("ADR") if len(a := _split_structured(p.value)) > 6 and a[6]), "")
    return CompanyRecord(
        key=f"vcard-org:{card.line}",
        name=name,
        line=card.line,
        domains=domains,
        region=clean(region),
        source="vcard",
    )


def read(data: bytes, options: ReaderOptions) -> ReadResult:
    text, _ = decode_text(data, what="vCard file")
    if "BEGIN:VCARD" not in text.upper():
        raise UnreadableFile("This is not a vCard file: it has no BEGIN:VCARD.")
    cards, issues = parse_cards(text, max_cards=options.max_rows)
    result = ReadResult(format="vcard", rows_read=len(cards), issues=issues)
    for card in cards:
        kind = _kind(card)
        if kind == "org":
            company = _company(card)
            if company is not None:
                result.companies.append(company)
                continue
        elif kind:
            result.issues.append(
                ReaderIssue(card.line, f"Skipped: a {kind} card (KIND:{kind}), not a person.", "error")
            )
            continue
        person = _person(card)
        if person is None:
            result.issues.append(
                ReaderIssue(card.line, "Skipped: a card with no name and no e-mail address.", "error")
            )
            continue
        result.persons.append(person)
    if not cards:
        raise UnreadableFile("The vCard file holds no complete card.")
    return result
