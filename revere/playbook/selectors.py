"""Reads of the playbook: effective targets, the scorecard, advice and the keep-in-touch queue."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from revere.contacts.models import Person
from revere.deals.models import OPEN_STAGES, BuyingRole, BuyingRoleKind, Deal, Reference
from revere.network.models import NetworkClass, Tie
from revere.network.selectors import (
    TREND_MEASURES,
    NetworkMetrics,
    member_networks,
    member_trends,
)
from revere.network.services import strength_band
from revere.playbook.advice import Advice, advice_for
from revere.playbook.cadence import CLASS_CADENCE_DAYS, REFERENCE, cadence_for
from revere.playbook.figures import own_networks
from revere.playbook.home import HomeFigures, member_home_figures
from revere.playbook.models import Target
from revere.playbook.readings import PURPOSE, STAGE_OF, BuyerCoverage, Reading, reading_for
from revere.playbook.scorecard import NetworkScore, score_network, scorecard
from revere.playbook.targets import DEFAULT_TARGETS, MEASURES, TargetValues, target_from_row
from revere.tenancy.models import Member, Team
from revere.tenancy.visibility import (
    selector,
)

CLASSES = [c.value for c in NetworkClass]


def _targets_from_rows(rows: list[dict[str, Any]], team_id: int | None) -> dict[str, TargetValues]:
    effective = dict(DEFAULT_TARGETS)
    for row in rows:  # organization rows first, then the team's on top
        if row["team_id"] is None:
            effective[row["network_class"]] = target_from_row(row, source="organization")
    for row in rows:
        if team_id is not None and row["team_id"] == team_id:
            effective[row["network_class"]] = target_from_row(row, source="team")
    return effective


@selector
def targets_effective(*, member: Member, team: Team | None = None) -> dict[str, TargetValues]:
    """The targets that apply to ``team`` (by default the member's own team), network by network.

    A team's row wins over the organization's, which wins over Revere's defaults (one query).
    """
    team_id = member.team_id if team is None else team.pk
    if team is not None and not Team.objects.visible_to(member).filter(pk=team.pk).exists():
        raise LookupError("That team is not yours to see.")
    rows = list(
        Target.objects.visible_to(member)
        .filter(Q(team__isnull=True) | Q(team_id=team_id))
        .values("team_id", "network_class", *MEASURES)
    )
    return _targets_from_rows(rows, team_id)


@dataclass(frozen=True)
class NetworkCard:
    """One network on the home page: its figures, reading, score and trend."""

    key: str
    label: str
    stage: str
    purpose: str
    metrics: NetworkMetrics
    reading: Reading
    score: NetworkScore
    trend: list[dict[str, Any]]


@dataclass(frozen=True)
class HomePage:
    figures: HomeFigures
    cards: list[NetworkCard]
    queue: KeepInTouchQueue
    advice: Advice


@selector
def buyer_coverage(*, member: Member) -> BuyerCoverage:
    """Of the member's open deals (owned or on the team), how many reach the economic buyer and a
    decision maker through one of the member's own active ties (two queries)."""
    open_deals = Deal.objects.visible_to(member).filter(
        Q(owner=member) | Q(team=member), stage__in=OPEN_STAGES
    )
    deal_ids = set(open_deals.values_list("id", flat=True))
    if not deal_ids:
        return BuyerCoverage(0, 0, 0, 0)
    mine = Tie.objects.visible_to(member).filter(member_id=member.pk, is_active=True).values("person_id")
    rows = (
        BuyingRole.objects.visible_to(member)
        .filter(deal_id__in=deal_ids)
        .values_list("deal_id", "role", Exists(mine.filter(person_id=OuterRef("person_id"))))
    )
    mapped: set[int] = set()
    economic: set[int] = set()
    decision: set[int] = set()
    for deal_id, role, known in rows:
        mapped.add(deal_id)
        if known and role == BuyingRoleKind.ECONOMIC_BUYER:
            economic.add(deal_id)
        if known and role in (BuyingRoleKind.ECONOMIC_BUYER, BuyingRoleKind.DECISION_MAKER):
            decision.add(deal_id)
    return BuyerCoverage(len(deal_ids), len(economic), len(decision), len(mapped))


@selector
def member_home(*, member: Member) -> HomePage:
    """Everything "My network" shows, in a bounded number of queries (the graph itself is cached,
    and so are the member's networks while what they read is unchanged: :mod:`.figures`)."""
    networks = own_networks(member=member)
    egos = networks.egos
    targets = targets_effective(member=member)
    trends = member_trends(member=member)
    coverage = buyer_coverage(member=member)
    today = timezone.localdate().isoformat()
    cards = []
    for cls, e in egos.items():
        trend = list(trends[cls])
        if not trend or trend[-1]["on"] != today:  # the live figures are today's point
            live = e.metrics.as_dict()
            trend.append({"on": today, **{m: live.get(m) for m in TREND_MEASURES}})
        cards.append(
            NetworkCard(
                key=cls,
                label=NetworkClass(cls).label,
                stage=STAGE_OF[cls],
                purpose=PURPOSE[cls],
                metrics=e.metrics,
                reading=reading_for(e.metrics, coverage=coverage),
                score=score_network(e.metrics, targets[cls]),
                trend=trend,
            )
        )
    return HomePage(
        figures=member_home_figures(member=member),
        cards=cards,
        queue=keep_in_touch_queue(member=member, limit=5),
        advice=advice_for(member=member, limit=3, networks=networks),
    )


@selector
def member_scorecard(*, member: Member) -> dict[str, NetworkScore]:
    """The member's four networks against their targets: "Do I have enough connections?"."""
    return scorecard(member_networks(member=member), targets_effective(member=member))


@selector
def member_advice(
    *, member: Member, limit: int = 25, let_go_offset: int = 0, invest_offset: int = 0
) -> Advice:
    """Ties to let go (redundant and weak) and to invest in (fading bridges), with their reasons:
    ``limit`` of each list from its offset."""
    return advice_for(member=member, limit=limit, let_go_offset=let_go_offset, invest_offset=invest_offset)


@dataclass(frozen=True)
class QueueItem:
    tie_id: int
    person_id: int
    name: str
    company: str
    title: str
    network_class: str
    band: str
    strength: float
    cadence_days: int
    cadence_source: str
    cadence_reason: str
    last_contact: date | None
    days_since: int | None
    due_on: date
    overdue_days: int
    urgency: float


@dataclass(frozen=True)
class KeepInTouchQueue:
    due: list[QueueItem]  # the most urgent first, at most ``limit``
    total_due: int
    upcoming: int  # due within the next 7 days
    snoozed: int
    offset: int = 0  # of the first item shown, in the whole ranking


def _day_text(field: str) -> Substr:
    """The date part of a date or timestamp column as ``YYYY-MM-DD`` text, cut by the database.

    Text skips every per-row date conversion in Python (SQLite's converters, Django's): for the 5,000
    ties of a large network that was most of the queue's cost. Timestamps are stored (SQLite) or
    rendered (PostgreSQL, session time zone) in UTC, so days are UTC days.
    """
    return Substr(Cast(field, output_field=CharField()), 1, 10)


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _ordinals(texts: Any) -> npt.NDArray[np.int64]:
    """``YYYY-MM-DD`` texts (or None) as proleptic ordinals, -1 for none."""
    days = np.array(texts, dtype="datetime64[D]")
    out = days.astype(np.int64) + _EPOCH_ORDINAL
    out[np.isnat(days)] = -1
    return out


@selector
def keep_in_touch_queue(
    *, member: Member, today: date | None = None, limit: int = 20, offset: int = 0
) -> KeepInTouchQueue:
    """The member's ties due for contact by their cadence, the most overdue (relative to cadence) first:
    ``limit`` of them from ``offset`` (a page of the whole ranking).

    Four queries: the member's active ties (raw values, no join), the buying roles on the member's open
    deals, the consenting references among the member's contacts, and the names of the ties shown.
    Cadences and due dates are computed for all ties at once (numpy); only the ties shown become objects.
    """
    today = today or timezone.localdate()
    # Sorted here, not by the database: with ORDER BY id SQLite walks every tie of the organization
    # in its organization index (rowid order, no sort) instead of the member's ties in theirs.
    rows = sorted(
        Tie.objects.visible_to(member)
        .filter(member_id=member.pk, is_active=True)
        .order_by()
        .annotate(
            snooze_d=_day_text("snoozed_until"),
            last_d=_day_text("last_interaction"),
            since_d=_day_text("since"),
            created_d=_day_text("created_at"),
        )
        .values_list(
            "id",
            "person_id",
            "network_class",
            "network_class_override",
            "strength",
            "strength_override",
            "cadence_days",
            "snooze_d",
            "last_d",
            "since_d",
            "created_d",
        )
    )
    roles = _contact_roles(member)
    n = len(rows)
    columns = list(zip(*rows, strict=True)) if rows else [()] * 11
    code = {c: k for k, c in enumerate(CLASSES)}
    cls_code = np.fromiter(
        (code[o or c] for c, o in zip(columns[2], columns[3], strict=True)), dtype=np.int64, count=n
    )
    override = np.array([-1 if v is None else v for v in columns[6]], dtype=np.int64)
    snooze, last, since, created = (_ordinals(columns[k]) for k in (7, 8, 9, 10))
    person = np.array(columns[1], dtype=np.int64)

    class_days = np.array([CLASS_CADENCE_DAYS[c] for c in CLASSES], dtype=np.int64)
    cadence = class_days[cls_code] if n else np.zeros(0, dtype=np.int64)
    with_roles = np.flatnonzero(np.isin(person, np.fromiter(roles, dtype=np.int64, count=len(roles))))
    for k in with_roles.tolist():
        cadence[k] = cadence_for(
            override=None, network_class=CLASSES[cls_code[k]], roles=roles[int(person[k])]
        ).days
    cadence = np.where(override >= 0, override, cadence)
    t = today.toordinal()
    baseline = np.where(last >= 0, last, np.where(since >= 0, since, created))
    due_on = np.maximum(baseline + cadence, snooze)
    active = cadence > 0
    is_due = active & (due_on <= t)
    upcoming = int((active & (due_on > t) & (due_on - t <= 7)).sum())
    snoozed = int((active & (snooze > t)).sum())
    urgency = np.where(active, (t - baseline) / np.maximum(cadence, 1), 0.0)
    due_idx = np.flatnonzero(is_due)
    offset = max(0, offset)
    order = due_idx[np.lexsort((due_idx, cls_code[due_idx], -urgency[due_idx]))][offset : offset + limit]

    shown = [rows[k] for k in order.tolist()]
    people = (
        {
            pid: (name, title, company or "")
            for pid, name, title, company in Person.objects.visible_to(member)
            .filter(pk__in=[r[1] for r in shown])
            .values_list("id", "full_name", "title", "company__name")
        }
        if shown
        else {}
    )
    items = []
    for k, row in zip(order.tolist(), shown, strict=True):
        tie_id, person_id, _cls, _cls_override, strength, strength_override, cadence_days = row[:7]
        cls = CLASSES[cls_code[k]]
        c = cadence_for(override=cadence_days, network_class=cls, roles=roles.get(person_id, _NO_ROLES))
        name, title, company = people.get(person_id, ("", "", ""))
        value = strength_override if strength_override is not None else strength
        last_contact = date.fromordinal(int(last[k])) if last[k] >= 0 else None
        items.append(
            QueueItem(
                tie_id=tie_id,
                person_id=person_id,
                name=name,
                company=company,
                title=title,
                network_class=cls,
                band=strength_band(value),
                strength=value,
                cadence_days=c.days,
                cadence_source=c.source,
                cadence_reason=c.reason,
                last_contact=last_contact,
                days_since=int(t - last[k]) if last_contact else None,
                due_on=date.fromordinal(int(due_on[k])),
                overdue_days=int(t - due_on[k]),
                urgency=float(urgency[k]),
            )
        )
    return KeepInTouchQueue(
        due=items, total_due=len(due_idx), upcoming=upcoming, snoozed=snoozed, offset=offset
    )


_NO_ROLES: frozenset[str] = frozenset()


def _contact_roles(member: Member) -> dict[int, set[str]]:
    """Roles the member's contacts play: buying roles on the member's open deals, consenting reference."""
    open_deals = Deal.objects.visible_to(member).filter(
        Q(owner=member) | Q(team=member), stage__in=OPEN_STAGES
    )
    roles: dict[int, set[str]] = {}
    for person_id, role in (
        BuyingRole.objects.visible_to(member)
        .filter(deal__in=open_deals.values("id"))
        .values_list("person_id", "role")
    ):
        roles.setdefault(person_id, set()).add(role)
    for person_id in (
        Reference.objects.visible_to(member)
        .filter(consent=True, person__ties__member=member)
        .values_list("person_id", flat=True)
    ):
        roles.setdefault(person_id, set()).add(REFERENCE)
    return roles


@selector
def member_network_report(*, member: Member, limit: int = 25) -> dict[str, Any]:
    """The four networks, scorecard, advice and keep-in-touch queue as plain data (API and CLI)."""
    own = own_networks(member=member)
    egos = own.egos
    targets = targets_effective(member=member)
    coverage = buyer_coverage(member=member)
    networks = [
        {
            "network_class": cls,
            "stage": STAGE_OF[cls],
            "purpose": PURPOSE[cls],
            "metrics": e.metrics.as_dict(),
            "reading": reading_for(e.metrics, coverage=coverage).as_dict(),
            "score": score_network(e.metrics, targets[cls]).as_dict(),
        }
        for cls, e in egos.items()
    ]
    advice = advice_for(member=member, limit=limit, networks=own)
    queue = keep_in_touch_queue(member=member, limit=limit)
    return {
        "member_id": member.pk,
        "member_name": member.person.full_name,
        "networks": networks,
        "advice": asdict(advice),
        "keep_in_touch": asdict(queue),
    }
