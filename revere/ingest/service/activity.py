"""What refers to persons: org chart, introductions, links, deals and buying roles, interactions.

Link weights (docs/import.md): each co-occurrence adds ``inc`` with ``w = 1 - (1 - w)(1 - inc)``
(so weights saturate below 1); ``inc`` is 0.5 for a meeting, 0.3 for a message, scaled by
``min(1, 3 / audience)`` and by 0.25 through a mailing list; an audience above
MAX_LINK_AUDIENCE makes no pairwise links at all.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from itertools import combinations
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from revere.contacts.identity import (
    company_domain_from_email,
    is_email,
    normalize_email,
    normalize_person_name,
)
from revere.contacts.models import Person
from revere.contacts.services import person_validate_reports_to
from revere.deals.models import BuyingRole, BuyingRoleKind, Deal, DealStageChange, Stage
from revere.ingest.records import ReadResult
from revere.ingest.service.bulk import insert_rows, reserve_ids, update_rows
from revere.ingest.service.index import PersonEntry
from revere.network.models import (
    Interaction,
    InteractionKind,
    InteractionParticipant,
    Link,
    LinkSource,
    ParticipantRole,
)
from revere.tenancy.models import Member

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun

MAX_LINK_AUDIENCE = 25
BATCH = 2000
CLOSED = {Stage.WON, Stage.LOST}


def link_increment(*, kind: str, audience: int, via_list: bool) -> float:
    base = 0.5 if kind in ("meeting", "event", "call") else 0.3
    inc = base * min(1.0, 3.0 / max(audience, 1))
    return inc * (0.25 if via_list else 1.0)


class LinkBook:
    """Links to write: pairs of person ids with their accumulated weight."""

    def __init__(self, organization_id: int) -> None:
        self.organization_id = organization_id
        self.pending: dict[tuple[int, int], tuple[float, str, Any]] = {}

    def add(self, a: int | None, b: int | None, inc: float, source: str, when: Any = None) -> None:
        if a is None or b is None or a == b:
            return
        pair = (a, b) if a < b else (b, a)
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
            rows = Link.objects.filter(organization_id=self.organization_id, a_id__in=involved[i : i + 5000])
            for pk, a_id, b_id, weight, last_seen in rows.values_list(
                "id", "a_id", "b_id", "weight", "last_seen"
            ):
                existing[(a_id, b_id)] = (pk, weight, last_seen)
        now = timezone.now()
        new: list[tuple[Any, ...]] = []
        changed: list[tuple[Any, ...]] = []
        for (a, b), (inc, source, last) in self.pending.items():
            found = existing.get((a, b))
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


def org_chart_and_introductions(run: ImportRun) -> None:
    """Reports-to (by key, or by Outlook's Manager's Name when the manager is known) and Referred By."""
    book = LinkBook(run.org_id)
    for file, namespace, record, entry in run.person_rows:
        manager: PersonEntry | None = None
        if record.reports_to_key:
            manager = run.person_keys.get((namespace, record.reports_to_key))
            if manager is None:
                run.report.add(
                    file=file,
                    line=record.line,
                    kind="org_chart",
                    action="skipped",
                    label=entry.full_name,
                    reason=f"manager {record.reports_to_key} not in the import",
                )
        elif record.reports_to_name.strip():
            manager = run.index.find_by_name(
                normalize_person_name(record.reports_to_name), company=entry.company
            )
            if manager is None:
                run.report.add(
                    file=file,
                    line=record.line,
                    kind="org_chart",
                    action="skipped",
                    label=entry.full_name,
                    reason=f"manager {record.reports_to_name!r} is not known (or not unique)",
                )
        if manager is not None and manager is not entry and manager.pk is not None and entry.pk is not None:
            person = Person.objects.get(pk=entry.pk)
            manager_obj = Person.objects.get(pk=manager.pk)
            if person.reports_to_id == manager.pk:
                pass
            else:
                try:
                    person_validate_reports_to(person=person, manager=manager_obj)
                except ValidationError as exc:
                    run.report.add(
                        file=file,
                        line=record.line,
                        kind="org_chart",
                        action="skipped",
                        label=entry.full_name,
                        reason="; ".join(exc.messages),
                    )
                else:
                    Person.objects.filter(pk=entry.pk).update(reports_to_id=manager.pk)
                    book.add(entry.pk, manager.pk, 0.6, LinkSource.ORG_CHART)
                    run.report.add(
                        file=file,
                        line=record.line,
                        kind="org_chart",
                        action="updated",
                        label=entry.full_name,
                        reason=f"reports to {manager.full_name}",
                    )
        if record.referred_by_name.strip():
            referrer = run.index.find_by_name(normalize_person_name(record.referred_by_name))
            if referrer is None or referrer is entry:
                run.report.add(
                    file=file,
                    line=record.line,
                    kind="introduction",
                    action="skipped",
                    label=entry.full_name,
                    reason=f"referrer {record.referred_by_name!r} is not known (or not unique)",
                )
            else:
                book.add(entry.pk, referrer.pk, 0.5, LinkSource.INTRODUCED)
                run.report.add(
                    file=file,
                    line=record.line,
                    kind="introduction",
                    action="created",
                    label=entry.full_name,
                    reason=f"introduced by {referrer.full_name}",
                )
    book.flush()


def links(run: ImportRun, file: str, result: ReadResult) -> None:
    book = LinkBook(run.org_id)
    for rec in result.links:
        run.tick()
        a = run.person_keys.get((result.format, rec.a_key))
        b = run.person_keys.get((result.format, rec.b_key))
        if a is None or b is None or a is b:
            run.report.add(
                file=file,
                line=rec.line,
                kind="link",
                action="skipped",
                label=f"{rec.a_key} - {rec.b_key}",
                reason="a person of this link is not in the import",
            )
            continue
        source = rec.source if rec.source in LinkSource.values else LinkSource.STATED
        book.add(a.pk, b.pk, max(0.01, min(1.0, rec.weight)), source)
        run.report.add(
            file=file, line=rec.line, kind="link", action="created", label=f"{a.full_name} - {b.full_name}"
        )
    book.flush()


def _members_by_email(organization_id: int) -> dict[str, Member]:
    out: dict[str, Member] = {}
    for m in Member.objects.filter(organization_id=organization_id).select_related("user"):
        if m.user.email:
            out[normalize_email(m.user.email)] = m
    from revere.contacts.models import PersonEmail

    persons = {m.person_id: m for m in out.values()}
    for m in Member.objects.filter(organization_id=organization_id):
        persons.setdefault(m.person_id, m)
    for person_id, email in PersonEmail.objects.filter(person_id__in=list(persons)).values_list(
        "person_id", "email"
    ):
        out.setdefault(email, persons[person_id])
    return out


def deals(run: ImportRun, file: str, result: ReadResult) -> None:
    if not result.deals and not result.buying_roles:
        return
    ns = result.format
    members = _members_by_email(run.org_id)
    touched: set[int] = set()
    deal_by_key: dict[str, Deal] = {}
    for rec in result.deals:
        run.tick()
        company = run.company_keys.get((ns, rec.company_key)) if rec.company_key else None
        if company is None and rec.company_key:
            obj_id = run.stored_company_key(ns, rec.company_key)
            company = run.index.companies_by_pk.get(obj_id) if obj_id else None
        if company is None or company.pk is None:
            run.report.add(
                file=file,
                line=rec.line,
                kind="deal",
                action="skipped",
                label=rec.name,
                reason="no known company for this deal",
            )
            continue
        stage = rec.stage if rec.stage in Stage.values else Stage.IDENTIFY
        owner = members.get(normalize_email(rec.owner_email)) if rec.owner_email else None
        owner = owner or run.member
        external_id = f"{ns}:{rec.key}"[:255]
        amount = None
        if rec.amount is not None:
            try:
                amount = Decimal(str(rec.amount)).quantize(Decimal("0.01"))
            except InvalidOperation:
                amount = None
        deal = Deal.objects.filter(organization_id=run.org_id, external_id=external_id).first()
        closed_at = run.now if stage in CLOSED else None
        if deal is None:
            deal = Deal.objects.create(
                organization_id=run.org_id,
                name=(rec.name or rec.key)[:255],
                company_id=company.pk,
                owner=owner,
                stage=stage,
                amount=amount,
                expected_close=rec.expected_close,
                external_id=external_id,
                created_at=run.now,
                closed_at=closed_at,
            )
            DealStageChange.objects.create(
                organization_id=run.org_id,
                deal=deal,
                from_stage="",
                to_stage=stage,
                changed_at=run.now,
                changed_by=run.member,
            )
            reason = f"stage {Stage(stage).label}" + (
                f" (from {rec.source_stage!r})" if rec.source_stage else ""
            )
            run.report.add(
                file=file,
                line=rec.line,
                kind="deal",
                action="created",
                label=deal.name,
                reason=reason,
                object_id=deal.pk,
            )
        else:
            changes = []
            if deal.stage != stage:
                DealStageChange.objects.create(
                    organization_id=run.org_id,
                    deal=deal,
                    from_stage=deal.stage,
                    to_stage=stage,
                    changed_at=run.now,
                    changed_by=run.member,
                )
                deal.stage = stage
                deal.closed_at = closed_at
                changes.append("stage")
            if amount is not None and deal.amount != amount:
                deal.amount = amount
                changes.append("amount")
            if rec.expected_close and deal.expected_close != rec.expected_close:
                deal.expected_close = rec.expected_close
                changes.append("expected close")
            if changes:
                deal.save()
                run.report.add(
                    file=file,
                    line=rec.line,
                    kind="deal",
                    action="updated",
                    label=deal.name,
                    reason="changed: " + ", ".join(changes),
                    object_id=deal.pk,
                )
            else:
                run.report.add(
                    file=file,
                    line=rec.line,
                    kind="deal",
                    action="skipped",
                    label=deal.name,
                    reason="already imported, nothing changed",
                    object_id=deal.pk,
                )
        deal_by_key[rec.key] = deal
        touched.add(company.pk)
        for ckey in rec.contact_keys:
            person = run.person_keys.get((ns, ckey))
            if person is not None and person.pk is not None:
                BuyingRole.objects.get_or_create(
                    organization_id=run.org_id,
                    deal=deal,
                    person_id=person.pk,
                    defaults={"role": BuyingRoleKind.INFLUENCER},
                )
    for role in result.buying_roles:
        run.tick()
        deal_or_none = (
            deal_by_key.get(role.deal_key)
            or Deal.objects.filter(organization_id=run.org_id, external_id=f"{ns}:{role.deal_key}").first()
        )
        person = run.person_keys.get((ns, role.person_key))
        label = f"{role.person_key} on {role.deal_key}"
        if deal_or_none is None or person is None or person.pk is None:
            run.report.add(
                file=file,
                line=role.line,
                kind="buying_role",
                action="skipped",
                label=label,
                reason="its deal or person is not in the import",
            )
            continue
        kind = role.role if role.role in BuyingRoleKind.values else BuyingRoleKind.INFLUENCER
        _, created = BuyingRole.objects.get_or_create(
            organization_id=run.org_id, deal=deal_or_none, person_id=person.pk, role=kind
        )
        run.report.add(
            file=file,
            line=role.line,
            kind="buying_role",
            action="created" if created else "skipped",
            label=f"{person.full_name}: {BuyingRoleKind(kind).label} on {deal_or_none.name}",
            reason="" if created else "already imported",
        )
    run.company_status_from_deals(touched)


def interactions(run: ImportRun, file: str, result: ReadResult) -> None:
    if not result.interactions:
        return
    known = set(
        Interaction.objects.filter(organization_id=run.org_id, member=run.member)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    todo = []
    for rec in result.interactions:
        run.tick()
        ext = (rec.key or "")[:255]
        if ext and ext in known:
            run.report.add(
                file=file,
                line=rec.line,
                kind="interaction",
                action="skipped",
                label=rec.subject or ext,
                reason="already imported",
            )
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
                domain = company_domain_from_email(email)
                company = run.index.company_by_domain.get(domain) if domain else None
                # Known only by an address: named by it, with no name to match on.
                entry = run.new_person(name or email, normalize_person_name(name) if name else "", company)
                run.index.person_add_email(entry, email)
                run.index.add_person(entry)
            people[email] = entry
        others = [e for k, e in people.items() if e is not None and e is not run.member_person]
        if not others:
            run.report.add(
                file=file,
                line=rec.line,
                kind="interaction",
                action="skipped",
                label=rec.subject or ext,
                reason="nobody on it but the member",
            )
            continue
        todo.append((rec, people))
    run.flush_persons()
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
    interaction_columns = (
        "id", "organization_id", "kind", "occurred_at", "subject", "member_id", "outbound", "audience", "external_id",
    )  # fmt: skip
    insert_rows(Interaction, interaction_columns, rows)
    parts: list[tuple[Any, ...]] = []
    book = LinkBook(run.org_id)
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
        if len(other_ids) >= 2 and len(seen) <= MAX_LINK_AUDIENCE:
            inc = link_increment(kind=rec.kind, audience=max(rec.audience, len(seen)), via_list=rec.via_list)
            source = LinkSource.MET_TOGETHER if is_meeting else LinkSource.EMAILED_TOGETHER
            for a, b in combinations(sorted(other_ids), 2):
                book.add(a, b, inc, source, rec.occurred_at)
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
