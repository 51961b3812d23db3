"""E-mail: mbox (gzip accepted by textio) and .eml, each message an interaction.

Participants come from From, To and Cc (every Cc header, when there are several); display names
lose their encoded words; bare local names without a domain ("nsb", "trina@flash") are left out
with a warning. Mailing-list messages (List-Id, List-Post, Precedence: list/bulk, Mailman
archives) are marked via_list and the list's own address is not a person. Mailman archives write
addresses as "kevin at scrye.com": they are read back. Key: the Message-ID, or a stable hash of
sender, date, subject and recipients when there is none.

People seen become PersonRecords with is_contact_of_member=False, unless the member (options.member_emails)
wrote to them; the member's own addresses are not persons.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from revere.ingest.readers.common import split_name
from revere.ingest.readers.mailheaders import (
    Headers,
    addresses,
    header_text,
    headers_only,
    is_list,
    list_addresses,
    mailman_from,
    message_date,
    message_id,
)
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.records import InteractionRecord, PersonRecord, ReaderIssue, ReadResult, UnreadableFile
from revere.ingest.textio import MAX_LINE_CHARS, decode_text, first_long_line

LIST_AUDIENCE = 25  # a message through a list reaches many people; how many is unknown
_FROM_LINE_RE = re.compile(rb"^From [^\n]*(?:\n|\Z)", re.M)
# A "From " line that is certainly a separator even without a blank line before it (Netscape's
# "From - ", or "From sender Mon Jun  3 12:50:27 1996"): mboxes with Content-Length headers omit it.
_STRICT_FROM_RE = re.compile(rb"^From (?:-\s*$|-\s+[A-Z][a-z]{2} |\S+\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b)")
_HEADER_RE = re.compile(rb"^[!-9;-~]+:", re.M)


def _separators(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of every mbox separator line."""
    out: list[tuple[int, int]] = []
    for m in _FROM_LINE_RE.finditer(data):
        start = m.start()
        before = data[max(0, start - 4) : start]
        if start == 0 or before.endswith((b"\n\n", b"\n\r\n")) or _STRICT_FROM_RE.match(m.group(0)):
            out.append((start, m.end()))
    return out


def split_mbox(data: bytes) -> list[tuple[int, bytes]]:
    """(line number, message bytes) for each message of an mbox; the `From ` line is dropped."""
    data = data.lstrip(b" \t\r\n")
    seps = _separators(data)
    if not seps or seps[0][0] != 0:
        raise UnreadableFile("This is not an mbox file: it does not start with a 'From ' line.")
    messages: list[tuple[int, bytes]] = []
    line = 1
    previous = 0
    for i, (start, body_start) in enumerate(seps):
        line += data.count(b"\n", previous, start)
        previous = start
        end = seps[i + 1][0] if i + 1 < len(seps) else len(data)
        messages.append((line, data[body_start:end]))
    return messages


class _People:
    def __init__(self) -> None:
        self.names: dict[str, Counter[str]] = {}
        self.first_line: dict[str, int | None] = {}
        self.written_to: set[str] = set()

    def see(self, addr: str, name: str, line: int | None) -> None:
        self.names.setdefault(addr, Counter())
        self.first_line.setdefault(addr, line)
        if name:
            self.names[addr][name] += 1


def read_messages(chunks: list[tuple[int, bytes]], options: ReaderOptions, *, fmt: str) -> ReadResult:
    if len(chunks) > options.max_rows:
        raise UnreadableFile(f"The file holds more than {options.max_rows:,} messages, the limit; split it.")
    own = options.own_emails()
    result = ReadResult(format=fmt, rows_read=len(chunks))
    people = _People()
    seen_keys: set[str] = set()
    headerless = 0
    for line, raw in chunks:
        raw = raw.lstrip(b" \t\r\n")
        if not _HEADER_RE.match(raw[:1000]):
            headerless += 1
            result.issues.append(ReaderIssue(line, "Skipped: not a mail message (no headers).", "error"))
            continue
        msg = Headers(headers_only(raw), message=raw)
        _one_message(msg, line, raw, own, result, people, seen_keys)
    if chunks and headerless == len(chunks):
        raise UnreadableFile("No message in this file could be read: none starts with mail headers.")
    for addr, names in people.names.items():
        if addr in own:
            continue
        full = names.most_common(1)[0][0] if names else ""
        first, last = split_name(full) if full else ("", "")
        result.persons.append(
            PersonRecord(
                key=addr,
                line=people.first_line.get(addr),
                first_name=first,
                last_name=last,
                full_name=full or addr,
                emails=[addr],
                source=fmt,
                is_contact_of_member=addr in people.written_to,
            )
        )
    return result


def _one_message(
    msg: Headers,
    line: int,
    raw: bytes,
    own: set[str],
    result: ReadResult,
    people: _People,
    seen_keys: set[str],
) -> None:
    from_values = msg.get_all("From")
    senders, bare_from = addresses(from_values)
    if not senders and from_values:
        mm = mailman_from(from_values[0])
        if mm:
            senders, bare_from = [mm], []
    to_cc = [v for h in ("To", "Cc") for v in msg.get_all(h)]
    recipients, bare_rcpt = addresses(to_cc)
    via_list = is_list(msg)
    lists = list_addresses(msg)
    list_ids = {x[7:] for x in lists if x.startswith("listid:")}
    list_addrs = {x for x in lists if not x.startswith("listid:")}
    list_addrs |= {a for a, _ in recipients if a.replace("@", ".") in list_ids}
    if via_list and senders and senders[0][0] in list_addrs:
        # DMARC rewriting: From: "Ada via dev" <dev@list>; the writer is in X-Original-From or Reply-To.
        original, _ = addresses(msg.get_all("X-Original-From") or msg.get_all("Reply-To"))
        original = [(a, n) for a, n in original if a not in list_addrs]
        name = re.sub(r"\s+via\s+\S+$", "", senders[0][1]).strip("'\" ")
        senders = [(original[0][0], original[0][1] or name)] if original else []
    bare = bare_from + bare_rcpt
    if bare:
        result.issues.append(
            ReaderIssue(line, f"Addresses without a domain left out: {', '.join(sorted(set(bare))[:10])}.")
        )
    sender = senders[0][0] if senders else None
    participants: dict[str, str] = {}
    for addr, name in senders[:1] + recipients:
        if addr in list_addrs:
            continue
        if addr not in participants or (name and not participants[addr]):
            participants[addr] = name
    if not participants:
        result.issues.append(
            ReaderIssue(line, "Skipped: no sender or recipient with a full e-mail address.", "error")
        )
        return
    for addr, name in participants.items():
        people.see(addr, name, line)
    if sender in own:
        people.written_to.update(a for a in participants if a not in own)
    occurred = message_date(msg)
    if occurred is None:
        result.issues.append(
            ReaderIssue(
                line, "No interaction made: the message has no readable Date (its people are kept).", "error"
            )
        )
        return
    subject = header_text(msg.get("Subject", ""))[:500]
    n_recipients = len({a for a, _ in recipients if a != sender})
    key = message_id(msg.get("Message-ID") or msg.get("Message-Id"))
    if not key:
        basis = "|".join([sender or "", occurred.isoformat(), subject, ",".join(sorted(participants))])
        key = "sha1:" + hashlib.sha1(basis.encode()).hexdigest()
    if key in seen_keys:
        result.issues.append(ReaderIssue(line, f"Skipped: message {key} appears twice in the file.", "error"))
        return
    seen_keys.add(key)
    in_reply_to = message_id(msg.get("In-Reply-To")) or None
    result.interactions.append(
        InteractionRecord(
            key=key,
            kind="email",
            occurred_at=occurred,
            line=line,
            subject=subject,
            organizer=sender if sender in participants else None,
            participants=participants,
            audience=max(n_recipients, LIST_AUDIENCE if via_list else 1),
            via_list=via_list,
            in_reply_to=in_reply_to,
            source="email",
        )
    )


def read_mbox(data: bytes, options: ReaderOptions) -> ReadResult:
    _refuse_binary_mail(data)
    return read_messages(split_mbox(data), options, fmt="mbox")


def read_eml(data: bytes, options: ReaderOptions) -> ReadResult:
    _refuse_binary_mail(data)
    data = data.lstrip(b" \t\r\n")
    if (data.startswith(b"From ") and _STRICT_FROM_RE.match(data)) or data.startswith(b"From -"):
        # An .eml saved with its mbox "From " line.
        data = data.split(b"\n", 1)[1] if b"\n" in data else b""
    if not _HEADER_RE.match(data.lstrip(b"\r\n")[:1000]):
        raise UnreadableFile("This is not an e-mail message: it does not start with mail headers.")
    return read_messages([(1, data)], options, fmt="eml")


def _refuse_binary_mail(data: bytes) -> None:
    head = data[:65536]
    if len(data) > len(head) and b"\n" in head:
        head = head[: head.rfind(b"\n") + 1]  # do not cut a character in two
    decode_text(head, what="mail file", check_lines=False)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise UnreadableFile(
            f"The mail file contains NUL bytes (line {line}): it is binary or damaged.", line=line
        )
    line = first_long_line(data, MAX_LINE_CHARS)
    if line:
        raise UnreadableFile(
            f"Line {line} of the mail file is longer than {MAX_LINE_CHARS:,} characters: it is not mail.",
            line=line,
        )
