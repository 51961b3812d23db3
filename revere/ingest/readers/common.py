"""Small helpers shared by the readers: cleaning values, formula cells, dates, e-mail addresses."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from revere.ingest.records import ReaderIssue

EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")
# What a spreadsheet would run: "=...", or "+", "-", "@" followed by a call (a name and a
# parenthesis: "+SUM(", "@HYPERLINK ("), a DDE pipe or a sheet reference. A phone "+49 30 1234",
# "+49 (0)611 123456" or "+1 (302) 556-4395" (parentheses after digits: no call) or a Salesforce
# "@AccountRef1" is not a formula.
_FORMULA_RE = re.compile(r"^\s*(=|[+\-@].*([A-Za-z_.]\s*\(|[|!]))")


def clean(value: object) -> str:
    """A cell as text: None -> "", whitespace trimmed, non-breaking spaces and zero-width marks gone."""
    if value is None:
        return ""
    text = str(value)
    if not text.isascii():
        text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    if "\n" in text:
        return text.strip()
    if "  " in text or "\t" in text or "\r" in text:
        return " ".join(text.split())
    return text.strip()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_formula(value: str) -> bool:
    return bool(value) and value.lstrip()[:1] in ("=", "+", "-", "@") and bool(_FORMULA_RE.match(value))


def formula_issue(line: int | None, column: str, value: str) -> ReaderIssue:
    shown = value if len(value) <= 40 else value[:37] + "..."
    return ReaderIssue(
        line=line,
        message=(
            f"Column {column!r} holds {shown!r}, which a spreadsheet would run as a formula; "
            "it is kept as plain text and never evaluated."
        ),
    )


def valid_email(text: str) -> bool:
    return bool(EMAIL_RE.match(text))


def split_emails(value: str) -> list[str]:
    """E-mail addresses in a cell (several may be joined by ` ::: `, `;` or `,`), lower-cased."""
    simple = value.strip()
    if simple and EMAIL_RE.match(simple) and ":::" not in simple:
        return [simple.lower()]
    out: list[str] = []
    if "<" in value:
        # "Eve <eve@x.com>" or "eve@x.com <frank@x.com>": the address is the one in angle brackets,
        # what stands before it is a display name, even when it looks like an address.
        for segment in re.split(r"\s*(?::::|;|,)\s*", value):
            inside = re.findall(r"<([^<>]+)>", segment)
            for part in inside or segment.split():
                part = part.strip()
                if part.lower().startswith("mailto:"):
                    part = part[7:]
                if part and valid_email(part) and part.lower() not in out:
                    out.append(part.lower())
        return out
    for part in re.split(r"\s*(?::::|;|,|\s)\s*", value):
        part = part.strip().strip("<>").strip()
        if part.lower().startswith("mailto:"):
            part = part[7:]
        if part and valid_email(part):
            low = part.lower()
            if low not in out:
                out.append(low)
    return out


def split_multi(value: str) -> list[str]:
    """Google's ` ::: ` multi-values (also used for phones and labels)."""
    return [p.strip() for p in value.split(":::") if p.strip()]


def domain_of(website: str) -> str:
    """The bare domain of a website or e-mail domain: "https://www.Example.com/x" -> "example.com"."""
    text = website.strip().lower()
    if not text:
        return ""
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = text.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    if text.startswith("www."):
        text = text[4:]
    if "." not in text or " " in text:
        return ""
    return text


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d-%b-%Y",
    "%m/%d/%y",
)


def parse_date(value: str) -> dt.date | None:
    """A date as exports write it (ISO, `02 Jun 2022`, US `6/2/2022`, `2020-12-22T21:16:01Z`, ...)."""
    text = value.strip()
    if not text:
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
        text = text[:10]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    # A date with time: "2024-01-05 10:00", "1/5/2024 10:00 AM".
    head = text.split(" ")[0]
    if head != text:
        return parse_date(head)
    return None


def parse_amount(value: str) -> float | None:
    text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not text:
        return None
    text = re.sub(r"^[A-Z]{3}|[A-Z]{3}$|[$€£¥]", "", text)
    if re.match(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$", text):  # 1.234.567,89
        text = text.replace(".", "").replace(",", ".")
    elif re.match(r"^-?\d+,\d{1,2}$", text):  # 48000,00 (a French "48 000,00" once spaces are gone)
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def split_name(full: str) -> tuple[str, str]:
    """ "Ada Lovelace" -> ("Ada", "Lovelace"); "Lovelace, Ada" -> ("Ada", "Lovelace")."""
    full = full.strip()
    if not full:
        return "", ""
    if "," in full:
        last, _, first = full.partition(",")
        return first.strip(), last.strip()
    parts = full.split()
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]
