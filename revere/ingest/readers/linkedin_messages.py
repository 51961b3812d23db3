"""LinkedIn messages.csv (from the same data archive as Connections.csv): each message an interaction.

Header (FORMATS.md): `CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT
PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT,IS CONVERSATION DRAFT`;
columns are found by alias, case-insensitively, never by position (older archives lack the URL
columns). Participants have no e-mail address: they are their LinkedIn profile URL and name.
Several recipients are joined in one cell; URLs are split on commas, semicolons or spaces, and
names are paired with them by the separator that gives as many names as URLs.

Which participant is the member (the archive's owner, on every conversation):
1. the member's own LinkedIn URL (their Person's), when it appears in the file; else
2. the one participant whose normalized name is the member's Person name; else
3. the participant on the most messages (the owner is on all of them), ties broken by the most
   messages sent; a file where that still leaves two candidates is refused, with what to do.
The member's messages are outgoing. Drafts (either draft column says yes) are skipped (one
warning). Only what a mail import keeps is kept: date, subject (else the conversation title) and
participants; CONTENT is read only to tell two messages of the same second apart (hashed in the
key), never stored. Key: ``linkedin:<conversation id>/<sha1 of date, sender, content>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter

from revere.contacts.identity import normalize_linkedin_url, normalize_person_name
from revere.ingest.readers.common import is_formula
from revere.ingest.readers.options import ReaderOptions
from revere.ingest.readers.table import Row, read_table
from revere.ingest.records import InteractionRecord, MissingColumns, ReaderIssue, ReadResult, UnreadableFile

COLUMNS: dict[str, tuple[str, ...]] = {
    "conversation": ("conversation id", "conversation_id", "thread id"),
    "title": ("conversation title", "conversation_title"),
    "from": ("from", "sender", "sender name"),
    "sender_url": ("sender profile url", "sender_profile_url", "from profile url", "sender url"),
    "to": ("to", "recipients", "recipient names"),
    "recipient_urls": ("recipient profile urls", "recipient_profile_urls", "recipient profile url", "to profile urls"),
    "date": ("date", "sent at", "date sent", "sent date"),
    "subject": ("subject",),
    "content": ("content", "body", "message"),
    "message_draft": ("is message draft", "is_message_draft", "is draft"),
    "conversation_draft": ("is conversation draft", "is_conversation_draft"),
}  # fmt: skip
_REQUIRED = ("conversation", "from", "to", "date")
_YES = {"yes", "true", "1", "y", "ja", "oui", "sí", "si", "sim"}
_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(UTC|GMT|Z)?$", re.I)
_URL_SPLIT_RE = re.compile(r"[,;\s]+")
_CREDENTIAL_RE = re.compile(r"^(?:[A-Z][A-Za-z.\-]{0,7}|Ph\.?D\.?|Dr\.?)$")
AUDIENCE_CAP = 1000
# What LinkedIn writes for a member who left or hides their profile: nobody to know.
_HIDDEN = {
    "linkedin member",
    "linkedin-mitglied",
    "membre de linkedin",
    "miembro de linkedin",
    "membro do linkedin",
}


def _index(cells: list[str]) -> dict[str, str]:
    """Column -> the header that holds it (first alias found), for a header row."""
    low = {c.strip().lower(): c for c in cells}
    found: dict[str, str] = {}
    for column, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in low:
                found[column] = low[alias]
                break
    return found


def is_messages_header(cells: list[str]) -> bool:
    """A LinkedIn messages.csv header: conversation id, from, to and date, whatever the order and case."""
    return all(c in _index(cells) for c in _REQUIRED)


def _parse_date(value: str) -> dt.datetime | None:
    text = value.strip()
    m = _DATE_RE.match(text)
    if m:
        try:
            naive = dt.datetime.fromisoformat(f"{m.group(1)}T{m.group(2).zfill(5)}")
        except ValueError:
            return None
        return naive.replace(tzinfo=dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _urls(cell: str) -> list[str]:
    return [u for u in _URL_SPLIT_RE.split(cell) if u and normalize_linkedin_url(u)]


def _names(cell: str, count: int) -> list[str]:
    """The recipients' names, as many as there are URLs when a separator gives that many."""
    cell = cell.strip()
    if not cell:
        return [""] * count
    if count == 1:
        return [cell]
    for sep in (";", ","):
        parts = [p.strip() for p in cell.split(sep)]
        if count and len(parts) == count:
            return parts
    if count:
        return [""] * count  # cannot be paired: the persons are named by their profiles
    # No URLs at all: names joined by ";" or ","; credentials after a comma stay with their name.
    if ";" in cell:
        return [p.strip() for p in cell.split(";") if p.strip()]
    out: list[str] = []
    for part in (p.strip() for p in cell.split(",")):
        if not part:
            continue
        if out and _CREDENTIAL_RE.match(part) and " " not in part:
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def _identity(url: str, name: str) -> str:
    key = normalize_linkedin_url(url) if url else ""
    if key:
        return key
    if name.strip().lower() in _HIDDEN:
        return ""
    norm = normalize_person_name(name) if name else ""
    return f"name:{norm}" if norm else ""


class _Message:
    __slots__ = ("conversation", "digest", "line", "occurred", "recipients", "sender", "subject")

    def __init__(self, line: int) -> None:
        self.line = line
        self.conversation = ""
        self.occurred: dt.datetime | None = None
        self.sender: tuple[str, str, str] = ("", "", "")  # identity, url, name
        self.recipients: list[tuple[str, str, str]] = []
        self.subject = ""
        self.digest = ""


def read(data: bytes, options: ReaderOptions) -> ReadResult:
    try:
        table = read_table(
            data, max_rows=options.max_rows, is_header=is_messages_header, what="LinkedIn messages file"
        )
    except UnreadableFile as exc:
        if "No header row" in str(exc):
            raise MissingColumns(
                "This is not a LinkedIn messages.csv: no CONVERSATION ID, FROM, TO and DATE header."
            ) from exc
        raise
    cols = _index(table.headers)
    missing = [c for c in _REQUIRED if c not in cols]
    if missing:
        raise MissingColumns(
            "This is not a LinkedIn messages.csv: no " + ", ".join(missing).upper() + " column."
        )
    result = ReadResult(format="linkedin_messages", rows_read=len(table.rows))
    result.issues.extend(table.issues)
    messages, drafts = _messages(table.rows, cols, result)
    if drafts:
        lines = ", ".join(str(n) for n in drafts[:10]) + (", ..." if len(drafts) > 10 else "")
        result.issues.append(
            ReaderIssue(drafts[0], f"{len(drafts)} drafts skipped (never sent): lines {lines}.")
        )
    if not messages:
        return result
    me = _member(messages, options)
    seen: set[str] = set()
    for msg in messages:
        _interaction(msg, me, result, seen)
    return result


def _messages(rows: list[Row], cols: dict[str, str], result: ReadResult) -> tuple[list[_Message], list[int]]:
    def get(row: Row, column: str) -> str:
        header = cols.get(column)
        return row.values.get(header, "") if header else ""

    messages: list[_Message] = []
    drafts: list[int] = []
    for row in rows:
        if get(row, "message_draft").lower() in _YES or get(row, "conversation_draft").lower() in _YES:
            drafts.append(row.line)
            continue
        msg = _Message(row.line)
        msg.conversation = get(row, "conversation")
        sender_name, sender_url = get(row, "from"), get(row, "sender_url")
        urls = _urls(get(row, "recipient_urls"))
        names = _names(get(row, "to"), len(urls))
        for value, column in [(sender_name, "FROM"), *((n, "TO") for n in names)]:
            if value and is_formula(value):
                shown = value if len(value) <= 40 else value[:37] + "..."
                raise UnreadableFile(
                    f"Line {row.line}: {column} holds {shown!r}, which a spreadsheet would run as a formula. "
                    "Nothing was imported; remove the formula and import again.",
                    line=row.line,
                )
        msg.sender = (_identity(sender_url, sender_name), sender_url, sender_name)
        pairs = list(zip(urls, names, strict=True)) if urls else [("", n) for n in names]
        msg.recipients = [(_identity(u, n), u, n) for u, n in pairs if _identity(u, n)]
        raw_date = get(row, "date")
        msg.occurred = _parse_date(raw_date)
        if msg.occurred is None:
            result.issues.append(ReaderIssue(row.line, f"Skipped: DATE {raw_date!r} is not a date.", "error"))
            continue
        if not msg.sender[0]:
            reason = "a hidden LinkedIn member" if sender_name else "not given"
            result.issues.append(ReaderIssue(row.line, f"Skipped: the sender is {reason}.", "error"))
            continue
        msg.subject = (get(row, "subject") or get(row, "title"))[:500]
        basis = "|".join([raw_date, msg.sender[0], get(row, "content")])
        msg.digest = hashlib.sha1(basis.encode()).hexdigest()[:20]
        messages.append(msg)
    return messages, drafts


def _member(messages: list[_Message], options: ReaderOptions) -> str:
    """The member's identity among the participants (module docstring: how it is chosen)."""
    on: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    names: dict[str, set[str]] = {}
    for msg in messages:
        everyone = {msg.sender[0], *(r[0] for r in msg.recipients)} - {""}
        on.update(everyone)
        if msg.sender[0]:
            sent[msg.sender[0]] += 1
        for ident, _url, name in [msg.sender, *msg.recipients]:
            if ident and name:
                names.setdefault(ident, set()).add(normalize_person_name(name))
    own_url = normalize_linkedin_url(options.member_linkedin) if options.member_linkedin else ""
    if own_url and own_url in on:
        return own_url
    own_name = normalize_person_name(options.member_name) if options.member_name else ""
    if own_name:
        hits = [i for i, ns in names.items() if own_name in ns or i == f"name:{own_name}"]
        if len(hits) == 1:
            return hits[0]
    ranked = sorted(on, key=lambda i: (on[i], sent[i]), reverse=True)
    top = ranked[0]
    if len(ranked) > 1 and (on[ranked[1]], sent[ranked[1]]) == (on[top], sent[top]):
        raise UnreadableFile(
            "Cannot tell which participant of these messages is you: give your person your LinkedIn "
            "profile URL (or your name as LinkedIn shows it), then import again."
        )
    return top


def _interaction(msg: _Message, me: str, result: ReadResult, seen: set[str]) -> None:
    sender = msg.sender[0]
    everyone = [msg.sender, *msg.recipients]  # the sender first: it is the first profile when not me
    if me not in {p[0] for p in everyone}:
        result.issues.append(
            ReaderIssue(
                msg.line, "Skipped: you are not on this message (another person's archive?).", "error"
            )
        )
        return
    outbound = sender == me
    profiles: list[tuple[str, str]] = []
    done = {me}
    for ident, url, name in everyone:
        if ident and ident not in done:
            done.add(ident)
            profiles.append((url, name))
    if not profiles:
        result.issues.append(ReaderIssue(msg.line, "Skipped: nobody on it but you.", "error"))
        return
    key = f"linkedin:{msg.conversation[:180]}/{msg.digest}"
    if key in seen:
        result.issues.append(
            ReaderIssue(msg.line, "Skipped: the same message appears twice in the file.", "error")
        )
        return
    seen.add(key)
    recipients = {r[0] for r in msg.recipients} - {sender}
    result.interactions.append(
        InteractionRecord(
            key=key,
            kind="message",
            occurred_at=msg.occurred or dt.datetime.now(dt.UTC),  # always set: undated rows are skipped
            line=msg.line,
            subject=msg.subject,
            audience=min(max(len(recipients), 1), AUDIENCE_CAP),
            source="linkedin",
            profiles=profiles,
            outbound=outbound,
        )
    )
