"""The contribution ledger's writes, and the organization-wide reads they need.

* :func:`ledger_acts` reads the acts of the rules (:mod:`revere.levers.ledger`): every contribution
  (introductions, references, assists recorded as such) and, for every won deal, an assist of each
  member of its team other than its owner (the deal team is the evidence).
* :func:`ledger_compute` gives every month's entries: closed months as stored, open ones live.
* :func:`credit_rules_set` (admins) edits the rules; :func:`period_close` (admins) closes a month,
  storing its entries with the rules in force, so that it never changes again.

Credit needs every act of a member and every deal it names, whoever may see the deal: computed
here, in the service layer, for the members asked; what a member may see of the result (their own
statements, or their team's) is the selectors' business (:mod:`revere.levers.selectors`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from revere.deals.models import BuyingRole, Deal, Stage
from revere.levers.ledger import Act, Entry, Rules, ledger, month_of
from revere.levers.models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    CreditPeriod,
    CreditRules,
    LedgerEntry,
)
from revere.tenancy.models import Member, Role

__all__ = ["credit_rules", "credit_rules_set", "ledger_acts", "ledger_compute", "period_close"]


def credit_rules(*, organization_id: int) -> Rules:
    """The organization's credit rules (Revere's defaults until an admin saves some)."""
    row = CreditRules.unrestricted.in_organization(organization_id).first()
    if row is None:
        return Rules()
    return Rules(
        introduction=row.introduction_points,
        reference=row.reference_points,
        assist=row.assist_points,
        won_share=row.won_share,
        cap=row.cap_per_period,
    )


def _decimal(values: Mapping[str, Any], name: str, *, low: Decimal, high: Decimal | None = None) -> Decimal:
    raw = values.get(name)
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({name: f"{raw!r} is not a number."}) from None
    if not value.is_finite() or value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValidationError({name: f"Must be {bound}."})
    return value


@transaction.atomic
def credit_rules_set(*, member: Member, values: Mapping[str, Any]) -> CreditRules:
    """Set the organization's rules (admins only). ``won_share`` is a fraction (0.01 = 1 %); an empty
    ``cap_per_period`` means no cap. Closed months keep the rules they were closed with."""
    if member.role != Role.ADMIN:
        raise PermissionDenied("Only an admin sets the credit rules.")
    fields: dict[str, Decimal | None] = {
        "introduction_points": _decimal(values, "introduction_points", low=Decimal(0), high=Decimal(10**9)),
        "reference_points": _decimal(values, "reference_points", low=Decimal(0), high=Decimal(10**9)),
        "assist_points": _decimal(values, "assist_points", low=Decimal(0), high=Decimal(10**9)),
        "won_share": _decimal(values, "won_share", low=Decimal(0), high=Decimal(1)),
    }
    cap = values.get("cap_per_period")
    fields["cap_per_period"] = (
        None
        if cap in (None, "")
        else _decimal(values, "cap_per_period", low=Decimal(0), high=Decimal(10**12))
    )
    row, _ = CreditRules.unrestricted.update_or_create(
        organization_id=member.organization_id, defaults={**fields, "updated_by": member}
    )
    return row


def _day(value: Any) -> date:
    return timezone.localdate(value) if hasattr(value, "tzinfo") and value.tzinfo else value.date()


def ledger_acts(*, organization_id: int, member_ids: Iterable[int] | None = None) -> list[Act]:
    """The acts the rules credit: contributions, and the teams of won deals (four queries)."""
    wanted = None if member_ids is None else set(member_ids)
    rows = Contribution.unrestricted.in_organization(organization_id)
    if wanted is not None:
        rows = rows.filter(member_id__in=wanted)
    contributions = list(
        rows.values(
            "id",
            "member_id",
            "kind",
            "status",
            "deal_id",
            "person_id",
            "beneficiary_id",
            "reference_use_id",
            "occurred_at",
            "notes",
            "deal__stage",
            "deal__amount",
            "deal__company_id",
            "person__company_id",
        )
    )
    intro_deals = {c["deal_id"] for c in contributions if c["kind"] == ContributionKind.INTRODUCTION}
    roles = set(
        BuyingRole.unrestricted.in_organization(organization_id)
        .filter(deal_id__in=intro_deals - {None})
        .values_list("deal_id", "person_id")
    )
    acts: list[Act] = []
    for c in contributions:
        kind, won = c["kind"], c["deal__stage"] == Stage.WON
        made = c["status"] == ContributionStatus.MADE
        if kind == ContributionKind.INTRODUCTION:
            evidence = f"introduction/{c['id']}"
            identity: tuple[Any, ...] = (c["beneficiary_id"], c["person_id"])
            at_buyer = c["person_id"] is not None and (
                (c["deal_id"], c["person_id"]) in roles
                or (c["person__company_id"] is not None and c["person__company_id"] == c["deal__company_id"])
            )
            counts, share = made, made and won and at_buyer
        elif kind == ContributionKind.REFERENCE:
            use = c["reference_use_id"]
            evidence = f"reference-use/{use}" if use else f"reference/{c['id']}"
            identity = ("use", use) if use else ("given", c["person_id"], c["deal_id"])
            counts, share = made, False
        else:
            evidence = f"deal-team/{c['deal_id']}" if c["deal_id"] else f"assist/{c['id']}"
            identity = (c["deal_id"],) if c["deal_id"] else ("assist", c["id"])
            counts, share = made and won, False
        acts.append(
            Act(
                member_id=c["member_id"],
                kind=kind,
                evidence=evidence,
                identity=identity,
                occurred_on=_day(c["occurred_at"]),
                counts=counts,
                contribution_id=c["id"],
                deal_id=c["deal_id"],
                deal_amount=c["deal__amount"],
                won_share_applies=share,
            )
        )
    # Every won deal's team, the owner aside: an assist each, dated when the deal was won.
    through = Deal.team.through
    won = Deal.unrestricted.in_organization(organization_id).filter(stage=Stage.WON)
    team_rows = through.objects.filter(deal__in=won.values("pk"))
    if wanted is not None:
        team_rows = team_rows.filter(member_id__in=wanted)
    for deal_id, member_id, owner_id, closed_at, created_at in team_rows.values_list(
        "deal_id", "member_id", "deal__owner_id", "deal__closed_at", "deal__created_at"
    ):
        if member_id == owner_id:
            continue
        acts.append(
            Act(
                member_id=member_id,
                kind=ContributionKind.ASSIST,
                evidence=f"deal-team/{deal_id}",
                identity=(deal_id,),
                occurred_on=_day(closed_at or created_at),
                counts=True,
                deal_id=deal_id,
            )
        )
    return acts


def _entry(row: LedgerEntry) -> Entry:
    return Entry(
        member_id=row.member_id,
        month=row.period.month,
        kind=row.kind,
        evidence=row.evidence,
        occurred_on=row.occurred_on,
        points=row.points,
        share=row.share,
        amount=row.amount,
        credit=row.credit,
        contribution_id=row.contribution_id,
        deal_id=row.deal_id,
        adjusts=row.adjusts,
        note=row.note,
    )


def _closed(organization_id: int, member_ids: Iterable[int] | None) -> dict[date, tuple[Rules, list[Entry]]]:
    periods = list(CreditPeriod.unrestricted.in_organization(organization_id).order_by("month"))
    entries = LedgerEntry.unrestricted.in_organization(organization_id).select_related("period")
    if member_ids is not None:
        entries = entries.filter(member_id__in=set(member_ids))
    by_month: dict[date, list[Entry]] = {p.month: [] for p in periods}
    for row in entries.order_by("period__month", "id"):
        by_month[row.period.month].append(_entry(row))
    return {p.month: (Rules.from_json(p.rules), by_month[p.month]) for p in periods}


def ledger_compute(
    *, organization_id: int, member_ids: Iterable[int] | None = None, today: date | None = None
) -> dict[date, list[Entry]]:
    """Every month's entries of the given members (default: all): closed months stored, open ones live."""
    ids = None if member_ids is None else list(member_ids)
    return ledger(
        ledger_acts(organization_id=organization_id, member_ids=ids),
        current_rules=credit_rules(organization_id=organization_id),
        closed=_closed(organization_id, ids),
        today=today or timezone.localdate(),
    )


def closed_months(*, organization_id: int) -> set[date]:
    return set(CreditPeriod.unrestricted.in_organization(organization_id).values_list("month", flat=True))


@transaction.atomic
def period_close(*, member: Member, month: date, today: date | None = None) -> CreditPeriod:
    """Close a month (admins only): store its entries, with the rules in force, for good.

    Only a month that has ended can be closed, and only once. Later changes to its acts go to the
    next open month as adjustments.
    """
    if member.role != Role.ADMIN:
        raise PermissionDenied("Only an admin closes a period.")
    month = month_of(month)
    today = today or timezone.localdate()
    if month >= month_of(today):
        raise ValidationError(f"{month:%Y-%m} has not ended yet: only past months can be closed.")
    org_id = member.organization_id
    # Lock the rules row (or the organization's periods) so that two closes do not interleave.
    list(CreditRules.unrestricted.in_organization(org_id).select_for_update())
    if CreditPeriod.unrestricted.in_organization(org_id).filter(month=month).exists():
        raise ValidationError(f"{month:%Y-%m} is closed already.")
    entries = ledger_compute(organization_id=org_id, today=today).get(month, [])
    rules = credit_rules(organization_id=org_id)
    period = CreditPeriod.unrestricted.create(
        organization_id=org_id, month=month, closed_at=timezone.now(), closed_by=member, rules=rules.as_json()
    )
    LedgerEntry.unrestricted.bulk_create(
        [
            LedgerEntry(
                organization_id=org_id,
                period=period,
                member_id=e.member_id,
                kind=e.kind,
                evidence=e.evidence,
                contribution_id=e.contribution_id,
                deal_id=e.deal_id,
                occurred_on=e.occurred_on,
                points=e.points,
                share=e.share,
                amount=e.amount,
                credit=e.credit,
                adjusts=e.adjusts,
                note=e.note[:200],
            )
            for e in entries
        ],
        batch_size=1000,
    )
    return period
