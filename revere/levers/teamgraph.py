"""The team view's figures that come from the graph alone, kept per data version and per input.

Everything here is a function of the organization's graph (one :class:`NetworkGraph` object per data
version) and of the contacts counted for each seller. Two caches keep the results:

* :func:`memo` beside the graph object, so a second view of the same version costs only its database
  reads (the sellers, their fading ties, the pipeline, the names);
* :func:`keyed` across versions, by a digest of exactly the inputs a figure reads (:func:`ego_digests`,
  :func:`sets_digest`, :func:`graph_digest`). Any change to ties, links or persons makes a new graph
  object, but a write by one seller changes the inputs of that seller's figures only (their ties, and
  the rows of the people those ties reach): the other sellers' figures are found under an unchanged
  digest and reused, so the first view after a write recomputes what the write can have changed and
  nothing else. A digest covers every array the computation reads, so a reused figure is the one the
  computation would give (tests/levers/test_team_fast.py checks it against a plain recomputation).
  The graph rows a digest covers enter it as :func:`row_hashes` (a hash of each row's contents, kept
  per base adjacency and recomputed only for the rows a patch replaced), so a digest costs the
  contacts it names, not a read of every contact's row.
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from revere.analytics.graph import TieGraph
from revere.analytics.overlap import overlaps, shared_accounts, team_reach, uncovered_accounts
from revere.analytics.silos import Broker, TeamStructure, combined_graph, silos_of, team_brokers
from revere.network.graph import CLASS_CODES, CLASSES, NetworkGraph
from revere.network.graph.memo import Memo, digest
from revere.network.models import NetworkClass
from revere.network.selectors import DIMENSIONS

__all__ = [
    "TeamFigures",
    "ego_digests",
    "ego_digests_many",
    "kept_peek",
    "kept_put",
    "keyed",
    "memo",
    "memo_peek",
    "memo_put",
    "row_hashes",
    "team_figures",
]

T = TypeVar("T")
Alters = npt.NDArray[np.int64]

#: The team view's kept results (revere/network/graph/memo.py): 512 beside graph objects, 4,096
#: by digest (for every organization together); the oldest go first.
_store = Memo("team", derived=512, kept=4096)
#: Brokers listed.
BROKERS = 15
kept_peek = _store.kept_peek
kept_put = _store.kept_put
keyed = _store.keyed
memo_clear = _store.clear
_hash = digest
#: Guards the row-hash tables below.
_lock = threading.Lock()


def memo_peek(net: NetworkGraph, key: tuple[Any, ...]) -> Any | None:
    """The result :func:`memo` keeps for this graph object and ``key``, else None."""
    return _store.peek(net, (id(net), *key))


def memo_put(net: NetworkGraph, key: tuple[Any, ...], value: T) -> T:
    """Keep ``value`` for this graph object and ``key`` (what :func:`memo` does after computing it)."""
    return _store.put(net, (id(net), *key), value)


def memo(net: NetworkGraph, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per graph object and ``key``; forgotten with the graph (or after 512 others)."""
    return _store.memo(net, (id(net), *key), compute)


def counted_ties(net: NetworkGraph, member_id: int, *, own: bool) -> npt.NDArray[np.int64]:
    """Positions of the ties of ``member_id`` that count: all their own, else the team-visible ones
    (as :func:`revere.network.selectors.member_ego_networks` counts a teammate's)."""
    pos = net.member_ties(member_id)
    return pos if own else pos[~net.tie_private[pos]]


_M1, _M2, _GOLD = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB), np.uint64(0x9E3779B97F4A7C15)
#: Seeds of the row hashes' lanes: (neighbours, weights) twice, and the row length.
_SEEDS = tuple(np.uint64(x) for x in (0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0))
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finalizer, elementwise (wrapping uint64 arithmetic): a bijection that spreads bits."""
    z = x + _GOLD
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


def _row_hash(owner: Alters, ends: Alters, weights: npt.NDArray[np.float64], count: int) -> Hashes:
    """Per row (``owner`` 0..count-1 of each entry; entries grouped by row): two 64-bit lanes of a hash
    of its neighbours' ids alone, then two of its neighbours with their weights.

    A row's hash is the wrapping sum of one mixed value per entry (a row is a set of neighbours, so
    the sum fits it) and of its mixed length; two rows that differ collide in a lane with a chance of
    about 2**-64, in all four with about 2**-128.
    """
    with np.errstate(over="ignore"):
        e = ends.astype(np.uint64)
        bits = np.ascontiguousarray(weights, dtype=np.float64).view(np.uint64)
        counts = np.bincount(owner, minlength=count)
        lengths = counts.astype(np.uint64)
        full = np.flatnonzero(counts)
        starts = (np.cumsum(counts) - counts)[full]
        out = np.zeros((count, 4), dtype=np.uint64)
        for lane, seed in enumerate(_SEEDS[:2]):
            plain = _mix(e ^ seed)
            weighted = _mix(plain ^ bits)
            out[:, lane] = _mix(lengths ^ _SEEDS[2] ^ seed)
            out[:, 2 + lane] = out[:, lane]
            if len(full):  # the entries come grouped by row, rows in order
                out[full, lane] += np.add.reduceat(plain, starts)
                out[full, 2 + lane] += np.add.reduceat(weighted, starts)
    return out


Hashes = npt.NDArray[np.uint64]


class _BaseHashes:
    """Row hashes of one base adjacency (a :class:`RowHashes` for its rows), filled as rows are asked."""

    def __init__(self, base: Any, ids: Alters) -> None:
        self.base = weakref.ref(base)
        self.ids = ids
        n0 = int(base.shape[0])
        self.values = np.zeros((n0, 4), dtype=np.uint64)
        self.done = np.zeros(n0, dtype=bool)

    def get(self, base: Any, rows: Alters) -> Hashes:
        todo = np.unique(rows[~self.done[rows]])
        if len(todo):
            ptr = base.indptr
            starts = np.asarray(ptr[todo], dtype=np.int64)
            lens = np.asarray(ptr[todo + 1], dtype=np.int64) - starts
            offsets = np.cumsum(lens) - lens
            flat = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(offsets - starts, lens)
            owner = np.repeat(np.arange(len(todo), dtype=np.int64), lens)
            col = np.asarray(base.indices[flat], dtype=np.int64)
            self.values[todo] = _row_hash(owner, self.ids[col], np.asarray(base.data[flat]), len(todo))
            self.done[todo] = True
        return self.values[rows]


_bases: dict[int, _BaseHashes] = {}


def row_hashes(g: TieGraph, rows: Alters) -> Hashes:
    """A hash of the contents of each of the rows ``rows`` (node indices) of ``g``: per row, two 64-bit
    lanes over its neighbours' ids, two over its neighbours and weights (:func:`_row_hash`).

    Computed from the contents (never from where a row is kept), so a row replaced by a patch with the
    same contents hashes as before. Cheap after a write: a patched graph keeps the CSR it was patched
    from (its base, shared by every graph patched from it, with the same node ids before its own new
    nodes) and the rows replaced since (:meth:`TieGraph.with_edges`); the base's rows are hashed once
    per base as they are first asked, the replaced ones per graph object.
    """
    rows = np.asarray(rows, dtype=np.int64)
    r = g.rows
    base = r.base
    with _lock:
        kept = _bases.get(id(base))
        if kept is None or kept.base() is not base:
            for k in [k for k, b in _bases.items() if b.base() is None]:
                del _bases[k]
            kept = _bases[id(base)] = _BaseHashes(base, g.ids[: base.shape[0]])
    out = np.empty((len(rows), 4), dtype=np.uint64)
    replaced_rows = r.patch.rows
    if len(replaced_rows) and len(rows):
        at = np.minimum(np.searchsorted(replaced_rows, rows), len(replaced_rows) - 1)
        replaced = replaced_rows[at] == rows
    else:
        replaced = np.zeros(len(rows), dtype=bool)
    n0 = len(kept.done)
    in_base = ~replaced & (rows < n0)
    with _lock:
        out[in_base] = kept.get(base, rows[in_base])
    added = ~replaced & ~in_base  # nodes added since the base, with no row yet
    if added.any():
        empty = np.zeros(0, dtype=np.int64)
        out[added] = _row_hash(empty, empty, np.zeros(0), 1)[0]
    if replaced.any():
        out[replaced] = _replaced_hashes(g)[at[replaced]]
    return out


_replaced: dict[int, tuple[weakref.ref[TieGraph], Hashes]] = {}


def _replaced_hashes(g: TieGraph) -> Hashes:
    """The hashes of every row the graph's patch replaced (in the patch's order), once per graph object."""
    with _lock:
        hit = _replaced.get(id(g))
        if hit is not None and hit[0]() is g:
            return hit[1]
    rows = g.rows.patch.rows
    owner, col, val = g.gather(rows)
    value = _row_hash(owner, g.ids[col], val, len(rows))
    with _lock:
        for k in [k for k, (ref, _) in _replaced.items() if ref() is None]:
            del _replaced[k]
        _replaced[id(g)] = (weakref.ref(g), value)
    return value


def ego_digests(net: NetworkGraph, member_id: int, person_id: int, *, own: bool) -> list[bytes]:
    """For each network class (in :data:`CLASSES` order), a digest of every array the seller's ego
    network of that class is computed from.

    That is what :func:`revere.levers.egos.network_metrics` (as
    :func:`revere.network.selectors.ego_network`) reads for one class: the ties of that class
    counted (person, effective strength), the graph row of every one of those contacts (neighbours
    and weights, by :func:`row_hashes`: the links among the contacts, two-step reach, Burt's
    proportional strengths) and the contacts' attribute codes (diversity, range, single-thread
    companies). The four classes are computed apart, so a write that touches the seller's market
    contacts leaves the seller's other three networks, and a teammate's networks that hold none of the
    touched people, as they were.
    """
    g = net.graph
    pos = counted_ties(net, member_id, own=own)
    persons = net.tie_person[pos]
    rows = g.index_of(persons)
    classes = net.tie_class[pos]
    known = rows >= 0
    hashes = np.zeros((len(rows), 4), dtype=np.uint64)
    hashes[known] = row_hashes(g, rows[known])
    strengths = net.tie_strength[pos]
    codes = [g.attrs[d].codes[rows] for d in DIMENSIONS if d in g.attrs]
    out = []
    for code in range(len(CLASSES)):
        mine = classes == code
        head = np.array([person_id, int(own), code], dtype=np.int64)
        out.append(
            _hash(head, persons[mine], known[mine], strengths[mine], hashes[mine], *(c[mine] for c in codes))
        )
    return out


def ego_digests_many(net: NetworkGraph, sellers: Sequence[tuple[int, int, bool]]) -> list[list[bytes]]:
    """:func:`ego_digests` of every ``(member id, Person id, own)``, the same digests, in one pass over
    all the sellers' ties (one :func:`row_hashes` call for all their contacts)."""
    if not sellers:
        return []
    g = net.graph
    positions = [counted_ties(net, m, own=own) for m, _, own in sellers]
    counts = np.array([len(p) for p in positions], dtype=np.int64)
    pos = np.concatenate(positions)
    owner = np.repeat(np.arange(len(sellers), dtype=np.int64), counts)
    persons = net.tie_person[pos]
    rows = g.index_of(persons)
    classes = net.tie_class[pos].astype(np.int64)
    known = rows >= 0
    hashes = np.zeros((len(rows), 4), dtype=np.uint64)
    hashes[known] = row_hashes(g, rows[known])
    strengths = net.tie_strength[pos]
    codes = [g.attrs[d].codes[rows] for d in DIMENSIONS if d in g.attrs]
    # each seller's ties of each class together, in tie order (what ego_digests' masks select)
    group = owner * len(CLASSES) + classes
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(len(sellers) * len(CLASSES) + 1))
    persons, known, strengths, hashes = persons[order], known[order], strengths[order], hashes[order]
    codes = [c[order] for c in codes]
    out = []
    for k, (_, person_id, own) in enumerate(sellers):
        mine = []
        for code in range(len(CLASSES)):
            lo, hi = bounds[k * len(CLASSES) + code], bounds[k * len(CLASSES) + code + 1]
            head = np.array([person_id, int(own), code], dtype=np.int64)
            mine.append(
                _hash(
                    head,
                    persons[lo:hi],
                    known[lo:hi],
                    strengths[lo:hi],
                    hashes[lo:hi],
                    *(c[lo:hi] for c in codes),
                )
            )
        out.append(mine)
    return out


def sets_digest(net: NetworkGraph, alters: Mapping[int, Mapping[str, Alters]]) -> bytes:
    """A digest of what the team's reach, overlaps and shared accounts read: each seller's contacts per
    network class (in the mapping's order), every contact's neighbours (without weights: the first
    two lanes of :func:`row_hashes`) and company id."""
    g = net.graph
    parts: list[Any] = []
    for person, by_class in alters.items():  # in order: a pair's sides follow it
        parts.append(np.array([person, len(by_class)], dtype=np.int64))
        for cls in sorted(by_class):
            parts += [np.frombuffer(cls.encode(), dtype=np.uint8), np.asarray(by_class[cls], dtype=np.int64)]
    flat = np.concatenate(
        [np.asarray(v, dtype=np.int64) for b in alters.values() for v in b.values()]
        or [np.zeros(0, dtype=np.int64)]
    )
    rows = g.index_of(np.unique(flat))
    known = rows[rows >= 0]
    return _hash(*parts, rows >= 0, row_hashes(g, known)[:, :2], *_values(g, "company", rows))


def graph_digest(cg: TieGraph, *extra: Any) -> bytes:
    """A digest of a whole (plain) graph: ids, adjacency, weights and every attribute, and ``extra``."""
    mat = cg.csr
    parts: list[Any] = [cg.ids, mat.indptr, mat.indices, mat.data]
    for name in sorted(cg.attrs):
        cat = cg.attrs[name]
        parts += [
            np.frombuffer(name.encode(), dtype=np.uint8),
            cat.codes,
            *_values(cg, name, np.arange(cg.n)),
        ]
    return _hash(*parts, *extra)


def _values(g: TieGraph, attr: str, rows: npt.NDArray[np.int64]) -> tuple[npt.NDArray[Any], ...]:
    """The attribute's values (not codes: those shift when a category comes or goes) at node indices
    ``rows``, and where it is missing."""
    if attr not in g.attrs or not len(g.attrs[attr].categories):
        return (np.zeros(len(rows), dtype=bool),)
    cat = g.attrs[attr]
    missing = cat.codes[rows] < 0
    values = np.asarray(cat.categories)[np.maximum(cat.codes[rows], 0)]
    values[missing] = values.dtype.type()
    return missing, values


@dataclass(frozen=True)
class TeamFigures:
    """The graph's side of a team view, by Person ids (the caller names them)."""

    graph: NetworkGraph
    every: dict[int, Alters]  # seller's Person id -> every contact counted
    reach: list[tuple[str, int, int, int, int]]  # network or "all", contacts union, sum, reach union, sum
    pairs: list[tuple[str, int, int, int, float, float]]  # network, person a, b, shared, share a, share b
    accounts: list[tuple[int, dict[int, int]]]  # company id -> {seller's Person id: contacts there}
    structure: TeamStructure | None
    tops: list[list[tuple[int, int]]]  # per community: its three most frequent companies, with counts
    networks: list[dict[str, int]]  # per community: its people per network class
    brokers: list[Broker]

    def uncovered(self, companies: Sequence[int]) -> list[int]:
        """The given companies (say the open deals') at which no seller holds a counted contact."""
        if not self.every:
            return []
        return [int(str(c)) for c in uncovered_accounts(self.graph.graph, self.every, list(companies))]


Reach = list[tuple[str, int, int, int, int]]
Pairs = list[tuple[str, int, int, int, float, float]]
Accounts = list[tuple[int, dict[int, int]]]
Structure = tuple[TeamStructure, list[list[tuple[int, int]]], list[dict[str, int]], list[Broker]]


def _of(alters: Mapping[int, Mapping[str, Alters]], classes: Sequence[str]) -> dict[int, Alters]:
    return {
        p: np.concatenate([by_class[c] for c in classes]) if classes else np.zeros(0, dtype=np.int64)
        for p, by_class in alters.items()
    }


def _sets(g: TieGraph, alters: Mapping[int, Mapping[str, Alters]]) -> tuple[Reach, Pairs, Accounts]:
    """Reach, overlaps and shared accounts: they read the contact sets and the graph's rows of them."""
    reach = []
    for cls in (*CLASSES, None):
        r = team_reach(g, _of(alters, [cls] if cls else CLASSES))
        reach.append((cls or "all", r.union_contacts, r.sum_contacts, r.union_reach, r.sum_reach))
    pairs = [
        (cls, p.a, p.b, p.shared, p.share_a, p.share_b)
        for cls in CLASSES
        for p in overlaps(_of(alters, [cls])).pairs()
    ]
    accounts = [
        (int(str(a.account)), dict(a.contacts))
        for a in (
            shared_accounts(g, _of(alters, [NetworkClass.PROSPECT, NetworkClass.CUSTOMER])) if alters else []
        )
    ]
    return reach, pairs, accounts


def _structure(cg: TieGraph, outside: Mapping[int, Alters], sellers: Sequence[int]) -> Structure:
    """Communities, silos, each community's companies and networks, and the brokers, of the combined graph."""
    structure = silos_of(cg, outside)
    tops: list[list[tuple[int, int]]] = []
    networks: list[dict[str, int]] = []
    comp, cls_codes = cg.attrs["company"], cg.attrs["network_class"].codes
    for c in structure.communities:
        idx = cg.index_of(c.nodes)
        codes = comp.codes[idx]
        tops.append(Counter(int(comp.categories[k]) for k in codes[codes >= 0].tolist()).most_common(3))
        networks.append(dict(Counter(CLASSES[k] for k in cls_codes[idx].tolist() if k >= 0)))
    in_graph = cg.ids[cls_codes == CLASS_CODES[NetworkClass.INTERNAL]]
    brokers = team_brokers(structure, np.union1d(in_graph, list(sellers)), limit=BROKERS)
    return structure, tops, networks, brokers


def _compute(net: NetworkGraph, alters: Mapping[int, Mapping[str, Alters]], *, reuse: bool) -> TeamFigures:
    """The team's figures; with ``reuse``, each part is taken from :func:`keyed` when its inputs'
    digest is the one it was computed from (the same sellers, in another data version)."""
    g = net.graph
    team = tuple(sorted(alters))
    every = _of(alters, CLASSES)

    def part(kind: str, digest: Callable[[], bytes], compute: Callable[[], T]) -> T:
        if not reuse:
            return compute()
        return keyed((net.organization_id, kind, team), digest(), compute)

    reach, pairs, accounts = part("sets", lambda: sets_digest(net, alters), lambda: _sets(g, alters))
    if not alters:
        return TeamFigures(net, every, reach, pairs, accounts, None, [], [], [])
    # Silos are about the world the team sells to: the market, prospect and customer networks. Colleagues
    # (every seller's internal network) join only as people who may carry news between circles.
    outside = _of(alters, [NetworkClass.MARKET, NetworkClass.PROSPECT, NetworkClass.CUSTOMER])
    colleagues = g.ids[g.attrs["network_class"].codes == CLASS_CODES[NetworkClass.INTERNAL]]
    cg = combined_graph(g, outside, extra=colleagues)

    def cg_digest() -> bytes:
        sets = [np.fromiter(outside, dtype=np.int64)] + [np.unique(outside[p]) for p in outside]
        return graph_digest(cg, *sets)

    structure, tops, networks, brokers = part("structure", cg_digest, lambda: _structure(cg, outside, team))
    return TeamFigures(net, every, reach, pairs, accounts, structure, tops, networks, brokers)


def team_figures(
    net: NetworkGraph, alters: Mapping[int, Mapping[str, Alters]], *, reuse: bool = True
) -> TeamFigures:
    """The figures of a team whose sellers (by Person id) count these contacts per network class.

    Kept per graph and per set of sellers: the contacts counted for a seller are a function of the
    graph (a manager counts a seller's team-visible ties, whoever the manager is). In a new data
    version, the parts whose inputs did not change are reused (:func:`keyed`); ``reuse=False``
    computes every part afresh (the plain computation the reuse is tested against).
    """
    if not reuse:
        return _compute(net, alters, reuse=False)
    return memo(net, ("team", tuple(sorted(alters))), lambda: _compute(net, alters, reuse=True))
