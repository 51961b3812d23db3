"""Export writers: CSV, JSON, vCard 3.0, GraphML and GEXF 1.3 (both open in Gephi)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

from revere.ingest.exporters.data import ExportData, tie_weight

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> str:
    """A cell a spreadsheet shows as text: a leading apostrophe before a formula character."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


CSV_COLUMNS = [
    "full_name", "first_name", "last_name", "emails", "phones", "company", "industry", "title", "function",
    "location", "region", "linkedin_url", "my_strength", "my_band", "my_network_class", "my_tie_since",
    "my_notes", "team_ties",
]  # fmt: skip


def _ties_by_person(data: ExportData) -> tuple[dict[int, dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    own: dict[int, dict[str, Any]] = {}
    team: dict[int, list[dict[str, Any]]] = {}
    for t in data.ties:
        if t["own"]:
            own[t["person_id"]] = t
        else:
            team.setdefault(t["person_id"], []).append(t)
    return own, team


def to_csv(data: ExportData) -> bytes:
    own, team = _ties_by_person(data)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for p in data.persons:
        mine = own.get(p["id"], {})
        row = [
            p["full_name"], p["first_name"], p["last_name"], "; ".join(p["emails"]), "; ".join(p["phones"]),
            p["company"], p["industry"], p["title"], p["function"], p["location"], p["region"], p["linkedin_url"],
            mine.get("strength", ""), mine.get("band", ""), mine.get("network_class", ""), mine.get("since") or "",
            mine.get("notes") or "", "; ".join(f"{t['member']} ({t['band']})" for t in team.get(p["id"], [])),
        ]  # fmt: skip
        writer.writerow([neutralize(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_json(data: ExportData) -> bytes:
    payload = {
        "organization": data.organization,
        "exported_by": data.exported_by,
        "companies": data.companies,
        "persons": data.persons,
        "members": data.members,
        "ties": data.ties,
        "links": data.links,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str).encode("utf-8")


def to_vcard(data: ExportData) -> bytes:
    import vobject

    own, _ = _ties_by_person(data)
    cards = []
    for p in data.persons:
        card = vobject.vCard()
        card.add("fn").value = p["full_name"] or (p["emails"][0] if p["emails"] else "?")
        card.add("n").value = vobject.vcard.Name(family=p["last_name"] or "", given=p["first_name"] or "")
        if p["company"]:
            card.add("org").value = [p["company"]]
        if p["title"]:
            card.add("title").value = p["title"]
        for email in p["emails"]:
            e = card.add("email")
            e.value = email
            e.type_param = "INTERNET"
        for phone in p["phones"]:
            card.add("tel").value = phone
        if p["linkedin_url"]:
            card.add("url").value = p["linkedin_url"]
        notes = (own.get(p["id"]) or {}).get("notes")
        if notes:
            card.add("note").value = notes
        cards.append(card.serialize())
    return "".join(cards).encode("utf-8")


def _graph(data: ExportData) -> tuple[dict[int, dict[str, Any]], list[tuple[int, int, float, str]]]:
    """Nodes (persons on at least one edge; members as their persons) and weighted edges."""
    persons = {p["id"]: p for p in data.persons}
    own, team = _ties_by_person(data)
    member_persons = {m["person_id"] for m in data.members}
    edges: dict[tuple[int, int], tuple[float, str]] = {}
    for t in data.ties:
        edges[(t["ego_id"], t["person_id"])] = (tie_weight(t), "tie")
    for link in data.links:
        key = (link["a_id"], link["b_id"])
        if key not in edges and (key[1], key[0]) not in edges:
            edges[key] = (float(link["weight"]), f"link:{link['source']}")
    nodes: dict[int, dict[str, Any]] = {}
    for a, b in edges:
        for pid in (a, b):
            if pid in nodes or pid not in persons:
                continue
            p = persons[pid]
            mine = own.get(pid)
            teams = team.get(pid) or []
            visible = mine or (teams[0] if teams else None)
            nodes[pid] = {
                "label": p["full_name"],
                "kind": "member" if pid in member_persons else "person",
                "network_class": (visible or {}).get("network_class") or "",
                "company": p["company"],
                "industry": p["industry"],
                "strength": float(mine["strength"]) if mine and mine["strength"] is not None else 0.0,
            }
    out = [(a, b, w, kind) for (a, b), (w, kind) in edges.items() if a in nodes and b in nodes]
    return nodes, out


NODE_ATTRS = [
    ("kind", "string"),
    ("network_class", "string"),
    ("company", "string"),
    ("industry", "string"),
    ("strength", "double"),
]


def to_graphml(data: ExportData) -> bytes:
    nodes, edges = _graph(data)
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", {"xmlns": ns})
    ET.SubElement(root, "key", {"id": "label", "for": "node", "attr.name": "label", "attr.type": "string"})
    for name, typ in NODE_ATTRS:
        ET.SubElement(root, "key", {"id": name, "for": "node", "attr.name": name, "attr.type": typ})
    ET.SubElement(root, "key", {"id": "weight", "for": "edge", "attr.name": "weight", "attr.type": "double"})
    ET.SubElement(
        root, "key", {"id": "source_kind", "for": "edge", "attr.name": "kind", "attr.type": "string"}
    )
    graph = ET.SubElement(root, "graph", {"id": "revere", "edgedefault": "undirected"})
    for pid, attrs in nodes.items():
        node = ET.SubElement(graph, "node", {"id": f"p{pid}"})
        ET.SubElement(node, "data", {"key": "label"}).text = attrs["label"]
        for name, _ in NODE_ATTRS:
            ET.SubElement(node, "data", {"key": name}).text = str(attrs[name])
    for i, (a, b, w, kind) in enumerate(edges):
        edge = ET.SubElement(graph, "edge", {"id": f"e{i}", "source": f"p{a}", "target": f"p{b}"})
        ET.SubElement(edge, "data", {"key": "weight"}).text = repr(round(w, 6))
        ET.SubElement(edge, "data", {"key": "source_kind"}).text = kind
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def to_gexf(data: ExportData) -> bytes:
    nodes, edges = _graph(data)
    root = ET.Element("gexf", {"xmlns": "http://gexf.net/1.3", "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "Revere"
    ET.SubElement(
        meta, "description"
    ).text = f"{data.organization}: the network as {data.exported_by} may see it"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "undirected", "mode": "static"})
    attrs_el = ET.SubElement(graph, "attributes", {"class": "node"})
    for i, (name, typ) in enumerate(NODE_ATTRS):
        ET.SubElement(attrs_el, "attribute", {"id": str(i), "title": name, "type": typ})
    nodes_el = ET.SubElement(graph, "nodes")
    for pid, attrs in nodes.items():
        node = ET.SubElement(nodes_el, "node", {"id": f"p{pid}", "label": attrs["label"]})
        values = ET.SubElement(node, "attvalues")
        for i, (name, _) in enumerate(NODE_ATTRS):
            ET.SubElement(values, "attvalue", {"for": str(i), "value": str(attrs[name])})
    edges_el = ET.SubElement(graph, "edges")
    for i, (a, b, w, kind) in enumerate(edges):
        ET.SubElement(
            edges_el,
            "edge",
            {"id": f"e{i}", "source": f"p{a}", "target": f"p{b}", "weight": repr(round(w, 6)), "label": kind},
        )
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


WRITERS = {
    "csv": (to_csv, "text/csv; charset=utf-8", "csv"),
    "json": (to_json, "application/json", "json"),
    "vcard": (to_vcard, "text/vcard; charset=utf-8", "vcf"),
    "graphml": (to_graphml, "application/graphml+xml", "graphml"),
    "gexf": (to_gexf, "application/gexf+xml", "gexf"),
}
