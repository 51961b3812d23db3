"""Introduction-path benchmark: the graph from the database, then the five best paths, against networkx and igraph.

On the demo of ``--size`` (huge: about 1,000,000 persons and 5,000,000 links), in one run:

* **graph load**: :func:`revere.network.graph.organization_graph` cold (four plain SELECTs read in
  chunks and the TieGraph build): wall time, and memory as the operating system counts it: the
  process's peak resident set (``ru_maxrss``, Django and all) and its growth during the load; then the
  same call again, served from the cache (one query of one column). No allocation tracer runs: it
  would slow the load it times (tracemalloc hooks every Python object of the fetch, 3.5x);
* **five best paths**: :func:`revere.analytics.paths.best_paths` (k=5, at most three intermediaries)
  from a random seller to a random person, over ``--pairs`` pairs (default 1,000): median and 95th
  percentile; and the whole finder service (:func:`revere.network.finder.paths_to_person`: search,
  visibility of every hop, three queries) over a tenth of them;
* the same pairs for **networkx** ``shortest_simple_paths`` (Yen's algorithm, weight ``-log strength``,
  its first five paths; it has no hop limit) and **igraph** ``get_k_shortest_paths`` (k=5, the same
  weights), on the same graph. Each Yen iteration runs Dijkstra over the whole graph, so on the huge
  graph they are timed on a sample of pairs (``--nx-pairs``, ``--ig-pairs``), and said so; the ratios
  compare medians. networkx's graph alone takes several GB at 5,000,000 edges: ``--nx-max-edges``
  skips it above that size, and the row says so.

Targets (issue 5, point 7): load under 15 s and 1.5 GB; five best paths under 20 ms at the 95th
percentile; at least 100x networkx.

    .venv/bin/python -m bench.bench_paths [--size huge] [--pairs 1000] [--database-url URL]

The demo is built once into ``var/bench-paths-<size>.sqlite3`` (or the database of ``--database-url``)
and reused by later runs; ``--rebuild`` builds it again.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_LOAD_S = 15.0
TARGET_LOAD_MB = 1500.0
TARGET_P95_MS = 20.0
TARGET_NX_RATIO = 100.0


def _setup_django(database_url: str | None, size: str) -> None:
    default = f"sqlite:///{ROOT / 'var' / f'bench-paths-{size}.sqlite3'}"
    os.environ["DATABASE_URL"] = database_url or default
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    connection.close()  # the demo's bulk loader sets connection pragmas outside any transaction


def _demo(size: str, rebuild: bool) -> tuple[Any, float | None]:
    from revere.demo.build import demo_create
    from revere.tenancy.models import Organization

    org = Organization.objects.filter(slug="lexington").first()
    if org is not None and not rebuild:
        return org, None
    t = time.perf_counter()
    demo_create(size=size, seed=1775)
    return Organization.objects.get(slug="lexington"), time.perf_counter() - t


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _stats(ms: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(_pct(ms, 0.95), 3),
        "max_ms": round(max(ms), 3),
    }


def _pairs(net: Any, n: int, seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    sellers = sorted(set(net.member_person.values()))
    ids = net.graph.ids
    out = []
    while len(out) < n:
        s = rng.choice(sellers)
        t = int(ids[rng.randrange(len(ids))])
        if s != t:
            out.append((s, t))
    return out


def _load(org_id: int) -> tuple[Any, dict[str, Any]]:
    from revere.network.graph import organization_graph, organization_graph_clear

    organization_graph_clear()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    cpu = time.process_time()
    net = organization_graph(organization_id=org_id)
    cold = time.perf_counter() - t
    cold_cpu = time.process_time() - cpu
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    again = organization_graph(organization_id=org_id)
    warm_ms = (time.perf_counter() - t) * 1000
    assert again is net
    return net, {
        "bench": "graph load from the database",
        "nodes": net.graph.n,
        "edges": net.graph.m,
        "cold_s": round(cold, 2),
        "cold_cpu_s": round(cold_cpu, 2),
        "peak_rss_mb": round(rss_after, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "cached_ms": round(warm_ms, 2),
        "meets_target": cold < TARGET_LOAD_S and rss_after < TARGET_LOAD_MB,
    }


def _revere(net: Any, pairs: list[tuple[int, int]]) -> tuple[list[float], list[list[tuple[int, ...]]]]:
    from revere.analytics.paths import best_paths

    g = net.graph
    best_paths(g, pairs[0][0], pairs[0][1], k=5, max_intermediaries=3)  # warm up (the graph's caches)
    times, found = [], []
    for s, t in pairs:
        start = time.perf_counter()
        paths = best_paths(g, s, t, k=5, max_intermediaries=3)
        times.append((time.perf_counter() - start) * 1000)
        found.append([p.nodes for p in paths])
    return times, found


def _service(org_id: int, net: Any, pairs: list[tuple[int, int]]) -> list[float]:
    from revere.network.finder import paths_to_person
    from revere.tenancy.models import Member

    members = {
        m.person_id: m for m in Member.unrestricted.filter(organization_id=org_id).select_related("person")
    }
    times = []
    for s, t in pairs:
        start = time.perf_counter()
        paths_to_person(member=members[s], person_id=t, k=5, from_team=False)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _networkx(
    net: Any, pairs: list[tuple[int, int]]
) -> tuple[list[float], list[list[tuple[int, ...]]], float]:
    import networkx as nx

    t = time.perf_counter()
    src, dst, w = net.graph.edges()
    g = nx.Graph()
    g.add_weighted_edges_from(
        zip(src.tolist(), dst.tolist(), (-math.log(x) for x in w.tolist()), strict=True), weight="cost"
    )
    build = time.perf_counter() - t
    times, found = [], []
    for s, target in pairs:
        start = time.perf_counter()
        paths: list[tuple[int, ...]] = []
        if s in g and target in g:
            try:
                for p in nx.shortest_simple_paths(g, s, target, weight="cost"):
                    paths.append(tuple(p))
                    if len(paths) == 5:
                        break
            except nx.NetworkXNoPath:
                pass
        times.append((time.perf_counter() - start) * 1000)
        found.append(paths)
    return times, found, build


def _igraph(net: Any, pairs: list[tuple[int, int]]) -> tuple[list[float], float]:
    import igraph as ig
    import numpy as np

    t = time.perf_counter()
    g = net.graph
    src, dst, w = g.edges()
    gi = ig.Graph(n=g.n, edges=np.column_stack([g.index_of(src), g.index_of(dst)]).tolist(), directed=False)
    cost = (-np.log(w)).tolist()
    build = time.perf_counter() - t
    times = []
    for s, target in pairs:
        si, ti = (int(x) for x in g.index_of([s, target]))
        start = time.perf_counter()
        gi.get_k_shortest_paths(si, to=ti, k=5, weights=cost, mode="all", output="vpath")
        times.append((time.perf_counter() - start) * 1000)
    return times, build


def _in_subprocess(args: Any) -> list[dict[str, Any]]:
    """Run in a fresh interpreter: another bench of the same run has already set Django up on its own
    database, and Django cannot switch databases once configured."""
    import json
    import subprocess

    argv = [sys.executable, "-m", "bench.bench_paths", "--json"]
    for name in ("size", "pairs", "nx_pairs", "ig_pairs", "nx_max_edges", "database_url"):
        value = getattr(args, name, None)
        if value is not None:
            argv += [f"--{name.replace('_', '-')}", str(value)]
    done = subprocess.run(argv, cwd=ROOT, check=True, capture_output=True, text=True)
    rows: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


def run(args: Any = None) -> list[dict[str, Any]]:
    from django.apps import apps

    if apps.ready:
        return _in_subprocess(args)
    size = getattr(args, "size", None) or "huge"
    n_pairs = getattr(args, "pairs", None) or 1000
    nx_pairs = getattr(args, "nx_pairs", None) or 5
    ig_pairs = getattr(args, "ig_pairs", None) or 10
    nx_max_edges = getattr(args, "nx_max_edges", None) or 6_000_000
    _setup_django(getattr(args, "database_url", None), size)
    from django.db import connection

    org, built_s = _demo(size, bool(getattr(args, "rebuild", False)))
    net, load_row = _load(org.pk)
    load_row.update({"size": size, "database": connection.vendor})
    if built_s is not None:
        load_row["demo_built_s"] = round(built_s, 1)
    rows = [load_row]

    pairs = _pairs(net, n_pairs, seed=5)
    rv_ms, rv_found = _revere(net, pairs)
    reached = sum(1 for f in rv_found if f)
    rows.append(
        {
            "bench": "five best paths (revere.analytics.paths.best_paths)",
            "pairs": len(pairs),
            "reached": reached,
            **_stats(rv_ms),
            "target_p95_ms": TARGET_P95_MS,
            "meets_target": _pct(rv_ms, 0.95) < TARGET_P95_MS,
        }
    )
    svc_ms = _service(org.pk, net, pairs[: max(1, len(pairs) // 10)])
    rows.append(
        {
            "bench": "finder service paths_to_person (search + visibility + 3 queries)",
            "pairs": len(svc_ms),
            **_stats(svc_ms),
        }
    )

    ig_ms, ig_build = _igraph(net, pairs[:ig_pairs])
    rows.append(
        {
            "bench": "igraph get_k_shortest_paths (k=5, Yen, C)",
            "pairs": len(ig_ms),
            "build_s": round(ig_build, 1),
            **_stats(ig_ms),
            "ratio_vs_revere_median": round(
                statistics.median(ig_ms) / statistics.median(rv_ms[: len(ig_ms)]), 1
            ),
        }
    )
    if net.graph.m <= nx_max_edges:
        nx_ms, nx_found, nx_build = _networkx(net, pairs[:nx_pairs])
        # Where networkx's first five all lie within the hop limit, they must be Revere's five.
        within = [
            (a, b)
            for a, b in zip(nx_found, rv_found[: len(nx_found)], strict=True)
            if all(len(p) <= 5 for p in a)
        ]
        agree = sum(1 for a, b in within if a == b)
        rows.append(
            {
                "bench": "networkx shortest_simple_paths (first 5, Yen)",
                "pairs": len(nx_ms),
                "build_s": round(nx_build, 1),
                **_stats(nx_ms),
                "same_paths_as_revere": f"{agree}/{len(within)} pairs whose 5 nx paths are within the hop limit",
                "ratio_vs_revere_median": round(
                    statistics.median(nx_ms) / statistics.median(rv_ms[: len(nx_ms)]), 1
                ),
                "meets_target": statistics.median(nx_ms) / statistics.median(rv_ms[: len(nx_ms)])
                >= TARGET_NX_RATIO,
            }
        )
    else:
        rows.append(
            {"bench": "networkx shortest_simple_paths", "skipped": f"graph above {nx_max_edges:,} edges"}
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="huge", choices=["small", "large", "huge"])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--nx-pairs", type=int, default=5)
    parser.add_argument("--ig-pairs", type=int, default=10)
    parser.add_argument("--nx-max-edges", type=int, default=6_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rebuild", action="store_true", help="build the demo again")
    parser.add_argument("--json", action="store_true", help="print the rows as one JSON line")
    args = parser.parse_args(argv)
    rows = run(args)
    if args.json:
        import json

        print(json.dumps(rows, default=str))
        return
    for row in rows:
        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)


if __name__ == "__main__":
    main()
