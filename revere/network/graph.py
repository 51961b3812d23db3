"""The one place that turns the database into a TieGraph (ARCHITECTURE.md, convention 4).

:func:`organization_graph` reads an organization's network in four plain SELECTs (companies,
persons, active ties, links) through the cursor, in chunks straight into numpy
arrays (strings become integer codes chunk by chunk; no row outlives its chunk; on PostgreSQL the
links come as one packed ``bytea`` that numpy reads in place, :func:`_links`), builds an
undirected :class:`TieGraph` over Person ids and keeps the member-to-person ties beside it as
arrays. The result is cached per organization and ``Organization.data_version`` (and its creation
time): every service that changes ties, links, persons or companies calls
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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from django.db import connections, router

from revere.analytics.graph import Categorical, TieGraph
from revere.contacts.models import Company, CompanyStatus, Person
from revere.network.models import Link, NetworkClass, Tie, Visibility
from revere.tenancy.models import Organization
from revere.tenancy.visibility import selector

if TYPE_CHECKING:
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
#: Rows per ``fetchmany``; links are read into this structured dtype chunk by chunk.
CHUNK = 100_000
_LINK = np.dtype([("a", np.int64), ("b", np.int64), ("w", np.float64)])
_PACKED = np.dtype([("ab", np.int64), ("w", np.float64)])
_NETWORK_ORDER = np.dtype([("ab", ">i8"), ("w", ">f8")])
#: Links are read with both ends packed in one integer when every person id is below this.
PACK_BELOW = 2**31


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


def _table(model: type[Any]) -> str:
    return str(connections[router.db_for_read(model)].ops.quote_name(model._meta.db_table))


def _concat(parts: list[npt.NDArray[Any]], dtype: Any) -> npt.NDArray[Any]:
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)


def _rows(model: type[Any], sql: str, params: list[Any]) -> Iterator[list[tuple[Any, ...]]]:
    """Chunks of rows of a plain SELECT on the model's database, straight off the cursor."""
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk


class _Codes:
    """Strings to int32 codes without a Categorical per row; ``""`` and ``None`` are missing (-1)."""

    def __init__(self) -> None:
        self.lookup: dict[Any, int] = {"": -1, None: -1}

    def add(self, values: tuple[Any, ...]) -> npt.NDArray[np.int32]:
        for v in set(values) - self.lookup.keys():
            self.lookup[v] = len(self.lookup) - 2
        return np.fromiter(map(self.lookup.__getitem__, values), dtype=np.int32, count=len(values))

    def categorical(self, codes: npt.NDArray[np.int32]) -> Categorical:
        """The attribute with sorted categories, as :meth:`Categorical.encode` would give it."""
        seen = {v: c for v, c in self.lookup.items() if c >= 0}
        cats = sorted(seen)
        remap = np.full(len(seen) + 1, -1, dtype=np.int32)  # the last slot maps -1 to itself
        remap[[seen[v] for v in cats]] = np.arange(len(cats), dtype=np.int32)
        return Categorical(codes=remap[codes], categories=tuple(cats))


def _max_per_pair(
    u: npt.NDArray[np.int64], v: npt.NDArray[np.int64], w: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
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


def _links(
    organization_id: int, packable: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The organization's links as arrays (ends, weight): millions of rows, read the cheapest way.

    * PostgreSQL, ids below :data:`PACK_BELOW`: the server packs each link into 16 bytes (both ends
      in one ``int8``, the weight as ``float8``, network byte order) and aggregates them into one
      ``bytea``, which numpy reads in place: no Python object per row (2.4 s for 5,000,000 links
      against 3.9 s through the cursor).
    * Ids below :data:`PACK_BELOW`: both ends in one integer through the cursor, in chunks.
    * Otherwise three columns through the cursor.

    On SQLite the organization index would fetch each row by a random rowid lookup (14 s for 5M
    links against 6 s for the sequential scan that ``+organization_id``, which no index matches,
    asks for).
    """
    vendor = connections[router.db_for_read(Link)].vendor
    org_column = "+organization_id" if vendor == "sqlite" else "organization_id"
    table, org = _table(Link), [organization_id]
    if packable and vendor == "postgresql":
        sql = (
            "SELECT string_agg(int8send((a_id * 4294967296) + b_id) || float8send(weight), ''::bytea)"
            f" FROM {table} WHERE organization_id = %s"
        )
        with connections[router.db_for_read(Link)].cursor() as cursor:
            cursor.execute(sql, org)
            blob = cursor.fetchone()[0]
        packed = np.frombuffer(blob or b"", dtype=_NETWORK_ORDER)
        ab = packed["ab"].astype(np.int64)
        return ab >> 32, ab & 0xFFFFFFFF, packed["w"].astype(np.float64)
    if packable:
        sql = f"SELECT (a_id * 4294967296) + b_id, weight FROM {table} WHERE {org_column} = %s"
        rows = _concat([np.array(chunk, dtype=_PACKED) for chunk in _rows(Link, sql, org)], _PACKED)
        return rows["ab"] >> 32, rows["ab"] & 0xFFFFFFFF, rows["w"]
    sql = f"SELECT a_id, b_id, weight FROM {table} WHERE {org_column} = %s"
    links = _concat([np.array(chunk, dtype=_LINK) for chunk in _rows(Link, sql, org)], _LINK)
    return links["a"], links["b"], links["w"]


def _build(organization_id: int, data_version: int) -> NetworkGraph:
    org = [organization_id]
    person_t, company_t = _table(Person), _table(Company)
    market = CLASS_CODES[NetworkClass.MARKET]
    status_class: dict[Any, int] = {s: CLASS_CODES[c] for s, c in _STATUS_CLASS.items()}

    # Companies (tens of thousands), then persons (millions) without a join: the company's
    # attributes are looked up in numpy, so each person row brings four values, not seven (the
    # join took 3.1-3.9 s for the huge demo's 1,000,000 persons, the two reads 1.9 s). Strings
    # become integer codes chunk by chunk; no ORDER BY (sorted in numpy). A person's region falls
    # back to the company's; the company's status gives the class (DESIGN.md section 1).
    functions, regions, industries = _Codes(), _Codes(), _Codes()
    vendor = connections[router.db_for_read(Person)].vendor
    org_column = "+organization_id" if vendor == "sqlite" else "organization_id"
    sql = f"SELECT id, industry, region, status FROM {company_t} WHERE organization_id = %s"
    company_rows = [(-2, "", "", "")]  # first, sorted below all ids: no company's attributes
    company_rows += [r for chunk in _rows(Company, sql, org) for r in chunk]
    ccols = list(zip(*company_rows, strict=True))
    company_ids = np.array(ccols[0], dtype=np.int64)
    by_company = np.argsort(company_ids, kind="stable")
    company_ids = company_ids[by_company]
    company_industry = industries.add(ccols[1])[by_company]
    company_region = regions.add(ccols[2])[by_company]
    company_class = np.array([status_class.get(v, market) for v in ccols[3]], dtype=np.int8)[by_company]
    del company_rows, ccols
    parts: list[list[npt.NDArray[Any]]] = [[] for _ in range(4)]
    sql = f"SELECT id, COALESCE(company_id, -1), function, region FROM {person_t} WHERE {org_column} = %s"
    for chunk in _rows(Person, sql, org):
        ids, companies, function, region = zip(*chunk, strict=True)
        parts[0].append(np.array(ids, dtype=np.int64))
        parts[1].append(np.array(companies, dtype=np.int64))
        parts[2].append(functions.add(function))
        parts[3].append(regions.add(region))
    node_ids = _concat(parts[0], np.int64)
    by_id = np.argsort(node_ids, kind="stable")
    node_ids = node_ids[by_id]
    person_company = _concat(parts[1], np.int64)[by_id]
    function_codes = _concat(parts[2], np.int32)[by_id]
    person_region = _concat(parts[3], np.int32)[by_id]
    del parts
    at = np.minimum(np.searchsorted(company_ids, person_company), len(company_ids) - 1)
    at[company_ids[at] != person_company] = 0  # no company (-1), or not one of the organization's
    industry_codes = company_industry[at]
    region_codes = np.where(person_region >= 0, person_region, company_region[at])
    node_class = np.where(at > 0, company_class[at], market).astype(np.int8)
    has_company = person_company >= 0
    used, company_codes = np.unique(person_company[has_company], return_inverse=True)
    company_code = np.full(len(node_ids), -1, dtype=np.int32)
    company_code[has_company] = company_codes.ravel()

    # Active ties (a few per member: rows through Python are cheap here), sorted by member then id.
    sql = (
        "SELECT id, member_id, ego_id, person_id, COALESCE(strength_override, strength),"
        f" network_class, network_class_override, visibility FROM {_table(Tie)}"
        " WHERE organization_id = %s AND is_active = %s"
    )
    ties = [r for chunk in _rows(Tie, sql, [organization_id, True]) for r in chunk]
    cols = list(zip(*ties, strict=True)) or [()] * 8
    tie_id, tie_member = np.array(cols[0], dtype=np.int64), np.array(cols[1], dtype=np.int64)
    by_member = np.lexsort((tie_id, tie_member))
    tie_id, tie_member = tie_id[by_member], tie_member[by_member]
    tie_ego = np.array(cols[2], dtype=np.int64)[by_member]
    tie_person = np.array(cols[3], dtype=np.int64)[by_member]
    tie_strength = np.array(cols[4], dtype=np.float64)[by_member]
    tie_class = np.array([CLASS_CODES[o or c] for c, o in zip(cols[5], cols[6], strict=True)], dtype=np.int8)[
        by_member
    ]
    tie_private = (np.array(cols[7], dtype=object) == Visibility.PRIVATE).astype(np.bool_)[by_member]
    del ties, cols
    if len(tie_person):  # the ties' effective class on top of the company rule, the last read wins
        node_class[np.searchsorted(node_ids, tie_person)] = tie_class

    packable = bool(len(node_ids)) and node_ids[0] >= 0 and node_ids[-1] < PACK_BELOW
    link_a, link_b, link_w = _links(organization_id, packable)
    src = np.concatenate([tie_ego, link_a])
    dst = np.concatenate([tie_person, link_b])
    wgt = np.concatenate([np.clip(tie_strength, 0.0, 1.0), link_w])
    del link_a, link_b, link_w
    src, dst, wgt = _max_per_pair(src, dst, wgt)

    attrs: dict[str, Any] = {
        "company": Categorical(codes=company_code, categories=tuple(used.tolist())),
        "industry": industries.categorical(industry_codes),
        "function": functions.categorical(function_codes),
        "region": regions.categorical(region_codes),
        "network_class": Categorical(codes=node_class.astype(np.int32), categories=CLASSES),
    }
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
