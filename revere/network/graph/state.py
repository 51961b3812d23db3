"""The organization's graph in memory: :class:`NetworkGraph`, and the derivations shared by a fresh
build (:mod:`.build`) and a patch (:mod:`.patch`), so that the two agree by construction.

Besides the :class:`TieGraph` and the tie arrays the pages read, a NetworkGraph keeps the *raw*
columns the graph was derived from — each person's company, function and region, each company's
industry, region and status class, as codes into a growing vocabulary — so that a patch can
re-derive exactly what a fresh build would: categories are the sorted values present, a person's
region falls back to the company's, the network class is the last tie's else the company rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from revere.analytics.graph import Categorical, TieGraph
from revere.network.models import NetworkClass

#: Network classes in the order of their integer codes in :attr:`NetworkGraph.tie_class`.
CLASSES: tuple[str, ...] = tuple(c.value for c in NetworkClass)
CLASS_CODES: dict[str, int] = {c: k for k, c in enumerate(CLASSES)}
MARKET = CLASS_CODES[NetworkClass.MARKET]

Int64Array = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]


class Vocab:
    """Strings to int32 codes, growing; ``""`` and ``None`` are missing (-1)."""

    def __init__(self, values: list[Any] | None = None) -> None:
        self.values: list[Any] = list(values or [])
        self.lookup: dict[Any, int] = {v: k for k, v in enumerate(self.values)}
        self.lookup.update({"": -1, None: -1})

    def add(self, values: tuple[Any, ...] | list[Any]) -> Int32Array:
        for v in set(values) - self.lookup.keys():
            self.lookup[v] = len(self.values)
            self.values.append(v)
        return np.fromiter(map(self.lookup.__getitem__, values), dtype=np.int32, count=len(values))

    def copy(self) -> Vocab:
        return Vocab(self.values)

    def categorical(self, codes: Int32Array, *present_in: Int32Array) -> Categorical:
        """``codes`` as a Categorical whose categories are the sorted values present in ``present_in``."""
        seen = np.zeros(len(self.values) + 1, dtype=bool)
        for arr in present_in:
            seen[arr[arr >= 0]] = True
        used = np.flatnonzero(seen[:-1])
        cats = sorted(self.values[k] for k in used.tolist())
        remap = np.full(len(self.values) + 1, -1, dtype=np.int32)  # the last slot maps -1 to itself
        remap[[self.lookup[v] for v in cats]] = np.arange(len(cats), dtype=np.int32)
        return Categorical(codes=remap[codes], categories=tuple(cats))


@dataclass(frozen=True)
class Companies:
    """The organization's companies sorted by id, first a sentinel (-2) that stands for "none"."""

    ids: Int64Array
    industry: Int32Array
    region: Int32Array
    status_class: npt.NDArray[np.int8]


@dataclass(frozen=True)
class NetworkGraph:
    """An organization's network at one data version: the graph and the ties behind its ego edges.

    ``tie_*`` arrays are aligned, one entry per active tie, sorted by member then tie id.
    ``person_*`` arrays are aligned with ``graph.ids``. ``removed``: persons deleted since the
    snapshot, kept as isolated nodes until the next rebuild (a node cannot leave a patched graph).
    """

    organization_id: int
    data_version: int
    graph: TieGraph
    tie_id: Int64Array
    tie_member: Int64Array
    tie_ego: Int64Array  # the member's own Person id
    tie_person: Int64Array
    tie_strength: npt.NDArray[np.float64]  # effective: the override when set
    tie_class: npt.NDArray[np.int8]  # effective class, index into CLASSES
    tie_private: npt.NDArray[np.bool_]
    member_person: dict[int, int] = field(default_factory=dict)  # member id -> own Person id
    person_company: Int64Array = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    person_function: Int32Array = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    person_region: Int32Array = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    companies: Companies | None = None
    vocab: dict[str, Vocab] = field(default_factory=dict)
    removed: frozenset[int] = frozenset()
    #: The snapshot version this graph was loaded from (-1: built from the database here).
    base_version: int = -1
    #: The first version of a change it could not apply (an unknown change): a rebuild is due.
    stale_since: int | None = None

    def member_ties(self, member_id: int) -> Int64Array:
        """Positions (into the ``tie_*`` arrays) of one member's active ties."""
        lo, hi = np.searchsorted(self.tie_member, [member_id, member_id + 1])
        return np.arange(lo, hi, dtype=np.int64)

    def alters(self, member_id: int, network_class: str | None = None) -> Int64Array:
        """Person ids of the member's active ties, optionally of one class only."""
        pos = self.member_ties(member_id)
        if network_class is not None:
            pos = pos[self.tie_class[pos] == CLASS_CODES[network_class]]
        return self.tie_person[pos]

    def evolve(self, **changes: Any) -> NetworkGraph:
        return replace(self, **changes)


def members_of(tie_member: Int64Array, tie_ego: Int64Array) -> dict[int, int]:
    """Member id -> own Person id, from the ties (one entry per member, whatever their count)."""
    members, first = np.unique(tie_member, return_index=True)
    return dict(zip(members.tolist(), tie_ego[first].tolist(), strict=True))


def last_tie_class(
    tie_person: Int64Array, tie_class: npt.NDArray[np.int8]
) -> tuple[Int64Array, npt.NDArray[np.int8]]:
    """Each person with a tie and the class of their tie read last (ties in member, id order)."""
    rev = tie_person[::-1]
    persons, first = np.unique(rev, return_index=True)
    return persons.astype(np.int64), tie_class[::-1][first]


def company_slots(companies: Companies, person_company: Int64Array) -> Int64Array:
    """Each person's position in ``companies`` (0, the sentinel, for none or another organization's)."""
    at = np.minimum(np.searchsorted(companies.ids, person_company), len(companies.ids) - 1)
    at[companies.ids[at] != person_company] = 0
    return at.astype(np.int64)


def node_classes(ng: NetworkGraph, at: Int64Array, ids: Int64Array) -> npt.NDArray[np.int8]:
    """The network class of the persons ``ids`` (``at``: their company slots): their last tie's
    effective class, else their company's status class (DESIGN.md section 1)."""
    assert ng.companies is not None
    cls = np.where(at > 0, ng.companies.status_class[at], MARKET).astype(np.int8)
    tie_person, tie_class = ng.tie_person, ng.tie_class
    if len(ids) < len(ng.graph.ids) // 8:  # a few persons: their ties only (the order is kept)
        mine = np.isin(tie_person, ids)
        tie_person, tie_class = tie_person[mine], tie_class[mine]
    persons, last = last_tie_class(tie_person, tie_class)
    if len(persons) and len(ids):
        pos = np.minimum(np.searchsorted(persons, ids), len(persons) - 1)
        hit = persons[pos] == ids
        cls[hit] = last[pos[hit]]
    return cls


def derive_attrs(ng: NetworkGraph, ids: Int64Array) -> dict[str, Categorical]:
    """Every node attribute, from the raw columns (``ids``: the graph's node ids, in order)."""
    assert ng.companies is not None
    c = ng.companies
    at = company_slots(c, ng.person_company)
    industry = c.industry[at]
    region = np.where(ng.person_region >= 0, ng.person_region, c.region[at]).astype(np.int32)
    has_company = ng.person_company >= 0
    used, inverse = np.unique(ng.person_company[has_company], return_inverse=True)
    company_code = np.full(len(ids), -1, dtype=np.int32)
    company_code[has_company] = inverse.ravel()
    return {
        "company": Categorical(codes=company_code, categories=tuple(used.tolist())),
        "industry": ng.vocab["industry"].categorical(industry, c.industry),
        "function": ng.vocab["function"].categorical(ng.person_function, ng.person_function),
        "region": ng.vocab["region"].categorical(region, ng.person_region, c.region),
        "network_class": Categorical(codes=node_classes(ng, at, ids).astype(np.int32), categories=CLASSES),
    }


def max_per_pair(
    u: Int64Array, v: Int64Array, w: npt.NDArray[np.float64]
) -> tuple[Int64Array, Int64Array, npt.NDArray[np.float64]]:
    """One row per unordered pair, keeping the largest weight (TieGraph would sum duplicates)."""
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    keep = lo != hi
    lo, hi, w = lo[keep], hi[keep], w[keep]
    if len(lo) == 0:
        return lo, hi, w
    if lo.min() < 0 or hi.max() >= 2**31:  # ids too large for one int64 pair key
        order = np.lexsort((-w, hi, lo))  # by pair, heaviest first
        lo, hi, w = lo[order], hi[order], w[order]
        first = np.ones(len(lo), dtype=bool)
        first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
        return lo[first], hi[first], w[first]
    key = (lo << 32) | hi
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    w = np.maximum.reduceat(w[order], starts)
    key = key[starts]
    return key >> 32, key & 0xFFFFFFFF, w
