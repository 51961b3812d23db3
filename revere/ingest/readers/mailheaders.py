"""Mail headers without the email package's full parser: only the headers a reader uses.

Raw 8-bit and UTF-8 bytes are decoded once, for the whole header block (:func:`decode_header_block`),
and encoded words by :func:`header_text`; the common address forms are parsed with two
regular expressions, anything unusual with email.utils.getaddresses; Mailman archives' obfuscated
"kevin at scrye.com" addresses are read back.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import re
import unicodedata
from email import quoprimime

from revere.contacts.identity import clean_name
from revere.ingest.readers.common import valid_email

_MAILMAN_AT_RE = re.compile(r"^([^\s@<>()]+) at ([^\s@<>()]+\.[^\s@<>()]+)$")


_ENCODED_WORD_RE = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS_RE = re.compile(r"\s*")


def _decode_bytes(raw: bytes, charsets: tuple[str, ...]) -> str:
    """Bytes as text in the first charset that takes them; latin-1 takes any byte, so nothing fails.

    Bytes that end in the middle of a character of the first (declared) charset lose only that
    last character: "=?utf-8?q?broken_=E2=82?=" is "broken", not the Windows-1252 "broken â‚".
    (``head`` decodes: the failure is the first one, at the cut.)
    """
    for charset in (*charsets, "utf-8", "cp1252"):
        try:
            return raw.decode(charset)
        except LookupError:
            continue
        except UnicodeDecodeError as exc:
            head = raw[: exc.start]
            cut = charsets and charset == charsets[0] and exc.end == len(raw) and "end of data" in exc.reason
            # A lone last byte after plain ASCII is as likely another charset mislabelled ("Ren=E9"
            # is Windows-1252 René) as a cut character: only a cut with the charset proven (a
            # character of it decoded before, or the cut character begun over two bytes) is one.
            if cut and (len(raw) - exc.start > 1 or not head.isascii()):
                return head.decode(charset)
            continue
    return raw.decode("latin-1")


def _encoded_word_bytes(encoding: str, payload: str) -> bytes | None:
    """The bytes of one RFC 2047 encoded word's payload, or None when it is no base64 or QP."""
    try:
        if encoding in "bB":
            return base64.b64decode(payload + "=" * (-len(payload) % 4), validate=False)
        return quoprimime.header_decode(payload).encode("latin-1", "replace")
    except (ValueError, binascii.Error):
        return None


def _encoded_word(charset: str, encoding: str, payload: str) -> str:
    """One RFC 2047 encoded word (``=?utf-8?q?Ren=C3=A9?=``) as text."""
    raw = _encoded_word_bytes(encoding, payload)
    if raw is None:
        return payload
    return _decode_bytes(raw, (charset.split("*", 1)[0],))  # RFC 2231 language: "utf-8*en"


def header_text(value: object) -> str:
    """A header value as text: encoded words decoded, spaces collapsed.

    The value is already free of raw bytes (:func:`decode_header_block`); text around encoded words,
    UTF-8 included (RFC 6532), is kept as it is; the space between two adjacent words is dropped.
    Adjacent words in one charset are decoded together, as their bytes run on: clients split a
    long subject into words wherever the line ends, in the middle of a character too (each word
    decoded alone gave "Gr\ufffd\ufffde" or Windows-1252 debris on both sides of the cut).
    """
    if value is None:
        return ""
    raw = str(value)
    if "=?" not in raw:
        return " ".join(raw.split())
    out: list[str] = []
    last = 0
    run_charset: str | None = None
    run: list[bytes] = []

    def flush() -> None:
        nonlocal run_charset
        if run_charset is not None:
            out.append(_decode_bytes(b"".join(run), (run_charset,)))
        run.clear()
        run_charset = None

    for m in _ENCODED_WORD_RE.finditer(raw):
        between = raw[last : m.start()]
        adjacent = run_charset is not None and not between.strip()
        charset = m.group(1).split("*", 1)[0].lower()
        payload = _encoded_word_bytes(m.group(2), m.group(3))
        if not (adjacent and payload is not None and charset == run_charset):
            flush()
            if not adjacent:
                out.append(between)
        if payload is None:
            out.append(m.group(3))
        else:
            run_charset = charset
            run.append(payload)
        last = m.end()
    flush()
    out.append(raw[last:])
    return " ".join("".join(out).split())


_CHARSET_PARAM_RE = re.compile(rb"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", re.I)
_HIGH_RUN_RE = re.compile(rb"[\x80-\xff]+")
# charset-normalizer needs some text to tell charsets apart: on a name or two it guesses wildly.
MIN_GUESS_BYTES = 64


def _legacy_charset(block: bytes, message: bytes, runs: list[bytes]) -> tuple[str, ...]:
    """The charset of 8-bit header text that is not UTF-8: declared, else guessed on enough text, else ()."""
    declared = _CHARSET_PARAM_RE.search(message or block)
    if declared:
        name = declared.group(1).decode("ascii").lower()
        if name not in ("utf-8", "utf8", "us-ascii", "ascii"):
            return (name,)
    sample = b" ".join(_HIGH_RUN_RE.findall(message)) if message else b" ".join(runs)
    if len(sample) >= MIN_GUESS_BYTES:
        from charset_normalizer import from_bytes

        best = from_bytes(message or block).best()
        if best is not None and best.encoding not in ("utf_8", "ascii"):
            return (best.encoding,)
    return ()  # Windows-1252: what Western mail clients write


def decode_header_block(block: bytes, *, message: bytes = b"") -> str:
    """A message's header block as text, whatever its bytes: the one decoder of mail headers.

    Headers should be ASCII (RFC 5322) but real mail has raw UTF-8 (RFC 6532, or a client that
    ignored the rule) and raw 8-bit text in the sender's charset. Each run of 8-bit bytes is read
    as UTF-8 when it is UTF-8; otherwise in the charset the message declares (a Content-Type
    charset), else the one charset-normalizer finds on the whole ``message`` when it holds enough
    8-bit text, else Windows-1252 (latin-1 as the last resort, which takes any byte). No surrogate
    escape survives, so nothing downstream (the database, a page) meets an undecodable character.
    (The standard library's email policies keep such bytes as U+FFFD; reading them in their
    charset keeps the names.)
    """
    if block.isascii():
        return block.decode("ascii")
    runs = _HIGH_RUN_RE.findall(block)
    legacy = []
    for run in runs:
        try:
            run.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(run)
    if not legacy:
        return unicodedata.normalize("NFC", block.decode("utf-8"))
    charsets = _legacy_charset(block, message, legacy)

    def one(m: re.Match[bytes]) -> bytes:
        run = m.group(0)
        try:
            return run.decode("utf-8").encode("utf-8")
        except UnicodeDecodeError:
            return _decode_bytes(run, charsets).encode("utf-8")

    return unicodedata.normalize("NFC", _HIGH_RUN_RE.sub(one, block).decode("utf-8"))


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

    def __init__(self, block: bytes, *, message: bytes = b"") -> None:
        self._values: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in decode_header_block(block, message=message).splitlines():
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


_ADDRESS_AS_NAME_RE = re.compile(r'(?<![\w"@.])([^\s<>,"()@]+@[^\s<>,"()@]+)\s*(<[^<>]+>)')
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
        # "eve@x.com <frank@x.com>": the display name is an address; quoted, it is not read as a
        # second person (getaddresses made two of it).
        quoted = [_ADDRESS_AS_NAME_RE.sub(r'"\1" \2', v.replace("\n", " ")) for v in values]
        pairs = email.utils.getaddresses(quoted)
    for name, addr in pairs:
        addr = addr.strip().strip("<>").strip()
        name = clean_name(header_text(name))
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
    return f"{m.group(1)}@{m.group(2)}".lower(), clean_name(header_text(m.group(3) or ""))


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
