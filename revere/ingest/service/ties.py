"""Who knows whom, from an import: the member's ties, and links among persons.

A tie is the member's own relationship with a person (a contact row of theirs, one of their
e-mails or meetings); a link is two persons known to know each other (an org chart, a referral,
a link row, a meeting or message they shared).

Link weights (docs/import.md): each co-occurrence adds ``inc`` with ``w = 1 - (1 - w)(1 - inc)``
(so weights saturate below 1); ``inc`` is 0.5 for a meeting, 0.3 for a message, scaled by
``min(1, 3 / audience)`` and by 0.25 through a mailing list; an audience above
MAX_LINK_AUDIENCE makes no pairwise links at all. The rule is revere/network/links.py, shared with the
interaction log.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from revere.contacts.identity import normalize_person_name
from revere.contacts.models import Person
from revere.contacts.services import person_validate_reports_to
from revere.ingest.records import ReadResult
from revere.ingest.service.attribution import SEPARATE, LinkTracker, flush_tie_wants, through
from revere.ingest.service.bulk import insert_rows, update_rows
from revere.ingest.service.index import PersonEntry
from revere.network.models import Link, LinkSource, Tie

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun

TIE_COLUMNS = (
    "organization_id", "member_id", "ego_id", "person_id", "strength", "network_class", "network_class_override",
    "visibility", "since", "notes", "is_active", "created_at",
)  # fmt: skip


# -- the member's ties -------------------------------------------------------------------------


def want_tie(
    run: ImportRun, entry: PersonEntry, since: dt.date | None, *, tags: tuple[int, ...] = ()
) -> None:
    """The member knows this person (since that day, if known): a tie to write, keeping the earliest day.

    ``tags``: the import merges the wish comes through (attribution.py), if any.
    """
    if entry is run.member_person or (entry.pk is not None and entry.pk == run.member.person_id):
        return
    run.tie_wants[id(entry)].append((since, tags))
    prev = run.tie_wanted.get(id(entry))
    if prev is not None and prev[1] is not None and (since is None or prev[1] <= since):
        return
    run.tie_wanted[id(entry)] = (entry, since)


def flush_ties(run: ImportRun) -> None:
    """Write the member's new ties; move an existing tie's start back when the import knows an earlier one."""
    wanted = {
        e.pk: since
        for e, since in run.tie_wanted.values()
        if e.pk is not None and e.pk != run.member.person_id
    }
    existing = dict(Tie.unrestricted.filter(member=run.member).values_list("person_id", "since"))
    flush_tie_wants(run, existing)
    now = timezone.now()
    new = [
        (run.org_id, run.member.pk, run.member.person_id, pk, 0.0, "market", "", "team", since, "", True, now)
        for pk, since in wanted.items()
        if pk not in existing
    ]
    insert_rows(Tie, TIE_COLUMNS, new)
    for pk, since in wanted.items():
        known = existing.get(pk)
        if pk in existing and since is not None and (known is None or since < known):
            Tie.unrestricted.filter(member=run.member, person_id=pk).update(since=since)
    run.tie_wanted = {}
    run.tie_wants.clear()


# -- links among persons -----------------------------------------------------------------------


class LinkBook:
    """Links to write: pairs of person ids with their accumulated weight."""

    def __init__(self, organization_id: int, tracker: LinkTracker | None = None) -> None:
        self.organization_id = organization_id
        self.pending: dict[tuple[int, int], tuple[float, str, Any]] = {}
        self.tracker = tracker
        self.serial = tracker.new_book() if tracker is not None else 0

    def add(
        self,
        a: int | None,
        b: int | None,
        inc: float,
        source: str,
        when: Any = None,
        tags: tuple[int, ...] = (),
    ) -> None:
        """Add ``inc`` to the pair's link; ``tags``: the import merges whose separate world replaces it."""
        if a is None or b is None or a == b:
            return
        pair = (a, b) if a < b else (b, a)
        if self.tracker is not None:
            self.tracker.add(pair, inc, when, source, tags, self.serial)
        w, src, last = self.pending.get(pair, (0.0, source, None))
        w = 1 - (1 - w) * (1 - inc)
        if when is not None and (last is None or when > last):  # type: ignore[operator]
            last = when
        self.pending[pair] = (w, src, last)

    def flush(self) -> tuple[int, int]:
        if not self.pending:
            return 0, 0
        involved = sorted({x for pair in self.pending for x in pair})
        existing: dict[tuple[int, int], tuple[int, float, Any]] = {}
        for i in range(0, len(involved), 5000):
            rows = Link.unrestricted.filter(
                organization_id=self.organization_id, a_id__in=involved[i : i + 5000]
            )
            for pk, a_id, b_id, weight, last_seen in rows.values_list(
                "id", "a_id", "b_id", "weight", "last_seen"
            ):
                existing[(a_id, b_id)] = (pk, weight, last_seen)
        now = timezone.now()
        new: list[tuple[Any, ...]] = []
        changed: list[tuple[Any, ...]] = []
        for (a, b), (inc, source, last) in self.pending.items():
            found = existing.get((a, b))
            if self.tracker is not None:
                self.tracker.seen_before((a, b), None if found is None else (found[1], found[2]))
            if found is None:
                new.append((self.organization_id, a, b, min(1.0, max(inc, 0.01)), source, last, now))
            else:
                pk, weight, seen = found
                if last is not None and (seen is None or last > seen):
                    seen = last
                changed.append((min(1.0, 1 - (1 - weight) * (1 - inc)), seen, pk))
        insert_rows(
            Link, ("organization_id", "a_id", "b_id", "weight", "source", "last_seen", "created_at"), new
        )
        update_rows(Link, ("weight", "last_seen"), changed)
        self.pending = {}
        return len(new), len(changed)


def _reports_through_shadows(
    run: ImportRun, key: tuple[str, str], manager_key: tuple[str, str] | None, person: Person, manager: int
) -> None:
    """Note a reports-to set through a merged record's key (its own, or its manager's) for undo."""
    shadow = run.shadow_by_key.get(key)
    for number in shadow.tags if shadow is not None else ():
        if not run.shadows[number].reports_to:
            run.shadows[number].reports_to = [manager, person.reports_to_id]
    boss = run.shadow_by_key.get(manager_key) if manager_key else None
    for number in boss.tags if boss is not None else ():
        run.shadows[number].reports.append(person.pk)


def _add_keyed(
    run: ImportRun,
    book: LinkBook,
    a: tuple[PersonEntry, tuple[str, str] | None],
    b: tuple[PersonEntry, tuple[str, str] | None],
    inc: float,
    source: str,
) -> None:
    """A link between two persons named by records' keys; a key of a merged record counts for that merge."""
    sa = run.shadow_by_key.get(a[1]) if a[1] else None
    sb = run.shadow_by_key.get(b[1]) if b[1] else None
    tags = tuple(dict.fromkeys((*(sa.tags if sa else ()), *(sb.tags if sb else ()))))
    book.add(a[0].pk, b[0].pk, inc, source, tags=tags)
    for number in tags:
        if a[0].pk is None or b[0].pk is None or a[0] is b[0]:
            continue
        x = SEPARATE if through(sa, number) else a[0].pk
        y = SEPARATE if through(sb, number) else b[0].pk
        if x == y:
            continue
        run.links.order += 1
        pair = (x, y) if x < y else (y, x)
        run.shadows[number].separate_links.append((pair, inc, None, source, book.serial, run.links.order))


def org_chart_and_introductions(run: ImportRun) -> None:
    """Reports-to (by key, or by Outlook's Manager's Name when the manager is known) and Referred By."""
    book = LinkBook(run.org_id, run.links)
    for file, namespace, record, entry in run.person_rows:
        note = partial(run.report.add, file=file, line=record.line, label=entry.full_name)
        manager: PersonEntry | None = None
        if record.reports_to_key:
            manager = run.person_keys.get((namespace, record.reports_to_key))
            if manager is None:
                reason = f"manager {record.reports_to_key} not in the import"
                note(kind="org_chart", action="skipped", reason=reason)
        elif record.reports_to_name.strip():
            manager = run.index.find_by_name(
                normalize_person_name(record.reports_to_name), company=entry.company
            )
            if manager is None:
                reason = f"manager {record.reports_to_name!r} is not known (or not unique)"
                note(kind="org_chart", action="skipped", reason=reason)
        if manager is not None and manager is not entry and manager.pk is not None and entry.pk is not None:
            person = Person.unrestricted.get(pk=entry.pk)
            manager_obj = Person.unrestricted.get(pk=manager.pk)
            if person.reports_to_id != manager.pk:
                try:
                    person_validate_reports_to(person=person, manager=manager_obj)
                except ValidationError as exc:
                    note(kind="org_chart", action="skipped", reason="; ".join(exc.messages))
                else:
                    Person.unrestricted.filter(pk=entry.pk).update(reports_to_id=manager.pk)
                    manager_key = (namespace, record.reports_to_key) if record.reports_to_key else None
                    _reports_through_shadows(run, (namespace, record.key), manager_key, person, manager.pk)
                    _add_keyed(
                        run, book, (entry, (namespace, record.key)), (manager, manager_key), 0.6,
                        LinkSource.ORG_CHART,
                    )  # fmt: skip
                    note(kind="org_chart", action="updated", reason=f"reports to {manager.full_name}")
        if record.referred_by_name.strip():
            referrer = run.index.find_by_name(normalize_person_name(record.referred_by_name))
            if referrer is None or referrer is entry:
                reason = f"referrer {record.referred_by_name!r} is not known (or not unique)"
                note(kind="introduction", action="skipped", reason=reason)
            else:
                _add_keyed(
                    run, book, (entry, (namespace, record.key)), (referrer, None), 0.5, LinkSource.INTRODUCED
                )
                note(kind="introduction", action="created", reason=f"introduced by {referrer.full_name}")
    book.flush()


def links(run: ImportRun, file: str, result: ReadResult) -> None:
    """The link rows of a file (e.g. a CRM's relationships): both persons must be in the import."""
    book = LinkBook(run.org_id, run.links)
    for rec in result.links:
        run.tick()
        note = partial(run.report.add, file=file, line=rec.line, kind="link")
        a = run.person_keys.get((result.format, rec.a_key))
        b = run.person_keys.get((result.format, rec.b_key))
        if a is None or b is None or a is b:
            reason = "a person of this link is not in the import"
            note(action="skipped", label=f"{rec.a_key} - {rec.b_key}", reason=reason)
            continue
        source = rec.source if rec.source in LinkSource.values else LinkSource.STATED
        keys = (result.format, rec.a_key), (result.format, rec.b_key)
        _add_keyed(run, book, (a, keys[0]), (b, keys[1]), max(0.01, min(1.0, rec.weight)), source)
        note(action="created", label=f"{a.full_name} - {b.full_name}")
    book.flush()
