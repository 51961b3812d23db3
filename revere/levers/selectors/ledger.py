"""Reads of the contribution ledger: statements, the month's overview, and the export rows.

Credits come from :func:`revere.levers.services.ledger.ledger_compute` for the members the acting
member may see (:func:`revere.tenancy.visibility.own_or_scope_ids`: a seller themself, a manager
their teams, an admin everyone). A deal's name shows only where the acting member may see the
deal; otherwise the line names it by number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from revere.deals.models import Deal
from revere.levers.ledger import Entry, month_of, totals
from revere.levers.services.ledger import closed_months, credit_rules, ledger_compute
from revere.tenancy.models import Member
from revere.tenancy.visibility import own_or_scope_ids, selector

__all__ = ["LedgerLine", "Statement", "ledger_export", "ledger_overview", "ledger_statement"]


@dataclass(frozen=True)
class LedgerLine:
    """An entry as shown: the entry, and the names of its member and deal."""

    entry: Entry
    member_name: str
    member_email: str
    deal_name: str | None
    member_person_id: int | None = None
    deal_visible: bool = False

    def export(self) -> dict[str, Any]:
        """The row an incentive tool imports: member, period, kind, evidence id, deal, amount, credit."""
        e = self.entry
        return {
            "member": self.member_email,
            "member_name": self.member_name,
            "period": f"{e.month:%Y-%m}",
            "kind": e.kind,
            "evidence_id": e.evidence,
            "deal": e.deal_id,
            "deal_name": self.deal_name or "",
            "amount": None if e.amount is None else str(e.amount),
            "credit": str(e.credit),
            "adjusts": "" if e.adjusts is None else f"{e.adjusts:%Y-%m}",
            "occurred_on": e.occurred_on.isoformat(),
            "note": e.note,
        }


@dataclass(frozen=True)
class Statement:
    """One member's month."""

    member_id: int
    member_name: str
    month: date
    closed: bool
    lines: list[LedgerLine]
    totals: dict[str, Decimal] = field(default_factory=dict)


def _members(member: Member, ids: set[int]) -> dict[int, tuple[str, str, int]]:
    rows = Member.objects.visible_to(member).filter(pk__in=ids)
    return {
        pk: (name, email or username, person_id)
        for pk, name, email, username, person_id in rows.values_list(
            "id", "person__full_name", "user__email", "user__username", "person_id"
        )
    }


def _lines(member: Member, entries: list[Entry]) -> list[LedgerLine]:
    names = _members(member, {e.member_id for e in entries})
    deal_ids = {e.deal_id for e in entries if e.deal_id is not None}
    deals = dict(Deal.objects.visible_to(member).filter(pk__in=deal_ids).values_list("id", "name"))
    out = []
    for e in entries:
        name, email, person_id = names.get(e.member_id, ("", "", None))
        deal = None if e.deal_id is None else deals.get(e.deal_id, f"Deal #{e.deal_id} (not yours to see)")
        out.append(
            LedgerLine(
                entry=e,
                member_name=name,
                member_email=email,
                deal_name=deal,
                member_person_id=person_id,
                deal_visible=e.deal_id in deals,
            )
        )
    return out


def _subjects(member: Member, subject: Member | None) -> set[int]:
    allowed = own_or_scope_ids(member)
    if subject is None:
        return allowed
    if subject.organization_id != member.organization_id or subject.pk not in allowed:
        raise LookupError("That member's statements are not yours to see.")
    return {subject.pk}


@selector
def ledger_statement(
    *, member: Member, subject: Member | None = None, month: date | None = None
) -> Statement:
    """``subject``'s (default: the acting member's) entries of ``month`` (default: this month)."""
    ids = _subjects(member, subject)
    who = subject or member
    month = month_of(month or timezone.localdate())
    entries = ledger_compute(organization_id=member.organization_id, member_ids=ids).get(month, [])
    lines = _lines(member, entries)
    return Statement(
        member_id=who.pk,
        member_name=who.person.full_name,
        month=month,
        closed=month in closed_months(organization_id=member.organization_id),
        lines=lines,
        totals=totals(entries),
    )


@dataclass(frozen=True)
class Overview:
    """A month of the ledger for everyone the acting member may see: totals per member, every line."""

    month: date
    closed: bool
    months: list[date]  # every month with entries, newest first
    closed_months: set[date]
    members: list[dict[str, Any]]  # member id, name, credit per kind and total
    lines: list[LedgerLine]
    rules: dict[str, Any]


@selector
def ledger_overview(*, member: Member, month: date | None = None) -> Overview:
    """The month's ledger of the members in the acting member's view (a seller: only their own)."""
    ids = _subjects(member, None)
    month = month_of(month or timezone.localdate())
    by_month = ledger_compute(organization_id=member.organization_id, member_ids=ids)
    entries = by_month.get(month, [])
    lines = _lines(member, entries)
    per: dict[int, list[Entry]] = {}
    for e in entries:
        per.setdefault(e.member_id, []).append(e)
    names = {line.entry.member_id: (line.member_name, line.member_person_id) for line in lines}
    members: list[dict[str, Any]] = [
        {"member_id": pk, "name": names[pk][0], "person_id": names[pk][1], **totals(es)}
        for pk, es in per.items()
    ]
    members.sort(key=lambda r: (-r["total"], r["name"]))
    closed = closed_months(organization_id=member.organization_id)
    return Overview(
        month=month,
        closed=month in closed,
        months=sorted(set(by_month) | {month}, reverse=True),
        closed_months=closed,
        members=members,
        lines=lines,
        rules=credit_rules(organization_id=member.organization_id).as_json(),
    )


@selector
def ledger_export(*, member: Member, month: date | None = None) -> list[dict[str, Any]]:
    """Every visible entry of ``month`` (default: every month) as export rows, oldest month first."""
    ids = _subjects(member, None)
    by_month = ledger_compute(organization_id=member.organization_id, member_ids=ids)
    if month is not None:
        by_month = {m: es for m, es in by_month.items() if m == month_of(month)}
    entries = [e for m in sorted(by_month) for e in by_month[m]]
    return [line.export() for line in _lines(member, entries)]
