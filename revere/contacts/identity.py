"""Identity resolution: the keys that say two records are one person or one company.

Pure functions (no database): normalization of e-mails, phones, person and company names,
domains; name similarity with rapidfuzz; and the thresholds the import service and the merge
review use. docs/identity.md explains each rule and threshold.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import unquote, urlsplit

import phonenumbers
from rapidfuzz import fuzz

from revere.contacts.domains import can_name_a_company

# Two names at least this similar (rapidfuzz token_sort_ratio, 0..100) are "similar": with the
# same phone number that is a certain match.
NAME_SIMILAR_WITH_PHONE = 85.0
# A name at least this similar at the same (or an unknown) company makes a review candidate.
NAME_REVIEW = 88.0

DEFAULT_REGION = "US"

# Legal forms removed from the end (and "the" from the start) of a company name. Compared on the
# name once lower-cased, accents removed and punctuation turned into spaces, so "S.A." is "s a".
_LEGAL_SUFFIXES = [
    "incorporated",
    "inc",
    "corporation",
    "corp",
    "company",
    "co",
    "limited",
    "ltd",
    "llc",
    "l l c",
    "llp",
    "lp",
    "plc",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "gmbh and co kg",
    "and co kg",
    "and co",
    "se",
    "sa",
    "s a",
    "sas",
    "s a s",
    "sarl",
    "s a r l",
    "spa",
    "s p a",
    "srl",
    "s r l",
    "bv",
    "b v",
    "nv",
    "n v",
    "ab",
    "as",
    "a s",
    "asa",
    "oy",
    "oyj",
    "pty",
    "pty ltd",
    "pte",
    "pte ltd",
    "kk",
    "k k",
    "sl",
    "s l",
    "sa de cv",
    "ltda",
    "group",
]
_SUFFIX_RE = re.compile(
    r"(?:\s+(?:" + "|".join(sorted((re.escape(s) for s in _LEGAL_SUFFIXES), key=len, reverse=True)) + r"))+$"
)
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx", "herr", "frau", "m", "mme"}
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces, single spaces."""
    text = strip_accents(text).casefold().replace("&", " and ").replace("'", "").replace("’", "")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text).replace("_", " ")).strip()


def normalize_email(value: str) -> str:
    """Trim and lower-case; strip a ``mailto:`` and angle brackets. No provider-specific rules."""
    value = value.strip().strip("<>").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    return value.strip().lower()


def is_email(value: str) -> bool:
    local, _, domain = value.partition("@")
    return bool(local) and "." in domain and " " not in value


def email_domain(email: str) -> str:
    return normalize_email(email).rpartition("@")[2]


def company_domain_from_email(email: str) -> str:
    """The e-mail's domain when it can name a company: "" for free mail, reserved names and
    placeholders (``gmail.com``, ``example.com``, ``*.test``: revere.contacts.domains)."""
    domain = email_domain(email)
    return domain if can_name_a_company(domain) else ""


def normalize_domain(value: str) -> str:
    """A website or bare domain to its host: lower case, no scheme, path, port or leading www."""
    value = value.strip().lower()
    if not value:
        return ""
    if "//" not in value:
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    host = host.strip(".")
    if host.startswith("www."):
        host = host[4:]
    return host if "." in host else ""


_E164 = re.compile(r"\+[1-9]\d{6,14}")
PHONE_MAX = 64  # the longest number kept as written


@functools.lru_cache(maxsize=1 << 18)  # an import asks twice per number (merges_open, persons)
def phone_number(value: str, regions: tuple[str, ...] = (DEFAULT_REGION,)) -> str:
    """A phone number to store: E.164 when it is valid, else the number as written; "" without digits.

    Valid means phonenumbers says so (``is_valid_number``): for a number written internationally
    (``+49 (0)611 …``: the trunk 0 after the country code is dropped, ``0049 …`` too), or for the
    first of ``regions`` (the record's country, then the member's, the organization's, the
    default) that makes it valid. Anything else is kept as written, never dropped and never turned
    into an impossible number (``555-1234`` once became ``+15551234``). docs/identity.md.
    """
    text = " ".join(value.split())
    if not any(c.isdigit() for c in text):
        return ""
    candidates: list[tuple[str, str | None]] = []
    if text.startswith("+"):
        candidates.append((text, None))
    elif text.startswith("00"):
        candidates.append(("+" + text[2:], None))
    candidates += [(text, r) for r in dict.fromkeys(r for r in regions if r)]
    for raw, region in candidates:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if len(_VALIDATED) > 1 << 18:
                _VALIDATED.clear()
            _VALIDATED.add(e164)  # is_e164 then needs no second parse
            return e164
    return text[:PHONE_MAX]


_VALIDATED: set[str] = set()  # E.164 numbers phone_number returned: valid


def is_e164(number: str) -> bool:
    """Whether a stored number is a validated E.164 number (else it is kept as the file wrote it)."""
    if number in _VALIDATED:
        return True
    if not _E164.fullmatch(number):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return False


def normalize_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """A phone number in E.164 (``+14155550100``), or "" when it is no valid number in that region."""
    number = phone_number(value, (region or DEFAULT_REGION,))
    return number if is_e164(number) else ""


_CREDENTIALS = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "cpa", "mba", "msc", "bsc", "ma", "ba"}


def _is_credential(part: str) -> bool:
    """``MSc``, ``PHR``, ``Jr.``: a short word in capitals or a known suffix, not a given name."""
    word = part.strip().replace(".", "")
    if not word or " " in word or len(word) > 6:
        return False
    return word.lower() in _CREDENTIALS or sum(c.isupper() for c in word) >= 2


def normalize_person_name(value: str) -> str:
    """Lower case, no accents or punctuation, no honorifics, no credentials after a comma.

    ``"Dr. José  O'Neil, MSc, MBA"`` -> ``"jose oneil"``.
    """
    head, sep, tail = value.partition(",")
    # "Nayak, MSc, MBA": credentials after the surname. "Doe, John" (surname first) stays whole.
    if sep and tail.strip() and all(_is_credential(p) for p in tail.split(",")):
        value = head
    words = [w for w in _words(value).split(" ") if w and w not in _HONORIFICS]
    return " ".join(words)


# Names that are no name: what address books, calendars and CRMs write where the name is unknown.
# Compared on the words of the name (lower case, no accents or punctuation), so "(none)" is "none".
# First and last names are cleaned one by one, so no real name part is here ("Na", "X", "Test").
PLACEHOLDER_NAMES = frozenset(
    [
        "no name", "noname", "no name specified", "(no name)", "unknown", "unknown name", "unknown contact",
        "unknown sender", "unknown person", "none", "null", "nil", "undefined", "n a", "not available",
        "not provided", "not specified", "anonymous", "name", "first last", "firstname lastname",
        "first name last name", "xx", "xxx", "tbd", "tba", "contact", "new contact",
        "kein name", "unbekannt", "sans nom", "inconnu", "inconnue", "sin nombre", "desconocido",
        "sem nome", "desconhecido", "geen naam", "onbekend", "senza nome", "sconosciuto",
    ]
)  # fmt: skip
_QUOTES = "\"'“”‘’«»`"
_ADDRESS_RE = re.compile(
    r"^(?:mailto:)?[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$", re.I
)
_PLAIN_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9 .,'-]*")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_NAME_ANGLE_RE = re.compile(r"^(.*?)\s*<[^<>]*@[^<>]*>\s*$")


def clean_name(value: str) -> str:
    """A person's name as a file wrote it, or "" when it is no name: the one name normalizer of the readers.

    Removed: surrounding quotes (``"Ada Lovelace"``); an address after the name (``Ada <ada@x.com>``);
    a name that is itself an e-mail address (a calendar's ``CN="ada@x.com"``, or ``eve@x.com`` as
    the display name of ``frank@x.com``: an address says nothing about the name); placeholders
    (``No Name``, ``Unknown``, ``(none)``, ``N/A``, ``-``, PLACEHOLDER_NAMES). docs/identity.md.
    """
    if not value:
        return ""
    if value.isascii() and _PLAIN_NAME_RE.fullmatch(value):  # most names: no quote, address or accent
        words = " ".join(_NON_ALNUM_RE.sub(" ", value.lower()).split())
        return " ".join(value.split()) if words and words not in PLACEHOLDER_NAMES else ""
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if '""' in text:  # a CSV's escaped quote left in an unquoted cell (LinkedIn: James ""Tyler"")
        text = text.replace('""', '"')
    for _ in range(3):
        m = _NAME_ANGLE_RE.match(text)
        if m:
            text = m.group(1)
        if len(text) < 2 or text[0] not in _QUOTES or text[-1] not in _QUOTES:
            break
        text = text[1:-1].strip()  # quoted whole: "Ada Lovelace" ('James "Tyler"' stays as it is)
    if not text or _ADDRESS_RE.match(text.replace(" ", "")):  # a folded line can leave a space in it
        return ""
    words = _words(text)
    if not words or words in PLACEHOLDER_NAMES:
        return ""
    return text


def full_name_of(first: str, last: str, full: str = "") -> str:
    full = _SPACES.sub(" ", full.replace('""', '"')).strip()
    if full:
        return full
    return _SPACES.sub(" ", f"{first.strip()} {last.strip()}").strip()


@functools.lru_cache(maxsize=65536)
def normalize_company_name(value: str) -> str:
    """Lower case, no accents or punctuation, no legal form: ``"Acme, Inc."`` -> ``"acme"``."""
    words = _words(value)
    if words.startswith("the "):
        words = words[4:]
    stripped = _SUFFIX_RE.sub("", words).strip()
    return stripped or words


def normalize_linkedin_url(value: str) -> str:
    """``https://www.linkedin.com/in/Jane-Doe-1a2b/?x`` -> ``linkedin.com/in/jane-doe-1a2b``."""
    value = value.strip()
    if not value:
        return ""
    if "//" not in value:
        value = "//" + value
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if not host.endswith("linkedin.com"):
        return ""
    path = unquote(parts.path).rstrip("/").lower()
    return f"linkedin.com{path}" if path else ""


def name_similarity(a: str, b: str) -> float:
    """0..100: rapidfuzz's token_sort_ratio of two normalized names (word order ignored)."""
    if not a or not b:
        return 0.0
    return float(fuzz.token_sort_ratio(a, b))


def names_similar(a: str, b: str, threshold: float = NAME_SIMILAR_WITH_PHONE) -> bool:
    return name_similarity(a, b) >= threshold


def name_block_keys(normalized: str) -> list[str]:
    """Blocking keys for fuzzy search: each word of three letters or more.

    Two names that share no such word are never compared: "Jon Smith" and "John Smith" share
    "smith"; a typo in every word of a name is not caught (docs/identity.md).
    """
    return [w for w in normalized.split(" ") if len(w) >= 3] or ([normalized] if normalized else [])
