"""The board and a deal with its playbook as plain, JSON-ready data: what the API and the CLI give,
the same figures the pages show."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from revere.deals.models import Deal, DealStageChange
from revere.deals.playbook import Playbook
from revere.deals.selectors import Card, Column
from revere.web.deals.present import playbook_view


def _amount(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def card_dict(c: Card) -> dict[str, Any]:
    d = c.deal
    return {
        "id": d.pk,
        "name": d.name,
        "stage": d.stage,
        "company": {"id": d.company_id, "name": c.company_name},
        "amount": _amount(c.amount),
        "currency": d.currency,
        "expected_close": d.expected_close.isoformat() if d.expected_close else None,
        "days_in_stage": c.days_in_stage,
        "owner": {"id": d.owner_id, "name": c.owner_name},
        "warnings": [{"kind": w.kind, "text": w.text} for w in c.warnings],
    }


def board_dict(columns: list[Column]) -> dict[str, Any]:
    return {
        "columns": [
            {
                "stage": col.stage,
                "label": col.label,
                "count": len(col.cards),
                "total": _amount(col.total),
                "deals": [card_dict(c) for c in col.cards],
            }
            for col in columns
        ]
    }


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def deal_dict(deal: Deal, history: list[DealStageChange], book: Playbook, team: list[Any]) -> dict[str, Any]:
    pb = playbook_view(book)
    pb.pop("stage", None)
    checks = [dataclasses.asdict(c) for c in book.checks]
    pb.pop("checks", None)
    pb.pop("passes", None)
    return {
        "id": deal.pk,
        "name": deal.name,
        "stage": deal.stage,
        "company": {"id": deal.company_id, "name": deal.company.name},
        "amount": _amount(deal.amount),
        "currency": deal.currency,
        "expected_close": deal.expected_close.isoformat() if deal.expected_close else None,
        "owner": {"id": deal.owner_id, "name": deal.owner.person.full_name},
        "team": [{"id": m.pk, "name": m.person.full_name} for m in team],
        "needed_expertise": list(deal.needed_expertise or []),
        "history": [
            {
                "from": h.from_stage,
                "to": h.to_stage,
                "at": h.changed_at.isoformat(),
                "by": h.changed_by.person.full_name if h.changed_by else None,
                "reason": h.reason,
                "flagged": h.flagged,
                "failed_checks": list(h.failed_checks or []),
                "reopened": h.reopened,
                "source": h.source,
            }
            for h in history
        ],
        "playbook": {
            "stage": book.stage,
            "exit_check": {"passes": book.checks_pass, "checks": checks},
            **_plain(pb),
        },
    }


def deal_full(*, member: Any, deal_id: int, stage: str | None = None) -> dict[str, Any]:
    """One deal the member may see with its playbook (``Http404`` otherwise), JSON-ready."""
    from revere.deals.playbook import deal_playbook
    from revere.deals.selectors import deal_get, deal_history

    deal = deal_get(member=member, deal_id=deal_id)
    history = deal_history(member=member, deal=deal)
    team = list(
        deal.team.visible_to(member)
        .exclude(pk=deal.owner_id)
        .select_related("person")
        .order_by("person__full_name")
    )
    book = deal_playbook(member=member, deal_id=deal.pk, stage=stage)
    return deal_dict(deal, history, book, team)
