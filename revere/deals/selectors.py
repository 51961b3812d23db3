"""Reads of deals for a member: the board (columns, totals, warnings), one deal, its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from revere.deals.models import OPEN_STAGES, Deal, DealStageChange, Stage
from revere.deals.playbook import CardWarning, deal_warnings
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector

BOARD_STAGES = (*OPEN_STAGES, Stage.WON, Stage.LOST)


@dataclass(frozen=True)
class DealRow:
    """The fields of a deal the board shows (read as values: 500 cards cost no model instances)."""

    pk: int
    name: str
    stage: str
    amount: Decimal | None
    currency: str
    expected_close: date | None
    created_at: datetime
    company_id: int
    owner_id: int
    organization_id: int


@dataclass
class Card:
    deal: DealRow
    company_name: str
    amount: Decimal | None
    days_in_stage: int
    owner_name: str
    warnings: list[CardWarning] = field(default_factory=list)


@dataclass
class Column:
    stage: str
    label: str
    cards: list[Card]
    total: Decimal
    #: Filled by the page (revere.web.deals): the column's cards as HTML.
    page: dict[str, Any] = field(default_factory=dict)


_ROW = ("pk", "name", "stage", "amount", "currency", "expected_close", "created_at", "company_id", "owner_id")


@selector
def deals_board(
    *,
    member: Member,
    owner: int | None = None,
    team: int | None = None,
    company: int | None = None,
    amount_min: Decimal | None = None,
    amount_max: Decimal | None = None,
    close_from: date | None = None,
    close_to: date | None = None,
) -> list[Column]:
    """The deals the member may see, in six columns (four open stages, won, lost), with amount totals
    and each card's warnings (three queries and the graph, whatever the number of deals)."""
    qs = Deal.objects.visible_to(member)
    if owner:
        qs = qs.filter(owner_id=owner)
    if team:
        qs = qs.filter(owner__team_id=team)
    if company:
        qs = qs.filter(company_id=company)
    if amount_min is not None:
        qs = qs.filter(amount__gte=amount_min)
    if amount_max is not None:
        qs = qs.filter(amount__lte=amount_max)
    if close_from is not None:
        qs = qs.filter(expected_close__gte=close_from)
    if close_to is not None:
        qs = qs.filter(expected_close__lte=close_to)
    rows = list(qs.order_by("-amount", "pk").values_list(*_ROW, "company__name", "owner__person__full_name"))
    deals = [
        DealRow(**dict(zip(_ROW, r, strict=False)), organization_id=member.organization_id) for r in rows
    ]
    names = {r[0]: (r[-2], r[-1]) for r in rows}
    entered: dict[int, datetime] = dict(
        DealStageChange.objects.visible_to(member)
        .filter(deal_id__in=[d.pk for d in deals])
        .values("deal_id")
        .annotate(at=Max("changed_at"))
        .values_list("deal_id", "at")
    )
    now = timezone.now()
    warnings = deal_warnings(member, deals, entered, now=now) if deals else {}
    columns = []
    for stage in BOARD_STAGES:
        cards = [
            Card(
                deal=d,
                company_name=names[d.pk][0],
                amount=d.amount,
                days_in_stage=(now - entered.get(d.pk, d.created_at)).days,
                owner_name=names[d.pk][1],
                warnings=warnings.get(d.pk, []),
            )
            for d in deals
            if d.stage == stage
        ]
        total = sum((c.amount or Decimal(0) for c in cards), Decimal(0))
        columns.append(Column(stage=stage.value, label=stage.label, cards=cards, total=total))
    return columns


@selector
def deal_get(*, member: Member, deal_id: int) -> Deal:
    """One deal the member may see; another's or a forged id is a 404."""
    deal = (
        Deal.objects.visible_to(member).select_related("company", "owner__person").filter(pk=deal_id).first()
    )
    if deal is None:
        raise Http404("No such deal.")
    return deal


@selector
def deal_history(*, member: Member, deal: Deal) -> list[DealStageChange]:
    """The deal's stage changes, oldest first."""
    return list(
        DealStageChange.objects.visible_to(member)
        .filter(deal_id=deal.pk)
        .select_related("changed_by__person")
        .order_by("changed_at", "pk")
    )
