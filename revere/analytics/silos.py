r"""A team's combined network: its communities, the silos among them, and the brokers who bridge them.

The **combined graph** of a team is the union of its members' ego networks: the members, the contacts
counted for each (:math:`A_m`), the member-to-contact ties, and every tie of the graph among the contacts
(their links). Ties of a member other than the ones counted are left out (a member's private ties, or
another class's), as :func:`combined_graph` builds it.

**Communities** are found on it as :mod:`revere.analytics.clusters` finds them (Louvain on the tie
strengths, each community split into its connected parts; Blondel et al. 2008), with scikit-network's
compiled Louvain by default (nodes in index order, so the same graph gives the same communities;
Bonald et al. 2020). Only communities of at
least ``min_size`` people count; smaller ones are left unassigned.

Against team membership: member :math:`m` *reaches* community :math:`c` when :math:`m` is in :math:`c` or
holds a counted contact in it. Member :math:`m` *bridges* two communities when it reaches both. The
members and the communities they reach form a bipartite graph; its connected parts are the team's
**groups**: communities joined to each other through members who reach two of them, and those members.
When the team splits into two groups or more, each group is a **silo**: what its circles know travels to
the others through nobody on the team. A team split into two groups with no tie between them has two
silos; one member with a contact in the other group bridges them, and there is none. Communities no
member reaches (colleagues among themselves) belong to no group.

**Brokers** are the candidates (members and colleagues, given by the caller) tied into the most
communities: ranked by the number of communities their contacts and they themselves are in, then by
their Gould-Fernandez brokerage between communities (itinerant, representative, gatekeeper and liaison
counts of :func:`revere.analytics.brokerage.brokerage_of` with the communities as groups; Gould and
Fernandez 1989), then by id. Only candidates in two communities or more are brokers.

References
----------
V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of communities in large
networks", *J. Stat. Mech.* P10008, 2008.
T. Bonald, N. de Lara, Q. Lutz, B. Charpentier, "Scikit-network: Graph Analysis in Python", *Journal of
Machine Learning Research* 21(185), 2020.
R. V. Gould and R. M. Fernandez, "Structures of Mediation", *Sociological Methodology* 19, 1989.
R. S. Burt, "Structural Holes and Good Ideas", *American Journal of Sociology* 110(2), 2004.

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([1, 1, 1, 3, 3, 4, 2, 2, 2, 6, 6, 7],
...                         [3, 4, 5, 4, 5, 5, 6, 7, 8, 7, 8, 8])
>>> s = team_silos(g, {1: [3, 4, 5], 2: [6, 7, 8]})
>>> [(c.members, c.silo) for c in s.communities], [grp.members for grp in s.silos]
([((1,), True), ((2,), True)], [(1,), (2,)])
>>> bridged = TieGraph.from_edges([1, 1, 1, 3, 3, 4, 2, 2, 2, 6, 6, 7, 1],
...                               [3, 4, 5, 4, 5, 5, 6, 7, 8, 7, 8, 8, 6])
>>> s = team_silos(bridged, {1: [3, 4, 5, 6], 2: [6, 7, 8]})
>>> [(c.reached_by, c.silo) for c in s.communities], [b.node for b in team_brokers(s, [1, 2])]
([((1,), False), ((1, 2), False)], [1])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .brokerage import ROLES, brokerage_of
from .clusters import community_labels
from .graph import TieGraph

__all__ = [
    "Broker",
    "Community",
    "Group",
    "TeamStructure",
    "combined_graph",
    "silos_of",
    "team_brokers",
    "team_silos",
]

Int64Array = npt.NDArray[np.int64]
Implementation = Literal["python", "sknetwork"]
AlterSets = Mapping[int, npt.ArrayLike]


def combined_graph(
    g: TieGraph, alters: AlterSets, *, extra: npt.ArrayLike = (), min_ties: int = 2
) -> TieGraph:
    """The team's combined graph: members, their counted contacts, those ties, and the ties among contacts.

    Ties of ``g`` at a member are kept only to the contacts counted for that member; ties among
    contacts (links, a colleague's ties) are all kept. ``extra`` people (say colleagues) join with
    their ties when they are tied to at least ``min_ties`` contacts: the ones who could carry what one
    circle knows to another. Weights are ``g``'s. Attributes are carried over.

    >>> from revere.analytics.graph import TieGraph
    >>> g = TieGraph.from_edges([1, 1, 3, 1, 7, 7], [3, 4, 4, 9, 3, 4])
    >>> c = combined_graph(g, {1: [3, 4]})
    >>> c.ids.tolist(), c.m           # the tie 1-9 is not counted
    ([1, 3, 4], 3)
    >>> combined_graph(g, {1: [3, 4]}, extra=[7, 9]).ids.tolist()   # 7 knows two contacts, 9 none
    [1, 3, 4, 7]
    """
    egos = np.fromiter(alters.keys(), dtype=np.int64, count=len(alters))
    ego_idx = g.require_index(egos)
    lists = [g.require_index(np.unique(np.asarray(v, dtype=np.int64).ravel())) for v in alters.values()]
    members = np.concatenate(lists) if lists else np.zeros(0, dtype=np.int64)
    nodes = np.unique(np.concatenate([ego_idx, members]))
    in_set = np.zeros(g.n, dtype=bool)
    in_set[nodes] = True
    is_ego = np.zeros(g.n, dtype=bool)
    is_ego[ego_idx] = True
    more = g.index_of(np.asarray(extra, dtype=np.int64).ravel())
    more = np.unique(more[more >= 0])
    more = more[~in_set[more]]
    if len(more):
        contact = in_set & ~is_ego
        owner, col, _ = g.gather(more)
        ties = np.bincount(owner[contact[col]], minlength=len(more))
        more = more[ties >= min_ties]
        nodes = np.union1d(nodes, more)
        in_set[more] = True
    # ties among contacts: rows of the non-member nodes, to non-member nodes of the set, once (u < v)
    others = nodes[~is_ego[nodes]]
    owner, col, val = g.gather(others)
    row = others[owner]
    keep = in_set[col] & ~is_ego[col] & (row < col)
    # each member's counted ties, with g's weights (0 where g has no such tie: the pair is added anyway):
    # every member's row read at once, each counted contact looked up in its member's row
    e_owner, e_col, e_val = g.gather(ego_idx)
    row_keys = e_owner * g.n + e_col  # sorted: members in order, columns ascending in a row
    counted = np.array([len(a) for a in lists], dtype=np.int64)
    t_src = np.repeat(ego_idx, counted)
    t_dst = members
    t_keys = np.repeat(np.arange(len(lists), dtype=np.int64), counted) * g.n + t_dst
    at = np.minimum(np.searchsorted(row_keys, t_keys), max(len(row_keys) - 1, 0))
    found = (row_keys[at] == t_keys) if len(row_keys) else np.zeros(len(t_keys), dtype=bool)
    t_w = np.where(found, e_val[at] if len(row_keys) else 0.0, 0.0)
    # a member counted by another member: one tie (the first); ties among contacts never touch a member
    pairs = np.minimum(t_src, t_dst) * g.n + np.maximum(t_src, t_dst)
    _, first = np.unique(pairs, return_index=True)
    first = np.sort(first)
    s = np.concatenate([row[keep], t_src[first]])
    d = np.concatenate([col[keep], t_dst[first]])
    w = np.concatenate([val[keep], t_w[first]])
    attrs: dict[str, Any] = {name: cat.take(nodes) for name, cat in g.attrs.items()}
    return TieGraph.from_edges(g.ids[s], g.ids[d], w, node_ids=g.ids[nodes], attrs=attrs)


@dataclass(frozen=True)
class Community:
    """One community of the combined graph (of at least ``min_size`` people)."""

    label: int  # 0.. in order of size
    nodes: Int64Array  # external ids
    members: tuple[int, ...]  # team members in it
    reached_by: tuple[int, ...]  # members in it or with a counted contact in it
    bridges: tuple[int, ...]  # of those, the ones who also reach another community
    group: int  # the group of communities the team's members join it to (-1: reached by no member)
    silo: bool  # its group is one of two or more

    @property
    def size(self) -> int:
        return len(self.nodes)


@dataclass(frozen=True)
class Group:
    """Communities joined through the members who reach them, and those members."""

    number: int
    communities: tuple[int, ...]  # labels
    members: tuple[int, ...]  # the members who reach them


@dataclass(frozen=True)
class TeamStructure:
    """The combined graph, its community labels (``-1``: in no counted community), the communities,
    and the groups the members join them into."""

    graph: TieGraph
    labels: Int64Array  # per node index of ``graph``
    communities: tuple[Community, ...]
    egos: Int64Array
    groups: tuple[Group, ...] = ()

    @property
    def silos(self) -> tuple[Group, ...]:
        """The groups, when the team splits into two or more that no member bridges (else none)."""
        return self.groups if len(self.groups) >= 2 else ()


def team_silos(
    g: TieGraph,
    alters: AlterSets,
    *,
    extra: npt.ArrayLike = (),
    min_size: int = 3,
    resolution: float = 1.0,
    implementation: Implementation = "sknetwork",
) -> TeamStructure:
    """Communities of the team's combined graph, which members reach and bridge them, and the silos.

    Parameters
    ----------
    g : TieGraph
        The whole graph (undirected).
    alters : mapping of int to array_like of int
        Each member's ego id to the contacts counted for the member.
    extra : array_like of int
        People who join the combined graph when tied to two contacts or more (colleagues), as
        :func:`combined_graph` has them; they are never members, so they reach and bridge nothing.
    min_size : int
        Communities smaller than this are not counted (nor reached, nor bridged).
    resolution : float
        Louvain's resolution (1: Newman's modularity).
    implementation : "sknetwork" or "python"
        Whose Louvain (:func:`revere.analytics.clusters.community_labels`): scikit-network's compiled
        one (the default: the team view's first view after a write runs it) or this package's.
    """
    cg = combined_graph(g, alters, extra=extra)
    return silos_of(cg, alters, min_size=min_size, resolution=resolution, implementation=implementation)


def silos_of(
    cg: TieGraph,
    alters: AlterSets,
    *,
    min_size: int = 3,
    resolution: float = 1.0,
    implementation: Implementation = "sknetwork",
) -> TeamStructure:
    """:func:`team_silos` on a combined graph built beforehand (:func:`combined_graph` of the same ``alters``)."""
    raw = community_labels(cg, resolution=resolution, implementation=implementation)
    sizes = np.bincount(raw) if len(raw) else np.zeros(0, dtype=np.int64)
    counted = np.flatnonzero(sizes >= min_size)  # labels are in order of size: counted come first
    labels = np.where(np.isin(raw, counted), raw, -1).astype(np.int64)
    egos = np.fromiter(alters.keys(), dtype=np.int64, count=len(alters))
    ego_idx = cg.require_index(egos)
    c = len(counted)
    # reach[m, c]: member m is in community c or holds a counted contact in it
    rows, cols = [], []
    for k, (e, alt) in enumerate(zip(ego_idx.tolist(), alters.values(), strict=True)):
        lab = labels[np.concatenate([[e], cg.require_index(np.asarray(alt, dtype=np.int64).ravel())])]
        lab = np.unique(lab[lab >= 0])
        rows.append(np.full(len(lab), k, dtype=np.int64))
        cols.append(lab)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    q = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    reach = sp.csr_array((np.ones(len(r), dtype=np.int64), (r, q)), shape=(len(egos), c)).toarray() > 0
    spread = reach.sum(axis=1)  # communities each member reaches
    # groups: connected parts of the graph of members and the communities they reach
    k_m = len(egos)
    joined = sp.csr_array((np.ones(len(r)), (r, k_m + q)), shape=(k_m + c, k_m + c))
    _, part = connected_components(joined, directed=False)
    reached = reach.any(axis=0)
    group_of = np.full(c, -1, dtype=np.int64)
    found: dict[int, int] = {}
    groups: list[Group] = []
    for lab in range(c):  # numbered in order of their largest community
        if not reached[lab]:
            continue
        p = int(part[k_m + lab])
        if p not in found:
            found[p] = len(found)
            labs = tuple(int(x) for x in np.flatnonzero((part[k_m:] == p) & reached))
            who = tuple(int(egos[k]) for k in np.flatnonzero((part[:k_m] == p) & reach.any(axis=1)))
            groups.append(Group(number=found[p], communities=labs, members=who))
        group_of[lab] = found[p]
    split = len(groups) >= 2
    out = []
    for lab in range(c):
        nodes = cg.ids[labels == lab]
        inside = tuple(int(x) for x in egos[labels[ego_idx] == lab])
        by = np.flatnonzero(reach[:, lab])
        bridges = tuple(int(egos[k]) for k in by if spread[k] > 1)
        out.append(
            Community(
                label=lab,
                nodes=nodes,
                members=inside,
                reached_by=tuple(int(egos[k]) for k in by),
                bridges=bridges,
                group=int(group_of[lab]),
                silo=bool(split and group_of[lab] >= 0),
            )
        )
    return TeamStructure(graph=cg, labels=labels, communities=tuple(out), egos=egos, groups=tuple(groups))


@dataclass(frozen=True)
class Broker:
    """A candidate tied into several communities, with its Gould-Fernandez role counts among them."""

    node: int
    communities: int  # distinct communities among the node and its contacts
    roles: dict[str, int]  # counts per role of revere.analytics.brokerage.ROLES
    between: int  # all roles but coordinator: brokerage across communities


def team_brokers(
    structure: TeamStructure, candidates: npt.ArrayLike, *, limit: int | None = None
) -> list[Broker]:
    """The candidates (members, colleagues) in the combined graph who bridge two communities or more, ranked.

    Brokerage is counted on the combined graph with the communities as groups (people in no counted
    community form one group together, as :func:`revere.analytics.brokerage.brokerage` treats a missing
    group). Candidates not in the combined graph are skipped.
    """
    cg = structure.graph
    ids = np.asarray(candidates, dtype=np.int64).ravel()
    idx = cg.index_of(ids)
    ids, idx = ids[idx >= 0], idx[idx >= 0]
    if len(ids) == 0:
        return []
    ids, first = np.unique(ids, return_index=True)
    idx = idx[first]
    labels = structure.labels
    # the distinct communities among each candidate and its contacts
    adj = cg.mutual(weighted=False)
    ptr = np.asarray(adj.indptr, dtype=np.int64)
    lens = ptr[idx + 1] - ptr[idx]
    flat = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens - ptr[idx], lens)
    owner = np.concatenate([np.arange(len(idx), dtype=np.int64), np.repeat(np.arange(len(idx)), lens)])
    lab = labels[np.concatenate([idx, np.asarray(adj.indices, dtype=np.int64)[flat]])]
    width = max(int(labels.max()) + 1, 1) if len(labels) else 1
    seen = np.unique(owner[lab >= 0] * width + lab[lab >= 0])
    spread = np.bincount(seen // width, minlength=len(idx)).astype(np.int64)
    chosen = spread >= 2
    if not chosen.any():
        return []
    if limit is not None and int(chosen.sum()) > limit:
        # ranked by spread first: only those with the spread of the last one listed or more can be
        # listed, so only their brokerage is counted
        last = np.sort(spread[chosen])[::-1][max(limit, 1) - 1]
        chosen &= spread >= last
    ids, spread = ids[chosen], spread[chosen]
    roles = brokerage_of(cg, labels, ids)
    between = roles.counts[:, 1:].sum(axis=1)
    order = np.lexsort((ids, -between, -spread))
    if limit is not None:
        order = order[:limit]
    return [
        Broker(
            node=int(ids[k]),
            communities=int(spread[k]),
            roles=dict(zip(ROLES, roles.counts[k].tolist(), strict=True)),
            between=int(between[k]),
        )
        for k in order.tolist()
    ]
