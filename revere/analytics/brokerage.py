r"""Gould and Fernandez (1989) brokerage roles, counted exactly as R's ``sna::brokerage`` counts them.

Node :math:`v` *brokers* for distinct nodes :math:`a` and :math:`b` when :math:`a \to v \to b` and
there is no arc :math:`a \to b` (an open two-path; :math:`a, v, b` pairwise distinct). Given a group for
every node, each such two-path is one of five roles of :math:`v` (groups written :math:`A, B, C`):

============== ======== ======================================================= ============
role           sna name two-path (groups of a, v, b)                             meaning
============== ======== ======================================================= ============
coordinator    w_I      A -> A -> A                                              within own group
itinerant      w_O      A -> B -> A                                              between members of another group
representative b_IO     A -> A -> B                                              own group reaching out
gatekeeper     b_OI     A -> B -> B                                              letting outsiders in
liaison        b_O      A -> B -> C                                              between two other groups
============== ======== ======================================================= ============

Conventions: every two-path counts once per (a, b) pair (the same pair brokered by two nodes counts for
both); an undirected tie is an arc in both directions (as when sna is given a symmetric matrix), so on an
undirected graph ``a - v - b`` with ``a`` and ``b`` not tied counts twice, once each way; weights are
ignored; nodes whose group is missing form one group together (as R's ``match`` does with ``NA``). The raw
counts are sna's ``raw.nli``; the z-scores against a random graph are not computed.

Complexity: ``O(sum over v of in-degree(v) x out-degree(v))`` two-paths, processed in batches.
:func:`brokerage_of` counts the same roles for a few nodes of an undirected graph without listing the
two-paths: for node :math:`v` of group :math:`G` with :math:`c_g` contacts in group :math:`g`, the ordered
pairs of distinct contacts in groups :math:`(g, h)` number :math:`c_g c_h - [g = h] c_g`; the closed ones
(the two contacts tied) are the ties among :math:`v`'s contacts, each counted both ways; the open pairs
are the difference, and summing them over the group pairs of each role gives the counts, in
``O(sum of v's contacts' degrees)``.

References
----------
R. V. Gould and R. M. Fernandez, "Structures of Mediation: A Formal Approach to Brokerage in Transaction
Networks", *Sociological Methodology* 19, 1989, pp. 89-126.
C. T. Butts, *sna: Tools for Social Network Analysis*, R package, ``brokerage`` (src/gli.c).

Examples
--------
>>> from revere.analytics.graph import TieGraph
>>> g = TieGraph.from_edges([1, 2, 2], [2, 3, 4], directed=True,
...                         node_ids=[1, 2, 3, 4], attrs={"team": ["x", "x", "x", "y"]})
>>> brokerage(g, "team").to_dict()[2]
{'coordinator': 1, 'itinerant': 0, 'representative': 1, 'gatekeeper': 0, 'liaison': 0}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ._kernels import list_triangles
from .graph import TieGraph

__all__ = ["ROLES", "BrokerageResult", "brokerage", "brokerage_of"]

#: Role names in sna's column order (w_I, w_O, b_IO, b_OI, b_O).
ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")

Int64Array = npt.NDArray[np.int64]

_BATCH = 1 << 21


@dataclass(frozen=True)
class BrokerageResult:
    """Role counts per node: ``counts[k, r]`` for node ``ids[k]`` and role ``ROLES[r]``."""

    ids: Int64Array
    counts: Int64Array

    @property
    def total(self) -> Int64Array:
        return self.counts.sum(axis=1)  # type: ignore[no-any-return]

    def role(self, name: str) -> dict[int, int]:
        """One role's counts, ``{node id: int}``."""
        col = ROLES.index(name)
        return dict(zip(self.ids.tolist(), self.counts[:, col].tolist(), strict=True))

    def to_dict(self) -> dict[int, dict[str, int]]:
        """``{node id: {role: count}}``."""
        return {
            node: dict(zip(ROLES, row, strict=True))
            for node, row in zip(self.ids.tolist(), self.counts.tolist(), strict=True)
        }


def _groups(g: TieGraph, group: str | npt.ArrayLike) -> Int64Array:
    if isinstance(group, str):
        codes = g.attrs[group].codes.astype(np.int64)
    else:
        codes = np.asarray(group)
        if codes.shape != (g.n,):
            raise ValueError(f"group has {codes.size} values for {g.n} nodes")
        _, inv = np.unique(codes, return_inverse=True)
        codes = inv.astype(np.int64).ravel()
    return codes  # missing (-1) is one group of its own


def brokerage(g: TieGraph, group: str | npt.ArrayLike) -> BrokerageResult:
    """Gould-Fernandez role counts of every node.

    Parameters
    ----------
    g : TieGraph
        Directed or undirected (an undirected tie is two arcs).
    group : str or array_like
        The name of a categorical attribute of ``g``, or one group label per node (aligned with ``g.ids``).

    Returns
    -------
    BrokerageResult
        Integer counts, columns in :data:`ROLES` order.
    """
    n = g.n
    cl = _groups(g, group)
    out_ptr = np.asarray(g.indptr, dtype=np.int64)
    out_ind = np.asarray(g.indices, dtype=np.int64)
    in_ptr = np.asarray(g.in_indptr, dtype=np.int64)
    in_ind = np.asarray(g.in_indices, dtype=np.int64)
    keys = np.repeat(np.arange(n, dtype=np.int64), out_ptr[1:] - out_ptr[:-1]) * n + out_ind  # sorted arcs
    indeg = in_ptr[1:] - in_ptr[:-1]
    outdeg = out_ptr[1:] - out_ptr[:-1]
    paths = indeg * outdeg
    counts = np.zeros((n, len(ROLES)), dtype=np.int64)
    csum = np.cumsum(paths)
    start = 0
    while start < n:
        base = int(csum[start - 1]) if start else 0
        stop = max(int(np.searchsorted(csum, base + _BATCH, side="right")), start + 1)
        v = np.arange(start, stop, dtype=np.int64)
        start = stop
        per = paths[v]
        if per.sum() == 0:
            continue
        # enumerate (a, v, b): a over in-neighbours, b over out-neighbours of v
        vv = np.repeat(v, per)
        local = np.arange(len(vv), dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
        od = outdeg[vv]
        a = in_ind[in_ptr[vv] + local // od]
        b = out_ind[out_ptr[vv] + local % od]
        ok = a != b
        a, vv, b = a[ok], vv[ok], b[ok]
        key = a * n + b
        at = np.minimum(np.searchsorted(keys, key), max(len(keys) - 1, 0))
        open_ = keys[at] != key if len(keys) else np.ones(len(key), dtype=bool)
        a, vv, b = a[open_], vv[open_], b[open_]
        ga, gv, gb = cl[a], cl[vv], cl[b]
        role = np.where(
            ga == gv,
            np.where(gv == gb, 0, 2),  # coordinator / representative
            np.where(gv == gb, 3, np.where(ga == gb, 1, 4)),  # gatekeeper / itinerant / liaison
        )
        k = len(ROLES)
        counts[v[0] : v[-1] + 1] += np.bincount((vv - v[0]) * k + role, minlength=len(v) * k).reshape(
            len(v), k
        )
    return BrokerageResult(g.ids, counts)


def _ties_among(
    ptr: Int64Array, ind: Int64Array, nb: Int64Array, mark: npt.NDArray[np.bool_]
) -> tuple[Int64Array, Int64Array]:
    """The ties among the nodes ``nb`` of an undirected CSR graph, each once (a < b), as two index arrays.
    ``mark`` is a boolean scratch array over all nodes, all False, left so."""
    mark[nb] = True
    starts, lens = ptr[nb], ptr[nb + 1] - ptr[nb]
    owner = np.repeat(nb, lens)
    flat = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens - starts, lens)
    other = ind[flat]
    inner = mark[other] & (owner < other)
    mark[nb] = False
    return owner[inner], other[inner]


def brokerage_of(g: TieGraph, group: str | npt.ArrayLike, nodes: npt.ArrayLike) -> BrokerageResult:
    """Gould-Fernandez role counts of the given node ids of an undirected graph (as :func:`brokerage`).

    Equal to ``brokerage(g, group)`` on those nodes, without listing the two-paths: the pairs of each
    node's contacts are counted by their groups, and the closed ones (the contacts tied) subtracted.
    The ties among a node's contacts are found either node by node (``O(sum of its contacts'
    degrees)`` each: a seller with thousands of contacts in a large graph costs milliseconds), or,
    for many nodes of small neighbourhoods (where the per-node work is mostly overhead), for all of
    them at once from the graph's triangles (:func:`revere.analytics._kernels.list_triangles`).

    >>> from revere.analytics.graph import TieGraph
    >>> g = TieGraph.from_edges([1, 1, 1, 2], [2, 3, 4, 3], node_ids=[1, 2, 3, 4],
    ...                         attrs={"team": ["x", "x", "y", "z"]})
    >>> brokerage_of(g, "team", [1]).to_dict() == {1: brokerage(g, "team").to_dict()[1]}
    True
    """
    if g.directed:
        raise ValueError("brokerage_of counts undirected graphs; use brokerage for directed ones")
    cl = _groups(g, group)
    ids = np.asarray(nodes, dtype=np.int64).ravel()
    idx = g.require_index(ids)
    ptr = np.asarray(g.indptr, dtype=np.int64)
    ind = np.asarray(g.indices, dtype=np.int64)
    deg = ptr[1:] - ptr[:-1]
    wedges = int(deg[ind[_flat(ptr, idx)]].sum()) if len(idx) else 0
    if len(idx) >= 64 and wedges <= 4000 * len(idx):  # many nodes of small neighbourhoods
        return BrokerageResult(ids, _brokerage_all(ptr, ind, cl, idx))
    counts = np.zeros((len(idx), len(ROLES)), dtype=np.int64)
    mark = np.zeros(g.n, dtype=bool)
    for r, v in enumerate(idx.tolist()):
        nb = ind[ptr[v] : ptr[v + 1]]
        k = len(nb)
        if k < 2:
            continue
        own = cl[v]
        gr = cl[nb]
        _, c = np.unique(gr, return_counts=True)
        c_own = int((gr == own).sum())
        pairs = k * (k - 1)
        coord = c_own * (c_own - 1)
        itin = int((c * (c - 1)).sum()) - coord
        rep = c_own * (k - c_own)
        liaison = pairs - coord - itin - 2 * rep
        # ties among the contacts, each once (a < b), by the groups of their ends
        ta, tb = _ties_among(ptr, ind, nb, mark)
        ga, gb = cl[ta], cl[tb]
        same = ga == gb
        a_own, b_own = ga == own, gb == own
        closed_coord = 2 * int((same & a_own).sum())
        closed_itin = 2 * int((same & ~a_own).sum())
        closed_rep = int((a_own ^ b_own).sum())  # one end in v's group: one way each role
        closed_liaison = 2 * int((~same & ~a_own & ~b_own).sum())
        counts[r] = (
            coord - closed_coord,
            itin - closed_itin,
            rep - closed_rep,
            rep - closed_rep,
            liaison - closed_liaison,
        )
    return BrokerageResult(ids, counts)


def _flat(ptr: Int64Array, rows: Int64Array) -> Int64Array:
    """The CSR positions of the rows ``rows``, concatenated."""
    starts = ptr[rows]
    lens = ptr[rows + 1] - starts
    flat: Int64Array = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(lens) - lens - starts, lens
    )
    return flat


def _brokerage_all(ptr: Int64Array, ind: Int64Array, cl: Int64Array, idx: Int64Array) -> Int64Array:
    """:func:`brokerage_of`'s counts for the nodes ``idx`` (indices), all at once: the open pairs by
    the groups of each node's contacts, less the closed ones, each the third side of a triangle."""
    n = len(ptr) - 1
    nodes, inverse = np.unique(idx, return_inverse=True)
    m = len(nodes)
    slot = np.full(n, -1, dtype=np.int64)
    slot[nodes] = np.arange(m, dtype=np.int64)
    k = ptr[nodes + 1] - ptr[nodes]
    owner = np.repeat(np.arange(m, dtype=np.int64), k)
    gr = cl[ind[_flat(ptr, nodes)]]
    own = cl[nodes]
    c_own = np.bincount(owner[gr == own[owner]], minlength=m).astype(np.int64)
    low = int(cl.min()) if len(cl) else 0
    width = (int(cl.max()) - low + 1) if len(cl) else 1
    pair_keys, per = np.unique(owner * width + (gr - low), return_counts=True)
    same_pairs = np.zeros(m, dtype=np.int64)
    np.add.at(same_pairs, pair_keys // width, per * (per - 1))
    pairs = k * (k - 1)
    coord = c_own * (c_own - 1)
    itin = same_pairs - coord
    rep = c_own * (k - c_own)
    liaison = pairs - coord - itin - 2 * rep

    # the ties among each node's contacts: for every triangle (a, b, c), the tie b-c among a's, and so on
    closed = np.zeros((m, 4), dtype=np.int64)  # coordinator, itinerant, representative, liaison
    if len(ind):
        mat = sp.csr_array((np.ones(len(ind)), ind, ptr), shape=(n, n))
        rows = np.repeat(np.arange(n, dtype=np.int64), ptr[1:] - ptr[:-1])
        x, y, _z, _rev = list_triangles(mat, rows)
        a, b, c = rows[x], ind[x], ind[y]
        for v, p, q in ((a, b, c), (b, a, c), (c, a, b)):
            at = slot[v]
            chosen = at >= 0
            at, gv, gp, gq = at[chosen], cl[v[chosen]], cl[p[chosen]], cl[q[chosen]]
            same = gp == gq
            p_own, q_own = gp == gv, gq == gv
            kind = np.where(
                same,
                np.where(p_own, 0, 1),  # both ends in one group: v's own (coordinator), another (itinerant)
                np.where(p_own ^ q_own, 2, 3),  # one end in v's group (representative), neither (liaison)
            )
            closed += np.bincount(at * 4 + kind, minlength=m * 4).reshape(m, 4)
    counts = np.column_stack(
        [
            coord - 2 * closed[:, 0],
            itin - 2 * closed[:, 1],
            rep - closed[:, 2],
            rep - closed[:, 2],
            liaison - 2 * closed[:, 3],
        ]
    ).astype(np.int64)
    counts[k < 2] = 0
    return counts[inverse.ravel()]


#: Columns of :func:`brokerage_into`.
INTO: tuple[str, ...] = ("within", "home", "colleagues", "others")


def brokerage_into(
    g: TieGraph, group: npt.ArrayLike, nodes: npt.ArrayLike, target: int, home: int | None = None
) -> Int64Array:
    r"""How each node brokers into one group ``target`` of an undirected graph, by the other end's group.

    Counts the open two-paths :math:`a - v - b` (``a`` and ``b`` not tied, each unordered pair once)
    that have an end in ``target``, with ``v`` outside it, by where the other end is. These are
    Gould and Fernandez's roles restricted to pairs that reach the target group:

    * ``within``: both ends in ``target`` (itinerant: ``v`` joins two of its people who don't know each
      other);
    * ``home``: the other end in group ``home`` (the approaching side, say the seller's own company),
      ``v`` in neither (liaison between home and target);
    * ``colleagues``: the other end in ``v``'s own group (representative, and read backwards
      gatekeeper: on undirected ties the two are the same pairs), ``v`` not in ``home``; when ``v`` is in
      ``home`` these pairs are counted under ``home``;
    * ``others``: the other end in a third group (liaison).

    Returns a ``len(nodes) × 4`` array, columns :data:`INTO`. Each node costs
    ``O(sum of its neighbours' degrees)``.

    >>> from revere.analytics.graph import TieGraph
    >>> # broker 1 (group 0) knows 2 and 3 at the target (group 9), who don't know each other,
    >>> # its colleague 4 and 5 at home (group 7); 5 already knows 2
    >>> g = TieGraph.from_edges([1, 1, 1, 1, 5], [2, 3, 4, 5, 2], node_ids=[1, 2, 3, 4, 5])
    >>> brokerage_into(g, [0, 9, 9, 0, 7], [1], target=9, home=7).tolist()
    [[1, 1, 2, 0]]
    """
    if g.directed:
        raise ValueError("brokerage_into counts undirected graphs")
    cl = _groups(g, group)
    raw = np.asarray(group)
    codes = {v: k for k, v in enumerate(np.unique(raw).tolist())}
    tgt = codes.get(target, -2)
    hom = codes.get(home, -3) if home is not None else -3
    ids = np.asarray(nodes, dtype=np.int64).ravel()
    idx = g.require_index(ids)
    ptr = np.asarray(g.indptr, dtype=np.int64)
    ind = np.asarray(g.indices, dtype=np.int64)
    out = np.zeros((len(idx), len(INTO)), dtype=np.int64)
    mark = np.zeros(g.n, dtype=bool)
    kind_of = np.zeros(g.n, dtype=np.int64)
    for r, v in enumerate(idx.tolist()):
        own = int(cl[v])
        if own == tgt:
            continue
        nb = ind[ptr[v] : ptr[v + 1]]
        if len(nb) < 2:
            continue
        gr = cl[nb]
        kind = np.full(len(nb), 3, dtype=np.int64)  # others
        kind[gr == own] = 2  # colleagues
        kind[gr == hom] = 1  # home (v's colleagues too when v is at home)
        kind[gr == tgt] = 0
        t = int((kind == 0).sum())
        per = np.bincount(kind, minlength=4)
        pairs = np.array([t * (t - 1) // 2, t * per[1], t * per[2], t * per[3]], dtype=np.int64)
        # subtract the pairs that are tied (closed two-paths), each tie among the neighbours once
        ta, tb = _ties_among(ptr, ind, nb, mark)
        kind_of[nb] = kind
        ka, kb = kind_of[ta], kind_of[tb]
        touching = (ka == 0) | (kb == 0)
        closed = np.bincount(np.maximum(ka, kb)[touching], minlength=4)
        out[r] = pairs - closed
    return out
