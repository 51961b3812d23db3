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

from dataclasses import dataclass, replace
from typing import Any, TypeVar

import numpy as np

from revere.analytics._idmap import IdIndex
from revere.analytics.graph import TieGraph
from revere.network.graph import CLASSES, NetworkGraph, network_graph
from revere.network.graph.memo import Memo, digest
from revere.network.selectors import EgoNetwork, ego_network
from revere.tenancy.models import Member

T = TypeVar("T")

#: The home page's kept results (revere/network/graph/memo.py). Beside objects: a member's page
#: fills 13 slots (their networks at this version; per network its structure, keepers and what it
#: reaches); a value never refers to its object. By digest: a member's four networks, the advice
#: drawn from them and what each network's contacts alone reach are nine entries, so this keeps
#: about 110 members' in a process (about 2 MB a member on the large demo, docs/benchmarks.md).
_store = Memo("figures", derived=4096, kept=1024)
memo = _store.memo
keyed = _store.keyed
uncached = _store.uncached
figures_clear = _store.clear


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
