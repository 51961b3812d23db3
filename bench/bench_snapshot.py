"""Snapshot load and sharing at the huge demo's size, without the demo: a synthetic organization
graph of ``--nodes`` persons and ``--edges`` edges written as a snapshot, then mapped by
``--workers`` fresh processes at once (issue 11, point 3).

    .venv/bin/python -m bench snapshot [--nodes 1000000] [--edges 5000000] [--workers 4]

Each process starts a new interpreter, sets Django up, maps the snapshot
(:func:`revere.network.graph.snapshot.load`) and times it, then reads every array once (as pages
that gather across the graph would) and reports its RSS, PSS and USS; the machine's share is the
sum of their PSS. Target: a process start maps the huge graph in under 1 s; the memory of 4
processes under 1.5x one process's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
from revere.network.graph import snapshot
from bench.serve import memory
t = time.perf_counter()
ng = snapshot.load({directory!r}, 1)
load_s = time.perf_counter() - t
g = ng.graph
total = float(g.weights.sum()) + int(g.indices.sum()) + int(g.indptr[-1]) + int(g.ids.sum())
total += sum(int(c.codes.sum()) for c in g.attrs.values()) + int(ng.person_company.sum())
sys.stdout.write(json.dumps({{"load_s": load_s, "n": g.n, "m": g.m, "total": total}}) + "\n")
sys.stdout.flush()
sys.stdin.readline()  # every process has mapped and read the snapshot: measure now
sys.stdout.write(json.dumps(memory(os.getpid())) + "\n")
sys.stdout.flush()
sys.stdin.readline()  # hold the mapping until the parent has measured everyone
"""


def _graph(nodes: int, edges: int) -> Any:
    import numpy as np

    from revere.analytics.graph import TieGraph
    from revere.network.graph.state import Companies, NetworkGraph, Vocab, derive_attrs

    rng = np.random.default_rng(1)
    ids = np.arange(1, nodes + 1, dtype=np.int64)
    src = rng.integers(1, nodes + 1, edges)
    dst = np.minimum(nodes, src + rng.geometric(0.001, edges))  # mostly near: companies
    w = rng.uniform(0.05, 1.0, edges)
    n_comp = max(1, nodes // 25)
    comp_ids = np.concatenate([[-2], np.arange(10**7, 10**7 + n_comp)])
    vocab = {
        "industry": Vocab([f"i{k}" for k in range(40)]),
        "function": Vocab([f"f{k}" for k in range(12)]),
        "region": Vocab([f"r{k}" for k in range(8)]),
    }
    companies = Companies(
        ids=comp_ids.astype(np.int64),
        industry=np.concatenate([[-1], rng.integers(0, 40, n_comp)]).astype(np.int32),
        region=np.concatenate([[-1], rng.integers(0, 8, n_comp)]).astype(np.int32),
        status_class=np.zeros(n_comp + 1, dtype=np.int8),
    )
    empty = np.zeros(0, dtype=np.int64)
    ng = NetworkGraph(
        organization_id=1,
        data_version=1,
        graph=TieGraph.from_edges([], [], []),
        tie_id=empty,
        tie_member=empty,
        tie_ego=empty,
        tie_person=empty,
        tie_strength=np.zeros(0),
        tie_class=np.zeros(0, dtype=np.int8),
        tie_private=np.zeros(0, dtype=bool),
        person_company=comp_ids[rng.integers(1, n_comp + 1, nodes)].astype(np.int64),
        person_function=rng.integers(-1, 12, nodes).astype(np.int32),
        person_region=rng.integers(-1, 8, nodes).astype(np.int32),
        companies=companies,
        vocab=vocab,
    )
    attrs: dict[str, Any] = dict(derive_attrs(ng, ids))
    return ng.evolve(graph=TieGraph.from_edges(src, dst, w, node_ids=ids, attrs=attrs))


def run(args: Any = None) -> list[dict[str, Any]]:
    nodes = int(getattr(args, "nodes", None) or 1_000_000)
    edges = int(getattr(args, "edges", None) or 5_000_000)
    workers = int(getattr(args, "workers", None) or 4)
    tmp = tempfile.mkdtemp(prefix="revere-bench-snapshot-")
    os.environ["REVERE_GRAPH_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.REVERE_GRAPH_DIR = Path(tmp)
    from revere.network.graph import snapshot

    t = time.perf_counter()
    ng = _graph(nodes, edges)
    built_s = time.perf_counter() - t
    t = time.perf_counter()
    directory = snapshot.write(ng)
    write_s = time.perf_counter() - t
    size_mb = sum(p.stat().st_size for p in (Path(tmp) / directory).iterdir()) / 2**20
    del ng
    env = dict(os.environ, REVERE_GRAPH_DIR=tmp)
    code = CHILD.format(root=str(ROOT), directory=directory)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(workers)
    ]
    reports = [json.loads(p.stdout.readline()) for p in procs]  # type: ignore[union-attr]
    for p in procs:
        p.stdin.write("\n")  # type: ignore[union-attr]
        p.stdin.flush()  # type: ignore[union-attr]
    for p, r in zip(procs, reports, strict=True):
        r.update(json.loads(p.stdout.readline()))  # type: ignore[union-attr]
    for p in procs:
        p.communicate("\n", timeout=60)
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    rows: list[dict[str, Any]] = [
        {
            "bench": "synthetic graph written as a snapshot",
            "nodes": nodes,
            "edges": reports[0]["m"],
            "build_s": round(built_s, 1),
            "write_s": round(write_s, 2),
            "snapshot_mb": round(size_mb, 1),
        }
    ]
    for k, r in enumerate(reports):
        rows.append(
            {
                "bench": f"process {k}: map the snapshot, read every array",
                "load_s": round(r["load_s"], 3),
                "rss_mb": r["rss_mb"],
                "pss_mb": r["pss_mb"],
                "uss_mb": r["uss_mb"],
            }
        )
    machine = sum(r["pss_mb"] for r in reports)
    one = max(r["rss_mb"] for r in reports)
    rows.append(
        {
            "bench": f"{workers} processes: PSS summed against one's RSS",
            "machine_mb": round(machine, 1),
            "one_rss_mb": one,
            "ratio": round(machine / one, 2),
            "load_meets_target": max(r["load_s"] for r in reports) < 1.0,
            "memory_meets_target": machine / one < 1.5,
        }
    )
    return rows


if __name__ == "__main__":
    for row in run():
        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
