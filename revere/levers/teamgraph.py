"""The team view's figures that come from the graph alone, computed once per data version.

Everything here is a function of the organization's graph (one :class:`NetworkGraph` object per data
version) and of the contacts counted for each seller; :func:`memo` keeps the result beside that graph
object, so it goes when the graph goes (any change to ties, links or persons makes a new one). The
team view then costs its database reads: the sellers, their fading ties, the pipeline, the names.
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from revere.analytics.overlap import overlaps, shared_accounts, team_reach, uncovered_accounts
from revere.analytics.silos import Broker, TeamStructure, team_brokers, team_silos
from revere.network.graph import CLASS_CODES, CLASSES, NetworkGraph
from revere.network.models import NetworkClass

__all__ = ["TeamFigures", "memo", "team_figures"]

T = TypeVar("T")
Alters = npt.NDArray[np.int64]

_derived: OrderedDict[tuple[Any, ...], tuple[weakref.ref[Any], Any]] = OrderedDict()
_lock = threading.Lock()
#: Results kept (for every graph object together); the oldest go first.
SIZE = 512
#: Brokers listed.
BROKERS = 15


def memo(net: NetworkGraph, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per graph object and ``key``; forgotten with the graph (or after :data:`SIZE`)."""
    k = (id(net), *key)
    with _lock:
        hit = _derived.get(k)
        if hit is not None and hit[0]() is net:
            _derived.move_to_end(k)
            return cast(T, hit[1])
    value = compute()
    with _lock:
        _derived[k] = (weakref.ref(net), value)
        while len(_derived) > SIZE:
            _derived.popitem(last=False)
    return value


def memo_clear() -> None:
    """Forget every kept result (tests and benchmarks that time a cold view)."""
    with _lock:
        _derived.clear()


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


def _compute(net: NetworkGraph, alters: Mapping[int, Mapping[str, Alters]]) -> TeamFigures:
    g = net.graph

    def of(classes: Sequence[str]) -> dict[int, Alters]:
        return {
            p: np.concatenate([by_class[c] for c in classes]) if classes else np.zeros(0, dtype=np.int64)
            for p, by_class in alters.items()
        }

    every = of(CLASSES)
    reach = []
    for cls in (*CLASSES, None):
        r = team_reach(g, of([cls] if cls else CLASSES))
        reach.append((cls or "all", r.union_contacts, r.sum_contacts, r.union_reach, r.sum_reach))
    pairs = [
        (cls, p.a, p.b, p.shared, p.share_a, p.share_b)
        for cls in CLASSES
        for p in overlaps(of([cls])).pairs()
    ]
    accounts = [
        (int(str(a.account)), dict(a.contacts))
        for a in (shared_accounts(g, of([NetworkClass.PROSPECT, NetworkClass.CUSTOMER])) if alters else [])
    ]
    # Silos are about the world the team sells to: the market, prospect and customer networks. Colleagues
    # (every seller's internal network) join only as people who may carry news between circles.
    outside = of([NetworkClass.MARKET, NetworkClass.PROSPECT, NetworkClass.CUSTOMER])
    colleagues = g.ids[g.attrs["network_class"].codes == CLASS_CODES[NetworkClass.INTERNAL]]
    structure = team_silos(g, outside, extra=colleagues) if alters else None
    tops: list[list[tuple[int, int]]] = []
    networks: list[dict[str, int]] = []
    brokers: list[Broker] = []
    if structure is not None:
        cg = structure.graph
        comp, cls_codes = cg.attrs["company"], cg.attrs["network_class"].codes
        for c in structure.communities:
            idx = cg.index_of(c.nodes)
            codes = comp.codes[idx]
            tops.append(Counter(int(comp.categories[k]) for k in codes[codes >= 0].tolist()).most_common(3))
            networks.append(dict(Counter(CLASSES[k] for k in cls_codes[idx].tolist() if k >= 0)))
        in_graph = cg.ids[cls_codes == CLASS_CODES[NetworkClass.INTERNAL]]
        brokers = team_brokers(structure, np.union1d(in_graph, list(alters)), limit=BROKERS)
    return TeamFigures(net, every, reach, pairs, accounts, structure, tops, networks, brokers)


def team_figures(net: NetworkGraph, alters: Mapping[int, Mapping[str, Alters]]) -> TeamFigures:
    """The figures of a team whose sellers (by Person id) count these contacts per network class.

    Kept per graph and per set of sellers: the contacts counted for a seller are a function of the
    graph (a manager counts a seller's team-visible ties, whoever the manager is).
    """
    return memo(net, ("team", tuple(sorted(alters))), lambda: _compute(net, alters))
