"""Who the routes start from, who may never be on them, and the search itself (through analytics).

The search is :func:`revere.analytics.paths.best_paths` (k best simple paths, hop limit, distinct
first hops) run on the organization's cached graph with the persons of members *outside* the
acting member's scope taken out: their ties are not the member's to see, and the merged graph
cannot tell their ties from links. That masked graph is a thin derivation of
:func:`revere.network.graph.network_graph`, cached beside it per organization, data version and
scope.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from revere.analytics.graph import TieGraph
from revere.analytics.paths import Path, best_paths
from revere.network.graph import NetworkGraph
from revere.tenancy.models import Member
from revere.tenancy.visibility import members_in_scope

_MASKED_CACHE_SIZE = 8
_masked: OrderedDict[tuple[int, int, tuple[int, ...]], TieGraph] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Sources:
    """The acting member's Person, teammates' Persons (when searching from the team), all members."""

    me: int
    teammates: dict[int, Member]  # Person id -> in-scope member (not the acting member)
    members: dict[int, Member]  # Person id -> every member of the organization
    outside: tuple[int, ...]  # Person ids of members outside the acting member's scope, sorted

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
    outside = tuple(sorted(pid for pid, m in members.items() if m.pk not in scope))
    return Sources(me=member.person_id, teammates=teammates, members=members, outside=outside)


def _without(graph: TieGraph, blocked: npt.NDArray[np.int64]) -> TieGraph:
    """The graph with every tie of the ``blocked`` node indices removed (the nodes stay, isolated)."""
    csr = graph.csr
    n = graph.n
    mask = np.zeros(n, dtype=bool)
    mask[blocked] = True
    indptr = np.asarray(csr.indptr, dtype=np.int64)
    rows = np.repeat(np.arange(n, dtype=np.int64), indptr[1:] - indptr[:-1])
    keep = ~(mask[rows] | mask[np.asarray(csr.indices)])
    out = sp.csr_array((csr.data[keep], (rows[keep], np.asarray(csr.indices)[keep])), shape=(n, n))
    out.sort_indices()
    return TieGraph(graph.ids, out, directed=graph.directed, attrs=graph.attrs)


def search_graph(ng: NetworkGraph, src: Sources) -> TieGraph:
    """The organization's graph as the member may search it: members outside their scope taken out."""
    if not src.outside:
        return ng.graph
    key = (ng.organization_id, ng.data_version, src.outside)
    with _lock:
        cached = _masked.get(key)
        if cached is not None:
            _masked.move_to_end(key)
            return cached
    idx = ng.graph.index_of(list(src.outside))
    built = _without(ng.graph, idx[idx >= 0])
    with _lock:
        for old in [k for k in _masked if k[0] == ng.organization_id and k[1] != ng.data_version]:
            del _masked[old]
        _masked[key] = built
        while len(_masked) > _MASKED_CACHE_SIZE:
            _masked.popitem(last=False)
    return built


def find_paths(ng: NetworkGraph, src: Sources, target: int, *, k: int, max_intermediaries: int) -> list[Path]:
    """The k best paths from the member (and team) to ``target``, one per first ask, best first.

    Paths from the member have at most ``max_intermediaries`` people between; a teammate counts as
    one of them, so a teammate's own path has one fewer. The first ask of the member's path is its
    first intermediary, of a teammate's path the teammate: one route each (the best).

    A target who is a member outside the scope is searched on the unmasked graph: the routes found
    are then kept only where a visible row stands behind every hop (see :mod:`.routes`).
    """
    graph = ng.graph if target in set(src.outside) else search_graph(ng, src)
    if graph.index_of([target])[0] < 0:
        return []
    known = [s for s in src.ids if s != target and graph.index_of([s])[0] >= 0]
    found: list[Path] = []
    if src.me in known:
        found += best_paths(
            graph, src.me, target, k=k, max_intermediaries=max_intermediaries, distinct_first_hops=True
        )
    mates = [s for s in known if s != src.me]
    if mates and max_intermediaries >= 1:
        seen: set[int] = set()
        for path in best_paths(
            graph, mates, target, k=max(50, 10 * k), max_intermediaries=max_intermediaries - 1
        ):
            if path.nodes[0] not in seen:
                seen.add(path.nodes[0])
                found.append(path)
    # Best first; the member's path through a teammate and that teammate's own path are one ask.
    found.sort(key=lambda p: (-p.score, p.nodes))
    first: set[int] = set()
    out: list[Path] = []
    for path in found:
        ask = path.nodes[1] if path.nodes[0] == src.me else path.nodes[0]
        if ask in first:
            continue
        first.add(ask)
        out.append(path)
        if len(out) == k:
            break
    return out


def search_graph_clear() -> None:
    """Forget the masked graphs (tests and benchmarks that time a cold start)."""
    with _lock:
        _masked.clear()
