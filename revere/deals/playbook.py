"""The network playbook of a deal's stage, its exit checks and the board's warnings (issue 9).

Every figure comes from revere.analytics through the one graph selector
(:func:`revere.network.graph.network_graph`); this module gathers what the analytics need from the
database (the deal team, the buying roles, the references) and names the people in the result as
the acting member may see them. The definitions, thresholds and references are in
docs/playbook.md ("The deal playbook", "Exit checks", "Warnings").

* Stage 1, identify: :func:`member_leads` (companies the market network reaches, ranked by
  distinct non-redundant bridges, :func:`revere.analytics.leads.rank_leads`), and on a deal the
  bridges into its company.
* Stage 2, buy-in: the buyer's org chart with roles and stance, role coverage, gaps, threading
  (:func:`revere.analytics.coverage.buying_coverage`), routes to each uncovered decision maker
  (the finder), unsupported opponents.
* Stage 3, solution: the experts for each needed skill and who on the deal team is tied to them,
  the proposed solution team (:func:`revere.analytics.teams.solution_team`) and its cohesion.
* Stage 4, close: reference candidates (:func:`revere.analytics.references.rank_references`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from django.utils import timezone

from revere.analytics.coverage import POWER_ROLES, THREAD_MIN, Coverage, buying_coverage
from revere.analytics.leads import Lead, rank_leads
from revere.analytics.references import Profile, RankedReference, ReferenceInput, Terms, rank_references
from revere.analytics.strength import strength_band
from revere.analytics.teams import Team, solution_team, team_cohesion
from revere.contacts.models import Company, CompanyStatus, Person, SizeBand
from revere.deals.models import (
    OPEN_STAGES,
    BuyingRole,
    BuyingRoleKind,
    Deal,
    Reference,
    ReferenceUse,
    ReferenceUseStatus,
    Stage,
    StageRules,
)
from revere.network.finder.routes import Route, routes_to
from revere.network.finder.search import sources_for
from revere.network.graph import NetworkGraph, network_graph
from revere.network.models import NetworkClass
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector

__all__ = [
    "Check",
    "Playbook",
    "deal_exit_checks",
    "deal_playbook",
    "deal_warnings",
    "exit_check_messages",
    "member_leads",
    "stage_rules",
]

ROLE_LABELS = dict(BuyingRoleKind.choices)
STAGE_LABELS = dict(Stage.choices)
SIZE_RANK = {v: k for k, v in enumerate(b.value for b in SizeBand if b.value)}
#: The stages from which a card shows the buy-in warnings (a stage-1 deal is still a prospect).
THREAD_WARNING_STAGES = (Stage.BUY_IN, Stage.SOLUTION, Stage.CLOSE)
Int64Array = npt.NDArray[np.int64]


def stage_rules(member: Member) -> StageRules:
    """The organization's stage rules; the defaults when its admins have saved none."""
    rules = StageRules.objects.visible_to(member).first()
    return rules if rules is not None else StageRules(organization_id=member.organization_id)


# ---- what the analytics need ---------------------------------------------------------------------


def _team_ids(deal: Deal) -> list[int]:
    """The deal team's member ids, the owner first."""
    mates = Deal.team.through.objects.filter(deal_id=deal.pk).order_by("member_id")
    return [deal.owner_id, *(m for m in mates.values_list("member_id", flat=True) if m != deal.owner_id)]


@dataclass(frozen=True)
class TeamTies:
    holders: Int64Array  # member ids
    persons: Int64Array
    strengths: npt.NDArray[np.float64]
    private: npt.NDArray[np.bool_]


def _team_ties(ng: NetworkGraph, member_ids: Iterable[int]) -> TeamTies:
    pos = [ng.member_ties(int(m)) for m in dict.fromkeys(member_ids)]
    at = np.concatenate(pos) if pos else np.zeros(0, dtype=np.int64)
    return TeamTies(ng.tie_member[at], ng.tie_person[at], ng.tie_strength[at], ng.tie_private[at])


def _people_at(ng: NetworkGraph, company_id: int) -> Int64Array:
    if len(ng.person_company) != len(ng.graph.ids):
        return np.zeros(0, dtype=np.int64)
    return ng.graph.ids[ng.person_company == company_id].astype(np.int64)


def _roles(member: Member, deal: Deal) -> list[tuple[int, str, str]]:
    return list(
        BuyingRole.objects.visible_to(member)
        .filter(deal_id=deal.pk)
        .order_by("person_id", "role")
        .values_list("person_id", "role", "stance")
    )


def _coverage(ng: NetworkGraph, deal: Deal, team: list[int], roles: list[tuple[int, str, str]]) -> Coverage:
    ties = _team_ties(ng, team)
    return buying_coverage(
        ng.graph,
        team_ties=(ties.holders, ties.persons, ties.strengths),
        buyers=_people_at(ng, deal.company_id),
        roles=roles,
    )


def _skills_of(rows: Iterable[tuple[int, Any]]) -> dict[int, set[str]]:
    return {
        pid: {str(t).strip().lower() for t in tags} if isinstance(tags, list) else set() for pid, tags in rows
    }


# ---- exit checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    stage: str  # the stage this check guards the exit of
    name: str
    ok: bool
    message: str  # what holds, or what is missing, in figures and names


def _names(member: Member, person_ids: Iterable[int]) -> dict[int, str]:
    ids = list(dict.fromkeys(int(p) for p in person_ids))
    return dict(Person.objects.visible_to(member).filter(pk__in=ids).values_list("pk", "full_name"))


def _check_buy_in(member: Member, ng: NetworkGraph, deal: Deal, rules: StageRules) -> list[Check]:
    cov = _coverage(ng, deal, _team_ids(deal), _roles(member, deal))
    names = _names(member, [t.person for t in cov.threads])
    threads = len(cov.threads)
    who = ", ".join(names.get(t.person, "someone") for t in cov.threads[:4]) or "nobody"
    roles = [r for r in cov.roles_threaded]
    checks = [
        Check(
            Stage.BUY_IN,
            "threads",
            threads >= rules.buy_in_min_threads,
            f"{threads} buyer thread{'s' if threads != 1 else ''} of medium strength or more ({who}); "
            f"{rules.buy_in_min_threads} needed.",
        ),
        Check(
            Stage.BUY_IN,
            "roles",
            len(roles) >= rules.buy_in_min_roles,
            f"Threads reach {len(roles)} buying role{'s' if len(roles) != 1 else ''}"
            f"{' (' + ', '.join(ROLE_LABELS.get(r, r).lower() for r in roles) + ')' if roles else ''}; "
            f"{rules.buy_in_min_roles} needed.",
        ),
    ]
    if rules.buy_in_needs_economic_buyer:
        state = cov.roles["economic_buyer"].state
        checks.append(
            Check(
                Stage.BUY_IN,
                "economic_buyer",
                state == "covered",
                "A thread reaches the economic buyer."
                if state == "covered"
                else "Nobody is named economic buyer."
                if state == "missing"
                else "The team has no medium tie to the economic buyer.",
            )
        )
    return checks


def _check_solution(member: Member, ng: NetworkGraph, deal: Deal, rules: StageRules) -> list[Check]:
    team = _team_ids(deal)
    persons = dict(Member.objects.visible_to(member).filter(pk__in=team).values_list("pk", "person_id")) or {}
    pids = [persons[m] for m in team if m in persons]
    skills = _skills_of(Person.objects.visible_to(member).filter(pk__in=pids).values_list("pk", "expertise"))
    have = set().union(*skills.values()) if skills else set()
    needed = [s for s in deal.needed_expertise or [] if str(s).strip()]
    missing = [s for s in needed if str(s).strip().lower() not in have]
    g = ng.graph
    known = [p for p in dict.fromkeys(pids) if g.index_of([p])[0] >= 0]
    # Cohesion reads the direct ties among the team only: the team's own subgraph holds them all.
    cohesion = team_cohesion(g.subgraph(known), known).weighted_density if len(known) > 1 else 1.0
    return [
        Check(
            Stage.SOLUTION,
            "skills",
            not missing,
            "The deal team covers every needed skill."
            if not missing
            else "Nobody on the deal team has " + ", ".join(missing) + ".",
        ),
        Check(
            Stage.SOLUTION,
            "cohesion",
            cohesion >= rules.solution_min_cohesion,
            f"The deal team's cohesion is {cohesion:.2f} (its members' mean direct tie strength); "
            f"{rules.solution_min_cohesion:.2f} needed.",
        ),
    ]


def _check_close(member: Member, ng: NetworkGraph, deal: Deal, rules: StageRules) -> list[Check]:
    if not rules.close_needs_reference:
        return []
    uses = (
        ReferenceUse.objects.visible_to(member)
        .filter(deal_id=deal.pk)
        .exclude(status=ReferenceUseStatus.DECLINED)
    )
    named = list(uses.order_by("used_on", "pk").values_list("reference__person__full_name", "status"))
    ok = bool(named)
    return [
        Check(
            Stage.CLOSE,
            "reference",
            ok,
            "A reference for this deal: "
            + ", ".join(f"{n} ({'used' if s == ReferenceUseStatus.USED else 'requested'})" for n, s in named)
            + "."
            if ok
            else "No reference has been requested for this deal.",
        )
    ]


_CHECKS = {Stage.BUY_IN: _check_buy_in, Stage.SOLUTION: _check_solution, Stage.CLOSE: _check_close}


def _checks_of(member: Member, deal: Deal, stage: str, ng: NetworkGraph | None = None) -> list[Check]:
    fn = _CHECKS.get(stage)  # type: ignore[call-overload]
    if fn is None:
        return []
    return list(fn(member, ng or network_graph(member=member), deal, stage_rules(member)))


def exit_check_messages(member: Member, deal: Deal, stage: str) -> list[str]:
    """The messages of the exit checks of ``stage`` that fail (registered with the stage service)."""
    return [c.message for c in _checks_of(member, deal, stage) if not c.ok]


@selector
def deal_exit_checks(*, member: Member, deal_id: int, stage: str | None = None) -> list[Check]:
    """The exit checks of the deal's stage (or of ``stage``), passing and failing."""
    deal = Deal.objects.visible_to(member).filter(pk=deal_id).first()
    if deal is None:
        raise Deal.DoesNotExist("No such deal.")
    return _checks_of(member, deal, stage or deal.stage)


# ---- warnings on the board ----------------------------------------------------------------------


@dataclass(frozen=True)
class CardWarning:
    kind: str  # "single_threaded", "no_power", "stalled", "champion_fading"
    text: str


def _buyer_ties(
    ng: NetworkGraph,
    deals: Sequence[Any],
    slot: dict[int, int],
    teams: dict[int, list[int]],
    role_rows: list[tuple[int, int, str]],
) -> tuple[Int64Array, Int64Array]:
    """Every (deal slot, tie position) pair where the tie is a deal-team member's tie to one of the
    deal's buyers: a person at the deal's company, or a person with a buying role on it.

    A join, not an expansion: each member's ties are first cut to the people at the companies of
    their deals or in their deals' roles, then matched to (deal, member) pairs on (member, company)
    and (member, person) by sorted search, so the work follows the buyers, not every tie times
    every deal (a seller with 5,000 ties and 500 deals: thousands of pairs, not millions).
    """
    g = ng.graph
    members = sorted({m for d in deals for m in teams[d.pk]})
    local = {m: i for i, m in enumerate(members)}
    # (deal slot, member, company) for every deal-team pair
    pair_deal, pair_member, pair_company = [], [], []
    for d in deals:
        for m in teams[d.pk]:
            pair_deal.append(slot[d.pk])
            pair_member.append(local[m])
            pair_company.append(d.company_id)
    pd = np.array(pair_deal, dtype=np.int64)
    pm = np.array(pair_member, dtype=np.int64)
    pc = np.array(pair_company, dtype=np.int64)
    role_persons_of: dict[int, set[int]] = {}
    for deal_id, p, _ in role_rows:
        role_persons_of.setdefault(deal_id, set()).add(int(p))
    # each member's ties cut to the people who are buyers of one of their deals
    has_company = len(ng.person_company) == len(g.ids)
    f_member, f_pos, f_person, f_company = [], [], [], []
    for m in members:
        pos = ng.member_ties(int(m))
        if not len(pos):
            continue
        person = ng.tie_person[pos]
        companies = np.unique(pc[pm == local[m]])
        roles = np.fromiter(
            {p for d in deals if m in teams[d.pk] for p in role_persons_of.get(d.pk, ())}, dtype=np.int64
        )
        if has_company:
            at = g.index_of(person)
            company = np.where(at >= 0, ng.person_company[np.maximum(at, 0)], -1)
        else:
            company = np.full(len(pos), -1, dtype=np.int64)
        keep = np.isin(company, companies) | np.isin(person, roles)
        f_member.append(np.full(int(keep.sum()), local[m], dtype=np.int64))
        f_pos.append(pos[keep])
        f_person.append(person[keep])
        f_company.append(company[keep].astype(np.int64))
    empty = np.zeros(0, dtype=np.int64)
    if not f_pos:
        return empty, empty
    fm, fpos = np.concatenate(f_member), np.concatenate(f_pos)
    fp, fc = np.concatenate(f_person), np.concatenate(f_company)
    # match (member, company): every tie of the member to the deal's company
    span_c = np.int64(max(int(fc.max(initial=0)), int(pc.max(initial=0))) + 2)
    fkey = fm * span_c + (fc + 1)
    order = np.argsort(fkey, kind="stable")
    fkey_s, fpos_s = fkey[order], fpos[order]
    pkey = pm * span_c + (pc + 1)
    lo = np.searchsorted(fkey_s, pkey, side="left")
    hi = np.searchsorted(fkey_s, pkey, side="right")
    counts = hi - lo
    total = int(counts.sum())
    starts = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    dk_company = np.repeat(pd, counts)
    tk_company = fpos_s[starts + np.arange(total, dtype=np.int64)] if total else empty
    # match (member, person) for the people with a buying role on the deal
    span_p = np.int64(int(fp.max(initial=0)) + 1)
    by_person = np.argsort(fm * span_p + fp, kind="stable")
    pkey_s = (fm * span_p + fp)[by_person]
    r_deal, r_key = [], []
    for d in deals:
        persons = role_persons_of.get(d.pk)
        if not persons:
            continue
        for m in teams[d.pk]:
            for p in persons:
                if p < span_p:
                    r_deal.append(slot[d.pk])
                    r_key.append(local[m] * int(span_p) + p)
    rd = np.array(r_deal, dtype=np.int64)
    rk = np.array(r_key, dtype=np.int64)
    at = np.minimum(np.searchsorted(pkey_s, rk), max(len(pkey_s) - 1, 0))
    hit = pkey_s[at] == rk if len(pkey_s) else np.zeros(len(rk), dtype=bool)
    dk_role = rd[hit]
    tk_role = fpos[by_person[at[hit]]]
    return np.concatenate([dk_company, dk_role]), np.concatenate([tk_company, tk_role])


def deal_warnings(
    member: Member,
    deals: Sequence[Any],
    entered: dict[int, datetime],
    *,
    ng: NetworkGraph | None = None,
    now: datetime | None = None,
) -> dict[int, list[CardWarning]]:
    """Each open deal's warnings, for all of them at once: three queries and array operations over
    the deal teams' ties (``deals``: Deal rows or the board's DealRow, with pk, stage, owner_id,
    company_id and created_at).

    Single-threaded and no power count threads as :func:`buying_coverage` does (the team's
    strongest tie to each buyer, medium or stronger), from stage 2 on; stalled compares the days
    in stage with the organization's rules; a champion is fading when the team's strongest tie to
    them is below the rules' strength.
    """
    out: dict[int, list[CardWarning]] = {d.pk: [] for d in deals}
    open_deals = [d for d in deals if d.stage in OPEN_STAGES]
    if not open_deals:
        return out
    now = now or timezone.now()
    rules = stage_rules(member)
    for d in open_deals:
        limit = rules.stalled_days(d.stage)
        days = (now - entered.get(d.pk, d.created_at)).days
        if limit is not None and days > limit:
            out[d.pk].append(CardWarning("stalled", f"Stalled: {days} days in this stage (over {limit})."))
    threaded = [d for d in open_deals if d.stage in THREAD_WARNING_STAGES]
    if not threaded:
        return out
    ng = ng or network_graph(member=member)
    g = ng.graph
    ids = [d.pk for d in threaded]
    slot = {d.pk: k for k, d in enumerate(threaded)}
    teams: dict[int, list[int]] = {d.pk: [d.owner_id] for d in threaded}
    for deal_id, m in Deal.team.through.objects.filter(deal_id__in=ids).values_list("deal_id", "member_id"):
        if m not in teams[deal_id]:
            teams[deal_id].append(m)
    role_rows = list(
        BuyingRole.objects.visible_to(member)
        .filter(deal_id__in=ids)
        .values_list("deal_id", "person_id", "role")
    )
    n = len(threaded)
    dk, tk = _buyer_ties(ng, threaded, slot, teams, role_rows)
    person = ng.tie_person[tk]
    strength = ng.tie_strength[tk]
    at = g.index_of(person)
    span = np.int64(int(g.ids.max()) + 1 if g.n else 1)
    span = max(span, np.int64(max((p for _, p, _ in role_rows), default=0) + 1))
    key = dk * span + person
    # The strongest tie per (deal, buyer).
    order = np.lexsort((-strength, key))
    key, strength, at = key[order], strength[order], at[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, strength, at = key[first], strength[first], at[first]
    thread = strength >= THREAD_MIN
    t_deal = key[thread] // span
    t_person = key[thread] % span
    function = g.attrs.get("function")
    codes = (
        function.codes[np.maximum(at[thread], 0)].astype(np.int64)
        if function is not None
        else np.full(int(thread.sum()), -1, dtype=np.int64)
    )
    codes = np.where((at[thread] >= 0) & (codes >= 0), codes, -(t_person + 2))  # unknown: its own
    threads = np.bincount(t_deal, minlength=n)
    pairs = np.unique(np.stack([t_deal, codes]), axis=1) if len(t_deal) else np.zeros((2, 0), dtype=np.int64)
    departments = np.bincount(pairs[0], minlength=n)
    power_keys = np.array(
        sorted({slot[d] * span + p for d, p, r in role_rows if r in POWER_ROLES}), dtype=np.int64
    )
    powered = np.zeros(n, dtype=bool)
    powered[t_deal[np.isin(key[thread], power_keys)]] = True
    champions = sorted({(slot[d], p) for d, p, r in role_rows if r == BuyingRoleKind.CHAMPION})
    best = dict(zip(key.tolist(), strength.tolist(), strict=True))
    faded: dict[int, list[int]] = {}
    for k, p in champions:
        if best.get(k * int(span) + p, 0.0) < rules.champion_min_strength:
            faded.setdefault(k, []).append(p)
    names = _names(member, [p for ps in faded.values() for p in ps]) if faded else {}
    for d in threaded:
        k = slot[d.pk]
        warn = out[d.pk]
        nt, nd = int(threads[k]), int(departments[k])
        if nt < 2 or nd < 2:
            warn.append(
                CardWarning(
                    "single_threaded",
                    "Single-threaded: "
                    + (
                        "no buyer thread."
                        if not nt
                        else f"{nt} buyer thread{'s' if nt != 1 else ''} in {nd} department{'s' if nd != 1 else ''}."
                    ),
                )
            )
        if not powered[k]:
            warn.append(
                CardWarning("no_power", "No power: no medium tie to an economic buyer or decision maker.")
            )
        if k in faded:
            warn.append(
                CardWarning(
                    "champion_fading",
                    "Champion's tie fading: " + ", ".join(names.get(p, "a champion") for p in faded[k]) + ".",
                )
            )
    return out


# ---- the playbook --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tie:
    """A deal-team member's tie to someone, as the acting member may see it."""

    holder: str  # the member's name ("You" for the acting member)
    person_id: int
    strength: float | None  # None when the tie is a teammate's private one
    band: str | None
    ask: bool  # a private tie of a teammate: ask them


@dataclass(frozen=True)
class BuyerRow:
    person_id: int
    name: str
    title: str
    function: str
    reports_to: int | None
    roles: list[str]
    stance: str
    thread: Tie | None


@dataclass(frozen=True)
class StageOne:
    lead: Lead | None  # how the member's market network reaches this deal's company
    names: dict[int, str]


@dataclass(frozen=True)
class StageTwo:
    coverage: Coverage
    org_chart: list[BuyerRow]
    thread_count: int
    department_count: int
    gaps: list[str]
    routes: dict[int, list[Route]]  # uncovered decision makers and economic buyers -> routes
    unsupported: list[tuple[int, str]]  # opponents without a supporter tied to them
    names: dict[int, str]


@dataclass(frozen=True)
class Expert:
    person_id: int
    name: str
    title: str
    skills: list[str]
    tied: list[Tie]  # deal-team members tied to them, strongest first


@dataclass(frozen=True)
class StageThree:
    skills: list[str]
    experts: dict[str, list[Expert]]
    team: Team | None
    team_names: dict[int, str]
    weakest: tuple[str, str, float] | None
    current: list[int]  # person ids of the deal team now


@dataclass(frozen=True)
class StageFour:
    offered: list[RankedReference]
    rested: list[RankedReference]
    names: dict[int, str]
    holders: dict[int, str]
    companies: dict[int, str]
    pending: list[tuple[int, str, str]]  # (use id, reference name, status) on this deal


@dataclass
class Playbook:
    deal: Deal
    stage: str
    checks: list[Check]
    one: StageOne | None = None
    two: StageTwo | None = None
    three: StageThree | None = None
    four: StageFour | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def checks_pass(self) -> bool:
        return all(c.ok for c in self.checks)


def _member_names(member: Member, ids: Iterable[int]) -> dict[int, str]:
    names = dict(
        Member.objects.visible_to(member).filter(pk__in=list(ids)).values_list("pk", "person__full_name")
    )
    names[member.pk] = "You"
    return names


def _tie_view(member: Member, holder: int, name: str, person: int, strength: float, private: bool) -> Tie:
    ask = holder != member.pk and private
    return Tie(
        holder=name,
        person_id=person,
        strength=None if ask or holder != member.pk else strength,
        band=None if ask else strength_band(strength),
        ask=ask,
    )


def _strongest_ties(
    member: Member, ties: TeamTies, names: dict[int, str], persons: Iterable[int]
) -> dict[int, list[Tie]]:
    wanted = np.fromiter(set(int(p) for p in persons), dtype=np.int64)
    keep = np.isin(ties.persons, wanted)
    order = np.lexsort((ties.holders[keep], -ties.strengths[keep], ties.persons[keep]))
    out: dict[int, list[Tie]] = {}
    h, p, s, v = ties.holders[keep], ties.persons[keep], ties.strengths[keep], ties.private[keep]
    for k in order.tolist():
        out.setdefault(int(p[k]), []).append(
            _tie_view(
                member, int(h[k]), names.get(int(h[k]), "a colleague"), int(p[k]), float(s[k]), bool(v[k])
            )
        )
    return out


def _stage_one(member: Member, ng: NetworkGraph, deal: Deal) -> StageOne:
    ego = ng.member_person.get(member.pk) or member.person_id
    alters: Iterable[int] = (
        ng.alters(member.pk, NetworkClass.MARKET)
        if member.pk in ng.member_person
        else np.zeros(0, dtype=np.int64)
    )
    if ng.graph.index_of([ego])[0] < 0:
        return StageOne(None, {})
    # Only this company's lead: the graph of the ego, its market contacts and the company's people
    # holds every bridge, every path in and every tie among the bridges that rank_leads reads.
    people = _people_at(ng, deal.company_id)
    nodes = np.unique(np.concatenate([[ego], np.asarray(alters, dtype=np.int64), people]))
    sub = ng.graph.subgraph(nodes[ng.graph.index_of(nodes) >= 0])
    leads = rank_leads(sub, ego, alters, limit=None)
    lead = next((lead for lead in leads if int(lead.company) == deal.company_id), None)  # type: ignore[call-overload]
    ids = [x for b in (lead.bridges if lead else ()) for x in b.path]
    return StageOne(lead, _names(member, ids))


def _stage_two(member: Member, ng: NetworkGraph, deal: Deal) -> StageTwo:
    team = _team_ids(deal)
    roles = _roles(member, deal)
    cov = _coverage(ng, deal, team, roles)
    ties = _team_ties(ng, team)
    names_m = _member_names(member, team)
    role_people = {p for p, _, _ in roles}
    people = list(
        Person.objects.visible_to(member)
        .filter(pk__in=role_people)
        .values_list("pk", "full_name", "title", "function", "reports_to_id")
    )
    threads = _strongest_ties(member, ties, names_m, role_people)
    by_person: dict[int, tuple[list[str], set[str]]] = {}
    for p, role, stance in roles:
        entry = by_person.setdefault(p, ([], set()))
        entry[0].append(ROLE_LABELS.get(role, role))
        entry[1].add(stance)
    chart = []
    for pk, name, title, function, boss in people:
        rs, stances = by_person.get(pk, ([], set()))
        stance = "opponent" if "opponent" in stances else "supporter" if "supporter" in stances else "neutral"
        best = threads.get(pk, [])
        chart.append(BuyerRow(pk, name, title, function, boss, rs, stance, best[0] if best else None))
    chart.sort(key=lambda r: (r.reports_to is not None, r.function or "", r.name))
    uncovered = [
        p
        for r in ("economic_buyer", "decision_maker")
        for p in cov.roles[r].persons
        if cov.roles[r].state != "covered"
    ]
    routes: dict[int, list[Route]] = {}
    if uncovered:
        src = sources_for(member, from_team=True)
        routes = routes_to(member, ng, src, list(dict.fromkeys(uncovered)), k=2, max_intermediaries=2)
    names = {pk: name for pk, name, *_ in people}
    unsupported = [(o.person, names.get(o.person, "an opponent")) for o in cov.opponents if o.unsupported]
    return StageTwo(
        coverage=cov,
        org_chart=chart,
        thread_count=len(cov.threads),
        department_count=cov.department_count,
        gaps=[ROLE_LABELS.get(r, r) for r in cov.gaps],
        routes=routes,
        unsupported=unsupported,
        names=names,
    )


def _stage_three(member: Member, ng: NetworkGraph, deal: Deal) -> StageThree:
    team = _team_ids(deal)
    skills = [str(s) for s in deal.needed_expertise or [] if str(s).strip()]
    own = member.organization.own_company_id
    rows = list(
        Person.objects.visible_to(member)
        .filter(company_id=own)
        .values_list("pk", "full_name", "title", "expertise")
    )
    tags = _skills_of((r[0], r[3]) for r in rows)
    wanted = {s.lower(): s for s in skills}
    holders: dict[str, list[int]] = {s: [] for s in skills}
    for pk, t in tags.items():
        for tag in t & set(wanted):
            holders[wanted[tag]].append(pk)
    team_persons = dict(Member.objects.visible_to(member).filter(pk__in=team).values_list("pk", "person_id"))
    owner_person = team_persons.get(deal.owner_id)
    names_m = _member_names(member, team)
    ties = _team_ties(ng, team)
    expert_ids = {p for h in holders.values() for p in h}
    tied = _strongest_ties(member, ties, names_m, expert_ids)
    info = {r[0]: r for r in rows}
    experts = {
        s: sorted(
            (
                Expert(
                    p,
                    info[p][1],
                    info[p][2],
                    [x for x in skills if x.lower() in tags.get(p, set())],
                    tied.get(p, []),
                )
                for p in h
            ),
            key=lambda e: (-(max((t.strength or 0.0) for t in e.tied) if e.tied else 0.0), e.name),
        )
        for s, h in holders.items()
    }
    team_result: Team | None = None
    weakest = None
    if skills:
        people = np.array(sorted(set(info) | ({owner_person} if owner_person else set())), dtype=np.int64)
        sub = ng.graph.subgraph(people[ng.graph.index_of(people) >= 0])
        required = [owner_person] if owner_person and sub.index_of([owner_person])[0] >= 0 else []
        team_result = solution_team(sub, holders, required=required)
        c = team_result.cohesion
        if c.weakest is not None and len(team_result.members) > 1:
            a, b = c.weakest.pair
            weakest = (info.get(a, (a, "?"))[1], info.get(b, (b, "?"))[1], c.weakest.direct)
    names = {r[0]: r[1] for r in rows}
    return StageThree(
        skills=skills,
        experts=experts,
        team=team_result,
        team_names=names,
        weakest=weakest,
        current=[p for p in team_persons.values()],
    )


def _profile(company: Company | None) -> Profile:
    if company is None:
        return Profile(None, None, None)
    return Profile(company.industry or None, SIZE_RANK.get(company.size_band), company.region or None)


@dataclass(frozen=True)
class _Ref:
    pk: int
    person_id: int
    satisfaction: int
    max_uses: int
    per_days: int
    profile: Profile
    company: str


def _stage_four(member: Member, ng: NetworkGraph, deal: Deal) -> StageFour:
    team = _team_ids(deal)
    fields = ("pk", "person_id", "satisfaction", "max_uses", "per_days")
    company = ("person__company__industry", "person__company__size_band", "person__company__region")
    rows = list(
        Reference.objects.visible_to(member)
        .filter(consent=True)
        .exclude(person__company_id=deal.company_id)
        .values_list(*fields, *company, "person__company__name")
    )
    if rows:  # only references that are nodes of the graph
        present = ng.graph.index_of(np.array([r[1] for r in rows], dtype=np.int64)) >= 0
        rows = [r for r, ok in zip(rows, present.tolist(), strict=True) if ok]
    refs = [
        _Ref(
            pk,
            person_id,
            sat,
            max_uses,
            per_days,
            Profile(ind or None, SIZE_RANK.get(size), reg or None),
            name or "",
        )
        for pk, person_id, sat, max_uses, per_days, ind, size, reg, name in rows
    ]
    today = timezone.localdate()
    uses: dict[int, list[int]] = {}
    for ref_id, used_on in (
        ReferenceUse.objects.visible_to(member)
        .filter(
            reference_id__in=[r.pk for r in refs], used_on__gte=today.fromordinal(today.toordinal() - 365)
        )
        .exclude(status=ReferenceUseStatus.DECLINED)
        .values_list("reference_id", "used_on")
    ):
        uses.setdefault(ref_id, []).append(max(0, (today - used_on).days))
    ties = _team_ties(ng, team)
    names_m = _member_names(member, team)
    strongest = _strongest_ties(member, ties, names_m, [r.person_id for r in refs])
    holder_of: dict[int, int] = {}
    best_strength: dict[int, float] = {}
    wanted = np.fromiter({r.person_id for r in refs}, dtype=np.int64)
    keep = np.isin(ties.persons, wanted)
    for h, p, s in zip(
        ties.holders[keep].tolist(), ties.persons[keep].tolist(), ties.strengths[keep].tolist(), strict=True
    ):
        if s > best_strength.get(p, -1.0):
            best_strength[p], holder_of[p] = s, h
    candidates = [
        ReferenceInput(
            person=r.person_id,
            profile=r.profile,
            satisfaction=r.satisfaction,
            tie=best_strength.get(r.person_id, 0.0),
            holder=holder_of.get(r.person_id),
            uses=tuple(sorted(uses.get(r.pk, []))),
            terms=Terms(max(0, r.max_uses), max(1, r.per_days)),
        )
        for r in refs
    ]
    committee = [p for p, _, _ in _roles(member, deal)] or _people_at(ng, deal.company_id).tolist()
    if committee:
        inside = ng.graph.index_of(np.array(committee, dtype=np.int64)) >= 0
        committee = [p for p, ok in zip(committee, inside.tolist(), strict=True) if ok]
    ranked = rank_references(
        ng.graph,
        candidates,
        buyer=_profile(deal.company),
        committee=committee,
        exclude=list(ng.member_person.values()),
    )
    ids = {x for r in (*ranked.offered, *ranked.rested) for x in (r.person, *r.path)}
    holders = {
        p: (strongest[p][0].holder if strongest.get(p) else "") for p in (r.person for r in ranked.offered)
    }
    companies = {r.person_id: r.company for r in refs}
    pending = [
        (pk, name, status)
        for pk, name, status in ReferenceUse.objects.visible_to(member)
        .filter(deal_id=deal.pk)
        .order_by("pk")
        .values_list("pk", "reference__person__full_name", "status")
    ]
    return StageFour(
        offered=list(ranked.offered[:10]),
        rested=list(ranked.rested[:10]),
        names=_names(member, ids),
        holders=holders,
        companies=companies,
        pending=pending,
    )


_STAGES = {
    Stage.IDENTIFY: ("one", _stage_one),
    Stage.BUY_IN: ("two", _stage_two),
    Stage.SOLUTION: ("three", _stage_three),
    Stage.CLOSE: ("four", _stage_four),
}


@selector
def deal_playbook(*, member: Member, deal_id: int, stage: str | None = None) -> Playbook:
    """The playbook of the deal's stage (or of ``stage``: any of the four may be read), with its checks."""
    deal = Deal.objects.visible_to(member).select_related("company").filter(pk=deal_id).first()
    if deal is None:
        raise Deal.DoesNotExist("No such deal.")
    show = stage if stage in _STAGES else deal.stage if deal.stage in _STAGES else Stage.CLOSE
    ng = network_graph(member=member)
    book = Playbook(deal=deal, stage=show, checks=_checks_of(member, deal, show, ng))
    attr, fn = _STAGES[show]  # type: ignore[index]
    setattr(book, attr, fn(member, ng, deal))
    return book


# ---- stage 1 outside a deal: the member's leads ---------------------------------------------------


@dataclass(frozen=True)
class LeadRow:
    lead: Lead
    company_id: int
    company: str
    industry: str
    names: dict[int, str]

    @property
    def reason(self) -> str:
        n = len(self.lead.bridges)
        e = self.lead.effective_bridges
        circles = self.lead.circles
        best = self.lead.best
        via = self.names.get(best.alter, "a contact")
        return (
            f"{n} contact{'s' if n != 1 else ''} reach{'es' if n == 1 else ''} {self.company} from "
            f"{circles} separate circle{'s' if circles != 1 else ''} ({e:.1f} non-redundant bridges); "
            f"best way in: {via}."
        )


@selector
def member_leads(*, member: Member, limit: int = 20) -> list[LeadRow]:
    """Companies not in the pipeline that the member's market network reaches, best lead first.

    Not leads: the own company, partners, customers, prospects, and companies with an open deal.
    """
    ng = network_graph(member=member)
    ego = ng.member_person.get(member.pk)
    if ego is None or ng.graph.index_of([ego])[0] < 0:
        return []
    pipeline = set(
        Deal.objects.visible_to(member).filter(stage__in=OPEN_STAGES).values_list("company_id", flat=True)
    )
    closed_to_leads = [
        CompanyStatus.PROSPECT,
        CompanyStatus.CUSTOMER,
        CompanyStatus.OWN,
        CompanyStatus.PARTNER,
    ]
    pipeline |= set(
        Company.objects.visible_to(member).filter(status__in=closed_to_leads).values_list("pk", flat=True)
    )
    own = member.organization.own_company_id
    exclude = pipeline | ({own} if own else set())
    alters = ng.alters(member.pk, NetworkClass.MARKET)
    leads = rank_leads(ng.graph, ego, alters, exclude=exclude, limit=max(1, min(int(limit), 100)))
    ids = {int(lead.company) for lead in leads}  # type: ignore[call-overload]
    companies = {
        pk: (name, industry)
        for pk, name, industry in Company.objects.visible_to(member)
        .filter(pk__in=ids)
        .values_list("pk", "name", "industry")
    }
    names = _names(member, [x for lead in leads for b in lead.bridges for x in b.path])
    return [
        LeadRow(lead, int(lead.company), *companies[int(lead.company)], names)  # type: ignore[call-overload]
        for lead in leads
        if int(lead.company) in companies  # type: ignore[call-overload]
    ]
