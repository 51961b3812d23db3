"""Reads of a member's four networks: the ego metrics of DESIGN.md §3, per network class, and trends.

Every figure comes from :mod:`revere.analytics` applied to the graph of :mod:`revere.network.graph`.
A member's ego network for a class is the member's own Person, the persons they have an active tie
to in that class (the alters), and the links among those alters; its measures are computed on that
subgraph (so Burt's redundancy of a market contact counts only the member's other market contacts).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Q
from scipy.sparse.csgraph import connected_components

from revere.analytics import ego, holes
from revere.analytics.graph import TieGraph
from revere.analytics.strength import BAND_THRESHOLDS, DORMANT
from revere.contacts.models import Person, PersonEmail
from revere.network.graph import CLASSES, NetworkGraph, network_graph
from revere.network.models import NetworkClass, Snapshot, Tie
from revere.tenancy.ids import valid_id
from revere.tenancy.models import Member
from revere.tenancy.visibility import member_scope_ids, own_or_scope_ids, selector

DIMENSIONS = ("company", "industry", "function", "region")
#: The attribute over which each network's diversity (Blau's index) is read: companies for the market
#: and prospect networks, industries for customers; the internal network is, by definition, one
#: company, and what diversifies it is the spread of functions (docs/playbook.md §1).
DIVERSITY_DIMENSION: dict[str, str] = {
    NetworkClass.MARKET: "company",
    NetworkClass.PROSPECT: "company",
    NetworkClass.INTERNAL: "function",
    NetworkClass.CUSTOMER: "industry",
}
BANDS = ("strong", "medium", "weak", "dormant")
#: The bands of revere.analytics.strength, in the form ego.ego_summary takes.
STRENGTH_BANDS: tuple[tuple[str, float], ...] = (*BAND_THRESHOLDS, (DORMANT, 0.0))


def _num(value: float) -> float | None:
    """A float for the page and JSON: NaN (undefined, e.g. constraint of nobody) becomes None."""
    return None if value is None or math.isnan(value) else float(value)


@dataclass(frozen=True)
class NetworkMetrics:
    """One network of one member, as figures (None where a measure is undefined for its size)."""

    network_class: str
    size: int
    reach: int  # persons linked to the alters, beyond the member and the alters
    density: float | None
    weighted_density: float | None
    effective_size: float | None
    efficiency: float | None
    constraint: float | None
    hierarchy: float | None
    mean_strength: float | None
    bands: dict[str, int]
    diversity: dict[str, float | None]  # Blau's index per dimension
    range: dict[str, int]  # distinct values per dimension
    circles: int  # groups of alters linked among themselves (connected components)
    largest_circle: int
    single_thread_companies: int  # companies where the member knows exactly one person

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EgoNetwork:
    """The member's ego network for one class, kept for advice: subgraph, holes and alters' ties."""

    metrics: NetworkMetrics
    graph: TieGraph  # the ego network: member's Person first, then the alters
    holes: holes.EgoHoles | None
    alter_ids: npt.NDArray[np.int64]  # Person ids, aligned with alter_strength and alter_tie
    alter_strength: npt.NDArray[np.float64]
    alter_tie: npt.NDArray[np.int64]
    reach_ids: dict[int, npt.NDArray[np.int64]] = field(default_factory=dict)


def _subject_ties(net: NetworkGraph, member: Member, subject: Member) -> npt.NDArray[np.int64]:
    """Positions of the subject's ties the acting member may count: all own ties, else team-visible ones."""
    pos = net.member_ties(subject.pk)
    if subject.pk != member.pk:
        if subject.organization_id != member.organization_id or subject.pk not in member_scope_ids(member):
            raise LookupError("That member's network is not yours to see.")
        pos = pos[~net.tie_private[pos]]
    return pos


def _class_graph(net: NetworkGraph, ego_pid: int, pos: npt.NDArray[np.int64]) -> TieGraph:
    """The ego network of one class, as a graph the analytics functions take whole.

    The member's ties of that class (weights: the ties' effective strengths) and every edge of those
    alters in the organization's graph except their edges to the member: so the alters' links to each
    other (density, redundancy) and beyond (two-step reach) are there, and the member's ties of other
    classes are not. Node attributes are carried over.
    """
    g = net.graph
    alters = net.tie_person[pos]
    rows = g.index_of(alters)
    owner, col, val = g.gather(rows)  # row reads: a patched graph answers them from its rows
    ego_i = int(g.index_of([ego_pid])[0])
    # Every alter-alter link appears in both alters' rows: keep it once (TieGraph would sum the two).
    inside = np.isin(col, rows)
    keep = (col != ego_i) & (~inside | (rows[owner] < col))
    src = np.concatenate([np.full(len(alters), ego_pid, dtype=np.int64), alters[owner[keep]]])
    dst = np.concatenate([alters, g.ids[col[keep]]])
    wgt = np.concatenate([net.tie_strength[pos], val[keep]])
    nodes = np.unique(np.concatenate([[ego_pid], alters, dst])).astype(np.int64)
    take = g.index_of(nodes)
    attrs: dict[str, Any] = {name: cat.take(take) for name, cat in g.attrs.items()}
    return TieGraph.from_edges(src, dst, wgt, node_ids=nodes, attrs=attrs)


def ego_network(net: NetworkGraph, ego_pid: int, pos: npt.NDArray[np.int64], cls: str) -> EgoNetwork:
    """The ego network of ``ego_pid`` over the ties at positions ``pos`` (into ``net.tie_*``), of class
    ``cls``: its subgraph (:func:`_class_graph`), figures, holes and alters. No visibility check: the
    caller chose the ties (:func:`member_ego_networks` does)."""
    alters = net.tie_person[pos]
    strengths = net.tie_strength[pos]
    k = len(alters)
    sub = _class_graph(net, ego_pid, pos)
    summary = ego.ego_summary(sub, ego_pid, attrs=DIMENSIONS, bands=STRENGTH_BANDS)
    eh = holes.ego_holes(sub, ego_pid) if k else None
    company_codes = sub.attrs["company"].codes[sub.index_of(alters)]
    present = company_codes[company_codes >= 0]
    single = int((np.bincount(present) == 1).sum()) if len(present) else 0
    circle_sizes = _circles(sub, alters)
    metrics = NetworkMetrics(
        network_class=cls,
        size=summary.size,
        reach=summary.reach,
        density=_num(summary.density),
        weighted_density=_num(summary.weighted_density),
        effective_size=_num(eh.effective_size) if eh else None,
        efficiency=_num(eh.efficiency) if eh else None,
        constraint=_num(eh.constraint) if eh else None,
        hierarchy=_num(eh.hierarchy) if eh else None,
        mean_strength=float(strengths.mean()) if k else None,
        bands=dict(summary.strength_mix),
        diversity={d: _num(v) for d, v in summary.diversity.items()},
        range=dict(summary.range),
        circles=len(circle_sizes),
        largest_circle=int(circle_sizes.max()) if len(circle_sizes) else 0,
        single_thread_companies=single,
    )
    return EgoNetwork(
        metrics=metrics,
        graph=sub,
        holes=eh,
        alter_ids=alters,
        alter_strength=strengths,
        alter_tie=net.tie_id[pos],
    )


def _circles(sub: TieGraph, alters: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Sizes of the groups of alters linked among themselves (connected components without the member)."""
    if len(alters) == 0:
        return np.zeros(0, dtype=np.int64)
    idx = sub.index_of(alters)
    among = sub.csr[idx][:, idx]
    _n, labels = connected_components(among, directed=False)
    return np.bincount(labels).astype(np.int64)


def ego_networks_of(net: NetworkGraph, *, member_id: int, person_id: int) -> dict[str, EgoNetwork]:
    """All four ego networks of one member, every active tie counted (for services, not for display)."""
    pos = net.member_ties(member_id)
    classes = net.tie_class[pos]
    return {cls: ego_network(net, person_id, pos[classes == code], cls) for code, cls in enumerate(CLASSES)}


@selector
def member_ego_networks(*, member: Member, subject: Member | None = None) -> dict[str, EgoNetwork]:
    """The four ego networks of ``subject`` (default: the acting member), by network class.

    Of a teammate in scope only their team-visible ties count; outside the scope: ``LookupError``.
    """
    subject = subject or member
    net = network_graph(member=member)
    pos = _subject_ties(net, member, subject)
    classes = net.tie_class[pos]
    ego_pid = subject.person_id
    return {cls: ego_network(net, ego_pid, pos[classes == code], cls) for code, cls in enumerate(CLASSES)}


@selector
def member_networks(*, member: Member, subject: Member | None = None) -> dict[str, NetworkMetrics]:
    """The four networks' metrics of ``subject`` (default: the acting member), by network class."""
    return {cls: e.metrics for cls, e in member_ego_networks(member=member, subject=subject).items()}


@selector
def member_snapshot_metrics(*, member: Member, subject: Member | None = None) -> dict[str, NetworkMetrics]:
    """The subject's four networks measured as a snapshot measures them: every active tie counted.

    Snapshots are the member's own history, and the people who see a member's snapshots (the member,
    and managers and admins whose scope holds them: ``own_or_scope_ids``) see these live figures, so
    that today's point sits on the same line as the snapshots. Figures only, never a tie.
    """
    subject = subject or member
    if subject.organization_id != member.organization_id or subject.pk not in own_or_scope_ids(member):
        raise LookupError("That member's figures are not yours to see.")
    net = network_graph(member=member)
    egos = ego_networks_of(net, member_id=subject.pk, person_id=subject.person_id)
    return {cls: e.metrics for cls, e in egos.items()}


TREND_MEASURES = ("size", "effective_size", "constraint", "density", "mean_strength", "reach")


@selector
def member_trends(
    *, member: Member, subject: Member | None = None, days: int = 365, today: date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Snapshots of the subject's networks over the last ``days``: ``{class: [{"on": iso date, ...}]}``."""
    subject = subject or member
    since = (today or date.today()) - timedelta(days=days)
    rows = (
        Snapshot.objects.visible_to(member)
        .filter(member_id=subject.pk, taken_on__gte=since)
        .order_by("taken_on")
        .values_list("network_class", "taken_on", "metrics")
    )
    trends: dict[str, list[dict[str, Any]]] = {cls: [] for cls in CLASSES}
    for cls, on, metrics in rows:
        if cls in trends:
            point = {"on": on.isoformat()}
            point.update({m: metrics.get(m) for m in TREND_MEASURES})
            trends[cls].append(point)
    return trends


def metrics_for_snapshot(metrics: NetworkMetrics) -> Mapping[str, Any]:
    """What a snapshot stores of a network: every figure, JSON-ready."""
    return metrics.as_dict()


@selector
def my_tie_get(*, member: Member, person_id: int) -> Tie | None:
    """The member's own active tie to a person, with the person, or None."""
    if not valid_id(person_id):
        return None
    return (
        Tie.objects.visible_to(member)
        .select_related("person")
        .filter(member_id=member.pk, person_id=person_id, is_active=True)
        .first()
    )


@selector
def persons_by_email(*, member: Member, emails: list[str]) -> dict[str, Person]:
    """The persons the member may see with these addresses (lower case), also members by sign-in e-mail."""
    wanted = sorted({e.strip().lower() for e in emails if e.strip()})
    found: dict[str, Person] = {}
    for email, person in (
        (row.email, row.person)
        for row in PersonEmail.objects.visible_to(member).filter(email__in=wanted).select_related("person")
    ):
        found.setdefault(email, person)
    missing = [e for e in wanted if e not in found]
    if missing:
        by_login = Q()
        for e in missing:
            by_login |= Q(user__email__iexact=e)
        colleagues = Member.objects.visible_to(member).filter(by_login).select_related("person", "user")
        for m in colleagues:
            found.setdefault(m.user.email.lower(), m.person)
    return found
