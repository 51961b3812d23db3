"""Analytics benchmark: all-node Burt measures and one seller's ego metrics, Revere vs igraph vs networkx.

Synthetic graphs shaped like a company's network (``company_graph``): people in companies of about 15
(Poisson sizes), dense inside (each person names about 4 colleagues), plus heavy-tailed ties across
companies (each person about 1.5, to people picked with Pareto activity, tail exponent 2.5), tie strengths
Beta(2, 3) in (0, 1], mean degree about 9-10. Sizes 10k, 100k and 1M people. One seller is added, tied to
everyone at 333 companies (about 5,000 alters).

Measured in one run, each as the first run and the median of ``--repeat`` runs:

* **Revere**: ``TieGraph.from_edges`` (build) and ``holes.structural_holes`` (effective size, efficiency,
  constraint and hierarchy of every node, weighted), their peak traced memory, and
  ``summary.triangles`` (its own per-node triangle count: the same listing, counting only);
* **igraph**: graph build (edge list to ``Graph``, ``simplify`` summing duplicate weights) and
  ``constraint(weights=...)``; and ``transitivity_local_undirected``, igraph's per-node triangle count in
  C, as the floor (every Burt measure needs the triangles through each tie);
* **networkx**: graph build and its fastest all-node path: the scipy-sparse whole-graph ``constraint``,
  plus the whole-graph ``effective_size`` up to 20k nodes (it allocates a dense n x n array: 80 GB at
  100k; it is also wrong on weighted graphs, see docs/metrics.md) and above that the per-node
  ``effective_size`` timed on a sample of 100 nodes and extrapolated (said so in the row). networkx is
  skipped above ``--nx-max-nodes`` (default 100k; its graph alone takes several GB at 1M);
* **one seller's ego metrics**: ``holes.ego_holes`` plus ``ego.ego_summary`` (size, reach, densities,
  strength mix, diversity), median of 50 calls; igraph's ``constraint(vertices=[seller])`` beside it.

Ratios printed: Revere (build + all four measures) over igraph (build + constraint) [target <= 0.3 at
1M]; Revere's measures over igraph's triangle count [target <= 2]; networkx's fastest path over Revere
[target >= 100 at 100k]; the ego in ms [target < 5].
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

import numpy as np

from bench.common import peak_rss_mb, peak_traced, timed, timed_many

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
DEFAULT_REPEAT = {"10k": 5, "100k": 3, "1M": 3}
SELLER_COMPANIES = 333
DENSE_LIMIT = 20_000  # networkx's whole-graph effective size allocates n x n floats


def company_graph(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(src, dst, strength, company of each person, company start offsets)`` for ``n`` people."""
    rng = np.random.default_rng(seed)
    sizes = np.maximum(rng.poisson(15, size=n // 2 + 10), 2)
    ends = np.cumsum(sizes)
    k = int(np.searchsorted(ends, n)) + 1
    sizes = sizes[:k].copy()
    sizes[-1] -= ends[k - 1] - n
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    company = np.repeat(np.arange(k), sizes)
    inside = int(n * 4.2)
    src_in = rng.integers(0, n, inside)
    c = company[src_in]
    dst_in = starts[c] + (rng.random(inside) * sizes[c]).astype(np.int64)
    across = int(n * 1.5)
    activity = rng.pareto(1.5, n) + 1
    src_x = rng.integers(0, n, across)
    dst_x = rng.choice(n, size=across, p=activity / activity.sum())
    src = np.concatenate([src_in, src_x]).astype(np.int64)
    dst = np.concatenate([dst_in, dst_x]).astype(np.int64)
    strength = rng.beta(2, 3, len(src)) * 0.999 + 0.001
    return src, dst, strength, company, starts


def add_seller(src, dst, w, company, starts, seed: int = 1):
    """A seller (id n) tied to everyone at ``SELLER_COMPANIES`` random companies."""
    rng = np.random.default_rng(seed)
    n = len(company)
    picked = rng.choice(len(starts), size=min(SELLER_COMPANIES, len(starts)), replace=False)
    alters = np.flatnonzero(np.isin(company, picked))
    seller = n
    return (
        np.concatenate([src, np.full(len(alters), seller)]),
        np.concatenate([dst, alters]),
        np.concatenate([w, rng.beta(2, 3, len(alters)) * 0.999 + 0.001]),
        seller,
        len(alters),
    )


def _revere(src, dst, w, repeat: int) -> dict[str, Any]:
    from revere.analytics import holes
    from revere.analytics.graph import TieGraph
    from revere.analytics.summary import triangles

    b_first, b_med, g, b_cpu = timed(lambda: TieGraph.from_edges(src, dst, w, cap=1.0), repeat)
    h_first, h_med, _, h_cpu = timed(lambda: holes.structural_holes(g), repeat)
    t_first, t_med, _, t_cpu = timed(lambda: triangles(g), repeat)
    _, peak = peak_traced(lambda: holes.structural_holes(TieGraph.from_edges(src, dst, w, cap=1.0)))
    return {
        "graph": g,
        "build_first_s": b_first,
        "build_median_s": b_med,
        "holes_first_s": h_first,
        "holes_median_s": h_med,
        "build_cpu_s": b_cpu,
        "holes_cpu_s": h_cpu,
        "triangles_first_s": t_first,
        "triangles_median_s": t_med,
        "triangles_cpu_s": t_cpu,
        "peak_traced_mb": peak,
    }


def _igraph(src, dst, w, n: int, repeat: int) -> dict[str, Any]:
    import igraph as ig

    keep = src != dst

    def build():
        g = ig.Graph(n=n + 1, edges=np.column_stack([src[keep], dst[keep]]).tolist(), directed=False)
        g.es["weight"] = w[keep].tolist()
        g.simplify(multiple=True, loops=True, combine_edges="sum")
        return g

    b_first, b_med, g, b_cpu = timed(build, repeat)
    c_first, c_med, _, c_cpu = timed(lambda: g.constraint(weights="weight"), repeat)
    t_first, t_med, _, t_cpu = timed(lambda: g.transitivity_local_undirected(mode="zero"), repeat)
    return {
        "graph": g,
        "build_first_s": b_first,
        "build_median_s": b_med,
        "constraint_first_s": c_first,
        "constraint_median_s": c_med,
        "triangles_first_s": t_first,
        "triangles_median_s": t_med,
        "build_cpu_s": b_cpu,
        "constraint_cpu_s": c_cpu,
        "triangles_cpu_s": t_cpu,
    }


def _networkx(revere_graph, sample: int) -> dict[str, Any]:
    import networkx as nx

    s, d, w = revere_graph.edges()

    def build():
        g = nx.Graph()
        g.add_nodes_from(revere_graph.ids.tolist())
        g.add_weighted_edges_from(zip(s.tolist(), d.tolist(), w.tolist(), strict=True))
        return g

    b_first, _, g, _ = timed(build, 1)
    t = time.perf_counter()
    nx.constraint(g, weight="weight")  # scipy-sparse whole-graph path
    constraint_s = time.perf_counter() - t
    rng = np.random.default_rng(0)
    nodes = rng.choice(revere_graph.ids, size=min(sample, revere_graph.n), replace=False).tolist()
    t = time.perf_counter()
    nx.effective_size(g, nodes=nodes, weight="weight")  # per-node path: Burt's definition
    per_node = (time.perf_counter() - t) / len(nodes) * revere_graph.n
    whole_esize = float("nan")
    if revere_graph.n <= DENSE_LIMIT:
        # the whole-graph effective size builds a dense n x n array (and is wrong when weighted)
        t = time.perf_counter()
        nx.effective_size(g, weight="weight")
        whole_esize = time.perf_counter() - t
    fastest = constraint_s + (whole_esize if whole_esize == whole_esize else per_node)
    return {
        "build_s": b_first,
        "constraint_s": constraint_s,
        "whole_graph_esize_s": whole_esize,
        "per_node_esize_extrapolated_s": per_node,
        "fastest_s": fastest,
        "sample": len(nodes),
    }


def _ego(revere_graph, ig_graph, seller: int) -> dict[str, Any]:
    from revere.analytics import ego, holes

    def both():
        holes.ego_holes(revere_graph, seller)
        ego.ego_summary(revere_graph, seller)

    both()
    revere = timed_many(both, 50)
    only_holes = timed_many(lambda: holes.ego_holes(revere_graph, seller), 50)
    vertex = int(revere_graph.index_of([seller])[0])
    igraph = timed_many(lambda: ig_graph.constraint(vertices=[seller], weights="weight"), 20)
    del vertex
    return {
        "ego_ms": revere["median_ms"],
        "ego_cpu_ms": revere["cpu_median_ms"],
        "ego_p95_ms": revere["p95_ms"],
        "ego_holes_ms": only_holes["median_ms"],
        "igraph_constraint_one_ms": igraph["median_ms"],
    }


def run(args: Any = None) -> list[dict[str, Any]]:
    sizes_opt = getattr(args, "sizes", None) or "10k,100k,1M"
    repeat_opt = getattr(args, "repeat", None)
    nx_max = getattr(args, "nx_max_nodes", None) or 100_000
    rows: list[dict[str, Any]] = []
    for label in [s.strip() for s in sizes_opt.split(",") if s.strip()]:
        n = (
            SIZES[label]
            if label in SIZES
            else int(float(label.lower().replace("k", "e3").replace("m", "e6")))
        )
        repeat = repeat_opt or DEFAULT_REPEAT.get(label, 3)
        src, dst, w, company, starts = company_graph(n)
        src, dst, w, seller, n_alters = add_seller(src, dst, w, company, starts)
        rv = _revere(src, dst, w, repeat)
        g = rv.pop("graph")
        common = {
            "size": label,
            "nodes": g.n,
            "ties": g.m,
            "mean_degree": round(2 * g.m / g.n, 2),
            "repeat": repeat,
        }
        rows.append({"bench": "revere build + holes", **common, **rv})
        ig_res = _igraph(src, dst, w, n, repeat)
        igg = ig_res.pop("graph")
        rows.append({"bench": "igraph build + constraint + triangles", **common, **ig_res})
        nx_res: dict[str, Any] = {}
        if g.n <= nx_max:
            nx_res = _networkx(g, sample=100)
            rows.append({"bench": "networkx build + fastest path", **common, **nx_res})
        else:
            rows.append({"bench": "networkx", **common, "skipped": f"above --nx-max-nodes {nx_max}"})
        ego_res = _ego(g, igg, seller)
        rows.append({"bench": "one seller's ego", **common, "alters": n_alters, **ego_res})
        for kind in ("first", "median", "cpu"):
            rev_total = rv[f"build_{kind}_s"] + rv[f"holes_{kind}_s"]
            ig_total = ig_res[f"build_{kind}_s"] + ig_res[f"constraint_{kind}_s"]
            ratio: dict[str, Any] = {
                "bench": {
                    "first": "ratios (first run)",
                    "median": "ratios (medians)",
                    "cpu": "ratios (CPU medians)",
                }[kind],
                "size": label,
                "revere_total_s": rev_total,
                "revere_over_igraph_incl_build": rev_total / ig_total,
                "revere_holes_over_igraph_constraint": rv[f"holes_{kind}_s"] / ig_res[f"constraint_{kind}_s"],
                "revere_holes_over_igraph_triangles": rv[f"holes_{kind}_s"] / ig_res[f"triangles_{kind}_s"],
                "revere_holes_over_revere_triangles": rv[f"holes_{kind}_s"] / rv[f"triangles_{kind}_s"],
                "revere_total_over_igraph_build_plus_triangles": rev_total
                / (ig_res[f"build_{kind}_s"] + ig_res[f"triangles_{kind}_s"]),
            }
            if nx_res:
                ratio["networkx_fastest_over_revere"] = (nx_res["build_s"] + nx_res["fastest_s"]) / rev_total
                ratio["networkx_per_node_esize_over_revere"] = (
                    nx_res["per_node_esize_extrapolated_s"] / rv[f"holes_{kind}_s"]
                )
            rows.append(ratio)
        rows[-1]["ego_ms"] = ego_res["ego_ms"]
        rows[-1]["ego_cpu_ms"] = ego_res["ego_cpu_ms"]
        rows[-1]["peak_traced_mb"] = rv["peak_traced_mb"]
        rows[-1]["load_average"] = round(os.getloadavg()[0], 2)
        rows[-1]["process_peak_rss_mb"] = round(peak_rss_mb())
        del g, igg
    return [
        {k: (round(v, 4) if isinstance(v, float) and not math.isnan(v) else v) for k, v in r.items()}
        for r in rows
    ]
