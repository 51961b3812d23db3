"""Who the routes start from, who may never be on them, and the search itself (through analytics).

The search is :func:`revere.analytics.paths.best_paths` (k best simple paths within a hop limit)
on the organization's cached graph (:func:`revere.network.graph.network_graph`). Persons of members
*outside* the acting member's scope are never intermediaries: their ties are not the member's to
see, and the merged graph cannot tell their ties from links. Paths through them are dropped from
the ranked list, which is asked for more paths until enough remain or it is exhausted, so the
result equals the search on the graph without them.
"""

from __future__ import annotations

from dataclasses import dataclass

from revere.analytics.graph import TieGraph
from revere.analytics.paths import Path, best_paths
from revere.network.graph import NetworkGraph
from revere.tenancy.models import Member
from revere.tenancy.visibility import members_in_scope

#: Never ask the engine for more ranked paths than this per search.
MAX_CANDIDATES = 20_000


@dataclass(frozen=True)
class Sources:
    """The acting member's Person, teammates' Persons (when searching from the team), all members."""

    me: int
    teammates: dict[int, Member]  # Person id -> in-scope member (not the acting member)
    members: dict[int, Member]  # Person id -> every member of the organization
    outside: frozenset[int]  # Person ids of members outside the acting member's scope

    @property
    def ids(self) -> list[int]:
        return [self.me, *self.teammates]


def sources_for(member: Member, *, from_team: bool) -> Sources:
    """The members a route may start from, and those it may never pass through (two queries)."""
    scope = {m.pk for m in members_in_scope(member)}
    members = {
        m.person_id: m
        for m in Member.objects.filter(organization_id=member.organization_id).select_related("person")
    }
    teammates = (
        {pid: m for pid, m in members.items() if m.pk in scope and m.pk != member.pk and m.is_active}
        if from_team
        else {}
    )
    outside = frozenset(pid for pid, m in members.items() if m.pk not in scope)
    return Sources(me=member.person_id, teammates=teammates, members=members, outside=outside)


def _candidates(
    graph: TieGraph, sources: list[int], target: int, *, want: int, hops: int, blocked: frozenset[int]
) -> tuple[list[Path], bool]:
    """The best paths whose intermediaries are all allowed, and whether the ranked list was cut."""
    if not sources or hops < 0:
        return [], False
    found = best_paths(graph, sources, target, k=want, max_intermediaries=hops)
    allowed = [p for p in found if not blocked.intersection(p.nodes[1:-1])] if blocked else found
    return allowed, len(found) == want


def find_paths(ng: NetworkGraph, src: Sources, target: int, *, k: int, max_intermediaries: int) -> list[Path]:
    """The k best paths from the member (and team) to ``target``, one per first ask, best first.

    Paths from the member have at most ``max_intermediaries`` people between; a teammate counts as
    one of them, so a teammate's own path has one fewer. The first ask of the member's path is its
    first intermediary, of a teammate's path the teammate: one route each (the best).
    """
    graph = ng.graph
    if graph.index_of([target])[0] < 0:
        return []
    known = [s for s in src.ids if s != target and graph.index_of([s])[0] >= 0]
    mine = [src.me] if src.me in known else []
    mates = [s for s in known if s != src.me]
    want = max(50, 10 * k)
    while True:
        own, cut_own = _candidates(
            graph, mine, target, want=want, hops=max_intermediaries, blocked=src.outside
        )
        theirs, cut_theirs = _candidates(
            graph, mates, target, want=want, hops=max_intermediaries - 1, blocked=src.outside
        )
        asks: set[int] = set()
        out: list[Path] = []
        for path in sorted(own + theirs, key=lambda p: (-p.score, p.nodes)):
            ask = path.nodes[1] if path.nodes[0] == src.me else path.nodes[0]
            if ask not in asks:
                asks.add(ask)
                out.append(path)
                if len(out) == k:
                    return out
        if not (cut_own or cut_theirs) or want >= MAX_CANDIDATES:
            return out
        want = min(want * 8, MAX_CANDIDATES)
