"""What a record folded into a known person (an import merge) brought, so that undo is exact.

An import that matches a record to a person it already knows writes what the record brings onto
that person: the member's tie (or an earlier start of it), the e-mails and phones, a participant
row on every interaction addressed to an e-mail the record added, and the links those
interactions and the record's key (org chart, referral, link rows) make. Each such record is a
:class:`Shadow` here. The writers tag what they attach through a shadow and compute beside it what
they would have written had the record been a person of its own (the *separate* world; the
separated person is ``SEPARATE`` in its pairs). ``attached.finish`` writes the difference into
the merge's snapshot (``snapshot["attached"]``), which ``revere.ingest.merge.imports`` applies on
undo. Link weights are replayed exactly as :class:`~revere.ingest.service.ties.LinkBook` writes
them (book by book), so the separate world's weights are the ones a separate import writes.

A later record of the same import that matched the person only through what a shadow added (an
address, a phone, a profile) is that shadow's descendant: its ``tags`` hold its own number and its
ancestors', and whatever is tagged with a number belongs to that shadow's separate world.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from revere.contacts.models import PersonMerge
from revere.ingest.records import PersonRecord
from revere.ingest.service import merges_open
from revere.ingest.service.index import PersonEntry

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun

SEPARATE = -1  # the separated person, in pairs of the separate world
Pair = tuple[int, int]
# One increment of a link: inc, when, source, the shadows whose separate world replaces it, book, order.
Contribution = tuple[float, Any, str, tuple[int, ...], int, int]


@dataclass(eq=False)
class Shadow:
    """A record merged into ``entry`` by this import, with what it attached to them."""

    number: int
    entry: PersonEntry
    record: PersonRecord
    emails: list[str]  # the addresses the record added to the person
    phones: list[str]  # every phone of the record: a person of its own would hold them all
    separate: PersonEntry  # the person a separate import would have made of the record
    wants_tie: bool
    since: dt.date | None
    # Its number, then its parent's tags: a later record of the import that matched the person only
    # through what this one added (an address, a phone, a profile) would have matched the separated
    # person, so what it attaches counts for this shadow too.
    tags: tuple[int, ...] = ()
    loaded: int = 0  # the id of an earlier import's merge this shadow follows (merges_open.py)
    merge: PersonMerge | None = None
    participants: list[list[Any]] = field(default_factory=list)  # [interaction, role, kept's role or None]
    separate_links: list[tuple[Pair, float, Any, str, int, int]] = field(default_factory=list)
    tie: dict[str, Any] = field(default_factory=dict)
    roles: list[list[Any]] = field(default_factory=list)  # [buying role moved, or None: a copy; deal; role]
    reports_to: list[int | None] = field(default_factory=list)  # [manager, the kept person's before]
    reports: list[int] = field(default_factory=list)  # persons the import made report to the record


class LinkTracker:
    """Every link increment of the run that touches a shadow's person or is tagged with a shadow."""

    def __init__(self) -> None:
        self.before: dict[Pair, tuple[float, Any] | None] = {}
        self.added: dict[Pair, list[Contribution]] = defaultdict(list)
        self.watch: set[int] = set()
        self.book = 0
        self.order = 0

    def new_book(self) -> int:
        self.book += 1
        return self.book

    def add(self, pair: Pair, inc: float, when: Any, source: str, tags: tuple[int, ...], book: int) -> None:
        self.order += 1
        if tags or pair[0] in self.watch or pair[1] in self.watch:
            self.added[pair].append((inc, when, source, tags, book, self.order))

    def seen_before(self, pair: Pair, found: tuple[float, Any] | None) -> None:
        if pair in self.added:
            self.before.setdefault(pair, found)


def replay(
    before: tuple[float, Any] | None, contributions: list[tuple[float, Any, str, int, int]]
) -> tuple[float, Any, str] | None:
    """A link's weight, last seen and source after these increments, written book by book as LinkBook does."""
    state: list[Any] | None = None if before is None else [before[0], before[1], ""]
    books: dict[int, list[tuple[float, Any, str, int]]] = defaultdict(list)
    for inc, when, source, book, order in contributions:
        books[book].append((inc, when, source, order))
    for book in sorted(books):
        w, last, src = 0.0, None, ""
        for inc, when, source, _ in sorted(books[book], key=lambda c: c[3]):
            w = 1 - (1 - w) * (1 - inc)
            src = src or source
            if when is not None and (last is None or when > last):
                last = when
        if state is None:
            state = [min(1.0, max(w, 0.01)), last, src]
        else:
            state[0] = min(1.0, 1 - (1 - state[0]) * (1 - w))
            if last is not None and (state[1] is None or last > state[1]):
                state[1] = last
    return None if state is None else (state[0], state[1], state[2])


def shadows_on(run: ImportRun, people: dict[str, PersonEntry | None]) -> list[Shadow]:
    """The shadows whose added e-mails (or their descendants') are on an interaction (as their kept person)."""
    numbers: dict[int, None] = {}
    for email, entry in people.items():
        shadow = run.shadow_by_email.get(email)
        if shadow is not None and shadow.entry is entry:
            numbers.update(dict.fromkeys(shadow.tags))
    return [run.shadows[n] for n in numbers]


def through(shadow: Shadow | None, number: int) -> bool:
    """Whether what came through ``shadow`` belongs to shadow ``number``'s separated person."""
    return shadow is not None and number in shadow.tags


def participants(people: dict[str, int | None], organizer: str, is_meeting: bool) -> dict[int, str]:
    """Person id -> role on one interaction: one row per person, the role of their first address."""
    rows: dict[int, str] = {}
    for email, pk in people.items():
        if pk is None or pk in rows:
            continue
        if email == organizer:
            rows[pk] = "organizer" if is_meeting else "sender"
        else:
            rows[pk] = "attendee" if is_meeting else "recipient"
    return rows


def interaction_separately(
    run: ImportRun,
    shadow: Shadow,
    *,
    interaction_id: int,
    people: dict[str, PersonEntry | None],
    organizer: str,
    is_meeting: bool,
    link_pairs: Any,
    when: Any,
    source: str,
    book: int,
) -> None:
    """Record the participants and links of one interaction had the shadow been its own person."""
    kept = shadow.entry.pk
    ids: dict[str, int | None] = {}
    for email, entry in people.items():
        if entry is None:
            ids[email] = None
        elif entry is shadow.entry and through(run.shadow_by_email.get(email), shadow.number):
            ids[email] = SEPARATE
        else:
            ids[email] = entry.pk
    rows = participants(ids, organizer, is_meeting)
    shadow.participants.append([interaction_id, rows[SEPARATE], rows.get(kept or 0)])
    for pair, inc in link_pairs(list(rows)):
        run.links.order += 1
        shadow.separate_links.append((pair, inc, when, source, book, run.links.order))


def flush_tie_wants(run: ImportRun, existing: dict[int, dt.date | None]) -> None:
    """Before the ties are written: whether the kept person's tie stands without each shadow, and its start."""

    def earliest(values: list[dt.date | None]) -> dt.date | None:
        known = [v for v in values if v is not None]
        return min(known) if known else None

    for shadow in run.shadows:
        pk = shadow.entry.pk
        wants = run.tie_wants.get(id(shadow.entry), [])
        mine = [since for since, tags in wants if shadow.number in tags]
        others = [since for since, tags in wants if shadow.number not in tags]
        existed = pk in existing
        base = [existing[pk]] if existed and pk is not None else []
        # A record merged into the member's own person wished for no tie: its own person would have one.
        start = earliest(mine) if mine else shadow.since
        shadow.tie = {
            "member_id": run.member.pk,
            "wanted": bool(mine) or shadow.wants_tie,
            "since": _iso(start),
            "kept_had": existed or bool(others),
            "since_after": _iso(earliest(base + [since for since, _ in wants])),
            "since_without": _iso(earliest(base + others)),
            # other records of this import wished for the kept person's tie (made it, if it was not there)
            "others": bool(others),
            "others_since": _iso(earliest(others)),
        }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def link_pairs_of(member_person_id: int | None, rec: Any, max_audience: int, increment: Any) -> Any:
    """The function from an interaction's participant ids to its link pairs and increments."""

    def pairs(ids: list[int]) -> list[tuple[Pair, float]]:
        others = [p for p in ids if p != member_person_id]
        if len(others) < 2 or len(ids) > max_audience:
            return []
        inc = increment(kind=rec.kind, audience=max(rec.audience, len(ids)), via_list=rec.via_list)
        return [((a, b), inc) for a, b in combinations(sorted(others), 2)]

    return pairs


def new_shadow(
    run: ImportRun,
    *,
    entry: PersonEntry,
    record: PersonRecord,
    emails: list[str],
    phones: list[str],
    separate: PersonEntry,
    namespace: str,
    parent: Shadow | None,
    added: list[tuple[str, str]],
    source: tuple[str, str],
) -> Shadow:
    """A record merged into ``entry``; ``added``: the match keys it gave the person (for later records)."""
    number = len(run.shadows)
    shadow = Shadow(
        number=number,
        entry=entry,
        record=record,
        emails=emails,
        phones=phones,
        separate=separate,
        wants_tie=record.is_contact_of_member,
        since=record.connected_on,
        tags=(number, *(parent.tags if parent is not None else ())),
    )
    run.shadows.append(shadow)
    for email in emails:
        run.shadow_by_email[email] = shadow
    for key in [*added, merges_open.source_key(*source)]:
        run.shadow_by_match[key] = shadow
    run.shadow_by_key[(namespace, record.key)] = shadow
    return shadow
