"""Who the routes start from, who may never be on them, and the search itself (through analytics).

The search is :func:`revere.analytics.paths.best_paths` (k best simple paths within a hop limit)
on the organization's cached graph (:func:`revere.network.graph.network_graph`). Persons of members
*outside* the acting member's scope are never intermediaries (the search's ``exclude``): their ties
are not the member's to see, and the merged graph cannot tell their ties from links.
"""

from __future__ import annotations

from dataclasses import dataclass

from revere.analytics.paths import Path, best_paths
from revere.network.graph import NetworkGraph
from revere.tenancy.models import Member
from revere.tenancy.visibility import members_in_scope

#: What routes read of the organization's members (a few hundred of them, on every search).
_MEMBER_FIELDS = ("id", "organization_id", "user_id", "role", "team_id", "is_active", "person__full_name")


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
        for m in Member.objects.visible_to(member).select_related("person").only(*_MEMBER_FIELDS)
    }
    teammates = (
        {pid: m for pid, m in members.items() if m.pk in scope and m.pk != member.pk and m.is_active}
        if from_team
        else {}
    )
    outside = frozenset(pid for pid, m in members.items() if m.pk not in scope)
    return Sources(me=member.person_id, teammates=teammates, members=members, outside=outside)


def find_paths(ng: NetworkGraph, src: Sources, target: int, *, k: int, max_intermediaries: int) -> list[Path]:
    """The k best paths from the member (and team) to ``target``, one per first ask, best first.

    Paths from the member have at most ``max_intermediaries`` people between; a teammate counts as
    one of them, so a teammate's own path has one fewer. The first ask of the member's path is its
    first intermediary, of a teammate's path the teammate: one route each (the best). The member's
    own search keeps the best path per first intermediary, the team's the best per teammate (who
    never route through the member: that route is the member's own, shorter); the k best of each
    hold the k best asks of both.
    """
    graph = ng.graph
    if graph.index_of([target])[0] < 0:
        return []
    known = [s for s in src.ids if s != target and graph.index_of([s])[0] >= 0]
    mine = [src.me] if src.me in known else []
    mates = [s for s in known if s != src.me]
    found: list[Path] = []
    if mine:
        found += best_paths(
            graph,
            mine,
            target,
            k=k,
            max_intermediaries=max_intermediaries,
            distinct_first_hops=True,
            exclude=src.outside,
        )
    if mates:
        found += best_paths(
            graph,
            mates,
            target,
            k=k,
            max_intermediaries=max_intermediaries - 1,
            distinct_sources=True,
            exclude=src.outside | {src.me},
        )
    asks: set[int] = set()
    out: list[Path] = []
    for path in sorted(found, key=lambda p: (-p.score, p.nodes)):
        ask = path.nodes[1] if path.nodes[0] == src.me else path.nodes[0]
        if ask not in asks:
            asks.add(ask)
            out.append(path)
            if len(out) == k:
                break
    return out
