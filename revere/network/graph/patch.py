"""Patching a cached graph with the changes the writes recorded (tenancy.GraphChange).

A change names what changed — ties by id, links by their pair, persons, companies — never how.
:func:`apply_changes` re-reads the current rows of those ids (one query per kind), then sets
exactly what a fresh build (:mod:`.build`) would give for them: the tie arrays, the weight of every
pair those rows touch (the largest of the pair's ties and link, as the build keeps it), the raw
columns of the persons and companies and every attribute derived from them (:mod:`.state`, the
same functions the build uses). New persons become nodes appended after the others (ids grow, so
that is where a fresh build puts them). A deleted person stays as an isolated node, without ties,
links or attributes, until the next rebuild (``stale_since``): a node cannot leave a patched graph
without renumbering every node after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connections, router

from revere.analytics.graph import Categorical
from revere.contacts.models import Company, Person
from revere.network.graph.build import STATUS_CLASS, TIE_COLUMNS, table, tie_arrays
from revere.network.graph.state import (
    MARKET,
    Companies,
    NetworkGraph,
    company_slots,
    derive_attrs,
    members_of,
    node_classes,
)
from revere.network.models import Link, Tie
from revere.tenancy.models import GraphChange

#: Ids per ``IN (...)`` (SQLite takes 32,766 parameters in one statement).
IN_CHUNK = 5_000


@dataclass
class Changes:
    """The union of the changes after a version, up to ``version``."""

    version: int
    ties: set[int] = field(default_factory=set)
    links: set[tuple[int, int]] = field(default_factory=set)
    persons: set[int] = field(default_factory=set)
    companies: set[int] = field(default_factory=set)
    full_at: int | None = None  # the first unknown change ("something changed")
    complete: bool = True  # every version in the range was found

    @property
    def empty(self) -> bool:
        return not (self.ties or self.links or self.persons or self.companies)


def changes_since(organization_id: int, after: int, upto: int) -> Changes:
    """The changes of versions ``after + 1 .. upto``, in one query."""
    rows = (
        GraphChange.unrestricted.in_organization(organization_id)
        .filter(version__gt=after, version__lte=upto)
        .order_by("version")
        .values_list("version", "full", "ids")
    )
    ch = Changes(version=upto)
    count = 0
    for version, full, ids in rows:
        count += 1
        if full and ch.full_at is None:
            ch.full_at = int(version)
        ch.ties.update(int(t) for t in ids.get("ties", ()))
        ch.links.update((int(a), int(b)) for a, b in ids.get("links", ()))
        ch.persons.update(int(p) for p in ids.get("persons", ()))
        ch.companies.update(int(c) for c in ids.get("companies", ()))
    ch.complete = count == upto - after
    return ch


def _select(
    model: type[Any], sql: str, params: list[Any], groups: list[list[int]]
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql``, whose ``{0}``, ``{1}``... are ``IN`` lists of ``groups``, chunked alike when
    long: only for conditions joined by OR (each chunk's rows are then a part of the answer)."""
    step = max(1, IN_CHUNK // max(1, len(groups)))
    count = max(1, *((len(g) + step - 1) // step for g in groups))
    with connections[router.db_for_read(model)].cursor() as cursor:
        for k in range(count):
            part = [g[k * step : (k + 1) * step] for g in groups]
            lists = [", ".join(["%s"] * len(p)) if p else "NULL" for p in part]
            cursor.execute(sql.format(*lists), [*params, *[v for p in part for v in p]])
            yield from cursor.fetchall()


def _pair_keys(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return (lo << 32) | hi


def _read_companies(ng: NetworkGraph, ids: set[int], vocab: Any) -> Companies:
    assert ng.companies is not None
    old = ng.companies
    found = list(
        _select(
            Company,
            f"SELECT id, industry, region, status FROM {table(Company)} WHERE organization_id = %s AND id IN ({{0}})",
            [ng.organization_id],
            [sorted(ids)],
        )
    )
    keep = ~np.isin(old.ids, np.array(sorted(ids), dtype=np.int64))
    keep[0] = True  # the sentinel
    cols = list(zip(*found, strict=True)) or [()] * 4
    new_ids = np.concatenate([old.ids[keep], np.array(cols[0], dtype=np.int64)])
    order = np.argsort(new_ids, kind="stable")
    return Companies(
        ids=new_ids[order],
        industry=np.concatenate([old.industry[keep], vocab["industry"].add(list(cols[1]))])[order],
        region=np.concatenate([old.region[keep], vocab["region"].add(list(cols[2]))])[order],
        status_class=np.concatenate(
            [old.status_class[keep], np.array([STATUS_CLASS.get(v, MARKET) for v in cols[3]], dtype=np.int8)]
        )[order],
    )


def _read_links(org: int, keys: npt.NDArray[np.int64], persons: list[int]) -> dict[int, float]:
    """The weight of the links of these pairs (keys ``lo << 32 | hi``) and of every link of these persons."""
    out: dict[int, float] = {}
    link_t = table(Link)
    pairs = keys.tolist()
    for i in range(0, len(pairs), IN_CHUNK // 2):
        chunk = pairs[i : i + IN_CHUNK // 2]
        wanted = set(chunk)
        los, his = sorted({k >> 32 for k in chunk}), sorted({k & 0xFFFFFFFF for k in chunk})
        sql = f"SELECT a_id, b_id, weight FROM {link_t} WHERE organization_id = %s AND a_id IN ({{0}}) AND b_id IN ({{1}})"
        with connections[router.db_for_read(Link)].cursor() as cursor:
            cursor.execute(
                sql.format(", ".join(["%s"] * len(los)), ", ".join(["%s"] * len(his))), [org, *los, *his]
            )
            for a, b, w in cursor.fetchall():
                key = (min(a, b) << 32) | max(a, b)
                if key in wanted:
                    out[key] = float(w)
    if persons:
        sql = f"SELECT a_id, b_id, weight FROM {link_t} WHERE organization_id = %s AND (a_id IN ({{0}}) OR b_id IN ({{1}}))"
        for a, b, w in _select(Link, sql, [org], [persons, persons]):
            out[(min(a, b) << 32) | max(a, b)] = float(w)
    return out


def _in_graph(ng: NetworkGraph, ids: Iterable[int]) -> npt.NDArray[np.int64]:
    return ng.graph.index_of(np.array(sorted(ids), dtype=np.int64))


def _shared_if_same(new: npt.NDArray[Any], old: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``old`` when ``new`` holds the same values: the array of the snapshot every process maps
    (one copy in the page cache) rather than a private copy of it in each process. A strength
    override or a keep-in-touch "done" changes tie strengths only; the tie ids, members and persons
    then stay the mapped ones (about 7 MB a process on the huge demo)."""
    return old if new.dtype == old.dtype and new.shape == old.shape and np.array_equal(new, old) else new


def _shared_attr(new: Categorical, old: Categorical | None) -> Categorical:
    """The attribute as it was when a patch derived the same codes and categories again."""
    if old is not None and new.categories == old.categories:
        codes = _shared_if_same(new.codes, old.codes)
        if codes is old.codes:
            return old
    return new


def apply_changes(ng: NetworkGraph, ch: Changes) -> NetworkGraph:
    """The graph with the changes applied: what a fresh build would give for every row they name."""
    org = ng.organization_id
    g = ng.graph
    vocab = {k: v.copy() for k, v in ng.vocab.items()}
    companies = _read_companies(ng, ch.companies, vocab) if ch.companies else ng.companies
    assert companies is not None
    stale = ng.stale_since
    removed = set(ng.removed)

    # Ties: those named, and every tie of the persons named (as the alter or the ego).
    persons = sorted(ch.persons)
    # Only the conditions that name something: an "x IN (NULL)" beside an OR would have the
    # database scan every tie of every organization.
    tie_where = [
        c
        for c, ids in (("id IN ({})", ch.ties), ("person_id IN ({})", persons), ("ego_id IN ({})", persons))
        if ids
    ]
    tie_groups = [sorted(ids) for ids in (ch.ties, persons, persons) if ids]
    tie_sql = (
        f"SELECT {TIE_COLUMNS}, is_active FROM {table(Tie)} WHERE organization_id = %s AND ("
        + " OR ".join(c.replace("{}", "{" + str(k) + "}") for k, c in enumerate(tie_where))
        + ")"
    )
    by_id = {}
    if tie_groups:
        by_id = {int(r[0]): r for r in _select(Tie, tie_sql, [org], tie_groups)}
    tie_rows = [by_id[k] for k in sorted(by_id)]
    read_ids = np.array(sorted({int(r[0]) for r in tie_rows} | ch.ties), dtype=np.int64)
    p_arr = np.array(persons, dtype=np.int64)
    drop = np.isin(ng.tie_id, read_ids) | np.isin(ng.tie_person, p_arr) | np.isin(ng.tie_ego, p_arr)
    fresh = tie_arrays([r[:8] for r in tie_rows if r[8]])
    ties = {
        name: np.concatenate([getattr(ng, name)[~drop], fresh[name]])
        for name in (
            "tie_id",
            "tie_member",
            "tie_ego",
            "tie_person",
            "tie_strength",
            "tie_class",
            "tie_private",
        )
    }
    order = np.lexsort((ties["tie_id"], ties["tie_member"]))
    ties = {name: _shared_if_same(a[order], getattr(ng, name)) for name, a in ties.items()}
    class_persons = set(ng.tie_person[drop].tolist()) | set(fresh["tie_person"].tolist())

    # The pairs to recompute: links named, tie pairs before and after, every edge of a named person.
    pair_keys = [
        _pair_keys(ng.tie_ego[drop], ng.tie_person[drop]),
        _pair_keys(fresh["tie_ego"], fresh["tie_person"]),
    ]
    if ch.links:
        la, lb = np.array(sorted(ch.links), dtype=np.int64).T
        pair_keys.append(_pair_keys(la, lb))
    known = _in_graph(ng, persons)
    if len(persons):
        here = known[known >= 0]
        owner, col, _ = g.gather(here)
        pair_keys.append(_pair_keys(g.ids[here[owner]], g.ids[col]))
    keys = np.unique(np.concatenate(pair_keys)) if pair_keys else np.zeros(0, dtype=np.int64)
    link_w = _read_links(org, keys, persons)
    keys = np.unique(np.concatenate([keys, np.array(sorted(link_w), dtype=np.int64)]))

    # Persons: those named, and any endpoint the graph does not know yet (a person a write forgot to name).
    ends = np.unique(np.concatenate([keys >> 32, keys & 0xFFFFFFFF, p_arr]))
    ends = ends[(g.index_of(ends) < 0) | np.isin(ends, p_arr)]
    person_rows = {
        int(r[0]): r
        for r in (
            ()
            if len(ends) == 0
            else _select(
                Person,
                f"SELECT id, COALESCE(company_id, -1), function, region FROM {table(Person)}"
                " WHERE organization_id = %s AND id IN ({0})",
                [org],
                [ends.tolist()],
            )
        )
    }
    index = g.index_of(ends)
    added = np.array(
        sorted(
            int(p) for p, i in zip(ends.tolist(), index.tolist(), strict=True) if i < 0 and p in person_rows
        ),
        dtype=np.int64,
    )
    if len(added) and len(g.ids) and added[0] < g.ids.max() and stale is None:
        stale = ch.version  # a node that belongs before others: the next rebuild puts it in place
    ids = np.concatenate([g.ids, added]) if len(added) else g.ids
    person_company, person_function, person_region = ng.person_company, ng.person_function, ng.person_region
    touched_persons = bool(len(ends))
    if touched_persons:
        pos = np.concatenate([index[index >= 0], len(g.ids) + np.arange(len(added))])
        which = np.concatenate([ends[index >= 0], added])
        person_company = np.concatenate([person_company, np.full(len(added), -1, dtype=np.int64)])
        person_function = np.concatenate([person_function, np.full(len(added), -1, dtype=np.int32)])
        person_region = np.concatenate([person_region, np.full(len(added), -1, dtype=np.int32)])
        rows = [person_rows.get(int(p), (int(p), -1, "", "")) for p in which.tolist()]
        cols = list(zip(*rows, strict=True)) or [()] * 4
        person_company[pos] = np.array(cols[1], dtype=np.int64)
        person_function[pos] = vocab["function"].add(list(cols[2]))
        person_region[pos] = vocab["region"].add(list(cols[3]))
        gone = {int(p) for p in which.tolist() if int(p) not in person_rows}
        if gone - removed and stale is None:
            stale = ch.version
        removed = (removed | gone) - set(person_rows)

    # Pair weights: the largest of the pair's active ties (strength clipped to [0, 1]) and its link.
    tie_keys = _pair_keys(ties["tie_ego"], ties["tie_person"])
    on = np.isin(tie_keys, keys)
    weight = np.full(len(keys), np.nan)
    np.fmax.at(weight, np.searchsorted(keys, tie_keys[on]), np.clip(ties["tie_strength"][on], 0.0, 1.0))
    if link_w:
        lk = np.array(list(link_w), dtype=np.int64)
        np.fmax.at(weight, np.searchsorted(keys, lk), np.array(list(link_w.values()), dtype=np.float64))
    lo, hi = keys >> 32, keys & 0xFFFFFFFF

    def is_node(x: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        return (g.index_of(x) >= 0) | np.isin(x, added)

    known_ends = is_node(lo) & is_node(hi)  # every end is a node by now; a guard all the same
    lo, hi, weight = lo[known_ends], hi[known_ends], weight[known_ends]
    if removed:
        gone_arr = np.array(sorted(removed), dtype=np.int64)
        weight[np.isin(lo, gone_arr) | np.isin(hi, gone_arr)] = np.nan

    out = ng.evolve(
        data_version=ch.version,
        member_person=members_of(ties["tie_member"], ties["tie_ego"]),
        person_company=person_company,
        person_function=person_function,
        person_region=person_region,
        companies=companies,
        vocab=vocab,
        removed=frozenset(removed),
        stale_since=min((v for v in (stale, ch.full_at) if v is not None), default=None),
        **ties,
    )
    if touched_persons or ch.companies:
        attrs = {name: _shared_attr(cat, g.attrs.get(name)) for name, cat in derive_attrs(out, ids).items()}
    else:
        attrs = dict(g.attrs)
        if class_persons:
            nodes = g.index_of(np.array(sorted(class_persons), dtype=np.int64))
            nodes = nodes[nodes >= 0]
            at = company_slots(companies, person_company[nodes])
            classes = node_classes(out, at, ids[nodes])
            old_codes = attrs["network_class"].codes
            if not np.array_equal(old_codes[nodes], classes):
                codes = old_codes.copy()
                codes[nodes] = classes
                attrs["network_class"] = Categorical(
                    codes=codes, categories=attrs["network_class"].categories
                )
    graph = g.with_edges(lo, hi, weight, add_nodes=added if len(added) else None, attrs=attrs)
    return out.evolve(graph=graph)
