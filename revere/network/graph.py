"""The one place that turns the database into a TieGraph (ARCHITECTURE.md, convention 4).

:func:`organization_graph` reads an organization's network in three ``values`` queries (persons with
their company's attributes, active ties, links), builds an undirected :class:`TieGraph` over Person ids
and keeps the member-to-person ties beside it as arrays. The result is cached per organization and
``Organization.data_version`` (and its creation time): every service that changes ties, links, persons or companies calls
``organization_bump_data_version``, so the next read builds afresh and older versions fall out of the
small LRU. Reading the version costs one query of one column.

The graph's edges are ties (the member's own Person to the alter, weight = effective strength) and
links (person to person, weight = link weight). When a pair has both (two colleagues who are members
and linked on the org chart, say) the edge keeps the larger weight, so every weight stays in (0, 1]
(path scores are products of strengths).

Node attributes, as :class:`Categorical` codes: ``company`` (Company id), ``industry``, ``function``,
``region`` (the person's, else the company's) and ``network_class``: the class the organization's ties
give the person (their effective class; a person in several members' networks takes the class of the
tie read last), else the company-status rule of DESIGN.md §1 (own company: internal, customer,
prospect, everything else market).

The graph holds every tie of the organization, private ones included: it is an internal structure.
Whatever is shown to a member goes through a selector that applies :mod:`revere.tenancy.visibility`
(:func:`network_graph` and the selectors in :mod:`revere.network.selectors`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from django.db import connections, router

from revere.analytics.graph import Categorical, TieGraph
from revere.contacts.models import CompanyStatus, Person
from revere.network.models import Link, NetworkClass, Tie, Visibility
from revere.tenancy.models import Organization
from revere.tenancy.visibility import selector

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from revere.tenancy.models import Member

__all__ = [
    "CLASSES",
    "CLASS_CODES",
    "NetworkGraph",
    "network_graph",
    "organization_graph",
    "organization_graph_clear",
]

#: Network classes in the order of their integer codes in :attr:`NetworkGraph.tie_class`.
CLASSES: tuple[str, ...] = tuple(c.value for c in NetworkClass)
CLASS_CODES: dict[str, int] = {c: k for k, c in enumerate(CLASSES)}

_STATUS_CLASS = {
    CompanyStatus.OWN: NetworkClass.INTERNAL,
    CompanyStatus.CUSTOMER: NetworkClass.CUSTOMER,
    CompanyStatus.PROSPECT: NetworkClass.PROSPECT,
}

#: How many organizations' graphs one process keeps (an LRU; a graph of 1M persons is ~200 MB).
CACHE_SIZE = 4
_cache: OrderedDict[tuple[int, int, str], NetworkGraph] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class NetworkGraph:
    """An organization's network at one data version: the graph and the ties behind its ego edges.

    ``tie_*`` arrays are aligned, one entry per active tie, sorted by member then tie id.
    """

    organization_id: int
    data_version: int
    graph: TieGraph
    tie_id: npt.NDArray[np.int64]
    tie_member: npt.NDArray[np.int64]
    tie_ego: npt.NDArray[np.int64]  # the member's own Person id
    tie_person: npt.NDArray[np.int64]
    tie_strength: npt.NDArray[np.float64]  # effective: the override when set
    tie_class: npt.NDArray[np.int8]  # effective class, index into CLASSES
    tie_private: npt.NDArray[np.bool_]
    member_person: dict[int, int] = field(default_factory=dict)  # member id -> own Person id

    def member_ties(self, member_id: int) -> npt.NDArray[np.int64]:
        """Positions (into the ``tie_*`` arrays) of one member's active ties."""
        lo, hi = np.searchsorted(self.tie_member, [member_id, member_id + 1])
        return np.arange(lo, hi, dtype=np.int64)

    def alters(self, member_id: int, network_class: str | None = None) -> npt.NDArray[np.int64]:
        """Person ids of the member's active ties, optionally of one class only."""
        pos = self.member_ties(member_id)
        if network_class is not None:
            pos = pos[self.tie_class[pos] == CLASS_CODES[network_class]]
        return self.tie_person[pos]


def _fetch(qs: QuerySet[Any], columns: int) -> list[tuple[Any, ...]]:
    """Rows of a ``values_list`` queryset through the cursor, without building model instances."""
    sql, params = qs.query.sql_with_params()
    conn = connections[router.db_for_read(qs.model)]
    rows: list[tuple[Any, ...]] = []
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(50_000):
            rows.extend(chunk)
    return rows


def _column(rows: list[tuple[Any, ...]], k: int, dtype: Any) -> npt.NDArray[Any]:
    return np.fromiter((r[k] for r in rows), dtype=dtype, count=len(rows))


def _max_per_pair(
    u: npt.NDArray[np.int64], v: npt.NDArray[np.int64], w: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """One row per unordered pair, keeping the largest weight (TieGraph would sum duplicates)."""
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    keep = lo != hi
    lo, hi, w = lo[keep], hi[keep], w[keep]
    if len(lo) == 0:
        return lo, hi, w
    order = np.lexsort((-w, hi, lo))  # by pair, heaviest first
    lo, hi, w = lo[order], hi[order], w[order]
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    return lo[first], hi[first], w[first]


def _build(organization_id: int, data_version: int) -> NetworkGraph:
    persons = _fetch(
        Person.objects.filter(organization_id=organization_id)
        .order_by("id")
        .values_list(
            "id",
            "company_id",
            "company__industry",
            "function",
            "region",
            "company__region",
            "company__status",
        ),
        7,
    )
    ties = _fetch(
        Tie.objects.filter(organization_id=organization_id, is_active=True)
        .order_by("member_id", "id")
        .values_list(
            "id",
            "member_id",
            "ego_id",
            "person_id",
            "strength",
            "strength_override",
            "network_class",
            "network_class_override",
            "visibility",
        ),
        9,
    )
    links = _fetch(
        Link.objects.filter(organization_id=organization_id).values_list("a_id", "b_id", "weight"), 3
    )

    node_ids = _column(persons, 0, np.int64)
    tie_id = _column(ties, 0, np.int64)
    tie_member = _column(ties, 1, np.int64)
    tie_ego = _column(ties, 2, np.int64)
    tie_person = _column(ties, 3, np.int64)
    tie_strength = np.fromiter(
        (r[5] if r[5] is not None else r[4] for r in ties), dtype=np.float64, count=len(ties)
    )
    tie_class = np.fromiter((CLASS_CODES[r[7] or r[6]] for r in ties), dtype=np.int8, count=len(ties))
    tie_private = np.fromiter((r[8] == Visibility.PRIVATE for r in ties), dtype=np.bool_, count=len(ties))

    # Node network class: the company-status rule, then the ties' effective class on top.
    node_class = np.fromiter(
        (CLASS_CODES[_STATUS_CLASS.get(r[6], NetworkClass.MARKET)] for r in persons),
        dtype=np.int8,
        count=len(persons),
    )
    if len(tie_person):
        pos = np.searchsorted(node_ids, tie_person)
        node_class[pos] = tie_class

    src = np.concatenate([tie_ego, _column(links, 0, np.int64)])
    dst = np.concatenate([tie_person, _column(links, 1, np.int64)])
    wgt = np.concatenate([np.clip(tie_strength, 0.0, 1.0), _column(links, 2, np.float64)])
    src, dst, wgt = _max_per_pair(src, dst, wgt)

    attrs: dict[str, Any] = {
        "company": Categorical.encode(
            np.fromiter(
                (r[1] if r[1] is not None else -1 for r in persons), dtype=np.int64, count=len(persons)
            )
        ),
        "industry": [r[2] or None for r in persons],
        "function": [r[3] or None for r in persons],
        "region": [r[4] or r[5] or None for r in persons],
        "network_class": Categorical(codes=node_class.astype(np.int32), categories=CLASSES),
    }
    company = attrs["company"]
    if -1 in company.categories:  # persons without a company: missing, not a company "-1"
        missing = company.categories.index(-1)
        codes = company.codes.copy()
        codes[codes == missing] = -1
        codes[codes > missing] -= 1
        attrs["company"] = Categorical(
            codes=codes, categories=tuple(c for c in company.categories if c != -1)
        )

    graph = TieGraph.from_edges(src, dst, wgt, node_ids=node_ids, attrs=attrs)
    member_person = {int(m): int(e) for m, e in zip(tie_member.tolist(), tie_ego.tolist(), strict=True)}
    return NetworkGraph(
        organization_id=organization_id,
        data_version=data_version,
        graph=graph,
        tie_id=tie_id,
        tie_member=tie_member,
        tie_ego=tie_ego,
        tie_person=tie_person,
        tie_strength=tie_strength,
        tie_class=tie_class,
        tie_private=tie_private,
        member_person=member_person,
    )


def organization_graph(*, organization_id: int) -> NetworkGraph:
    """The organization's network graph at its current data version (built once, then cached).

    Not for display as such: it holds private ties. Pages and endpoints go through
    :func:`network_graph` or the selectors of :mod:`revere.network.selectors`.
    """
    row = Organization.objects.filter(pk=organization_id).values_list("data_version", "created_at").first()
    if row is None:
        raise Organization.DoesNotExist(f"organization {organization_id} does not exist")
    version, created = row
    # The creation time tells a new organization from a deleted one that had the same id (SQLite
    # reuses the highest rowid after a delete or a rolled-back test): its version 0 is another graph.
    key = (organization_id, int(version), created.isoformat())
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    built = _build(organization_id, int(version))
    with _lock:
        for old in [k for k in _cache if k[0] == organization_id]:
            del _cache[old]  # an older version of the same organization is stale for good
        _cache[key] = built
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def organization_graph_clear() -> None:
    """Forget every cached graph (tests and benchmarks that time a cold load)."""
    with _lock:
        _cache.clear()


@selector
def network_graph(*, member: Member) -> NetworkGraph:
    """The acting member's organization's graph: persons and links are the organization's shared map.

    Tie edges include teammates' private ties; a caller that shows a path or an edge through another
    member's tie must apply :func:`revere.tenancy.visibility.tie_access` to it (``ask <teammate>``).
    """
    return organization_graph(organization_id=member.organization_id)
