"""Interactions of an import: e-mails, meetings and calls, with their participants.

An interaction is known again by its external id (a message id, a calendar uid), so a re-import
creates nothing new. Each participant address is a known person, the member, or a new person
known only by that address. The persons on one interaction are linked to each other (the weights
are in ties.py).
"""

from __future__ import annotations

from functools import partial
from itertools import combinations
from typing import TYPE_CHECKING, Any

from revere.contacts.identity import (
    is_email,
    normalize_email,
    normalize_person_name,
)
from revere.ingest.records import ReadResult
from revere.ingest.service.attribution import interaction_separately, link_pairs_of, shadows_on
from revere.ingest.service.bulk import insert_rows, reserve_ids
from revere.ingest.service.domains import placed_company
from revere.ingest.service.index import PersonEntry
from revere.ingest.service.persons import flush_persons, new_person
from revere.ingest.service.profiles import ProfileBook, profile_people
from revere.ingest.service.ties import LinkBook
from revere.network.links import MAX_LINK_AUDIENCE, link_increment
from revere.network.models import (
    Interaction,
    InteractionKind,
    InteractionParticipant,
    LinkSource,
    ParticipantRole,
)

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun

INTERACTION_COLUMNS = (
    "id", "organization_id", "kind", "occurred_at", "subject", "member_id", "outbound", "audience", "external_id",
)  # fmt: skip


def interactions(run: ImportRun, file: str, result: ReadResult) -> None:
    if not result.interactions:
        return
    known = set(
        Interaction.unrestricted.filter(organization_id=run.org_id, member=run.member)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    todo = []
    profile_book: ProfileBook | None = None
    for rec in result.interactions:
        run.tick()
        ext = (rec.key or "")[:255]
        skip = partial(
            run.report.add,
            file=file,
            line=rec.line,
            kind="interaction",
            action="skipped",
            label=rec.subject or ext,
        )
        if ext and ext in known:
            skip(reason="already imported")
            continue
        if ext:
            known.add(ext)
        people: dict[str, PersonEntry | None] = {}
        addresses = dict(rec.participants)
        if rec.organizer:
            addresses.setdefault(rec.organizer, "")
        for raw, display in addresses.items():
            email = normalize_email(raw)
            if not is_email(email):
                continue
            if email in run.member_emails:
                people[email] = run.member_person
                continue
            entry = run.index.by_email.get(email)
            if entry is None:
                name = (display or "").strip().strip('"')
                company, placed = placed_company(run, [email])
                # Known only by an address: named by it, with no name to match on.
                entry = new_person(name or email, normalize_person_name(name) if name else "", company)
                entry.placed_by = placed
                run.index.person_add_email(entry, email)
                run.index.add_person(entry)
            people[email] = entry
        if rec.profiles:  # LinkedIn messages: people known by a profile, not an address
            profile_book = profile_book or ProfileBook(run, file)
            rec = profile_people(profile_book, rec, people)
        others = [e for k, e in people.items() if e is not None and e is not run.member_person]
        if not others:
            skip(reason="nobody on it but the member")
            continue
        todo.append((rec, people))
    flush_persons(run)
    kinds = set(InteractionKind.values)
    ids = reserve_ids(Interaction, len(todo))
    rows = []
    for pk, (rec, _people) in zip(ids, todo, strict=True):
        organizer = normalize_email(rec.organizer or "")
        rows.append(
            (
                pk,
                run.org_id,
                rec.kind if rec.kind in kinds else InteractionKind.MESSAGE,
                rec.occurred_at,
                (rec.subject or "")[:300],
                run.member.pk,
                organizer in run.member_emails if organizer else False,
                max(1, rec.audience),
                (rec.key or "")[:255],
            )
        )
    insert_rows(Interaction, INTERACTION_COLUMNS, rows)
    parts: list[tuple[Any, ...]] = []
    book = LinkBook(run.org_id, run.links)
    for pk, (rec, people) in zip(ids, todo, strict=True):
        organizer = normalize_email(rec.organizer or "")
        is_meeting = rec.kind in ("meeting", "event", "call")
        seen: set[int] = set()
        for email, entry in people.items():
            if entry is None or entry.pk is None or entry.pk in seen:
                continue
            seen.add(entry.pk)
            if email == organizer:
                role = ParticipantRole.ORGANIZER if is_meeting else ParticipantRole.SENDER
            else:
                role = ParticipantRole.ATTENDEE if is_meeting else ParticipantRole.RECIPIENT
            parts.append((run.org_id, pk, entry.pk, role))
        other_ids = [p for p in seen if p != run.member.person_id]
        source = LinkSource.MET_TOGETHER if is_meeting else LinkSource.EMAILED_TOGETHER
        # A record merged into a person on it: what this would have been with that record its own person.
        shadows = shadows_on(run, people) if run.shadow_by_email else []
        tags = tuple(s.number for s in shadows)
        if len(other_ids) >= 2 and len(seen) <= MAX_LINK_AUDIENCE:
            inc = link_increment(kind=rec.kind, audience=max(rec.audience, len(seen)), via_list=rec.via_list)
            for a, b in combinations(sorted(other_ids), 2):
                book.add(a, b, inc, source, rec.occurred_at, tags=tags)
        for shadow in shadows:
            interaction_separately(
                run,
                shadow,
                interaction_id=pk,
                people=people,
                organizer=organizer,
                is_meeting=is_meeting,
                link_pairs=link_pairs_of(run.member.person_id, rec, MAX_LINK_AUDIENCE, link_increment),
                when=rec.occurred_at,
                source=source,
                book=book.serial,
            )
        run.report.add(
            file=file,
            line=rec.line,
            kind="interaction",
            action="created",
            label=rec.subject or rec.key or "",
            reason=f"{len(seen)} participants",
            object_id=pk,
        )
    insert_rows(InteractionParticipant, ("organization_id", "interaction_id", "person_id", "role"), parts)
    book.flush()
