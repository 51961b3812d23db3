"""Participants known by a LinkedIn profile and a name instead of an address (LinkedIn messages).

Each (profile URL, name) on an interaction is, in this order (docs/import.md):

1. the person with that LinkedIn profile (normalized URL: the one a Connections.csv import stored,
   or any person's profile); the member's own profile is the member;
2. else the one contact of the member (a person the member has a tie to, or an address-book
   record of this import) whose normalized full name is exactly that name; the profile is then
   added to that person. Two contacts with the name: neither is taken;
3. else a new person with that name and profile (no company: LinkedIn messages name none).

The interaction gets an organizer key for :mod:`activity` to see who sent it: the member's
address when the member sent it, else the first profile.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import TYPE_CHECKING

from revere.contacts.identity import normalize_linkedin_url, normalize_person_name
from revere.ingest.records import InteractionRecord
from revere.ingest.service.index import PersonEntry, cut
from revere.ingest.service.persons import new_person
from revere.ingest.service.report import Action
from revere.ingest.service.ties import want_tie
from revere.network.models import Tie

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun


class ProfileBook:
    """The persons of one file's profiles, found once and reported once."""

    def __init__(self, run: ImportRun, file: str) -> None:
        self.run = run
        self.file = file
        self._contacts: dict[str, list[PersonEntry]] | None = None
        self._by_name: dict[str, PersonEntry] = {}  # persons this file made from a name alone
        self._reported: set[int] = set()
        person = run.member_person
        self.member_key = person.linkedin_key if person is not None else ""

    def contacts_by_name(self) -> dict[str, list[PersonEntry]]:
        if self._contacts is None:
            run = self.run
            entries: dict[int, PersonEntry] = {}
            for person_id in Tie.unrestricted.filter(member=run.member).values_list("person_id", flat=True):
                entry = run.index.persons_by_pk.get(person_id)
                if entry is not None:
                    entries[id(entry)] = entry
            for _file, _ns, record, entry in run.person_rows:
                if record.is_contact_of_member:
                    entries[id(entry)] = entry
            grouped: dict[str, list[PersonEntry]] = defaultdict(list)
            for entry in entries.values():
                if entry.normalized_name and entry is not run.member_person:
                    grouped[entry.normalized_name].append(entry)
            self._contacts = grouped
        return self._contacts

    def person(self, url: str, name: str, line: int | None) -> PersonEntry | None:
        run = self.run
        key = normalize_linkedin_url(url) if url else ""
        if key and key == self.member_key:
            return run.member_person
        norm = normalize_person_name(name) if name else ""
        entry = run.index.by_linkedin.get(key) if key else None
        if entry is not None:
            return entry
        if norm:
            hits = self.contacts_by_name().get(norm, [])
            if len(hits) == 1:
                entry = hits[0]
                if key and not entry.linkedin_url:
                    entry.linkedin_url = cut(url, 500)
                    entry.linkedin_key = key
                    entry.dirty.add("linkedin_url")
                    run.index.by_linkedin.setdefault(key, entry)
                    self._note(
                        entry, line, "updated", "same name among your contacts; LinkedIn profile added"
                    )
                return entry
            entry = self._by_name.get(norm) if not key else None
            if entry is not None:
                return entry
        if not key and not norm:
            return None
        entry = new_person(name or url, norm, None)
        entry.linkedin_url = cut(url, 500) if key else ""
        entry.linkedin_key = key
        if key:
            run.index.by_linkedin[key] = entry
        elif norm:
            self._by_name[norm] = entry
        run.index.add_person(entry)
        reason = "known by a LinkedIn profile" if key else "known by a name only"
        if norm and len(self.contacts_by_name().get(norm, [])) > 1:
            reason += "; several of your contacts have this name"
        self._note(entry, line, "created", reason)
        return entry

    def _note(self, entry: PersonEntry, line: int | None, action: Action, reason: str) -> None:
        if id(entry) in self._reported:
            return
        self._reported.add(id(entry))
        self.run.report.add(
            file=self.file, line=line, kind="person", action=action, label=entry.full_name, reason=reason
        )


def profile_people(
    book: ProfileBook, rec: InteractionRecord, people: dict[str, PersonEntry | None]
) -> InteractionRecord:
    """Add the record's profiles (and the member) to ``people``; the record with its organizer key."""
    run = book.run
    member_key = min(run.member_emails) if run.member_emails else "@member"
    people[member_key] = run.member_person
    first = ""
    for i, (url, name) in enumerate(rec.profiles):
        entry = book.person(url, name, rec.line)
        if entry is None:
            continue
        slot = member_key if entry is run.member_person else f"profile:{i}"
        people[slot] = entry
        if i == 0:
            first = slot
        if rec.outbound and entry is not run.member_person:
            want_tie(run, entry, None)  # the member wrote to them, as for mail
    organizer = member_key if rec.outbound else first
    return dataclasses.replace(rec, organizer=organizer or None)
