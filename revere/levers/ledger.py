"""The credit rules of the contribution ledger, as plain computation over acts (no database).

An *act* is one piece of network work with its evidence: an introduction made (its request), a
reference given (the reference use), an assist on a deal (the deal team). The rules
(docs/levers.md §4):

1. **Points per kind**: an introduction, a reference or an assist earns the points of its kind, if it
   counts: an introduction or a reference once made; an assist once its deal is won.
2. **Won-deal share**: an introduction for a deal that was won, to a person at the buyer (working at the
   deal's company or holding a buying role on the deal), also earns ``won_share`` of the deal's amount.
3. **No double credit**: acts with the same identity (the same introducer introducing the same person
   to the same colleague; the same reference use; the same member's assist on the same deal) are one
   act: the earliest is credited, the others show with no credit.
4. **Cap per period**: a member's credit in one month is at most ``cap`` (taken in the order of the
   acts; the act that reaches the cap gets what is left). Adjustments are not capped again: the month
   they correct applied its own cap.
5. **Closed periods do not change**: a closed month's entries are stored with the rules it was closed
   with. When an act of a closed month is later worth something else (its deal is won, it is
   corrected or deleted, an earlier act is backdated into the month), the difference between what the
   closed month would credit now, under its own rules, and what it credited goes to the first open
   month after it, as an adjustment.

Months are the first day of the month (``date``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0")


def month_of(d: date) -> date:
    return date(d.year, d.month, 1)


def next_month(m: date) -> date:
    return date(m.year + (m.month == 12), m.month % 12 + 1, 1)


def parse_month(text: str) -> date:
    """``YYYY-MM`` as the month's first day; ValueError with a plain message otherwise."""
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValueError(f"{text!r} is not a month: write it YYYY-MM, e.g. 2025-03.") from None


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


@dataclass(frozen=True)
class Rules:
    """Points per kind, the won-deal share of an introduction, and the cap per member and month."""

    introduction: Decimal = Decimal("50")
    reference: Decimal = Decimal("100")
    assist: Decimal = Decimal("25")
    won_share: Decimal = Decimal("0.01")
    cap: Decimal | None = None

    def points(self, kind: str) -> Decimal:
        return {"introduction": self.introduction, "reference": self.reference, "assist": self.assist}[kind]

    def as_json(self) -> dict[str, str | None]:
        return {
            "introduction": str(self.introduction),
            "reference": str(self.reference),
            "assist": str(self.assist),
            "won_share": str(self.won_share),
            "cap": None if self.cap is None else str(self.cap),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rules:
        cap = data.get("cap")
        return cls(
            introduction=Decimal(str(data["introduction"])),
            reference=Decimal(str(data["reference"])),
            assist=Decimal(str(data["assist"])),
            won_share=Decimal(str(data["won_share"])),
            cap=None if cap is None else Decimal(str(cap)),
        )


@dataclass(frozen=True)
class Act:
    """One act as the rules see it. ``identity`` makes two records of the same act one."""

    member_id: int
    kind: str
    evidence: str
    identity: tuple[Any, ...]
    occurred_on: date
    counts: bool  # made (introduction, reference) / deal won (assist)
    contribution_id: int | None = None
    deal_id: int | None = None
    deal_amount: Decimal | None = None
    won_share_applies: bool = False  # introduction, deal won, person at the buyer
    note: str = ""


@dataclass(frozen=True)
class Entry:
    """A line of a member's statement for one month."""

    member_id: int
    month: date
    kind: str
    evidence: str
    occurred_on: date
    points: Decimal
    share: Decimal
    amount: Decimal | None
    credit: Decimal
    contribution_id: int | None = None
    deal_id: int | None = None
    adjusts: date | None = None
    note: str = ""

    @property
    def key(self) -> tuple[int, str]:
        return (self.member_id, self.evidence)


def _order(act: Act) -> tuple[Any, ...]:
    return (act.occurred_on, act.contribution_id or 0, act.evidence)


def credit_month(acts: Sequence[Act], month: date, rules: Rules) -> list[Entry]:
    """The entries of one month's acts under ``rules``: points, share, no double credit, the cap.

    ``acts`` are the acts of that month (of any members); the identity of an act is looked up among
    them and the earlier months' acts passed in too (an act already credited before is a repeat).
    """
    seen: set[tuple[Any, ...]] = set()
    used: dict[int, Decimal] = {}
    out: list[Entry] = []
    for act in sorted(acts, key=_order):
        ident = (act.member_id, act.kind, *act.identity)
        if month_of(act.occurred_on) != month:  # an earlier month's act: only marks its identity
            seen.add(ident)
            continue
        points, share, amount, note = ZERO, ZERO, None, act.note
        if ident in seen:
            note = "the same act was credited already"
        elif act.counts:
            points = _money(rules.points(act.kind))
            if act.won_share_applies and act.deal_amount is not None:
                amount = _money(act.deal_amount)
                share = _money(rules.won_share * act.deal_amount)
        elif not note:
            note = "deal not won (yet)" if act.kind == "assist" else "not made"
        seen.add(ident)
        credit = points + share
        if rules.cap is not None:
            room = max(ZERO, _money(rules.cap) - used.get(act.member_id, ZERO))
            if credit > room:
                credit, note = room, f"capped at {_money(rules.cap)} a month"
            used[act.member_id] = used.get(act.member_id, ZERO) + credit
        out.append(
            Entry(
                member_id=act.member_id,
                month=month,
                kind=act.kind,
                evidence=act.evidence,
                occurred_on=act.occurred_on,
                points=points,
                share=share,
                amount=amount,
                credit=credit,
                contribution_id=act.contribution_id,
                deal_id=act.deal_id,
                note=note,
            )
        )
    return out


def ledger(
    acts: Iterable[Act],
    *,
    current_rules: Rules,
    closed: Mapping[date, tuple[Rules, Sequence[Entry]]],
    today: date,
) -> dict[date, list[Entry]]:
    """Every month's entries: closed months as stored, open months live, adjustments where they land.

    ``closed`` maps each closed month to the rules it was closed with and its stored entries. Months
    run from the earliest act or closed month to ``today``'s; only months with entries are returned,
    in order. An adjustment lands in the first open month after the month it corrects.
    """
    all_acts = sorted(acts, key=_order)
    first = min([month_of(a.occurred_on) for a in all_acts] + list(closed) + [month_of(today)])
    months = [first]
    while months[-1] < month_of(today):
        months.append(next_month(months[-1]))
    out: dict[date, list[Entry]] = {}
    booked: dict[tuple[tuple[int, str], date], Decimal] = {}  # (act, its month): credited so far
    original: dict[tuple[tuple[int, str], date], Entry] = {}
    for m, (_, entries) in closed.items():
        for e in entries:
            at = e.adjusts or m
            booked[(e.key, at)] = booked.get((e.key, at), ZERO) + e.credit
            if e.adjusts is None:
                original[(e.key, m)] = e
    pending: list[Entry] = []  # adjustments waiting for the next open month
    for m in months:
        upto = [a for a in all_acts if month_of(a.occurred_on) <= m]
        if m in closed:
            rules, stored = closed[m]
            out[m] = list(stored)
            now = {e.key: e for e in credit_month(upto, m, rules)}
            for key in sorted(set(now) | {k for k, at in original if at == m}):
                should = now[key].credit if key in now else ZERO
                was = booked.get((key, m), ZERO)
                if should != was:
                    src = now.get(key) or original[(key, m)]
                    note = f"adjusts {m:%Y-%m}: {was} credited, {should} due"
                    pending.append(
                        replace(src, points=ZERO, share=ZERO, credit=should - was, adjusts=m, note=note)
                    )
            continue
        entries = credit_month(upto, m, current_rules) + [replace(e, month=m) for e in pending]
        pending = []
        if entries:
            out[m] = entries
    return {m: out[m] for m in sorted(out) if out[m]}


def totals(entries: Iterable[Entry]) -> dict[str, Decimal]:
    """Credit per kind and in all (``"total"``)."""
    out: dict[str, Decimal] = {"introduction": ZERO, "reference": ZERO, "assist": ZERO}
    for e in entries:
        out[e.kind] = out.get(e.kind, ZERO) + e.credit
    out["total"] = sum((v for k, v in out.items()), ZERO)
    return out


RulesFor = Callable[[date], Rules]
