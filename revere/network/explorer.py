"""The graph explorer's data: the member's own network as nodes, edges and circles, and a node's card.

Everything here is a read through :mod:`revere.tenancy.visibility`:

* the nodes are the member's own active ties (full access: exact strength and class);
* the edges are :class:`~revere.network.models.Link` rows among those contacts (the organization's
  shared map). Teammates' ties are *not* drawn as edges, so a teammate's private tie never shows up
  as a line between two of the member's contacts;
* the circles and the brokerage that sizes nodes come from :mod:`revere.analytics` run on exactly
  that visible ego graph (ego + contacts + links among them).

Positions are computed here (:mod:`revere.network.layout`), so the browser draws 5,000 contacts
without running a force layout over them.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Q

from revere.analytics.graph import TieGraph
from revere.analytics.strength import strength_band, strength_bands
from revere.contacts.models import Person
from revere.network.egoview import ego_brokerage, ego_circles
from revere.network.layout import circle_layout
from revere.network.models import Link, NetworkClass, StrengthBand, Tie
from revere.tenancy.visibility import (
    TieAccess,
    selector,
    tie_detail_condition,
    tie_view,
)

if TYPE_CHECKING:
    from revere.tenancy.models import Member


@dataclass(frozen=True)
class ExplorerOptions:
    """What the explorer's filters offer: the member's own contacts' classes, companies and industries."""

    total: int
    classes: list[tuple[str, str]]
    bands: list[tuple[str, str]]
    companies: list[tuple[int, str, int]]
    industries: list[tuple[str, int]]


def _own_ties(member: Member) -> Any:
    return (
        Tie.objects.visible_to(member)
        .filter(tie_detail_condition(member))
        .filter(member_id=member.pk, is_active=True)
    )


@selector
def explorer_options(*, member: Member, max_companies: int = 300) -> ExplorerOptions:
    """The filter choices for the member's network (one query)."""
    rows = _own_ties(member).values_list(
        "person__company_id", "person__company__name", "person__company__industry"
    )
    companies: Counter[tuple[int, str]] = Counter()
    industries: Counter[str] = Counter()
    total = 0
    for company_id, name, industry in rows:
        total += 1
        if company_id is not None:
            companies[(company_id, name)] += 1
        if industry:
            industries[industry] += 1
    top = sorted(companies.items(), key=lambda kv: (-kv[1], kv[0][1]))[:max_companies]
    return ExplorerOptions(
        total=total,
        classes=[(c.value, c.label) for c in NetworkClass],
        bands=[(b.value, b.label) for b in StrengthBand],
        companies=[(cid, name, n) for (cid, name), n in sorted(top, key=lambda kv: kv[0][1].lower())],
        industries=sorted(industries.items()),
    )


@selector
def explorer_graph(*, member: Member, path: list[int] | None = None) -> dict[str, Any]:
    """The member's network as the explorer draws it.

    Returns a JSON-ready dict: ``ego`` (id, name), ``nodes`` (id, name, title, company, company_id,
    industry, cls, band, strength, brokerage, circle, redundant, x, y), ``edges`` as
    ``[a, b, weight]``, ``circles`` (id, size, redundant, grouped, label) and ``path`` (the person
    ids of a path to highlight, when given; persons on it outside the network are added as nodes of
    class ``path``).
    """
    rows = list(
        _own_ties(member)
        .order_by("person_id")
        .values_list(
            "person_id",
            "strength",
            "strength_override",
            "network_class",
            "network_class_override",
            "person__full_name",
            "person__title",
            "person__company_id",
            "person__company__name",
            "person__company__industry",
        )
    )
    ego = member.person_id
    alter_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    strengths = np.fromiter(
        (r[2] if r[2] is not None else r[1] for r in rows), dtype=np.float64, count=len(rows)
    )
    own = _own_ties(member).values("person_id")
    links = list(
        Link.objects.visible_to(member)
        .filter(a_id__in=own, b_id__in=own)
        .values_list("a_id", "b_id", "weight")
    )
    la = np.fromiter((r[0] for r in links), dtype=np.int64, count=len(links))
    lb = np.fromiter((r[1] for r in links), dtype=np.int64, count=len(links))
    lw = np.fromiter((r[2] for r in links), dtype=np.float64, count=len(links))

    node_ids = np.concatenate([[ego], alter_ids]).astype(np.int64)
    graph = TieGraph.from_edges(
        np.concatenate([np.full(len(alter_ids), ego, dtype=np.int64), la]),
        np.concatenate([alter_ids, lb]),
        np.concatenate([np.clip(strengths, 0.0, 1.0), lw]),
        node_ids=node_ids,
        attrs={"company": [None, *(r[7] for r in rows)]},
    )
    circles = ego_circles(graph, ego)
    brokerage = ego_brokerage(graph, ego)
    sizes = Counter(circles.label.tolist())
    grouped = {c for c, n in sizes.items() if n > 1}
    xs, ys = circle_layout(graph, ego, circles.label)
    bands = strength_bands(strengths) if len(strengths) else np.array([], dtype=str)

    nodes: list[dict[str, Any]] = []
    for i, r in enumerate(rows):
        label = int(circles.label[i])
        nodes.append(
            {
                "id": int(r[0]),
                "name": r[5],
                "title": r[6],
                "company_id": r[7],
                "company": r[8] or "",
                "industry": r[9] or "",
                "cls": r[4] or r[3],
                "strength": round(float(strengths[i]), 4),
                "band": str(bands[i]),
                "brokerage": round(float(brokerage[i]), 4),
                "circle": label if label in grouped else None,
                "redundant": bool(circles.redundant_alter[i]),
                "x": round(float(xs[i]), 1),
                "y": round(float(ys[i]), 1),
            }
        )
    circle_list = [
        {
            "id": c,
            "size": n,
            "grouped": c in grouped,
            "redundant": bool(circles.redundant_circle.get(c, False)),
            "label": (
                f"{n} contacts · redundant: they all know each other"
                if circles.redundant_circle.get(c)
                else f"{n} contacts"
            ),
        }
        for c, n in sorted(sizes.items(), key=lambda kv: -kv[1])
        if c in grouped
    ]
    payload: dict[str, Any] = {
        "ego": {"id": ego, "name": member.person.full_name},
        "nodes": nodes,
        "edges": [[int(a), int(b), round(float(w), 3)] for a, b, w in zip(la, lb, lw, strict=True)],
        "circles": circle_list,
        "path": [],
    }
    if path:
        payload["path"] = _add_path(member, payload, path, xs, ys)
    return payload


def _add_path(member: Member, payload: dict[str, Any], path: list[int], xs: Any, ys: Any) -> list[int]:
    """Add the persons of a path who are not among the member's contacts, and the path's edges."""
    present = {n["id"] for n in payload["nodes"]}
    wanted = [int(p) for p in path[:12]]
    missing = [p for p in wanted if p not in present and p != payload["ego"]["id"]]
    info = {
        p["id"]: p
        for p in Person.objects.visible_to(member)
        .filter(pk__in=missing)
        .values("id", "full_name", "title", "company_id", "company__name", "company__industry")
    }
    right = float(np.max(xs)) + 200.0 if len(xs) else 0.0
    top = float(np.min(ys)) if len(ys) else 0.0
    shown: list[int] = []
    for k, p in enumerate(wanted):
        if p == payload["ego"]["id"]:
            shown.append(p)
            continue
        if p in missing:
            if p not in info:
                continue  # not a person of this organization: never drawn
            row = info[p]
            payload["nodes"].append(
                {
                    "id": p,
                    "name": row["full_name"],
                    "title": row["title"],
                    "company_id": row["company_id"],
                    "company": row["company__name"] or "",
                    "industry": row["company__industry"] or "",
                    "cls": "path",
                    "strength": 0.0,
                    "band": "",
                    "brokerage": 0.0,
                    "circle": None,
                    "redundant": False,
                    "x": right,
                    "y": top + 80.0 * k,
                }
            )
        shown.append(p)
    if payload["ego"]["id"] in shown:  # the member is not drawn; the path starts at their contact
        shown.remove(payload["ego"]["id"])
    edges = {(min(a, b), max(a, b)) for a, b, _ in payload["edges"]}
    for a, b in itertools.pairwise(shown):
        if (min(a, b), max(a, b)) not in edges:
            payload["edges"].append([min(a, b), max(a, b), 0.5])
    return shown


@dataclass(frozen=True)
class Connection:
    person_id: int
    name: str
    source: str
    last_seen: Any
    weight: float


@dataclass(frozen=True)
class NodeCard:
    """What the explorer's card says about one person."""

    person: Any
    tie: Any  # the member's own TieView, or None
    last_interaction: Any
    teammates: list[Any] = field(default_factory=list)  # TieViews of teammates in scope
    connections: list[Connection] = field(default_factory=list)
    connections_total: int = 0


@selector
def explorer_card(*, member: Member, person_id: int, limit: int = 25) -> NodeCard | None:
    """A person's card: who they are, the member's tie, teammates who know them, and which of the
    member's other contacts they are linked to (with the link's source and when it was last seen)."""
    person = Person.objects.visible_to(member).select_related("company").filter(pk=person_id).first()
    if person is None:
        return None
    own = None
    last = None
    teammates = []
    for tie in (
        Tie.objects.visible_to(member)
        .filter(person_id=person_id, is_active=True)
        .select_related("member__person")
    ):
        view = tie_view(
            member, tie, band=strength_band(tie.effective_strength), member_name=tie.member.person.full_name
        )
        if view.access is TieAccess.FULL:
            own, last = view, tie.last_interaction
        else:
            teammates.append(view)
    alters = _own_ties(member).values("person_id")
    qs = (
        Link.objects.visible_to(member)
        .filter(Q(a_id=person_id, b_id__in=alters) | Q(b_id=person_id, a_id__in=alters))
        .select_related("a", "b")
        .order_by("-weight", "id")
    )
    total = qs.count()
    connections = []
    for link in qs[:limit]:
        other = link.b if link.a_id == person_id else link.a
        connections.append(
            Connection(
                person_id=other.pk,
                name=other.full_name,
                source=link.get_source_display(),
                last_seen=link.last_seen,
                weight=link.weight,
            )
        )
    teammates.sort(key=lambda v: (v.access is TieAccess.ASK, v.member_name))
    return NodeCard(
        person=person,
        tie=own,
        last_interaction=last,
        teammates=teammates,
        connections=connections,
        connections_total=total,
    )
