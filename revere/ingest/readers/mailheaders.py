"""Mail headers without the email package's full parser: only the headers a reader uses.

Encoded words and stray 8-bit bytes are decoded; the common address forms are parsed with two
regular expressions, anything unusual with email.utils.getaddresses; Mailman archives' obfuscated
"kevin at scrye.com" addresses are read back.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from email.errors import HeaderParseError
from email.header import decode_header

from revere.ingest.readers.common import valid_email

_MAILMAN_AT_RE = re.compile(r"^([^\s@<>()]+) at ([^\s@<>()]+\.[^\s@<>()]+)$")


def header_text(value: object) -> str:
    """A header value as text: encoded words decoded, stray 8-bit bytes read as UTF-8 or cp1252."""
    if value is None:
        return ""
    raw = str(value)
    if raw.isascii() and "=?" not in raw:
        return " ".join(raw.split())
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        b = raw.encode("ascii", "surrogateescape")
        try:
            raw = b.decode("utf-8")
        except UnicodeDecodeError:
            raw = b.decode("cp1252", errors="replace")
    try:
        parts = decode_header(raw)
    except (ValueError, LookupError, AssertionError, HeaderParseError):
        return " ".join(raw.split())
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            for enc in (charset or "ascii", "utf-8", "cp1252"):
                try:
                    out.append(chunk.decode(enc))
                    break
                except (LookupError, UnicodeDecodeError):
                    continue
            else:
                out.append(chunk.decode("latin-1"))
        else:
            out.append(chunk)
    return " ".join("".join(out).split())


class Headers:
    """A message's header block: names case-insensitive, repeated headers kept, folded lines joined.

    Much faster than the email package's parser, and only headers are ever needed.
    """

    __slots__ = ("_values",)
    WANTED = frozenset(
        (
            "from", "to", "cc", "subject", "date", "message-id", "in-reply-to", "received", "list-id", "list-post",
            "list-submit", "mailing-list", "x-mailman-version", "precedence", "reply-to", "x-original-from",
        )
    )  # fmt: skip

    def __init__(self, block: bytes) -> None:
        # Bytes outside ASCII survive as surrogates, decoded later by _text (UTF-8, else cp1252).
        self._values: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in block.decode("ascii", "surrogateescape").splitlines():
            if line[:1] in (" ", "\t"):
                if current is not None:
                    current[-1] += " " + line.strip()
                continue
            name, sep, value = line.partition(":")
            name = name.lower()
            if not sep or name not in self.WANTED:
                current = None
                continue
            current = self._values.setdefault(name, [])
            current.append(value.strip())

    def get(self, name: str, default: str = "") -> str:
        values = self._values.get(name.lower())
        return values[0] if values else default

    def get_all(self, name: str) -> list[str]:
        return self._values.get(name.lower(), [])


def headers_only(raw: bytes) -> bytes:
    """The header block of a message: the body is never needed, and parsing it is most of the cost."""
    ends = [i for i in (raw.find(b"\n\n"), raw.find(b"\r\n\r\n")) if i >= 0]
    return raw[: min(ends) + 1] if ends else raw


_ANGLE_RE = re.compile(r'^\s*(?:"([^"\\]*)"|([^"<>,()]*?))\s*<([^<>\s,"()]+)>\s*$')
_BARE_RE = re.compile(r"^\s*([^\s<>,\"()]+@[^\s<>,\"()]+)\s*$")


def quick_addresses(values: list[str]) -> list[tuple[str, str]] | None:
    """The common forms (`Name <a@b>`, `"Last, First" <a@b>`, `a@b`) without the slow parser; None otherwise."""
    out: list[tuple[str, str]] = []
    for value in values:
        parts = [value] if value.count(",") == 0 or '"' in value else value.split(",")
        if '"' in value and value.count('"') != 2:
            return None
        for part in parts:
            if not part.strip():
                continue
            m = _ANGLE_RE.match(part)
            if m:
                out.append((m.group(1) if m.group(1) is not None else m.group(2), m.group(3)))
                continue
            b = _BARE_RE.match(part)
            if b:
                out.append(("", b.group(1)))
                continue
            return None
    return out


def addresses(values: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """(email, name) pairs and the bare names left out, from header values."""
    found: list[tuple[str, str]] = []
    bare: list[str] = []
    pairs = quick_addresses(values)
    if pairs is None:
        pairs = email.utils.getaddresses([v.replace("\n", " ") for v in values])
    for name, addr in pairs:
        addr = addr.strip().strip("<>").strip()
        name = header_text(name).strip().strip('"').strip()
        if not addr:
            continue
        m = (
            _MAILMAN_AT_RE.match(addr) or _MAILMAN_AT_RE.match(f"{addr} {name}".strip())
            if " at " in addr
            else None
        )
        if m:
            addr = f"{m.group(1)}@{m.group(2)}"
        if not valid_email(addr):
            # "kevin at scrye.com (Kevin)" reaches getaddresses as the address "kevin" + more.
            bare.append(addr)
            continue
        found.append((addr.lower(), name if name and name.lower() != addr.lower() else ""))
    return found, bare


def mailman_from(value: str) -> tuple[str, str] | None:
    m = re.match(r"^\s*([^\s@<>()]+) at ([^\s@<>()]+\.[^\s@<>()]+)\s*(?:\((.*)\))?\s*$", value)
    if not m:
        return None
    return f"{m.group(1)}@{m.group(2)}".lower(), header_text(m.group(3) or "")


def list_addresses(msg: Headers) -> set[str]:
    out: set[str] = set()
    for header in ("List-Post", "List-Submit"):
        for v in msg.get_all(header):
            for m in re.finditer(r"mailto:([^>\s?]+)", str(v)):
                out.add(m.group(1).lower())
    list_id = header_text(msg.get("List-Id", ""))
    found = re.search(r"<([^>]+)>", list_id)
    if found:
        out.add("listid:" + found.group(1).lower())
    return out


def is_list(msg: Headers) -> bool:
    if msg.get("List-Id") or msg.get("List-Post") or msg.get("Mailing-List") or msg.get("X-Mailman-Version"):
        return True
    return str(msg.get("Precedence", "")).strip().lower() in ("list", "bulk")


def message_date(msg: Headers) -> dt.datetime | None:
    candidates = [str(msg.get("Date", ""))]
    for rec in msg.get_all("Received"):
        candidates.append(str(rec).rsplit(";", 1)[-1])
    for c in candidates:
        c = c.strip()
        if not c:
            continue
        try:
            d = email.utils.parsedate_to_datetime(c)
        except (TypeError, ValueError, IndexError):
            continue
        if d is None:
            continue
        return d if d.tzinfo else d.replace(tzinfo=dt.UTC)
    return None


def message_id(value: object) -> str:
    text = str(value or "").strip()
    m = re.search(r"<([^<>\s]+)>", text)
    return (m.group(1) if m else text.split()[0] if text.split() else "").strip()
