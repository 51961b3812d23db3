"""The team view: a manager's sellers' four networks side by side, and the team's networks together.

Managers see the teams they manage, admins every team; sellers have no team view (``LookupError``).
Of a seller other than the acting member only the ties the seller shares with the team count
(:func:`revere.network.selectors.member_ego_networks`): a private tie shapes nothing a manager sees.
Every figure comes from :mod:`revere.analytics` (``overlap``, ``silos``, ``leadgen``); the
definitions are in docs/levers.md.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from revere.analytics.leadgen import LeadGenCandidate, lead_generation
from revere.contacts.models import Company, Person
from revere.deals.models import OPEN_STAGES, Deal
from revere.levers.egos import EgoRequest, network_metrics
from revere.levers.teamgraph import (
    counted_ties,
    ego_digests_many,
    kept_peek,
    kept_put,
    memo_peek,
    memo_put,
    team_figures,
)
from revere.network.graph import CLASSES, NetworkGraph, network_graph
from revere.network.models import NetworkClass, Tie, Visibility
from revere.network.selectors import DIVERSITY_DIMENSION, NetworkMetrics, ego_network
from revere.tenancy.models import Member, Role, Team
from revere.tenancy.visibility import member_scope_ids, selector, teams_in_scope

__all__ = ["FADING_DAYS", "STRONG", "TeamView", "team_view", "team_view_plain", "teams_for"]

#: A market tie is fading when it is not strong and has had no contact for longer than this: the
#: market network's keep-in-touch cadence (docs/playbook.md §5), kept equal by a test.
FADING_DAYS = 120
#: The lower bound of the strong band (revere.analytics.strength).
STRONG = 0.6


@dataclass(frozen=True)
class SellerRow:
    """One seller's four networks (team-visible ties only, unless it is the acting member)."""

    member_id: int
    person_id: int
    name: str
    team: str
    networks: dict[str, NetworkMetrics]
    fading_market: int

    def figure(self, network: str, measure: str) -> float | None:
        m = self.networks[network]
        if measure == "diversity":
            return m.diversity.get(DIVERSITY_DIMENSION[network])
        if measure == "strong_share":
            return m.bands.get("strong", 0) / m.size if m.size else None
        value = getattr(m, measure)
        return None if value is None else float(value)


@dataclass(frozen=True)
class ReachFigures:
    network: str  # a class, or "all"
    contacts_union: int
    contacts_sum: int
    reach_union: int
    reach_sum: int

    @property
    def redundancy(self) -> float | None:
        return 1 - self.reach_union / self.reach_sum if self.reach_sum else None


@dataclass(frozen=True)
class Pair:
    network: str
    a: int  # member ids
    b: int
    a_name: str
    b_name: str
    a_person: int
    b_person: int
    shared: int
    share_a: float
    share_b: float


@dataclass(frozen=True)
class Account:
    company_id: int
    name: str
    holders: list[tuple[int, str, int]]  # the seller's Person id, name, contacts there


@dataclass(frozen=True)
class Circle:
    """A community of the team's combined network."""

    label: int
    size: int
    silo: bool
    group: int
    members: list[tuple[int, str]]  # sellers' Person id and name
    reached_by: list[tuple[int, str]]
    bridges: list[tuple[int, str]]
    companies: list[tuple[int, str, int]]  # the most frequent companies of its people
    networks: dict[str, int]  # its counted contacts per network class


@dataclass(frozen=True)
class SiloGroup:
    """Circles joined through the sellers who reach them; a silo when the team splits into two or more."""

    number: int
    circles: list[int]  # labels
    people: int
    sellers: list[tuple[int, str]]  # Person id, name


@dataclass(frozen=True)
class BrokerRow:
    person_id: int
    name: str
    member_id: int | None  # a team member, else a colleague
    communities: int
    roles: dict[str, int]
    between: int


@dataclass(frozen=True)
class Uncovered:
    company_id: int
    name: str
    deals: list[tuple[int, str, str]]  # deal id, name, stage


@dataclass(frozen=True)
class TeamView:
    teams: list[tuple[int, str]]
    team_id: int | None  # None: every team in the acting member's view
    sellers: list[SellerRow]
    reach: list[ReachFigures]
    pairs: list[Pair]
    shared_accounts: list[Account]
    communities: list[Circle]
    groups: list[SiloGroup]
    brokers: list[BrokerRow]
    uncovered: list[Uncovered]
    lead_generation: list[LeadGenCandidate]
    notes: list[str] = field(default_factory=list)

    @property
    def silos(self) -> list[SiloGroup]:
        """The groups of circles nobody on the team bridges, when the team splits into two or more."""
        return self.groups if len(self.groups) >= 2 else []

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (undefined figures as None)."""
        out: dict[str, Any] = _plain(asdict(self))
        out["silos"] = [g["number"] for g in out["groups"]] if len(self.groups) >= 2 else []
        for row, r in zip(out["reach"], self.reach, strict=True):
            row["redundancy"] = _plain(r.redundancy)
        for row, c in zip(out["lead_generation"], self.lead_generation, strict=True):
            row["candidate"] = c.candidate
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@selector
def teams_for(*, member: Member) -> list[Team]:
    """The teams a member has a team view of: a manager's managed teams, an admin's all; a seller none."""
    if member.role == Role.SELLER:
        return []
    teams = teams_in_scope(member)
    if member.role == Role.MANAGER:
        teams = teams.filter(managers=member)
    return list(teams.order_by("name"))


def _sellers(member: Member, team: Team | None) -> tuple[list[Team], list[Member]]:
    if member.role == Role.SELLER:
        raise LookupError("The team view is for managers and admins.")
    teams = teams_for(member=member)
    if team is not None:
        if team.pk not in {t.pk for t in teams}:
            raise LookupError("That team is not yours to see.")
        chosen = [team]
    else:
        chosen = teams
    sellers = list(
        Member.objects.visible_to(member)
        .filter(team__in=[t.pk for t in chosen], is_active=True)
        .exclude(pk=member.pk)
        .select_related("person", "team")
        .order_by("person__full_name", "id")
    )
    return teams, sellers


def _fading(member: Member, sellers: list[Member]) -> dict[int, int]:
    """Fading market ties per seller: not strong, no contact for ``FADING_DAYS`` (or never); one query.

    Of another member, only the ties they share with the team count (as in their networks' figures).
    """
    since = timezone.now() - timedelta(days=FADING_DAYS)
    market = Q(network_class_override=NetworkClass.MARKET) | Q(
        network_class_override="", network_class=NetworkClass.MARKET
    )
    rows = (
        Tie.objects.visible_to(member)
        .filter(member__in=sellers, is_active=True)
        .filter(market, Q(last_interaction__isnull=True) | Q(last_interaction__lt=since))
        .filter(Q(visibility=Visibility.TEAM) | Q(member_id=member.pk))
        .annotate(effective=Coalesce("strength_override", "strength"))
        .filter(effective__lt=STRONG)
        .order_by()
        .values("member_id")
        .annotate(n=Count("id"))
    )
    return {r["member_id"]: r["n"] for r in rows}


def _names(member: Member, person_ids: set[int]) -> dict[int, str]:
    return dict(Person.objects.visible_to(member).filter(pk__in=person_ids).values_list("id", "full_name"))


@dataclass(frozen=True)
class _Ego:
    """What the team view keeps of one network of a seller: the figures and the alters counted."""

    metrics: NetworkMetrics
    alter_ids: npt.NDArray[np.int64]


def _light(egos: dict[str, Any]) -> dict[str, _Ego]:
    return {cls: _Ego(e.metrics, e.alter_ids) for cls, e in egos.items()}


def _plain_egos(net: NetworkGraph, member: Member, seller: Member) -> dict[str, _Ego]:
    """A seller's four networks as ``member`` sees them, computed on ``net`` (what
    :func:`revere.network.selectors.member_ego_networks` computes on the current graph)."""
    pos = counted_ties(net, seller.pk, own=seller.pk == member.pk)
    classes = net.tie_class[pos]
    return _light(
        {
            cls: ego_network(net, seller.person_id, pos[classes == code], cls)
            for code, cls in enumerate(CLASSES)
        }
    )


def _seller_egos(net: NetworkGraph, member: Member, seller: Member, *, reuse: bool = True) -> dict[str, _Ego]:
    """A teammate's networks as a manager sees them (team-visible ties only): :func:`_team_egos` of one."""
    if not reuse:
        return _plain_egos(net, member, seller)
    return _team_egos(net, member, [seller])[seller.pk]


def _team_egos(net: NetworkGraph, member: Member, sellers: list[Member]) -> dict[int, dict[str, _Ego]]:
    """The sellers' networks as ``member`` sees them, by seller and class.

    A teammate's networks as a manager sees them (team-visible ties only) depend only on the graph
    and the teammate: kept once per data version, and in a new version each of the four reused when
    nothing it is computed from changed (:func:`revere.levers.teamgraph.ego_digests`). The networks
    that did change are computed together, in one pass (:func:`revere.levers.egos.network_metrics`).
    """
    out: dict[int, dict[str, _Ego]] = {}
    todo: list[tuple[Member, bool]] = []
    for s in sellers:
        own = s.pk == member.pk
        hit = memo_peek(net, ("egos", s.pk, own))
        if hit is not None:
            out[s.pk] = hit
        else:
            todo.append((s, own))
    requests: list[EgoRequest] = []
    pending: list[tuple[int, str, tuple[Any, ...], bytes, npt.NDArray[np.int64]]] = []
    all_digests = ego_digests_many(net, [(s.pk, s.person_id, own) for s, own in todo])
    for (s, own), digests in zip(todo, all_digests, strict=True):
        pos = counted_ties(net, s.pk, own=own)
        classes = net.tie_class[pos]
        mine: dict[str, _Ego] = {}
        for code, cls in enumerate(CLASSES):
            key = (net.organization_id, "ego", s.pk, own, cls)
            hit = kept_peek(key, digests[code])
            if hit is not None:
                mine[cls] = hit
                continue
            chosen = pos[classes == code]
            requests.append((s.person_id, chosen, cls))
            pending.append((s.pk, cls, key, digests[code], net.tie_person[chosen]))
        out[s.pk] = mine
    for (seller_pk, cls, key, digest, alters), metrics in zip(
        pending, network_metrics(net, requests), strict=True
    ):
        out[seller_pk][cls] = kept_put(key, digest, _Ego(metrics, alters))
    for s, own in todo:
        out[s.pk] = memo_put(net, ("egos", s.pk, own), {cls: out[s.pk][cls] for cls in CLASSES})
    return out


@selector
def team_view(*, member: Member, team: Team | None = None) -> TeamView:
    """The team view of ``team`` (default: every team the acting member manages, or all for an admin)."""
    return _team_view(member, team, reuse=True)


@selector
def team_view_plain(*, member: Member, team: Team | None = None) -> TeamView:
    """:func:`team_view` with every figure computed afresh, nothing reused (tests compare the two)."""
    return _team_view(member, team, reuse=False)


def _team_view(member: Member, team: Team | None, *, reuse: bool) -> TeamView:
    teams, sellers = _sellers(member, team)
    net = network_graph(member=member)
    scope = member_scope_ids(member)
    if any(s.pk not in scope for s in sellers):  # as member_ego_networks checks each subject
        raise LookupError("That member's network is not yours to see.")
    egos = _team_egos(net, member, sellers) if reuse else {s.pk: _plain_egos(net, member, s) for s in sellers}
    person_of = {s.pk: s.person_id for s in sellers}
    name_of = {s.pk: s.person.full_name for s in sellers}
    by_person = {s.person_id: s for s in sellers}
    fading = _fading(member, sellers)
    rows = [
        SellerRow(
            member_id=s.pk,
            person_id=s.person_id,
            name=s.person.full_name,
            team=s.team.name if s.team else "",
            networks={cls: e.metrics for cls, e in egos[s.pk].items()},
            fading_market=fading.get(s.pk, 0),
        )
        for s in sellers
    ]

    fig = team_figures(
        net,
        {person_of[s.pk]: {c: e.alter_ids for c, e in egos[s.pk].items()} for s in sellers},
        reuse=reuse,
    )
    reach = [ReachFigures(*r) for r in fig.reach]
    member_of = {s.person_id: s.pk for s in sellers}
    name_by_person = {s.person_id: s.person.full_name for s in sellers}
    pairs = [
        Pair(cls, member_of[a], member_of[b], name_by_person[a], name_by_person[b], a, b, n, sa, sb)
        for cls, a, b, n, sa, sb in fig.pairs
    ]
    pairs.sort(key=lambda p: (-p.shared, p.network, p.a_name, p.b_name))
    open_deals = list(
        Deal.objects.visible_to(member)
        .filter(owner__in=sellers, stage__in=OPEN_STAGES)
        .values_list("id", "name", "stage", "company_id")
        .order_by("name", "id")
    )
    missing = fig.uncovered(sorted({d[3] for d in open_deals}))
    company_ids = {c for c, _ in fig.accounts} | set(missing) | {k for top in fig.tops for k, _ in top}
    structure, found = fig.structure, fig.brokers
    companies = dict(Company.objects.visible_to(member).filter(pk__in=company_ids).values_list("id", "name"))
    names = _names(member, {b.node for b in found})

    def who(persons: tuple[int, ...]) -> list[tuple[int, str]]:
        return [(p, name_of[by_person[p].pk]) for p in persons]

    communities = []
    groups = []
    if structure is not None:
        sizes = {c.label: c.size for c in structure.communities}
        groups = [
            SiloGroup(
                g.number, [x for x in g.communities], sum(sizes[x] for x in g.communities), who(g.members)
            )
            for g in structure.groups
        ]
        for c, top, nets in zip(structure.communities, fig.tops, fig.networks, strict=True):
            communities.append(
                Circle(
                    label=c.label,
                    size=c.size,
                    silo=c.silo,
                    group=c.group,
                    members=who(c.members),
                    reached_by=who(c.reached_by),
                    bridges=who(c.bridges),
                    companies=[(k, companies.get(k, ""), n) for k, n in top],
                    networks=dict(nets),
                )
            )
    brokers = [
        BrokerRow(
            person_id=b.node,
            name=names.get(b.node, ""),
            member_id=by_person[b.node].pk if b.node in by_person else None,
            communities=b.communities,
            roles=b.roles,
            between=b.between,
        )
        for b in found
    ]
    shared = [
        Account(
            company_id=c,
            name=companies.get(c, ""),
            holders=[(p, name_of[by_person[p].pk], n) for p, n in holders.items()],
        )
        for c, holders in fig.accounts
    ]
    deals_by_company: dict[int, list[tuple[int, str, str]]] = {}
    for deal_id, name, stage, company_id in open_deals:
        deals_by_company.setdefault(company_id, []).append((deal_id, name, stage))
    uncovered = sorted(
        (Uncovered(c, companies.get(c, ""), deals_by_company.get(c, [])) for c in missing),
        key=lambda u: u.name,
    )

    market = [r.networks[NetworkClass.MARKET] for r in rows]
    ranked = lead_generation(
        ids=[r.member_id for r in rows],
        size=[m.size for m in market],
        effective_size=[m.effective_size for m in market],
        density=[m.density for m in market],
        constraint=[m.constraint for m in market],
        diversity=[m.diversity.get("company") for m in market],
        fading=[r.fading_market for r in rows],
    )
    return TeamView(
        teams=[(t.pk, t.name) for t in teams],
        team_id=team.pk if team else None,
        sellers=rows,
        reach=reach,
        pairs=pairs,
        shared_accounts=shared,
        communities=communities,
        groups=groups,
        brokers=brokers,
        uncovered=uncovered,
        lead_generation=ranked,
    )
