"""Undoing an import merge: the record an import folded into a known person becomes its own person.

The import wrote into the merge's snapshot what the record attached to the kept person and what a
separate import would have written instead (``snapshot["attached"]``, made by
``revere/ingest/service/attribution.py``). Undo makes the separated person from the record's own
fields and gives them:

* the e-mails the record added (the first one primary) and every phone of the record;
* the source record;
* the importing member's tie: moved from the kept person when the import created it only through
  the record, else a new tie of the record's own (``Connected On``); a tie the kept person had
  before, or that another record gave, stays, with its start put back;
* the participant rows of the interactions addressed to the e-mails the record added (the kept
  person keeps a row where one of their own addresses was on it too);
* the reports-to and buying roles the record's key gave;
* the links: each link the record's interactions and key made or strengthened is replayed without
  them (deleted when nothing else made it), and the separated person gets theirs;
* the later records of the import that matched only through what the record added: their merges
  are re-pointed to the separated person, and what they brought is the separated person's.

Then the kept person's filled fields are put back (merge.py, :func:`kept_fields`), and the
importing member's tie strengths and classes are recomputed. Merges recorded before the import
kept this (no ``attached``) split off only the e-mails, phones and source record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from revere.contacts.identity import full_name_of, normalize_person_name
from revere.contacts.models import Company, Person, PersonEmail, PersonMerge, PersonPhone, SourceRecord

SEPARATE = -1  # the separated person in the snapshot's links (attribution.SEPARATE)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def import_merge_undo(merge: PersonMerge, keep: Person) -> Person:
    """Split the record off ``keep`` again as its own person, with what it attached; returns them."""
    attached = merge.snapshot.get("attached")
    person = _separate_person(merge, keep, attached)
    org = keep.organization_id
    snap = merge.snapshot
    emails = (attached or {}).get("emails", snap.get("emails_added", []))
    for i, email in enumerate(emails):
        primary = {"is_primary": i == 0} if attached is not None else {}
        PersonEmail.unrestricted.filter(organization_id=org, person=keep, email=email).update(
            person=person, **primary
        )
    moved = (attached or {}).get("phones_moved", snap.get("phones_added", []))
    PersonPhone.unrestricted.filter(organization_id=org, person=keep, e164__in=moved).update(person=person)
    sources = [[snap.get("source", ""), snap.get("external_id", "")], *(attached or {}).get("sources", [])]
    for source, external_id in sources:
        SourceRecord.unrestricted.filter(
            organization_id=org, person=keep, source=source, external_id=external_id
        ).update(person=person)
    if attached is None:
        return person
    for phone in attached.get("phones", []):
        if phone not in moved:  # the kept person had it too: a person of its own holds it as well
            PersonPhone.unrestricted.create(organization_id=org, person=person, e164=phone, label="")
    _children(attached, keep, person)
    _participants(attached, keep, person)
    _roles_and_reports(attached, keep, person)
    _links(attached, keep, person)
    _tie(attached, keep, person)
    return person


def _separate_person(merge: PersonMerge, keep: Person, attached: dict[str, Any] | None) -> Person:
    if attached is not None:
        fields = dict(attached["separate"])
        company_id = fields.pop("company_id", None)
        if (
            company_id
            and not Company.unrestricted.filter(pk=company_id, organization_id=keep.organization_id).exists()
        ):
            company_id = None  # the company was deleted since
        return Person.unrestricted.create(
            organization_id=keep.organization_id, company_id=company_id, **fields
        )
    record = merge.snapshot.get("record", {})
    full = (
        full_name_of(record.get("first_name", ""), record.get("last_name", ""), record.get("full_name", ""))
        or merge.merged_name
    )
    return Person.unrestricted.create(
        organization_id=keep.organization_id,
        full_name=full[:255],
        normalized_name=normalize_person_name(full)[:255],
        first_name=(record.get("first_name") or "")[:120],
        last_name=(record.get("last_name") or "")[:120],
        title=(record.get("title") or "")[:255],
        linkedin_url=(record.get("linkedin_url") or "")[:500],
    )


def _children(attached: dict[str, Any], keep: Person, person: Person) -> None:
    """Later records of the import that matched only through this record's addresses: merged into the
    separated person now, as they would have been. Their own undo then splits off what they added."""
    for child in attached.get("children", []):
        for merge in PersonMerge.unrestricted.filter(
            organization_id=keep.organization_id,
            kept=keep,
            kind=PersonMerge.Kind.IMPORT,
            merged_person_id__isnull=True,
            undone_at__isnull=True,
            snapshot__source=child["source"],
            snapshot__external_id=child["external_id"],
        ):
            merge.kept = person
            merge.fields = child["fields"]
            merge.snapshot.pop("attached", None)  # it was what they attached to the kept person
            merge.save(update_fields=["kept", "fields", "snapshot"])


def _participants(attached: dict[str, Any], keep: Person, person: Person) -> None:
    """Participant rows back to the separated person: moved where only it was on the interaction,
    duplicated where the kept person was there too (a few queries per role, not per interaction)."""
    from revere.network.models import Interaction, InteractionParticipant

    moved: dict[str, list[int]] = defaultdict(list)
    shared: dict[str, list[int]] = defaultdict(list)
    added: list[tuple[int, str]] = []
    for interaction_id, role, kept_role in attached.get("participants", []):
        if kept_role is None:
            moved[role].append(interaction_id)
        else:
            shared[kept_role].append(interaction_id)
            added.append((interaction_id, role))
    rows = InteractionParticipant.unrestricted.filter(person=keep)
    for role, ids in moved.items():
        rows.filter(interaction_id__in=ids).update(person=person, role=role)
    for kept_role, ids in shared.items():
        rows.filter(interaction_id__in=ids).update(role=kept_role)
    alive = set(Interaction.unrestricted.filter(pk__in=[i for i, _ in added]).values_list("pk", flat=True))
    InteractionParticipant.unrestricted.bulk_create(
        InteractionParticipant(
            organization_id=keep.organization_id, interaction_id=interaction_id, person=person, role=role
        )
        for interaction_id, role in added
        if interaction_id in alive
    )


def _roles_and_reports(attached: dict[str, Any], keep: Person, person: Person) -> None:
    from revere.deals.models import BuyingRole, Deal

    for row_id, deal_id, role in attached.get("roles", []):
        if row_id is not None:
            BuyingRole.unrestricted.filter(pk=row_id, person=keep).update(person=person)
        elif Deal.unrestricted.filter(pk=deal_id, organization_id=keep.organization_id).exists():
            BuyingRole.unrestricted.get_or_create(
                organization_id=keep.organization_id, deal_id=deal_id, person=person, role=role
            )
    if attached.get("reports_to"):
        manager, before = attached["reports_to"]
        Person.unrestricted.filter(pk=keep.pk, reports_to_id=manager).update(reports_to_id=before)
        if Person.unrestricted.filter(pk=manager, organization_id=keep.organization_id).exists():
            Person.unrestricted.filter(pk=person.pk).update(reports_to_id=manager)
    reports = attached.get("reports", [])
    Person.unrestricted.filter(pk__in=reports, reports_to=keep).update(reports_to=person)


def _links(attached: dict[str, Any], keep: Person, person: Person) -> None:
    """The links of each import, the latest first: each import's record is relative to what it found."""
    for items in [*reversed(attached.get("links_later", [])), attached.get("links", [])]:
        _links_of_one_import(items, keep, person)


def _links_of_one_import(items: list[dict[str, Any]], keep: Person, person: Person) -> None:
    from revere.network.models import Link

    for item in items:
        a, b = item["a"], item["b"]
        if a == SEPARATE:
            if not Person.unrestricted.filter(pk=b, organization_id=keep.organization_id).exists():
                continue
            weight, last_seen, source = item["target"]
            lo, hi = sorted((person.pk, b))
            link = Link.unrestricted.filter(a_id=lo, b_id=hi).first()
            if link is None:
                Link.unrestricted.create(
                    organization_id=keep.organization_id,
                    a_id=lo,
                    b_id=hi,
                    weight=min(1.0, max(weight, 0.01)),
                    source=source,
                    last_seen=_when(last_seen),
                )
                continue
            # A later import's increments are on it already: this (earlier) one's come first.
            seen = _when(last_seen)
            if seen is not None and (link.last_seen is None or seen > link.last_seen):
                link.last_seen = seen
            link.source = source or link.source
            _set_weight(link, 1 - (1 - link.weight) * (1 - weight))
            continue
        link = Link.unrestricted.filter(a_id=a, b_id=b).first()
        if link is None:  # deleted since the import
            continue
        after = item.get("after")
        if "scale" in item:
            out, into = item["scale"]
            rest = (1 - link.weight) / out if out > 1e-12 else 1.0
            _set_weight(link, 1 - rest * into)
            continue
        target = item["target"]
        # What happened to the link after the import stays: its factor on top of the target.
        later = 1.0 if after is None or after >= 1 else (1 - link.weight) / (1 - after)
        if target is None:
            if later >= 1 - 1e-9:
                link.delete()
            else:
                _set_weight(link, 1 - later)
            continue
        weight, last_seen, source = target
        link.last_seen = _when(last_seen) if last_seen else link.last_seen
        if source:
            link.source = source
        _set_weight(link, 1 - (1 - weight) * later)


def _set_weight(link: Any, weight: float) -> None:
    if weight <= 1e-9:
        link.delete()
        return
    link.weight = min(1.0, weight)
    link.save(update_fields=["weight", "last_seen", "source"])


def _tie(attached: dict[str, Any], keep: Person, person: Person) -> None:
    """The ties of the members whose imports attached to the kept person through the record.

    Each import's record says whether the kept person's tie stood without the record then: the
    latest first, a tie made only through the record moves to the separated person (or goes, when
    they have one already) and a start moved back is put back; then, the earliest first, the
    separated person gets the ties the records wished for, with the earliest start.
    """
    from django.db.models import Min

    from revere.network.models import InteractionParticipant, Tie
    from revere.tenancy.models import Member

    infos = [attached.get("tie") or {}, *attached.get("ties_later", [])]
    members = {
        m.pk: m
        for m in Member.unrestricted.filter(
            organization_id=keep.organization_id, pk__in=[int(i.get("member_id") or 0) for i in infos]
        )
    }
    later: dict[int, list[dt.date | None]] = {}  # member -> starts later imports' other records wished for
    for info in reversed(infos):
        member = members.get(int(info.get("member_id") or 0))
        if member is None:
            continue
        tie = Tie.unrestricted.filter(member=member, person=keep).first()
        first = InteractionParticipant.unrestricted.filter(
            person=person, interaction__member=member
        ).aggregate(first=Min("interaction__occurred_at"))["first"]
        wished = later.get(member.pk)
        if tie is not None and not info.get("kept_had") and (info.get("wanted") or first is not None):
            if wished is not None:  # a later import's own records would have made it: it stays
                known = [d for d in wished if d is not None]
                tie.since = min(known) if known else None
                tie.save(update_fields=["since"])
            elif Tie.unrestricted.filter(member=member, person=person).exists():
                tie.delete()
            else:  # that import made this tie only through the record: it is the separated person's
                tie.person = person
                wanted = info.get("wanted")
                tie.since = _date(info.get("since")) if wanted else first.astimezone(dt.UTC).date()
                tie.save(update_fields=["person", "since"])
        elif tie is not None and info.get("kept_had") and tie.since == _date(info.get("since_after")):
            tie.since = _date(info.get("since_without"))
            tie.save(update_fields=["since"])
        if info.get("others"):
            later.setdefault(member.pk, []).append(_date(info.get("others_since")))
    for info in infos:
        member = members.get(int(info.get("member_id") or 0))
        if member is None or not info.get("wanted") or member.person_id == person.pk:
            continue
        since = _date(info.get("since"))
        tie, created = Tie.unrestricted.get_or_create(
            organization_id=keep.organization_id,
            member=member,
            person=person,
            defaults={
                "ego_id": member.person_id,
                "strength": 0.0,
                "network_class": "market",
                "visibility": "team",
                "since": since,
            },
        )
        if not created and since is not None and (tie.since is None or since < tie.since):
            tie.since = since
            tie.save(update_fields=["since"])


def kept_fields(merge: PersonMerge) -> dict[str, Any]:
    """The kept person's fields the record filled, as they are without it (attname -> value).

    Empty again, or what a later record of the same import would have filled them with.
    """
    out = {("company_id" if f == "company" else f): v for f, v in merge.fields.items()}
    for f, value in (merge.snapshot.get("attached") or {}).get("fields_without", {}).items():
        if (
            f == "company"
            and not Company.unrestricted.filter(pk=value, organization_id=merge.organization_id).exists()
        ):
            continue
        out["company_id" if f == "company" else f] = value
    return out


def import_merge_recompute(merge: PersonMerge) -> None:
    """The importing member's tie strengths and classes, after the rows moved (and the fields went back)."""
    from revere.network.services import network_recompute
    from revere.tenancy.models import Member

    attached = merge.snapshot.get("attached") or {}
    infos = [attached.get("tie") or {}, *attached.get("ties_later", [])]
    ids = {int(i.get("member_id") or 0) for i in infos}
    members = list(Member.unrestricted.filter(pk__in=ids, organization_id=merge.organization_id))
    if members:
        network_recompute(organization=members[0].organization, member_ids=[m.pk for m in members])
