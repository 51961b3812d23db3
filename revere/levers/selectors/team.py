"""The team view: a manager's sellers' four networks side by side, and the team's networks together.

Managers see the teams they manage, admins every team; sellers have no team view (``LookupError``).
Of a seller other than the acting member only the ties the seller shares with the team count
(:func:`revere.network.selectors.member_ego_networks`): a private tie shapes nothing a manager sees.
Every figure comes from :mod:`revere.analytics` (``overlap``, ``silos``, ``leadgen``); the
definitions are in docs/levers.md.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils import timezone

from revere.analytics.leadgen import LeadGenCandidate, lead_generation
from revere.analytics.overlap import overlaps, shared_accounts, team_reach, uncovered_accounts
from revere.analytics.silos import team_brokers, team_silos
from revere.contacts.models import Company, Person
from revere.deals.models import OPEN_STAGES, Deal
from revere.network.graph import CLASS_CODES, CLASSES, network_graph
from revere.network.models import NetworkClass, Tie, Visibility
from revere.network.selectors import DIVERSITY_DIMENSION, NetworkMetrics, member_ego_networks
from revere.tenancy.models import Member, Role, Team
from revere.tenancy.visibility import selector, teams_in_scope

__all__ = ["FADING_DAYS", "STRONG", "TeamView", "team_view", "teams_for"]

#: A market tie is fading when it is not strong and has had no contact for longer than this: the
#: market network's keep-in-touch cadence (docs/playbook.md §5), kept equal by a test.
FADING_DAYS = 120
#: The lower bound of the strong band (revere.analytics.strength).
STRONG = 0.6


@dataclass(frozen=True)
class SellerRow:
    """One seller's four networks (team-visible ties only, unless it is the acting member)."""

    member_id: int
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
    a: int
    b: int
    a_name: str
    b_name: str
    shared: int
    share_a: float
    share_b: float


@dataclass(frozen=True)
class Account:
    company_id: int
    name: str
    holders: list[tuple[int, str, int]]  # member id, name, contacts there


@dataclass(frozen=True)
class Silo:
    label: int
    size: int
    silo: bool
    members: list[tuple[int, str]]
    reached_by: list[tuple[int, str]]
    bridges: list[tuple[int, str]]
    companies: list[tuple[int, str, int]]  # the most frequent companies of its people
    networks: dict[str, int]  # its counted contacts per network class


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
    communities: list[Silo]
    brokers: list[BrokerRow]
    uncovered: list[Uncovered]
    lead_generation: list[LeadGenCandidate]
    notes: list[str] = field(default_factory=list)

    @property
    def silos(self) -> list[Silo]:
        return [c for c in self.communities if c.silo]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (undefined figures as None)."""
        out: dict[str, Any] = _plain(asdict(self))
        out["silos"] = [c["label"] for c in out["communities"] if c["silo"]]
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
    """Fading market ties per seller: not strong, no contact for ``FADING_DAYS`` (or never).

    Of another member, only the ties they share with the team count (as in their networks' figures).
    """
    since = timezone.now() - timedelta(days=FADING_DAYS)
    rows = Tie.objects.visible_to(member).filter(member__in=sellers, is_active=True)
    out: Counter[int] = Counter()
    for member_id, cls, override, strength, s_over, visibility, last in rows.values_list(
        "member_id",
        "network_class",
        "network_class_override",
        "strength",
        "strength_override",
        "visibility",
        "last_interaction",
    ):
        if visibility == Visibility.PRIVATE and member_id != member.pk:
            continue
        weak = (s_over if s_over is not None else strength) < STRONG
        if (override or cls) == NetworkClass.MARKET and weak and (last is None or last < since):
            out[member_id] += 1
    return dict(out)


def _names(member: Member, person_ids: set[int]) -> dict[int, str]:
    return dict(Person.objects.visible_to(member).filter(pk__in=person_ids).values_list("id", "full_name"))


@selector
def team_view(*, member: Member, team: Team | None = None) -> TeamView:
    """The team view of ``team`` (default: every team the acting member manages, or all for an admin)."""
    teams, sellers = _sellers(member, team)
    net = network_graph(member=member)
    g = net.graph
    egos = {s.pk: member_ego_networks(member=member, subject=s) for s in sellers}
    person_of = {s.pk: s.person_id for s in sellers}
    name_of = {s.pk: s.person.full_name for s in sellers}
    by_person = {s.person_id: s for s in sellers}
    fading = _fading(member, sellers)
    rows = [
        SellerRow(
            member_id=s.pk,
            name=s.person.full_name,
            team=s.team.name if s.team else "",
            networks={cls: e.metrics for cls, e in egos[s.pk].items()},
            fading_market=fading.get(s.pk, 0),
        )
        for s in sellers
    ]

    def alters(cls: str | None) -> dict[int, npt.NDArray[np.int64]]:
        out = {}
        for s in sellers:
            parts = [egos[s.pk][c].alter_ids for c in ([cls] if cls else CLASSES)]
            out[person_of[s.pk]] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return out

    every = alters(None)
    reach = []
    for cls in (*CLASSES, None):
        r = team_reach(g, alters(cls))
        reach.append(ReachFigures(cls or "all", r.union_contacts, r.sum_contacts, r.union_reach, r.sum_reach))
    pairs = []
    for cls in CLASSES:
        for p in overlaps(alters(cls)).pairs():
            a, b = by_person[p.a], by_person[p.b]
            pairs.append(Pair(cls, a.pk, b.pk, name_of[a.pk], name_of[b.pk], p.shared, p.share_a, p.share_b))
    pairs.sort(key=lambda p: (-p.shared, p.network, p.a_name, p.b_name))

    buyers = {
        person_of[s.pk]: np.concatenate([egos[s.pk][c].alter_ids for c in ("prospect", "customer")])
        for s in sellers
    }
    accounts = shared_accounts(g, buyers) if sellers else []
    company_ids = {int(str(a.account)) for a in accounts}
    open_deals = list(
        Deal.objects.visible_to(member)
        .filter(owner__in=sellers, stage__in=OPEN_STAGES)
        .values_list("id", "name", "stage", "company_id")
        .order_by("name", "id")
    )
    pipeline = sorted({d[3] for d in open_deals})
    missing = uncovered_accounts(g, every, pipeline) if sellers else []
    company_ids |= {int(str(c)) for c in missing}

    structure = team_silos(g, every) if sellers else None
    tops: list[list[tuple[int, int]]] = []
    found = []
    if structure is not None:
        cg = structure.graph
        comp = cg.attrs["company"]
        for c in structure.communities:
            codes = comp.codes[cg.index_of(c.nodes)]
            tops.append(Counter(int(comp.categories[k]) for k in codes[codes >= 0].tolist()).most_common(3))
            company_ids |= {k for k, _ in tops[-1]}
        internal = cg.ids[cg.attrs["network_class"].codes == CLASS_CODES[NetworkClass.INTERNAL]]
        found = team_brokers(structure, np.union1d(internal, list(person_of.values())), limit=15)
    companies = dict(Company.objects.visible_to(member).filter(pk__in=company_ids).values_list("id", "name"))
    names = _names(member, {b.node for b in found})

    def who(persons: tuple[int, ...]) -> list[tuple[int, str]]:
        return [(by_person[p].pk, name_of[by_person[p].pk]) for p in persons]

    communities = []
    if structure is not None:
        cls_codes = structure.graph.attrs["network_class"].codes
        for c, top in zip(structure.communities, tops, strict=True):
            nets = Counter(
                CLASSES[k] for k in cls_codes[structure.graph.index_of(c.nodes)].tolist() if k >= 0
            )
            communities.append(
                Silo(
                    label=c.label,
                    size=c.size,
                    silo=c.silo,
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
            company_id=int(str(a.account)),
            name=companies.get(int(str(a.account)), ""),
            holders=[(by_person[p].pk, name_of[by_person[p].pk], n) for p, n in a.contacts.items()],
        )
        for a in accounts
    ]
    deals_by_company: dict[int, list[tuple[int, str, str]]] = {}
    for deal_id, name, stage, company_id in open_deals:
        deals_by_company.setdefault(company_id, []).append((deal_id, name, stage))
    uncovered = sorted(
        (
            Uncovered(int(str(c)), companies.get(int(str(c)), ""), deals_by_company.get(int(str(c)), []))
            for c in missing
        ),
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
        brokers=brokers,
        uncovered=uncovered,
        lead_generation=ranked,
    )
