"""Graph explorer benchmark: a seller's circles (Louvain on the contacts' links) and the server layout.

An ego network like the graph test's 5,000-contact seller: contacts in companies of 12, each linked to
3 colleagues, plus 800 random links across companies. Measures, against networkx on the same graph:

* circles: :func:`revere.analytics.clusters.ego_circles` (Louvain on the alter-alter graph, weighted)
  against ``networkx.community.louvain_communities`` (seed 0) on that alter-alter graph, with the
  modularity each reaches;
* layout: :func:`revere.network.layout.circle_layout` (a spring layout per circle, batched) against
  ``networkx.spring_layout`` (Fruchterman-Reingold, 50 iterations) on the whole alter-alter graph.

Target (issue 12, point 3): the layout settles in under 3 s for 5,000 contacts; here the browser runs
none, so it is this server time.

    .venv/bin/python -m bench.bench_explorer [--contacts 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from bench.common import print_rows, timed


def ego_network(contacts: int, seed: int = 1) -> Any:
    from revere.analytics.graph import TieGraph

    rng = np.random.default_rng(seed)
    src, dst, w = [0] * contacts, list(range(1, contacts + 1)), [0.5] * contacts
    for c in range(0, contacts, 12):
        members = list(range(1 + c, min(contacts, c + 12) + 1))
        for a in members:
            for b in rng.choice(members, min(3, len(members)), replace=False):
                if a < b:
                    src.append(a)
                    dst.append(int(b))
                    w.append(0.5)
    for _ in range(800):
        a, b = rng.integers(1, contacts + 1, 2)
        if a != b:
            src.append(int(a))
            dst.append(int(b))
            w.append(0.3)
    return TieGraph.from_edges(src, dst, w)


def run(args: Any = None) -> list[dict[str, Any]]:
    import networkx as nx

    from revere.analytics.clusters import modularity
    from revere.network.egoview import ego_circles
    from revere.network.layout import circle_layout

    contacts = getattr(args, "contacts", None) or 5000
    repeat = getattr(args, "repeat", None) or 3
    g = ego_network(contacts)
    alters = g.subgraph(g.ids[g.ids != 0])
    a = alters.mutual().tocoo()
    nxg = nx.Graph()
    nxg.add_nodes_from(range(alters.n))
    nxg.add_weighted_edges_from(
        (int(i), int(j), float(x)) for i, j, x in zip(a.row, a.col, a.data, strict=True) if i < j
    )

    _, rv_s, circles, rv_cpu = timed(lambda: ego_circles(g, 0), repeat)
    _, nx_s, parts, _ = timed(lambda: nx.community.louvain_communities(nxg, seed=0), repeat)
    rv_q = modularity(alters, circles.label)
    labels = np.empty(alters.n, dtype=np.int64)
    for k, part in enumerate(parts):
        labels[list(part)] = k
    nx_q = modularity(alters, labels)
    _, lay_s, _, lay_cpu = timed(lambda: circle_layout(g, 0, circles.label), repeat)
    _, nxl_s, _, _ = timed(lambda: nx.spring_layout(nxg, iterations=50, seed=0), 1)
    return [
        {
            "bench": f"circles of {contacts:,} contacts (Louvain)",
            "revere_s": round(rv_s, 3),
            "revere_cpu_s": round(rv_cpu, 3),
            "networkx_s": round(nx_s, 3),
            "ratio": round(nx_s / rv_s, 1),
            "circles": int(circles.label.max()) + 1,
            "modularity_revere": round(rv_q, 4),
            "modularity_networkx": round(nx_q, 4),
        },
        {
            "bench": f"layout of {contacts:,} contacts",
            "revere_s": round(lay_s, 3),
            "revere_cpu_s": round(lay_cpu, 3),
            "networkx_s": round(nxl_s, 3),
            "ratio": round(nxl_s / lay_s, 1),
            "target_s": 3.0,
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    print_rows(run(parser.parse_args()), "graph explorer")


if __name__ == "__main__":
    main()
