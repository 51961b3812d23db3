"""What a record folded into a known person (an import merge) brought, so that undo is exact.

An import that matches a record to a person it already knows writes what the record brings onto
that person: the member's tie (or an earlier start of it), the e-mails and phones, a participant
row on every interaction addressed to an e-mail the record added, and the links those
interactions and the record's key (org chart, referral, link rows) make. Each such record is a
:class:`Shadow` here. The writers tag what they attach through a shadow and compute beside it what
they would have written had the record been a person of its own (the *separate* world; the
separated person is ``SEPARATE`` in its pairs). :func:`finish` writes the difference into the
merge's snapshot (``snapshot["attached"]``), which ``revere.contacts.merge_import`` applies on
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
from revere.ingest.service.index import CompanyEntry, PersonEntry

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


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def finish(run: ImportRun) -> None:
    """Write the import merges, each with what its record attached (after every other row is written)."""
    tagged: dict[int, set[Pair]] = defaultdict(set)
    for pair, contributions in run.links.added.items():
        for c in contributions:
            for number in c[3]:
                tagged[number].add(pair)
    shadows = [s for s in run.shadows if s.merge is not None and s.entry.pk is not None]
    below: dict[int, list[Shadow]] = defaultdict(list)  # shadow -> its descendants, in record order
    for d in shadows:
        for number in d.tags[1:]:
            below[number].append(d)
    # An earlier import's merge this import did not reach through needs nothing written.
    shadows = [s for s in shadows if not s.loaded or _reached(run, s, tagged, below)]
    separate = {s.number: _separate_by_pair(s) for s in shadows}
    wanted: set[Pair] = set()
    for pairs in tagged.values():
        wanted |= pairs
    for by in separate.values():
        wanted |= {p for p in by if SEPARATE not in p}
    after = _weights(run.org_id, wanted)
    parts: dict[int, dict[str, Any]] = {}
    for shadow in shadows:
        merge = shadow.merge
        assert merge is not None
        by_pair = separate[shadow.number]
        descendants = below.get(shadow.number, [])
        person, children = _separate_fields(run, shadow, descendants)
        # (an earlier import's merge has its own addresses on record already)
        emails = [*([] if shadow.loaded else shadow.emails), *(e for d in descendants for e in d.emails)]
        phones = list(dict.fromkeys(shadow.phones + [p for d in descendants for p in d.phones]))
        parts[shadow.number] = {
            "separate": person,
            "fields_without": _fields_without(run, shadow, merge.fields),
            "emails": emails,
            "phones": phones,
            "phones_moved": [
                *merge.snapshot.get("phones_added", []),  # none for an earlier import's merge
                *(p for d in descendants for p in _snap(d, "phones_added")),
            ],
            "sources": [[_snap(d, "source"), _snap(d, "external_id")] for d in descendants],
            "children": children,
            "tie": shadow.tie,
            "participants": shadow.participants,
            "roles": shadow.roles,
            "reports_to": shadow.reports_to,
            "reports": shadow.reports,
            "links": _links(run, shadow, tagged.get(shadow.number, set()), by_pair, after),
        }
    new = [s for s in shadows if not s.loaded]
    for shadow in new:
        assert shadow.merge is not None
        shadow.merge.snapshot["attached"] = parts[shadow.number]
    PersonMerge.objects.bulk_create([s.merge for s in new if s.merge is not None], batch_size=2000)
    merges_open.extend(run, [s for s in shadows if s.loaded], parts)


def _reached(
    run: ImportRun, shadow: Shadow, tagged: dict[int, set[Pair]], below: dict[int, list[Shadow]]
) -> bool:
    """Whether this import attached anything through the shadow (or offered its person fields)."""
    return bool(
        shadow.number in tagged
        or shadow.participants
        or shadow.roles
        or shadow.reports
        or shadow.reports_to
        or shadow.separate_links
        or below.get(shadow.number)
        or shadow.tie.get("wanted")
        or run.field_offers.get(id(shadow.entry))
    )


def _snap(shadow: Shadow, key: str) -> Any:
    assert shadow.merge is not None
    return shadow.merge.snapshot[key]


def _later_offers(run: ImportRun, shadow: Shadow) -> list[tuple[tuple[int, ...], dict[str, Any]]]:
    """The fields the records matched to the shadow's person after it offered, in order."""
    offers = run.field_offers.get(id(shadow.entry), [])
    if shadow.loaded:
        return offers
    for i, (tags, _) in enumerate(offers):
        if tags and tags[0] == shadow.number:
            return offers[i + 1 :]
    return []


def _separate_fields(
    run: ImportRun, shadow: Shadow, descendants: list[Shadow]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The separated person's fields, filled by its descendants as they filled the kept person's;
    and each descendant's merge as it would have been (into the separated person)."""
    sep = shadow.separate
    person: dict[str, Any] = {
        "full_name": sep.full_name or "(no name)",
        "normalized_name": sep.normalized_name,
        "first_name": sep.first_name,
        "last_name": sep.last_name,
        "title": sep.title,
        "function": sep.function,
        "location": sep.location,
        "region": sep.region,
        "linkedin_url": sep.linkedin_url,
        "company_id": sep.company.pk if sep.company else None,
    }
    children: list[dict[str, Any]] = []
    for tags, offer in _later_offers(run, shadow):
        if shadow.number not in tags:
            continue
        filled: dict[str, Any] = {}
        for f, value in offer.items():
            column = "company_id" if f == "company" else f
            if not person.get(column):
                filled[f] = None if f == "company" else person[column]
                person[column] = value.pk if isinstance(value, CompanyEntry) else value
        child = next((d for d in descendants if d.number == tags[0]), None)
        if child is not None:
            children.append(
                {
                    "source": _snap(child, "source"),
                    "external_id": _snap(child, "external_id"),
                    "fields": filled,
                }
            )
    return person, children


def _fields_without(run: ImportRun, shadow: Shadow, filled: dict[str, Any]) -> dict[str, Any]:
    """The kept person's fields the shadow filled, as a later record of the import would have filled them."""
    later = [(tags, offer) for tags, offer in _later_offers(run, shadow) if shadow.number not in tags]
    out: dict[str, Any] = {}
    for f in filled:
        for _, offer in later:
            if f in offer:
                value = offer[f]
                out[f] = value.pk if isinstance(value, CompanyEntry) else value
                break
    return out


def _separate_by_pair(shadow: Shadow) -> dict[Pair, list[tuple[float, Any, str, int, int]]]:
    by_pair: dict[Pair, list[tuple[float, Any, str, int, int]]] = defaultdict(list)
    for pair, inc, when, source, book, order in shadow.separate_links:
        by_pair[pair].append((inc, when, source, book, order))
    return by_pair


def _weights(organization_id: int, pairs: set[Pair]) -> dict[Pair, float]:
    """The links' weights as the import leaves them."""
    from revere.network.models import Link

    out: dict[Pair, float] = {}
    firsts = sorted({a for a, _ in pairs})
    for i in range(0, len(firsts), 5000):
        rows = Link.objects.filter(organization_id=organization_id, a_id__in=firsts[i : i + 5000])
        for a, b, weight in rows.values_list("a_id", "b_id", "weight"):
            if (a, b) in pairs:
                out[(a, b)] = weight
    return out


def _links(
    run: ImportRun,
    shadow: Shadow,
    mine: set[Pair],
    by_pair: dict[Pair, list[tuple[float, Any, str, int, int]]],
    after: dict[Pair, float],
) -> list[dict[str, Any]]:
    """Each link the shadow changed: the kept side's target (or scale) and the separated person's links."""
    kept = shadow.entry.pk
    links: list[dict[str, Any]] = []
    for pair in sorted(mine | {p for p in by_pair if SEPARATE not in p}):
        contributions = run.links.added.get(pair, [])
        entry: dict[str, Any] = {"a": pair[0], "b": pair[1], "after": after.get(pair)}
        if kept in pair:  # every increment of the pair is known: replay it without the shadow's
            kept_side = [
                (i, w, s, b, o) for i, w, s, tags, b, o in contributions if shadow.number not in tags
            ]
            target = replay(run.links.before.get(pair), kept_side + by_pair.get(pair, []))
            entry["target"] = None if target is None else [target[0], _jsonable(target[1]), target[2]]
        else:  # touched only through the size of an interaction the shadow was on: scale it
            out = into = 1.0
            for c in contributions:
                if shadow.number in c[3]:
                    out *= 1 - c[0]
            for c2 in by_pair.get(pair, []):
                into *= 1 - c2[0]
            if abs(out - into) < 1e-12:
                continue  # the same in both worlds
            entry["scale"] = [out, into]
        links.append(entry)
    for pair, contributions_sep in by_pair.items():
        if SEPARATE not in pair:
            continue
        target = replay(None, contributions_sep)
        assert target is not None
        other = pair[1] if pair[0] == SEPARATE else pair[0]
        links.append({"a": SEPARATE, "b": other, "target": [target[0], _jsonable(target[1]), target[2]]})
    return links


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
