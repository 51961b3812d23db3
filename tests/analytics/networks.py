"""Load the real networks of ../shared/realdata/networks into a TieGraph, a networkx graph and an igraph graph.

The three are built from the same ties: the TieGraph's (duplicates summed, self-loops dropped), so the
oracles see exactly the network Revere sees.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np

from revere.analytics.graph import TieGraph

# stem, directed, weight column (None = each row weighs 1; duplicate rows then sum into counts)
NETWORKS = [
    ("networkdata__ht_advice", True, None),
    ("networkdata__ht_friends", True, None),
    ("networkdata__law_advice", True, None),
    ("networkdata__law_cowork", True, None),
    ("networkdata__law_friends", True, None),
    ("networkdata__flo_marriage", False, None),
    ("networkdata__flo_business", False, None),
    ("networkdata__karate", False, None),
    ("igraphdata__karate", False, "weight"),
    ("igraphdata__enron", True, None),  # weighted by message count: one row per recipient per e-mail
]


def read_edges(folder: Path, stem: str, weight: str | None):
    path = folder / "networks" / f"{stem}.edges.csv"
    if not path.exists():
        path = path.with_suffix(".csv.gz")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="") as fh:
        rows = list(csv.DictReader(fh))
    src = np.array([int(r["source"]) for r in rows], dtype=np.int64)
    dst = np.array([int(r["target"]) for r in rows], dtype=np.int64)
    w = np.array([float(r[weight]) for r in rows]) if weight else None
    return src, dst, w


def read_nodes(folder: Path, stem: str) -> list[dict[str, str]]:
    with open(folder / "networks" / f"{stem}.nodes.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def load(folder: Path, stem: str, directed: bool, weight: str | None):
    src, dst, w = read_edges(folder, stem, weight)
    node_ids = np.array([int(r["id"]) for r in read_nodes(folder, stem)], dtype=np.int64)
    g = TieGraph.from_edges(src, dst, w, directed=directed, node_ids=node_ids)
    return (g, *oracles(g))


def oracles(g: TieGraph):
    s, d, w = g.edges()
    nxg = nx.DiGraph() if g.directed else nx.Graph()
    nxg.add_nodes_from(g.ids.tolist())
    nxg.add_weighted_edges_from(zip(s.tolist(), d.tolist(), w.tolist(), strict=True))
    igg = ig.Graph(
        n=g.n,
        edges=list(zip(g.index_of(s).tolist(), g.index_of(d).tolist(), strict=True)),
        directed=g.directed,
    )
    igg.es["weight"] = w.tolist()
    return nxg, igg
