"""Country names as files write them -> the region codes phonenumbers uses ("Germany" -> "DE").

Address books and CRMs give a country per contact (Outlook's ``Business Country/Region``, a vCard
ADR, Salesforce's ``MailingCountry``); a phone number written without a country code is read in that
country first (docs/identity.md). The names come from the country names phonenumbers ships
(``phonenumbers.geodata.locale``) in the languages the readers know, plus the abbreviations exports use.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import phonenumbers

LANGUAGES = ("en", "de", "fr", "es", "pt", "nl", "it")
ALIASES = {
    "usa": "US", "u s a": "US", "u s": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "u k": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "deutschland": "DE", "brd": "DE", "osterreich": "AT", "schweiz": "CH",
    "suisse": "CH", "svizzera": "CH", "holland": "NL", "the netherlands": "NL", "uae": "AE",
    "south korea": "KR", "korea": "KR", "russia": "RU", "czech republic": "CZ", "czechia": "CZ",
}  # fmt: skip


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


@functools.cache
def _names() -> dict[str, str]:
    from phonenumbers.geodata.locale import LOCALE_DATA

    out: dict[str, str] = {}
    for region, names in LOCALE_DATA.items():
        if region not in phonenumbers.SUPPORTED_REGIONS:
            continue
        for lang in LANGUAGES:
            name = names.get(lang, "")
            while name.startswith("*"):  # "*aa": the same name as language aa
                name = names.get(name[1:], "")
            if name:
                out.setdefault(_key(name), region)
    for alias, region in ALIASES.items():
        out.setdefault(alias, region)
    return out


@functools.lru_cache(maxsize=4096)
def region_code(text: str) -> str:
    """The region code for a country as written ("DE", "Germany", "Deutschland", "USA"), or ""."""
    text = text.strip()
    if not text:
        return ""
    if len(text) == 2 and text.upper() in phonenumbers.SUPPORTED_REGIONS:
        return text.upper()
    return _names().get(_key(text), "")
