"""Keep-in-touch cadences: how often a tie should hear from the member, and when it is due.

A tie's cadence is, in order: the member's own setting on the tie (``Tie.cadence_days``; 0 means
"never remind me"); else the shortest default among the roles the person plays for the member (a
buying role on one of the member's open deals, or being a consenting reference); else the default of
the tie's network class. docs/playbook.md gives the reasons for each number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from revere.deals.models import BuyingRoleKind
from revere.network.models import NetworkClass

#: Days between contacts by network class: prospects move fastest, weak market ties are left weak.
CLASS_CADENCE_DAYS: dict[str, int] = {
    NetworkClass.PROSPECT: 21,
    NetworkClass.CUSTOMER: 45,
    NetworkClass.INTERNAL: 60,
    NetworkClass.MARKET: 120,
}

REFERENCE = "reference"

#: Days between contacts by the role the person plays in the member's open deals (or as reference).
ROLE_CADENCE_DAYS: dict[str, int] = {
    BuyingRoleKind.ECONOMIC_BUYER: 14,
    BuyingRoleKind.DECISION_MAKER: 14,
    BuyingRoleKind.CHAMPION: 14,
    BuyingRoleKind.TECHNICAL_EVALUATOR: 21,
    BuyingRoleKind.INFLUENCER: 21,
    BuyingRoleKind.USER: 30,
    BuyingRoleKind.GATEKEEPER: 30,
    BuyingRoleKind.BLOCKER: 30,
    REFERENCE: 30,
}

ROLE_LABELS: dict[str, str] = {**{k.value: k.label for k in BuyingRoleKind}, REFERENCE: "Reference"}
CLASS_LABELS: dict[str, str] = {c.value: c.label for c in NetworkClass}

#: What "snooze" means when the member does not say how long.
DEFAULT_SNOOZE_DAYS = 14


@dataclass(frozen=True)
class Cadence:
    days: int  # 0: no reminders
    source: str  # "yours", "role" or "network"
    reason: str  # e.g. "Economic buyer on an open deal: every 14 days"


def cadence_for(*, override: int | None, network_class: str, roles: set[str] | frozenset[str]) -> Cadence:
    """The tie's cadence and where it comes from.

    >>> cadence_for(override=None, network_class="market", roles={"champion", "user"}).days
    14
    >>> cadence_for(override=0, network_class="prospect", roles=set()).reason
    'You turned reminders off'
    """
    if override is not None:
        if override == 0:
            return Cadence(0, "yours", "You turned reminders off")
        return Cadence(override, "yours", f"Your setting: every {override} days")
    known = [r for r in roles if r in ROLE_CADENCE_DAYS]
    if known:
        role = min(known, key=lambda r: (ROLE_CADENCE_DAYS[r], r))
        days = ROLE_CADENCE_DAYS[role]
        where = "a consenting reference" if role == REFERENCE else f"{ROLE_LABELS[role]} on an open deal"
        return Cadence(days, "role", f"{where[0].upper()}{where[1:]}: every {days} days")
    days = CLASS_CADENCE_DAYS[network_class]
    return Cadence(days, "network", f"{CLASS_LABELS[network_class]} network default: every {days} days")


@dataclass(frozen=True)
class Due:
    due_on: date | None  # None: never due (no reminders)
    days_since: int | None  # since the last contact (or since the tie began)
    overdue_days: int  # > 0 once past due
    urgency: float  # days since / cadence: 1.0 = due today


def due_for(*, cadence: Cadence, baseline: date | None, today: date, snoozed_until: date | None) -> Due:
    """When the tie is due, from the last contact (or when the tie began) and the cadence.

    A snoozed tie is not due before the end of its snooze.

    >>> d = due_for(cadence=Cadence(14, "role", ""), baseline=date(2026, 1, 1), today=date(2026, 1, 29),
    ...             snoozed_until=None)
    >>> d.due_on, d.overdue_days, d.urgency
    (datetime.date(2026, 1, 15), 14, 2.0)
    """
    if cadence.days == 0:
        return Due(None, (today - baseline).days if baseline else None, 0, 0.0)
    if baseline is None:
        baseline = today - timedelta(days=cadence.days)  # never contacted: due now
    due_on = baseline + timedelta(days=cadence.days)
    if snoozed_until is not None and snoozed_until > due_on:
        due_on = snoozed_until
    days_since = (today - baseline).days
    overdue = (today - due_on).days
    return Due(due_on, days_since, max(overdue, 0), days_since / cadence.days)
