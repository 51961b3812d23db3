"""Relationship advice: which ties to let go and which to invest in, each with its reason in figures.

"Should I give up developing a redundant relationship?" (DESIGN.md §1). In each of the member's
networks (computed on the ego network of that class, :mod:`revere.network.selectors`):

* **let go**: a weak or dormant tie to someone who knows at least :data:`LET_GO_MIN_OVERLAP` of the
  member's other contacts in that network and reaches nobody they don't (no unique two-step reach):
  everything this person could bring, the others already bring. Named: the contacts that make them
  redundant, largest share of the redundancy first (Burt's ``p_iq m_jq``).
* **invest**: a bridge (Burt's redundancy at most :data:`INVEST_MAX_REDUNDANCY` and at least
  :data:`INVEST_MIN_UNIQUE_REACH` people only this contact reaches) whose strength is fading: not
  strong, and no contact for longer than the network's keep-in-touch cadence.

People who play a buying role on one of the member's open deals, or who are consenting references,
are never advised to be let go. docs/playbook.md gives the reasons for each threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import Q
from django.utils import timezone
from scipy.sparse.csgraph import connected_components

from revere.analytics.ego import AlterReach, alter_reach
from revere.analytics.graph import TieGraph
from revere.analytics.strength import strength_band, strength_bands
from revere.contacts.models import Person
from revere.deals.models import OPEN_STAGES, BuyingRole, Deal, Reference
from revere.network.models import Tie
from revere.network.selectors import EgoNetwork, member_ego_networks
from revere.playbook.cadence import CLASS_CADENCE_DAYS
from revere.playbook.readings import is_closed_clique
from revere.tenancy.models import Member

LET_GO_MIN_OVERLAP = 2
LET_GO_BANDS = ("weak", "dormant")
INVEST_MAX_REDUNDANCY = 0.25
INVEST_MIN_UNIQUE_REACH = 5
NAMED_REDUNDANT_WITH = 5


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


@dataclass(frozen=True)
class Advice:
    let_go: list[Candidate]
    invest: list[Candidate]
    let_go_total: int
    invest_total: int
    cliques: list[str]  # network classes that are one closed clique


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

    def unique(self, j: int) -> np.ndarray:
        """Node indices (in the ego graph) only alter ``j`` reaches."""
        return self.graph.index_of(self.reach.unique(int(self.alter_ids[j])))


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


def _protected(member: Member) -> set[int]:
    """Persons never to let go: buying roles on the member's open deals, consenting references."""
    deals = Deal.objects.visible_to(member).filter(stage__in=OPEN_STAGES)
    roles = set(
        BuyingRole.objects.visible_to(member)
        .filter(deal__in=deals.values("id"))
        .values_list("person_id", flat=True)
    )
    refs = set(Reference.objects.visible_to(member).filter(consent=True).values_list("person_id", flat=True))
    return roles | refs


def advice_for(
    *, member: Member, limit: int = 25, today: date | None = None, egos: dict[str, EgoNetwork] | None = None
) -> Advice:
    """Let-go and invest candidates across the member's four networks (see the module docstring).

    ``egos``: the member's ego networks when the caller has them already (the home page).
    """
    today = today or timezone.localdate()
    egos = egos if egos is not None else member_ego_networks(member=member)
    cliques = [cls for cls, e in egos.items() if is_closed_clique(e.metrics)]
    structures = {cls: _structure(e, member.person_id) for cls, e in egos.items() if e.holes is not None}
    picks: list[_Pick] = []
    keepers = {cls: _keepers(egos[cls], s) for cls, s in structures.items()}
    for cls, s in structures.items():
        e = egos[cls]
        bands = strength_bands(e.alter_strength)
        reach_n = s.unique_n
        weak = np.isin(bands, LET_GO_BANDS) & ~keepers[cls]
        for j in np.flatnonzero(weak & (s.overlap >= LET_GO_MIN_OVERLAP) & (reach_n == 0)).tolist():
            picks.append(_Pick("let_go", cls, j, float(s.redundancy[j])))
        bridge = (
            (s.redundancy <= INVEST_MAX_REDUNDANCY)
            & (reach_n >= INVEST_MIN_UNIQUE_REACH)
            & (bands != "strong")
        )
        for j in np.flatnonzero(bridge).tolist():
            picks.append(_Pick("invest", cls, j, float(reach_n[j] * (1.0 - s.redundancy[j]))))
    if not picks:
        return Advice([], [], 0, 0, cliques)

    protected = _protected(member) if any(p.kind == "let_go" for p in picks) else set()
    let_go = [p for p in picks if p.kind == "let_go" and int(egos[p.cls].alter_ids[p.j]) not in protected]
    let_go.sort(key=lambda p: (-p.score, float(egos[p.cls].alter_strength[p.j])))
    bridges = [p for p in picks if p.kind == "invest"]

    # Fading: no contact for longer than the network's cadence. One query returns the fading bridges
    # (the database applies each network's cutoff) and the let-go candidates shown, with their last contact.
    tie_of = {(p.cls, p.j): int(egos[p.cls].alter_tie[p.j]) for p in picks}
    wanted_q = Q(pk__in=[tie_of[(p.cls, p.j)] for p in let_go[:limit]])
    for cls in {p.cls for p in bridges}:
        cutoff = timezone.make_aware(
            datetime.combine(today - timedelta(days=CLASS_CADENCE_DAYS[cls]), time.min)
        )
        ids = [tie_of[(p.cls, p.j)] for p in bridges if p.cls == cls]
        wanted_q |= Q(pk__in=ids) & (Q(last_interaction__isnull=True) | Q(last_interaction__lt=cutoff))
    last = dict(
        Tie.objects.visible_to(member)
        .filter(wanted_q, member_id=member.pk)
        .values_list("id", "last_interaction")
    )

    def days_since(p: _Pick) -> int | None:
        when = last.get(tie_of[(p.cls, p.j)])
        return (today - timezone.localdate(when)).days if when else None

    invest = [p for p in bridges if tie_of[(p.cls, p.j)] in last]
    invest.sort(key=lambda p: -p.score)
    shown = let_go[:limit] + invest[:limit]

    def keeper_of(p: _Pick) -> int:
        s = structures[p.cls]
        mask = keepers[p.cls] & (s.circle == s.circle[p.j])
        return int(egos[p.cls].alter_ids[np.flatnonzero(mask)[0]])

    names: dict[int, tuple[str, str]] = {}
    redundant: dict[tuple[str, int], list[tuple[int, float]]] = {}
    wanted: set[int] = set()
    for p in shown:
        wanted.add(int(egos[p.cls].alter_ids[p.j]))
        if p.kind == "let_go":
            parts = _redundant_with(egos[p.cls], structures[p.cls], p.j)
            redundant[(p.cls, p.j)] = parts
            wanted.update(pid for pid, _ in parts[:NAMED_REDUNDANT_WITH])
            wanted.add(keeper_of(p))
    for pid, name, company in (
        Person.objects.visible_to(member)
        .filter(pk__in=wanted)
        .values_list("id", "full_name", "company__name")
    ):
        names[pid] = (name, company or "")

    def candidate(p: _Pick) -> Candidate:
        e, s = egos[p.cls], structures[p.cls]
        pid = int(e.alter_ids[p.j])
        strength = float(e.alter_strength[p.j])
        band = strength_band(strength)
        d = days_since(p)
        when = "no contact recorded" if d is None else f"last contact {d} day{'s' if d != 1 else ''} ago"
        u = s.unique(p.j)
        companies = e.graph.attrs["company"].codes[u]
        n_companies = len(np.unique(companies[companies >= 0]))
        name, company = names.get(pid, ("", ""))
        if p.kind == "let_go":
            size = e.metrics.size - 1
            reason = (
                f"Knows {int(s.overlap[p.j])} of your {size} other {p.cls} contacts (redundancy "
                f"{s.redundancy[p.j]:.2f}) and reaches nobody they don't; strength {strength:.2f} ({band}), {when}. "
                f"Keep {names.get(keeper_of(p), ('your strongest tie there', ''))[0]}, who brings the same circle."
            )
            rw = [
                Contact(q, names.get(q, ("", ""))[0])
                for q, _ in redundant[(p.cls, p.j)][:NAMED_REDUNDANT_WITH]
            ]
        else:
            reason = (
                f"Your only way to {len(u)} {'person' if len(u) == 1 else 'people'} at {n_companies} "
                f"compan{'y' if n_companies == 1 else 'ies'} (redundancy {s.redundancy[p.j]:.2f}); "
                f"strength {strength:.2f} ({band}), {when}."
            )
            rw = []
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
            unique_reach=len(u),
            unique_companies=n_companies,
            last_contact=None if d is None else today - timedelta(days=d),
            days_since=d,
            reason=reason,
            redundant_with=rw,
        )

    return Advice(
        let_go=[candidate(p) for p in let_go[:limit]],
        invest=[candidate(p) for p in invest[:limit]],
        let_go_total=len(let_go),
        invest_total=len(invest),
        cliques=cliques,
    )
