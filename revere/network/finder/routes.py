"""Routes as the acting member may see them: each hop described from the rows they may read.

A hop is described by the row behind it that the member may see, preferring their own tie, then a
link (the organization's shared map: source, last seen), then a teammate's team-visible tie (band
only) and last a teammate's private tie, which shows only as "ask <teammate>"
(:func:`revere.tenancy.visibility.tie_access`): the person reached through it is not named unless
they are the target, and no strength is shown. A route's exact score is shown only when every
hop's strength is the member's to see and is the one the search used; otherwise its band. A hop
with no visible row behind it drops the route.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from revere.analytics.paths import Path
from revere.analytics.strength import strength_band
from revere.contacts.models import Person
from revere.network.finder.search import Sources, find_paths
from revere.network.graph import NetworkGraph
from revere.network.models import Link, LinkSource, Tie
from revere.tenancy.models import Member
from revere.tenancy.visibility import TieAccess, tie_access


@dataclass(frozen=True)
class Hop:
    """One step of a route, as the acting member may see it."""

    from_id: int | None  # None: a person the member may not see named
    from_name: str
    to_id: int | None
    to_name: str
    how: str  # "your tie", "Dana Kim's tie", "org chart", "met together", "ask Dana Kim"...
    access: str  # "full" (own tie), "band" (teammate's team tie), "ask" (private), "link", "team"
    strength: float | None
    band: str | None
    last: datetime | None
    ask: str


@dataclass(frozen=True)
class Route:
    persons: list[int | None]  # person ids from the member to the target, None where not named
    names: list[str]
    hops: list[Hop]
    score: float | None  # exact only when every hop's strength is the member's to see
    score_band: str
    via_teammate: str | None  # the teammate the route starts from, if any
    introducer_id: int | None  # the Member to ask for an introduction, if the first ask is a member
    introducer_name: str | None
    target_id: int

    @property
    def intermediaries(self) -> int:
        return len(self.persons) - 2

    @property
    def path_param(self) -> str:
        return ",".join(str(p) for p in self.persons if p is not None)


@dataclass(frozen=True)
class _Basis:
    kind: str  # "link" or "tie"
    weight: float
    access: TieAccess | None
    owner: Member | None
    source: str
    last: datetime | None


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _bases(
    member: Member, src: Sources, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], list[_Basis]]:
    """Every visible row behind each pair: links, and ties of members in scope (two queries)."""
    keys = {_pair(a, b) for a, b in pairs}
    out: dict[tuple[int, int], list[_Basis]] = {key: [] for key in keys}
    if not keys:
        return out
    nodes = sorted({x for key in keys for x in key})
    # IN lists over the few persons involved (indexed), the pairs picked out here; plain values.
    sources = dict(LinkSource.choices)
    links = Link.objects.visible_to(member).filter(a_id__in=nodes, b_id__in=nodes)
    for a, b, weight, source, seen in links.values_list("a_id", "b_id", "weight", "source", "last_seen"):
        if (a, b) in out:
            out[(a, b)].append(_Basis("link", weight, None, None, sources.get(source, source).lower(), seen))
    ties = Tie.objects.visible_to(member).filter(ego_id__in=nodes, person_id__in=nodes, is_active=True)
    members = {m.pk: m for m in src.members.values()}
    for row in ties.values_list(
        "ego_id", "person_id", "member_id", "visibility", "strength", "strength_override", "last_interaction"
    ):
        ego, person, owner_id, visibility, strength, override, last = row
        key = _pair(ego, person)
        if key not in out:
            continue
        owner = members[owner_id]
        access = tie_access(member, owner_id=owner_id, visibility=visibility)
        how = "your tie" if access is TieAccess.FULL else f"{owner.person.full_name}'s tie"
        weight = override if override is not None else strength
        out[key].append(_Basis("tie", weight, access, owner, how, last))
    return out


_RANK = {TieAccess.FULL: 0, None: 1, TieAccess.BAND: 2, TieAccess.ASK: 3}


def _best_basis(bases: list[_Basis]) -> _Basis | None:
    return min(bases, key=lambda b: (_RANK[b.access], -b.weight), default=None)


def _target_phrase(person: Person) -> str:
    detail = " at ".join(p for p in (person.title, person.company.name if person.company else "") if p)
    return f"{person.full_name}{f' ({detail})' if detail else ''}"


def _describe(
    member: Member,
    src: Sources,
    path: Path,
    persons: dict[int, Person],
    bases: dict[tuple[int, int], list[_Basis]],
) -> Route | None:
    nodes = list(path.nodes)
    target = nodes[-1]
    target_text = _target_phrase(persons[target])
    teammate = src.teammates.get(nodes[0])
    hops: list[Hop] = []
    shown: list[int | None] = [member.person_id]
    names: list[str] = ["You"]
    exact = True
    hidden: set[int] = set()
    if teammate is not None:
        name = teammate.person.full_name
        hops.append(
            Hop(
                member.person_id,
                "You",
                nodes[0],
                name,
                "your teammate",
                "team",
                None,
                None,
                None,
                f"{name} is on your team: start there.",
            )
        )
        shown.append(nodes[0])
        names.append(name)
    for i, (u, v) in enumerate(itertools.pairwise(nodes)):
        basis = _best_basis(bases.get(_pair(u, v), []))
        if basis is None:
            return None
        u_name = "You" if u == member.person_id else persons[u].full_name
        if u in hidden:
            u_name = "someone they know"
        is_last = v == target
        if basis.access is TieAccess.ASK:
            owner_name = basis.owner.person.full_name if basis.owner else "a teammate"
            exact = False
            if not is_last:
                hidden.add(v)
            hop = Hop(
                None if u in hidden else u,
                u_name,
                v if is_last else None,
                persons[v].full_name if is_last else f"someone {owner_name} knows",
                f"ask {owner_name}",
                "ask",
                None,
                None,
                None,
                f"Ask {owner_name}: they can help you reach {target_text}.",
            )
        else:
            v_name = persons[v].full_name
            visible = basis.access is TieAccess.FULL or basis.kind == "link"
            if not visible or abs(basis.weight - path.strengths[i]) > 1e-9:
                exact = False
            if u == member.person_id:
                ask = (
                    f"You know {v_name} yourself: get in touch directly."
                    if is_last
                    else f"Start with {v_name}, whom you know yourself."
                )
            elif is_last:
                ask = f"Ask {u_name} to introduce you to {target_text}."
            else:
                after = persons[nodes[i + 2]].full_name if nodes[i + 2] not in hidden else "the next person"
                ask = f"Ask {u_name} to introduce you to {v_name}, who can take you on to {after}."
            hop = Hop(
                None if u in hidden else u,
                u_name,
                v,
                v_name,
                basis.source,
                "link" if basis.kind == "link" else str(basis.access),
                round(basis.weight, 3) if visible else None,
                strength_band(basis.weight),
                basis.last,
                ask,
            )
        hops.append(hop)
        shown.append(hop.to_id)
        names.append(hop.to_name)

    introducer = teammate
    if introducer is None and len(nodes) > 2:
        colleague = src.members.get(nodes[1])
        if colleague is not None and colleague.pk != member.pk and colleague.is_active:
            introducer = colleague
    return Route(
        persons=shown,
        names=names,
        hops=hops,
        score=round(path.score, 4) if exact else None,
        score_band=strength_band(path.score),
        via_teammate=teammate.person.full_name if teammate else None,
        introducer_id=introducer.pk if introducer else None,
        introducer_name=introducer.person.full_name if introducer else None,
        target_id=target,
    )


def routes_to(
    member: Member,
    ng: NetworkGraph,
    src: Sources,
    targets: list[int],
    *,
    k: int,
    max_intermediaries: int,
    spare: int = 3,
) -> dict[int, list[Route]]:
    """Up to ``k`` described routes to each target (three queries for all of them together).

    ``spare`` extra paths are searched per target, to stand in for routes dropped for lack of a
    visible row behind a hop.
    """
    found = {t: find_paths(ng, src, t, k=k + spare, max_intermediaries=max_intermediaries) for t in targets}
    pairs = {pair for paths in found.values() for p in paths for pair in itertools.pairwise(p.nodes)}
    ids = {x for paths in found.values() for p in paths for x in p.nodes} | set(targets)
    persons = {
        p.pk: p for p in Person.objects.visible_to(member).filter(pk__in=ids).select_related("company")
    }
    bases = _bases(member, src, pairs)
    out: dict[int, list[Route]] = {}
    for t, paths in found.items():
        described: list[Route] = []
        for path in paths:
            if any(x not in persons for x in path.nodes):
                continue
            route = _describe(member, src, path, persons, bases)
            if route is not None:
                described.append(route)
            if len(described) == k:
                break
        out[t] = described
    return out
