"""Safe loading and decoding of uploaded files, before any reader sees them.

Every reader gets its bytes through :func:`load_bytes` (size limit, gzip with a capped
decompressed size) and its text through :func:`decode_text` (BOMs, UTF-16, Windows-1252, binary
refusal, NUL bytes, huge lines). Whole-file problems raise :class:`UnreadableFile` with a message a
user can act on.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
from pathlib import Path

from revere.ingest.records import UnreadableFile

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # 50 MiB of (decompressed) content
MAX_LINE_CHARS = 1_000_000  # no real contact, mail or calendar line is a megabyte long

GZIP_MAGIC = b"\x1f\x8b"
# Magic numbers of binary formats people upload by mistake: named so the message can say which.
BINARY_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (unpack it and import the files inside)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.xls/.doc/.msg); save it as CSV first"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3", "an SQLite database"),
    (b"BZh", "a bzip2 archive"),
)


def _human(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def gunzip_capped(data: bytes, *, max_bytes: int) -> bytes:
    """Decompress gzip data, refusing truncated streams and anything past ``max_bytes`` (gzip bombs)."""
    out = io.BytesIO()
    total = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            while True:
                piece = gz.read(256 * 1024)
                if not piece:
                    break
                total += len(piece)
                if total > max_bytes:
                    raise UnreadableFile(
                        f"The compressed file unpacks to more than {_human(max_bytes)}, the limit; "
                        "split it or raise the limit."
                    )
                out.write(piece)
    except EOFError as exc:
        raise UnreadableFile("The compressed file is truncated (the gzip stream ends early).") from exc
    except (OSError, zlib.error) as exc:
        raise UnreadableFile(f"The compressed file is damaged ({exc}).") from exc
    return out.getvalue()


def load_bytes(source: bytes | str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file (or take bytes), gunzip it when compressed, and enforce the size limit."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > max_bytes and not data.startswith(GZIP_MAGIC):
            raise UnreadableFile(f"The file is {_human(len(data))}, over the {_human(max_bytes)} limit.")
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise UnreadableFile(f"The file cannot be opened ({exc.strerror or exc}).") from exc
        if size > max_bytes:
            raise UnreadableFile(f"The file is {_human(size)}, over the {_human(max_bytes)} limit.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(f"The file cannot be read ({exc.strerror or exc}).") from exc
    if data.startswith(GZIP_MAGIC):
        if len(data) > max_bytes:
            raise UnreadableFile(f"The file is {_human(len(data))}, over the {_human(max_bytes)} limit.")
        data = gunzip_capped(data, max_bytes=max_bytes)
    if not data.strip():
        raise UnreadableFile("The file is empty.")
    return data


def _refuse_binary(data: bytes) -> None:
    if data.startswith(b"PK\x03\x04") and (b"xl/" in data[:65536] or b"word/" in data[:65536]):
        # An Excel workbook (LinkedIn and CRMs offer .xlsx too) is a ZIP: say what to do with it.
        kind = "an Excel workbook (.xlsx)" if b"xl/" in data[:65536] else "a Word document (.docx)"
        raise UnreadableFile(f"This is {kind}: save it as CSV (UTF-8) in Excel and import the CSV.")
    for magic, what in BINARY_MAGICS:
        if data.startswith(magic):
            raise UnreadableFile(f"This is {what}, not a contact, mail or calendar file.")


def _looks_utf16(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    head = data[:4000]
    if len(head) >= 4:
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        half = len(head) // 2
        if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
            return "utf-16-le"
        if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
            return "utf-16-be"
    return None


#: Fewer 8-bit bytes than this and charset-normalizer guesses wildly; on contact files it guesses
#: wildly well past it too: a German address book in Windows-1252 was read as HP Roman-8
#: ("Schr—der") or Windows-1250, a French one as Windows-1250 ("Lefčvre") or cp775.
MIN_GUESS_BYTES = 64
#: Latin single-byte charsets charset-normalizer takes Western text for: when Windows-1252 reads the
#: same bytes as Western text (:func:`_western`), it is Windows-1252, the Western exporters' charset.
_LATIN_LOOKALIKES = {
    "cp1250", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-10", "iso8859-13", "iso8859-14",
    "iso8859-15", "iso8859-16", "cp1257", "cp1258", "cp775", "hp-roman8", "mac-roman", "mac-latin2", "mac-iceland",
    "cp437", "cp850", "cp858", "latin-1", "iso8859-1", "iso-8859-1", "ascii",
}  # fmt: skip
#: Besides Latin-1's letters, what Windows-1252 gives Western text: its letters and punctuation.
_WESTERN = set("ŒœŠšŽžŸƒ€‚„…†‡‰‹›‘’“”•–—™¡§©«®°´·»¿×\u00a0")
#: Pairs of bytes Central European text in Windows-1250 holds and Western text does not hold on
#: one line: ř and ě (Czech; Danish has ø, Italian ì, never one word or record both), ő and ű
#: (Hungarian), ă and ţ (Romanian). With a pair on a line the bytes are left to charset-normalizer.
_CENTRAL_PAIRS = ((0xF8, 0xEC), (0xF5, 0xFB), (0xE3, 0xFE))
_HIGH_RUN = re.compile("[\u0080-\u00ff]{3,}")
MIXED = "utf-8+cp1252"  # per line: UTF-8 where it is, Windows-1252 elsewhere


def _western(data: bytes, text: str) -> bool:
    """Whether ``text`` (``data`` read as Windows-1252) reads as Western European text: letters of
    Latin-1 and Windows-1252 punctuation only, accents inside words (Cyrillic or Greek read so is
    whole words of accented letters: "Èâàí"), and no line with a Central European pair of bytes."""
    for line in data.splitlines():  # one record: an address book may hold Danish and Italian names
        if not line.isascii() and any(a in line and b in line for a, b in _CENTRAL_PAIRS):
            return False
    if not all(ch < "\x80" or ("\u00c0" <= ch <= "\u00ff" and ch.isalpha()) or ch in _WESTERN for ch in text):
        return False
    return len(_HIGH_RUN.findall(text)) <= max(1, text.count("\n") // 50)


def _mostly_utf8(data: bytes) -> bool:
    """Lines of valid UTF-8 with non-ASCII text, and some lines that are not: two files run together
    (a UTF-8 export with rows appended by a Windows-1252 tool), read line by line."""
    utf8 = legacy = 0
    for line in data.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            legacy += 1
    return utf8 > 0 and legacy > 0


def detect_encoding(data: bytes) -> str:
    """The encoding of ``data``: BOMs first, then UTF-16 by NUL pattern, UTF-8, UTF-8 mixed with
    Windows-1252 line by line, Windows-1252 for little 8-bit text or Western letters, else the
    charset charset-normalizer finds."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    utf16 = _looks_utf16(data)
    if utf16:
        return utf16
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data[:2_000_000]):
        return MIXED
    sample = data[:200_000]
    try:
        western = sample.decode("cp1252")
    except UnicodeDecodeError:
        western = None  # a byte Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)
    is_western = western is not None and _western(sample, western)
    if is_western and sum(b >= 0x80 for b in sample) < MIN_GUESS_BYTES:
        return "cp1252"
    from charset_normalizer import from_bytes

    guesses = [m.encoding.lower().replace("_", "-") for m in from_bytes(sample)]
    if not guesses:
        return "cp1252"
    if is_western and guesses[0] in _LATIN_LOOKALIKES:
        return "cp1252"
    # Of the charsets it finds plausible, the first that reads every 8-bit byte as a letter or
    # punctuation, Windows code pages first (exporters write those): charset-normalizer put
    # Windows-1252 first for Polish ("£ukasz ¯ó³kiewski") and cp1257 for one Russian row.
    lettered = [g for g in guesses if _letters(sample, g)]
    lettered.sort(key=lambda g: not g.startswith("cp125"))
    return lettered[0] if lettered else guesses[0]


def _letters(data: bytes, encoding: str) -> bool:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return all(ch < "\x80" or ch.isalpha() or ch in _WESTERN or ch.isspace() for ch in text)


def _decode_mixed(data: bytes) -> str:
    return "".join(_decode_line(line) for line in data.splitlines(keepends=True))


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")


def decode_text(data: bytes, *, what: str = "file", check_lines: bool = True) -> tuple[str, str]:
    """Decode bytes to text (BOM removed) and return ``(text, encoding)``; refuse binary content."""
    _refuse_binary(data)
    encoding = detect_encoding(data)
    try:
        text = _decode_mixed(data) if encoding == MIXED else data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        try:
            encoding = "cp1252"
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                f"The {what} looks binary: it is not text in any encoding we recognise."
            ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UnreadableFile(
            f"The {what} contains NUL bytes (line {line}): it is binary or damaged, not text.", line=line
        )
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n\x0c")
    if controls > max(10, len(text[:20000]) // 100):
        raise UnreadableFile(f"The {what} looks binary (many control characters), not text.")
    if check_lines:
        check_line_lengths(text, what=what)
    return text, encoding


def check_line_lengths(text: str, *, what: str = "file", limit: int = MAX_LINE_CHARS) -> None:
    if len(text) <= limit:
        return
    start = 0
    line = 1
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        if end == -1:
            end = n
        if end - start > limit:
            raise UnreadableFile(
                f"Line {line} of the {what} is longer than {limit:,} characters: "
                "this is not a contact, mail or calendar file.",
                line=line,
            )
        start = end + 1
        line += 1


def first_long_line(data: bytes, limit: int) -> int:
    """The number of the first line longer than ``limit`` bytes, or 0."""
    if len(data) <= limit:
        return 0
    start = 0
    line = 1
    n = len(data)
    while start < n:
        end = data.find(b"\n", start)
        if end == -1:
            end = n
        if end - start > limit:
            return line
        start = end + 1
        line += 1
    return 0
