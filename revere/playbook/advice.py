"""Relationship advice: which ties to let go and which to invest in, each explained in one sentence.

"Should I give up developing a redundant relationship?" (DESIGN.md §1). In each of the member's
networks (computed on the ego network of that class, :mod:`revere.network.selectors`):

* **let go**: a weak or dormant tie to a *redundant* contact: Burt's redundancy above
  :data:`REDUNDANT_MIN`, tied to at least :data:`LET_GO_MIN_OVERLAP` of the member's other
  contacts in that network, and reaching nobody they don't. Named: the contacts that make them
  redundant, largest share of the redundancy first (Burt's ``p_iq m_jq``). In each circle of
  alters the strongest tie is kept. Never let go (:func:`_protected`): anyone with a buying role
  on an open deal, a consenting reference, the colleague who alone covers a function of the
  member's internal network, and a middleman on the member's best routes to the people of their own
  open deals.
* **invest**: a bridge (redundancy at most :data:`INVEST_MAX_REDUNDANCY` and at least
  :data:`INVEST_MIN_UNIQUE_REACH` people only this contact reaches) whose tie is fading: not
  strong, and no contact for longer than the network's keep-in-touch cadence. Ranked by what it
  alone reaches (people + companies + industries, :func:`revere.analytics.bridges.bridge_reach`)
  times how much of the tie has faded since the last contact, ``1 - 2^(-days / 180)``.

docs/playbook.md ("Advice") gives the rules, thresholds, formulas and their reasons.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone
from scipy.sparse.csgraph import connected_components

from revere.analytics.bridges import BridgeReach, bridge_reach
from revere.analytics.ego import AlterReach, alter_reach
from revere.analytics.graph import TieGraph
from revere.analytics.strength import HALF_LIFE_DAYS, strength_band, strength_bands
from revere.contacts.models import Company, Person
from revere.deals.models import OPEN_STAGES, BuyingRole, BuyingRoleKind, Deal, Reference
from revere.network.finder import DEFAULT_K, MAX_INTERMEDIARIES
from revere.network.finder.search import Sources, find_paths, sources_for
from revere.network.graph import CLASSES, NetworkGraph, network_graph
from revere.network.models import NetworkClass, Tie
from revere.network.selectors import EgoNetwork
from revere.playbook.cadence import CLASS_CADENCE_DAYS
from revere.playbook.figures import OwnNetworks, digest, keyed, memo, own_networks
from revere.playbook.readings import is_closed_clique
from revere.tenancy.models import Member

#: Burt's redundancy above which a contact is redundant: more than half of what the member puts
#: into that network goes to people this contact knows, so the contact counts for less than half
#: an independent contact in the effective size (1 - r).
REDUNDANT_MIN = 0.5
LET_GO_MIN_OVERLAP = 2
LET_GO_BANDS = ("weak", "dormant")
INVEST_MAX_REDUNDANCY = 0.25
INVEST_MIN_UNIQUE_REACH = 5
#: A tie's strength halves in this many days without contact (revere/analytics/strength.py).
FADE_HALF_LIFE_DAYS = HALF_LIFE_DAYS
#: Names written into a reason before "and N more".
NAMED_IN_REASON = 3
NAMED_REDUNDANT_WITH = 5
#: What a bridge alone reaches, besides people.
REACH_ATTRS = ("company", "industry")


@dataclass(frozen=True)
class Contact:
    person_id: int
    name: str


@dataclass(frozen=True)
class Candidate:
    kind: str  # "let_go" or "invest"
    tie_id: int
    person_id: int
    name: str
    company: str
    network_class: str
    strength: float
    band: str
    redundancy: float
    overlap: int  # the member's other contacts in this network this person knows
    unique_reach: int  # people only this contact reaches, one step beyond
    unique_companies: int
    last_contact: date | None
    days_since: int | None
    reason: str
    redundant_with: list[Contact] = field(default_factory=list)
    unique_industries: int = 0
    fade: float = 0.0  # share of the tie's strength lost since the last contact
    score: float = 0.0  # let go: the redundancy; invest: (people + companies + industries) x fade
    kept_instead: Contact | None = None  # let go: the tie kept for the same circle


@dataclass(frozen=True)
class Kept:
    """A redundant weak tie that is not advised to be let go, and why (rule 1)."""

    person_id: int
    name: str
    network_class: str
    redundancy: float
    reason: str


@dataclass(frozen=True)
class Advice:
    let_go: list[Candidate]
    invest: list[Candidate]
    let_go_total: int
    invest_total: int
    cliques: list[str]  # network classes that are one closed clique
    let_go_offset: int = 0
    invest_offset: int = 0
    kept: list[Kept] = field(default_factory=list)  # redundant, but never let go: who and why


@dataclass(frozen=True)
class _Pick:
    kind: str
    cls: str
    j: int  # position among the ego network's alters
    score: float


@dataclass(frozen=True)
class _Structure:
    """Per alter of one ego network (aligned with ``EgoNetwork.alter_ids``)."""

    redundancy: np.ndarray  # Burt's r_ij
    overlap: np.ndarray  # links to the member's other contacts in this network
    unique_n: np.ndarray  # how many people only this alter reaches, one step beyond
    share: np.ndarray  # p_ij, the member's proportional investment in the tie
    circle: np.ndarray  # label of the group of alters linked among themselves
    reach: AlterReach
    graph: TieGraph
    alter_ids: np.ndarray


def _structure(e: EgoNetwork, ego_pid: int) -> _Structure:
    """Redundancy (:func:`revere.analytics.holes.ego_holes`), overlap and unique reach
    (:func:`revere.analytics.ego.alter_reach`) and circles, aligned with the network's alters."""
    assert e.holes is not None
    sub = e.graph
    idx = sub.index_of(e.alter_ids)
    # ego_holes lists the alters by node index: find each of ours in that order.
    order = np.searchsorted(sub.index_of(e.holes.alters), idx)
    reach = alter_reach(sub, ego_pid, e.alter_ids)
    by_id = np.argsort(reach.alters)
    perm = by_id[np.searchsorted(reach.alters, e.alter_ids, sorter=by_id)]
    _n, circle = connected_components(sub.csr[idx][:, idx], directed=False)
    return _Structure(
        e.holes.redundancy[order],
        reach.overlap[perm],
        reach.unique_reach[perm],
        e.holes.share[order],
        circle,
        reach,
        sub,
        e.alter_ids,
    )


def _keepers(e: EgoNetwork, s: _Structure) -> np.ndarray:
    """Per circle of alters, the one to keep: the strongest tie (then the least redundant).

    Letting a whole circle go would lose what it brings; its strongest tie brings it alone.
    """
    keep = np.zeros(len(e.alter_ids), dtype=bool)
    order = np.lexsort((s.redundancy, -e.alter_strength, s.circle))
    first = np.ones(len(order), dtype=bool)
    first[1:] = s.circle[order][1:] != s.circle[order][:-1]
    keep[order[first]] = True
    return keep


def _redundant_with(e: EgoNetwork, s: _Structure, j: int) -> list[tuple[int, float]]:
    """The member's contacts that make alter ``j`` redundant, by their part of Burt's r_ij (p_iq m_jq)."""
    sub = e.graph
    i = int(sub.index_of([int(e.alter_ids[j])])[0])
    lo, hi = sub.indptr[i], sub.indptr[i + 1]
    nb = np.asarray(sub.indices[lo:hi], dtype=np.int64)
    w = np.asarray(sub.weights[lo:hi], dtype=np.float64)
    m = w / w.max()
    # Which neighbours are alters, and where they sit in our alignment (alter_ids sorted by node index).
    idx = sub.index_of(e.alter_ids)
    by_index = np.argsort(idx)
    pos = np.searchsorted(idx[by_index], nb)
    pos = np.minimum(pos, len(idx) - 1)
    hit = idx[by_index][pos] == nb
    q = by_index[pos[hit]]
    parts = s.share[q] * m[hit]
    ranked = np.argsort(-parts, kind="stable")
    return [(int(e.alter_ids[q[k]]), float(parts[k])) for k in ranked.tolist()]


def _committee_and_references(member: Member) -> dict[int, str]:
    """Persons with a buying role on an open deal the member may see, and consenting references,
    with why they stay ("Economic buyer on the open deal Acme fleet")."""
    deals = Deal.objects.visible_to(member).filter(stage__in=OPEN_STAGES)
    why: dict[int, str] = {}
    for pid in Reference.objects.visible_to(member).filter(consent=True).values_list("person_id", flat=True):
        why[pid] = "a consenting reference"
    for pid, role, deal in (
        BuyingRole.objects.visible_to(member)
        .filter(deal__in=deals.values("id"))
        .order_by("deal_id", "id")
        .values_list("person_id", "role", "deal__name")
    ):
        label = BuyingRoleKind(role).label if role in BuyingRoleKind.values else role
        why.setdefault(pid, f"{label} on the open deal {deal}")
    return why


def _function_holders(egos: dict[str, EgoNetwork], candidates: set[int]) -> dict[int, str]:
    """Internal contacts who cover a function nobody else of the member's internal network covers.

    A function (department) is covered by a colleague who is not advised to be let go; when every
    colleague of that function is a candidate (one alone, or all redundant), the strongest of them stays.
    """
    e = egos.get(NetworkClass.INTERNAL)
    if e is None or len(e.alter_ids) == 0:
        return {}
    function = e.graph.attrs["function"]
    codes = function.codes[e.graph.index_of(e.alter_ids)]
    keep: dict[int, str] = {}
    for code in np.unique(codes[codes >= 0]).tolist():
        holders = np.flatnonzero(codes == code)
        ids = e.alter_ids[holders]
        if all(int(pid) in candidates for pid in ids):
            best = holders[np.lexsort((ids, -e.alter_strength[holders]))[0]]
            name = function.categories[code]
            keep[int(e.alter_ids[best])] = (
                f"your only {name} colleague"
                if len(holders) == 1
                else f"the strongest tie of your {len(holders)} {name} colleagues, who would all go otherwise"
            )
    return keep


def _deal_people(member: Member) -> list[int]:
    """Whom the member's open deals need reached: the buying committee of each open deal the member
    owns or is on the team of, and, for such a deal with nobody on its committee yet, everyone at its
    company. Committee members first (the likelier targets), each once."""
    open_deals = Deal.objects.visible_to(member).filter(stage__in=OPEN_STAGES)
    deals = dict(open_deals.filter(owner_id=member.pk).values_list("id", "company_id"))
    deals.update(open_deals.filter(team__id=member.pk).values_list("id", "company_id"))
    if not deals:
        return []
    roles = list(
        BuyingRole.objects.visible_to(member)
        .filter(deal_id__in=list(deals))
        .order_by("person_id")
        .values_list("deal_id", "person_id")
    )
    with_committee = {deal for deal, _ in roles}
    bare = {company for deal, company in deals.items() if deal not in with_committee and company}
    people = (
        Person.objects.visible_to(member)
        .filter(company_id__in=sorted(bare))
        .order_by("id")
        .values_list("id", flat=True)
        if bare
        else []
    )
    return list(dict.fromkeys([*(pid for _, pid in roles), *people]))


def _within(graph: TieGraph, starts: list[int], ties: int) -> np.ndarray:
    """Whether each node of ``graph`` is within ``ties`` ties of one of ``starts`` (ids), as a mask."""
    seen = np.zeros(graph.n, dtype=bool)
    frontier = graph.index_of(starts)
    seen[frontier[frontier >= 0]] = True
    frontier = np.flatnonzero(seen)
    for _ in range(ties):
        if len(frontier) == 0:
            break
        _, nxt, _ = graph.gather(frontier)
        new = np.zeros(graph.n, dtype=bool)
        new[nxt] = True
        new &= ~seen
        seen |= new
        frontier = np.flatnonzero(new)
    return seen


#: Who is an intermediary on the member's qualifying routes to a person, per graph:
#: {(id of the graph, member's Person, outside members, target): (the graph, intermediaries)}. The
#: routes change only with the graph (a write makes a new NetworkGraph) and with who is outside the
#: member's scope, which are in the key; the weak reference tells a live graph from a dead one whose id
#: Python gave to another. At most _ROUTES_KEPT entries, the oldest dropped first.
_routes_through: OrderedDict[tuple[Any, ...], tuple[weakref.ref[NetworkGraph], frozenset[int]]] = (
    OrderedDict()
)
_routes_lock = threading.Lock()
_ROUTES_KEPT = 50_000


def _intermediaries(ng: NetworkGraph, src: Sources, target: int) -> frozenset[int]:
    """The people between the member and ``target`` on the finder's routes scoring above the member's
    own tie to the target (asking them directly is better than a weaker route), memoised per graph."""
    key = (id(ng), src.me, src.outside, target)
    with _routes_lock:
        hit = _routes_through.get(key)
    if hit is not None and hit[0]() is ng:
        return hit[1]
    paths = find_paths(ng, src, target, k=DEFAULT_K, max_intermediaries=MAX_INTERMEDIARIES)
    direct = max((p.score for p in paths if len(p.nodes) == 2), default=0.0)
    found = frozenset(int(n) for p in paths if p.score > direct for n in p.nodes[1:-1])
    with _routes_lock:
        _routes_through[key] = (weakref.ref(ng), found)
        while len(_routes_through) > _ROUTES_KEPT:
            _routes_through.popitem(last=False)
    return found


def _middlemen(member: Member, candidates: set[int]) -> dict[int, int]:
    """Of ``candidates``, those who are intermediaries on the member's best routes to the people of
    their open deals (:func:`_deal_people`), found by the middleman finder's own search
    (:func:`revere.network.finder.search.find_paths`, the finder's k and hop limit, from the member
    alone). A route scoring below the member's own tie to that person is left out (asking them
    directly is better). Answers ``{candidate: the person routed to}``.

    One search per person, so only the searches that can find a candidate are made, none twice:

    * a route has at most MAX_INTERMEDIARIES people between the member and the person, so a candidate
      on it is within MAX_INTERMEDIARIES ties of the person (the graph is undirected): a person none
      of whose contacts is within MAX_INTERMEDIARIES - 1 ties of a candidate is skipped, which changes
      no answer;
    * the searches stop as soon as every candidate is found;
    * each person's route intermediaries are kept until the graph changes (:func:`_intermediaries`).

    The member's own deals only: a manager's or an admin's scope holds hundreds of deals that are not
    theirs to work (docs/benchmarks.md, "Advice": 82 s for the large demo's admin before).
    """
    if not candidates:
        return {}
    targets = _deal_people(member)
    if not targets:
        return {}
    ng = network_graph(member=member)
    graph = ng.graph
    near = _within(graph, sorted(candidates), MAX_INTERMEDIARIES - 1)
    at = graph.index_of(targets)
    known = at >= 0
    owner, contact, _ = graph.gather(at[known])
    reach = near[at[known]] | (np.bincount(owner[near[contact]], minlength=int(known.sum())) > 0)
    targets = np.asarray(targets, dtype=np.int64)[known][reach].tolist()
    src = sources_for(member, from_team=False)
    found: dict[int, int] = {}
    for target in targets:
        for n in sorted(_intermediaries(ng, src, target) & candidates):
            found.setdefault(n, target)
        if len(found) == len(candidates):
            break
    return found


def _protected(member: Member, egos: dict[str, EgoNetwork], candidates: set[int]) -> dict[int, str]:
    """Of the let-go ``candidates``, those never to let go (docs/playbook.md, "Advice", rule 1),
    with why, in words that end a sentence ("...but stays: your only Finance colleague")."""
    committee = _committee_and_references(member)
    kept = {pid: committee[pid] for pid in candidates if pid in committee}
    kept.update(_function_holders(egos, candidates - set(kept)))
    routes = _middlemen(member, candidates - set(kept))
    if routes:
        names = dict(
            Person.objects.visible_to(member)
            .filter(pk__in=set(routes.values()))
            .values_list("id", "full_name")
        )
        for pid, target in routes.items():
            kept[pid] = f"a middleman on your route to {names.get(target, 'a person')} of your open deal"
    return kept


def fade(days_since: int | None) -> float:
    """Share of a tie's strength lost since the last contact: ``1 - 2^(-d / H)``; never contacted: 1.

    >>> fade(0), fade(180), round(fade(90), 3), fade(None)
    (0.0, 0.5, 0.293, 1.0)
    """
    if days_since is None:
        return 1.0
    return float(1.0 - 2.0 ** (-max(days_since, 0) / FADE_HALF_LIFE_DAYS))


def _reached(e: EgoNetwork, ego_pid: int) -> dict[str, set[Any]]:
    """The categories (companies, industries) of everybody in one ego network but the member."""
    others = e.graph.ids != ego_pid
    out: dict[str, set[Any]] = {}
    for name in REACH_ATTRS:
        cat = e.graph.attrs[name]
        codes = np.unique(cat.codes[others])
        out[name] = {cat.categories[k] for k in codes.tolist() if k >= 0}
    return out


def _bridges(
    egos: dict[str, EgoNetwork], ego_pid: int, shapes: dict[str, tuple[Any, ...]] | None = None
) -> dict[str, BridgeReach]:
    """What each alter of each network alone reaches; what the member reaches through their other
    networks' contacts (within two steps) is nobody's alone.

    That reads each ego network's pattern and attributes, never a weight
    (:func:`revere.analytics.bridges.bridge_reach`). With ``shapes`` ({class: (key, digest of the
    network's shape)}, :func:`revere.playbook.figures.class_digests`) each network's result is kept
    under its shape and what the other networks reach: a write that changes strengths only (a
    keep-in-touch "done" recomputes them all) or one network's people leaves the others' reused.
    """
    nodes = {cls: e.graph.ids for cls, e in egos.items()}
    reached = {
        cls: memo(e, ("reached", ego_pid, cls), partial(_reached, e, ego_pid))
        for cls, e in egos.items()
        if e.graph.n
    }
    out: dict[str, BridgeReach] = {}
    for cls, e in egos.items():
        if len(e.alter_ids) == 0:
            continue
        others = [ids for c, ids in nodes.items() if c != cls and len(ids)]
        other_ids = np.unique(np.concatenate(others)) if others else np.zeros(0, dtype=np.int64)
        other_ids = other_ids[other_ids != ego_pid]
        elsewhere: dict[str, set[Any]] = {
            name: set().union(*(r[name] for c, r in reached.items() if c != cls)) for name in REACH_ATTRS
        }

        def compute(e: EgoNetwork = e, other_ids: Any = other_ids, elsewhere: Any = elsewhere) -> BridgeReach:
            return bridge_reach(
                e.graph,
                ego_pid,
                e.alter_ids,
                attrs=REACH_ATTRS,
                elsewhere_people=other_ids.tolist(),
                elsewhere_categories=elsewhere,
            )

        if shapes is None:
            out[cls] = compute()
        else:
            seen = digest(
                np.array([ego_pid], dtype=np.int64),
                other_ids,
                *(np.array(sorted(map(repr, elsewhere[name])), dtype=object) for name in REACH_ATTRS),
            )
            key, shape = shapes[cls]
            out[cls] = keyed(key, shape + seen, compute)
    return out


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _listed(names: Sequence[str], total: int) -> str:
    """ "A, B and C", or "A, B, C and 4 more" when ``total`` exceeds the names given (never "and 1 more")."""
    names = [n for n in names if n]
    names = names[: NAMED_IN_REASON + 1] if total <= NAMED_IN_REASON + 1 else names[:NAMED_IN_REASON]
    more = total - len(names)
    if more > 0:
        return ", ".join(names) + f" and {more} more" if names else f"{more}"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _when(days: int | None) -> str:
    return "no contact recorded" if days is None else f"last contact {_plural(days, 'day', 'days')} ago"


@dataclass(frozen=True)
class _GraphAdvice:
    """What the advice draws from the member's four ego networks alone (no database read)."""

    cliques: list[str]
    structures: dict[str, _Structure]
    keepers: dict[str, np.ndarray]
    bridges: dict[str, BridgeReach]
    picks: list[_Pick]


def _graph_advice(
    egos: dict[str, EgoNetwork], ego_pid: int, shapes: dict[str, tuple[Any, ...]] | None = None
) -> _GraphAdvice:
    """Cliques, each network's structure, the ties kept per circle, what each contact alone reaches,
    and the candidates (let go: weak and redundant; invest: bridges not strong), before any rule
    that reads the database (committees, last contacts)."""
    cliques = [cls for cls, e in egos.items() if is_closed_clique(e.metrics)]
    # Each network's structure and keepers are its own: kept beside its object (reused with it).
    structures = {
        cls: memo(e, ("structure", ego_pid, cls), partial(_structure, e, ego_pid))
        for cls, e in egos.items()
        if e.holes is not None
    }
    keepers = {
        cls: memo(egos[cls], ("keepers", ego_pid, cls), partial(_keepers, egos[cls], s))
        for cls, s in structures.items()
    }
    bridges = _bridges(egos, ego_pid, shapes)
    picks: list[_Pick] = []
    for cls, s in structures.items():
        e = egos[cls]
        bands = strength_bands(e.alter_strength)
        weak = np.isin(bands, LET_GO_BANDS) & ~keepers[cls]
        is_redundant = (s.redundancy > REDUNDANT_MIN) & (s.overlap >= LET_GO_MIN_OVERLAP) & (s.unique_n == 0)
        for j in np.flatnonzero(weak & is_redundant).tolist():
            picks.append(_Pick("let_go", cls, j, float(s.redundancy[j])))
        b = bridges[cls]
        bridge = (
            (s.redundancy <= INVEST_MAX_REDUNDANCY)
            & (b.people >= INVEST_MIN_UNIQUE_REACH)
            & (bands != "strong")
        )
        for j in np.flatnonzero(bridge).tolist():
            value = int(b.people[j]) + sum(int(b.counts[a][j]) for a in REACH_ATTRS)
            picks.append(_Pick("invest", cls, j, float(value)))
    return _GraphAdvice(cliques, structures, keepers, bridges, picks)


def advice_for(
    *,
    member: Member,
    limit: int = 25,
    let_go_offset: int = 0,
    invest_offset: int = 0,
    today: date | None = None,
    networks: OwnNetworks | None = None,
) -> Advice:
    """Let-go and invest candidates across the member's four networks (see the module docstring).

    Each list is ranked whole and ``limit`` items from its offset are described. ``networks``: the
    member's own networks when the caller has them already (the home page). What comes from the
    graph alone is reused while the four networks' digests are unchanged
    (:mod:`revere.playbook.figures`); every database read is made anew.
    """
    today = today or timezone.localdate()
    let_go_offset, invest_offset = max(0, let_go_offset), max(0, invest_offset)
    networks = networks if networks is not None else own_networks(member=member)
    egos = networks.egos
    if networks.digests is None or networks.shapes is None:
        ga = _graph_advice(egos, member.person_id)
    else:
        shapes = {
            cls: (("bridges", member.pk, cls), shape)
            for cls, shape in zip(CLASSES, networks.shapes, strict=True)
        }
        ga = keyed(
            ("advice", member.pk),
            b"".join(networks.digests),
            lambda: _graph_advice(egos, member.person_id, shapes),
        )
    cliques, structures, keepers, bridges = ga.cliques, ga.structures, ga.keepers, ga.bridges
    picks = ga.picks
    if not picks:
        return Advice([], [], 0, 0, cliques, let_go_offset, invest_offset)

    def pid_of(p: _Pick) -> int:
        return int(egos[p.cls].alter_ids[p.j])

    candidates = {pid_of(p) for p in picks if p.kind == "let_go"}
    protected = _protected(member, egos, candidates) if candidates else {}
    let_go = [p for p in picks if p.kind == "let_go" and pid_of(p) not in protected]
    kept_picks = sorted(
        (p for p in picks if p.kind == "let_go" and pid_of(p) in protected),
        key=lambda p: (-p.score, pid_of(p)),
    )
    let_go.sort(key=lambda p: (-p.score, float(egos[p.cls].alter_strength[p.j]), pid_of(p)))
    bridge_picks = [p for p in picks if p.kind == "invest"]
    let_go_shown = let_go[let_go_offset : let_go_offset + limit]

    # Fading: no contact for longer than the network's cadence. One query returns the fading bridges
    # (the database applies each network's cutoff) and the let-go candidates shown, with their last contact.
    tie_of = {(p.cls, p.j): int(egos[p.cls].alter_tie[p.j]) for p in picks}
    wanted_q = Q(pk__in=[tie_of[(p.cls, p.j)] for p in let_go_shown])
    for cls in {p.cls for p in bridge_picks}:
        cutoff = timezone.make_aware(
            datetime.combine(today - timedelta(days=CLASS_CADENCE_DAYS[cls]), time.min)
        )
        ids = [tie_of[(p.cls, p.j)] for p in bridge_picks if p.cls == cls]
        wanted_q |= Q(pk__in=ids) & (Q(last_interaction__isnull=True) | Q(last_interaction__lt=cutoff))
    last = dict(
        Tie.objects.visible_to(member)
        .filter(wanted_q, member_id=member.pk)
        .values_list("id", "last_interaction")
    )

    def days_since(p: _Pick) -> int | None:
        when = last.get(tie_of[(p.cls, p.j)])
        return (today - timezone.localdate(when)).days if when else None

    invest = [
        _Pick("invest", p.cls, p.j, p.score * fade(days_since(p)))
        for p in bridge_picks
        if tie_of[(p.cls, p.j)] in last
    ]
    invest.sort(key=lambda p: (-p.score, pid_of(p)))
    invest_shown = invest[invest_offset : invest_offset + limit]
    shown = let_go_shown + invest_shown

    def keeper_of(p: _Pick) -> int:
        s = structures[p.cls]
        mask = keepers[p.cls] & (s.circle == s.circle[p.j])
        return int(egos[p.cls].alter_ids[np.flatnonzero(mask)[0]])

    redundant: dict[tuple[str, int], list[tuple[int, float]]] = {}
    wanted: set[int] = set()
    companies_wanted: set[int] = set()
    wanted.update(pid_of(p) for p in kept_picks)
    for p in shown:
        wanted.add(pid_of(p))
        if p.kind == "let_go":
            parts = _redundant_with(egos[p.cls], structures[p.cls], p.j)
            redundant[(p.cls, p.j)] = parts
            wanted.update(pid for pid, _ in parts[:NAMED_REDUNDANT_WITH])
            wanted.add(keeper_of(p))
        else:
            alter = pid_of(p)
            companies_wanted.update(bridges[p.cls].unique_categories(alter, "company")[:NAMED_IN_REASON])
    names: dict[int, tuple[str, str]] = {
        pid: (name, company or "")
        for pid, name, company in Person.objects.visible_to(member)
        .filter(pk__in=wanted)
        .values_list("id", "full_name", "company__name")
    }
    company_names: dict[int, str] = (
        dict(Company.objects.visible_to(member).filter(pk__in=companies_wanted).values_list("id", "name"))
        if companies_wanted
        else {}
    )

    def candidate(p: _Pick) -> Candidate:
        e, s, b = egos[p.cls], structures[p.cls], bridges[p.cls]
        pid = pid_of(p)
        strength = float(e.alter_strength[p.j])
        band = strength_band(strength)
        d = days_since(p)
        name, company = names.get(pid, ("", ""))
        who = name or "This contact"
        n_people = int(b.people[p.j])
        n_companies = int(b.counts["company"][p.j])
        n_industries = int(b.counts["industry"][p.j])
        kept: Contact | None = None
        if p.kind == "let_go":
            parts = redundant[(p.cls, p.j)]
            rw = [Contact(q, names.get(q, ("", ""))[0]) for q, _ in parts[:NAMED_REDUNDANT_WITH]]
            overlap = int(s.overlap[p.j])
            keeper = keeper_of(p)
            kept = Contact(keeper, names.get(keeper, ("", ""))[0])
            reason = (
                f"{who} knows {overlap} of your {e.metrics.size - 1} other {p.cls} contacts "
                f"({_listed([c.name for c in rw], overlap)}) and reaches nobody they don't, "
                f"redundancy {s.redundancy[p.j]:.2f} (above {REDUNDANT_MIN:.2f}), so let this {band} tie "
                f"({strength:.2f}, {_when(d)}) rest: {kept.name or 'your strongest tie there'}, your "
                f"strongest tie in that circle, brings the same people."
            )
            f = 0.0
        else:
            rw = []
            f = fade(d)
            cos = [company_names.get(c, "") for c in b.unique_categories(pid, "company")[:NAMED_IN_REASON]]
            inds = [str(v) for v in b.unique_categories(pid, "industry")]
            reach = [_plural(n_people, "person", "people")]
            if n_companies:
                reach.append(f"{_plural(n_companies, 'company', 'companies')} ({_listed(cos, n_companies)})")
            if n_industries:
                reach.append(
                    f"{_plural(n_industries, 'industry', 'industries')} ({_listed(inds, n_industries)})"
                )
            faded = "it was never kept up" if d is None else f"{f:.0%} of its strength gone since"
            reason = (
                f"{who} is your only way to {_listed(reach, len(reach))} in your {p.cls} network "
                f"(redundancy {s.redundancy[p.j]:.2f}), and the tie is fading: {band} ({strength:.2f}), "
                f"{_when(d)}, {faded}."
            )
        return Candidate(
            kind=p.kind,
            tie_id=int(e.alter_tie[p.j]),
            person_id=pid,
            name=name,
            company=company,
            network_class=p.cls,
            strength=strength,
            band=band,
            redundancy=float(s.redundancy[p.j]),
            overlap=int(s.overlap[p.j]),
            unique_reach=n_people,
            unique_companies=n_companies,
            last_contact=None if d is None else today - timedelta(days=d),
            days_since=d,
            reason=reason,
            redundant_with=rw,
            unique_industries=n_industries,
            fade=f,
            score=p.score,
            kept_instead=kept,
        )

    def kept(p: _Pick) -> Kept:
        e, s = egos[p.cls], structures[p.cls]
        name = names.get(pid_of(p), ("", ""))[0]
        return Kept(
            person_id=pid_of(p),
            name=name,
            network_class=p.cls,
            redundancy=float(s.redundancy[p.j]),
            reason=(
                f"{name or 'This contact'} knows {int(s.overlap[p.j])} of your {e.metrics.size - 1} other "
                f"{p.cls} contacts (redundancy {s.redundancy[p.j]:.2f}) but stays: {protected[pid_of(p)]}."
            ),
        )

    return Advice(
        kept=[kept(p) for p in kept_picks],
        let_go=[candidate(p) for p in let_go_shown],
        invest=[candidate(p) for p in invest_shown],
        let_go_total=len(let_go),
        invest_total=len(invest),
        cliques=cliques,
        let_go_offset=let_go_offset,
        invest_offset=invest_offset,
    )
