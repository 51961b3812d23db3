"""The member's own figures drawn from the organization's graph, reused while what they read is unchanged.

"My network" shows the member's four ego networks (:func:`revere.network.selectors.member_ego_networks`)
and the advice drawn from them (:mod:`revere.playbook.advice`). Both are functions of the graph alone
(the advice's database reads — committees, last contacts, names — are made fresh on every page), and
of a small part of it: the member's own ties and the graph rows of the people those ties reach. Every
write makes a new graph object (a new data version), but a write by one seller leaves another's
inputs as they were. So each result is kept twice:

* beside the graph object (:func:`memo`): a second page at the same version costs no digest at all;
* across versions under a digest of exactly what it reads (:func:`keyed`, :func:`class_digests`):
  the first page after somebody else's write finds the member's networks under unchanged digests and
  reuses them; a write that touches the member's ties, or the rows of the people in one of the
  member's networks (a link among their contacts, a teammate's tie to one of them, a contact's new
  company), changes that network's digest and recomputes it, and only it.

A digest covers every array the computation reads (values, not addresses), so a reused figure is the
one a fresh computation gives (tests/playbook/test_figures.py checks it after writes of every kind).
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

import numpy as np

from revere.analytics._idmap import IdIndex
from revere.analytics.graph import TieGraph
from revere.network.graph import CLASSES, NetworkGraph, network_graph
from revere.network.selectors import EgoNetwork, ego_network
from revere.tenancy.models import Member

T = TypeVar("T")

_lock = threading.Lock()
#: Results kept beside the object they were computed for, one slot per key: {key: (the object,
#: value)}. A member's page fills 13 (their networks at this version; per network its structure,
#: keepers and what it reaches). A value never refers to its object.
_derived: OrderedDict[tuple[Any, ...], tuple[weakref.ref[Any], Any]] = OrderedDict()
DERIVED = 4096
#: Results kept by digest: {key: (digest, value)}; the oldest go first. A member's four networks,
#: the advice drawn from them and what each network's contacts alone reach are nine entries: this
#: keeps about 110 members' in a process (about 2 MB a member on the large demo, docs/benchmarks.md).
_kept: OrderedDict[tuple[Any, ...], tuple[bytes, Any]] = OrderedDict()
KEPT = 1024
#: Inside :func:`uncached`: compute everything, keep nothing (the plain computation tests compare with).
_bypass: ContextVar[bool] = ContextVar("figures_bypass", default=False)


@contextmanager
def uncached() -> Iterator[None]:
    """Within the block every figure is computed afresh and nothing is kept or reused."""
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def memo(obj: Any, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once for ``obj`` (a graph, an ego network) in the slot ``key``: the slot holds
    the value of the last object it was computed for, so a new object (a new data version) takes
    its place and nothing of an old version stays alive beside it."""
    if _bypass.get():
        return compute()
    with _lock:
        hit = _derived.get(key)
        if hit is not None and hit[0]() is obj:
            _derived.move_to_end(key)
            return cast(T, hit[1])
    value = compute()
    with _lock:
        _derived[key] = (weakref.ref(obj), value)
        _derived.move_to_end(key)
        while len(_derived) > DERIVED:
            _derived.popitem(last=False)
    return value


def keyed(key: tuple[Any, ...], digest: bytes, compute: Callable[[], T]) -> T:
    """The result kept under ``key`` when it was computed from inputs of this ``digest``, else
    ``compute()`` (kept in its place)."""
    if _bypass.get():
        return compute()
    with _lock:
        hit = _kept.get(key)
        if hit is not None and hit[0] == digest:
            _kept.move_to_end(key)
            return cast(T, hit[1])
    value = compute()
    with _lock:
        _kept[key] = (digest, value)
        _kept.move_to_end(key)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def figures_clear() -> None:
    """Forget every kept figure (tests, and benchmarks that time a cold page)."""
    with _lock:
        _derived.clear()
        _kept.clear()


def digest(*parts: Any) -> bytes:
    """A digest of arrays by value: dtype, shape and bytes of each (objects hashed as text)."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        if isinstance(part, bytes):
            h.update(b"b%d:" % len(part))
            h.update(part)
            continue
        a = np.ascontiguousarray(part)
        if a.dtype == object:
            a = a.astype(str)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes())
    return h.digest()


def _categories_digest(net: NetworkGraph) -> bytes:
    """A digest of every node attribute's name and categories (what the codes mean), once per graph."""

    def compute() -> bytes:
        attrs = net.graph.attrs
        parts: list[Any] = []
        for name in sorted(attrs):
            cats = attrs[name].categories
            parts += [name.encode(), np.asarray(cats if len(cats) else [], dtype=object)]
        return digest(*parts)

    return memo(net, ("categories", net.organization_id), compute)


def class_digests(
    net: NetworkGraph, member_id: int, person_id: int
) -> tuple[tuple[bytes, ...], tuple[bytes, ...]] | None:
    """For each network class (in :data:`CLASSES` order), a digest of every array the member's own
    ego network of that class is computed from, and one of its shape alone (the same without any
    weight); None when the member or a contact is not a node.

    That is what :func:`revere.network.selectors.ego_network` reads for one class: the member's ties
    of that class (tie id, person, effective strength), the graph row of every one of those contacts
    (neighbours by id and weights: the links among the contacts, two-step reach, Burt's proportional
    strengths) and every attribute of the member, the contacts and the neighbours (codes, and what
    the codes mean). The shape digest leaves out the strengths and weights: what reads the ego
    network's pattern and attributes alone (what each contact alone reaches) is kept under it.
    """
    g = net.graph
    pos = net.member_ties(member_id)
    persons = net.tie_person[pos]
    rows = g.index_of(persons)
    me = g.index_of([person_id])
    if (rows < 0).any() or me[0] < 0:
        return None
    classes = net.tie_class[pos]
    owner, col, val = g.gather(rows)
    lengths = g.row_lengths(rows)
    entry_class = classes[owner]
    ends = g.ids[col]
    names = sorted(g.attrs)
    codes_me = [g.attrs[a].codes[me] for a in names]
    cats = _categories_digest(net)
    full, shape = [], []
    for code in range(len(CLASSES)):
        mine = classes == code
        entries = entry_class == code
        pattern = digest(
            np.array([person_id, code], dtype=np.int64),
            cats,
            net.tie_id[pos][mine],
            persons[mine],
            lengths[mine],
            ends[entries],
            *codes_me,
            *(g.attrs[a].codes[rows[mine]] for a in names),
            *(g.attrs[a].codes[col[entries]] for a in names),
        )
        shape.append(pattern)
        full.append(digest(pattern, net.tie_strength[pos][mine], val[entries]))
    return tuple(full), tuple(shape)


@dataclass(frozen=True)
class OwnNetworks:
    """The member's own four ego networks, the digest each was computed from and the digest of its
    shape alone (None: not kept; :func:`class_digests`).

    Holds no reference to the graph: kept beside it, it must not keep it alive."""

    egos: dict[str, EgoNetwork]
    digests: tuple[bytes, ...] | None
    shapes: tuple[bytes, ...] | None = None


def _compact(sub: TieGraph) -> TieGraph:
    """The ego network's graph with an id index by binary search instead of a direct table.

    A small graph over ids spread across the organization gets a table as long as that spread (the
    analytics' rule for dense ids): 0.9 MB for a seller's network of 5,000 people on the large demo,
    most of what a kept network would weigh. Node for node and edge for edge the same graph."""
    order = np.argsort(sub.ids, kind="stable").astype(np.int64)
    state = {"order": order, "sorted": sub.ids[order], "lo": np.zeros(1, dtype=np.int64)}
    index = IdIndex.from_state(sub.ids, state)
    return TieGraph(sub.ids, sub.csr, directed=False, attrs=sub.attrs, _index=index)


def _compute(net: NetworkGraph, member: Member) -> OwnNetworks:
    pos = net.member_ties(member.pk)
    classes = net.tie_class[pos]
    both = class_digests(net, member.pk, member.person_id)
    digests, shapes = both if both is not None else (None, None)
    egos: dict[str, EgoNetwork] = {}
    for code, cls in enumerate(CLASSES):

        def compute(code: int = code, cls: str = cls) -> EgoNetwork:
            e = ego_network(net, member.person_id, pos[classes == code], cls)
            return replace(e, graph=_compact(e.graph))

        if digests is None:
            egos[cls] = compute()
        else:
            egos[cls] = keyed(("ego", member.pk, cls), digests[code], compute)
    return OwnNetworks(egos=egos, digests=digests, shapes=shapes)


def own_networks(*, member: Member) -> OwnNetworks:
    """The acting member's own four ego networks, as :func:`member_ego_networks` computes them
    (every own tie counted), reused per network while its digest is unchanged."""
    net = network_graph(member=member)
    return memo(net, ("own", member.pk, member.person_id), lambda: _compute(net, member))
