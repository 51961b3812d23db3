"""Pages under writes: the warm home page, the page right after a write, how soon every worker sees
a write, and the memory of the web workers (issue 11, point 6).

    .venv/bin/python -m bench writes --size small|large|huge [--writes 100] [--workers 4] [--database-url URL]

On the demo of ``--size`` served by gunicorn (config/gunicorn.py, ``--workers`` sync workers,
prod settings) and the task worker, on 127.0.0.1, the demo seller signed in, in one run:

* **snapshot load**: a fresh process maps the organization's snapshot (the worker wrote it):
  :func:`organization_graph` with nothing cached, timed in this process;
* **warm**: ``GET /`` (the home page: the four networks, scorecard, advice) 100 times once every
  worker holds the graph: median and 95th percentile;
* **after a write**: 100 times, a write by the seller through the services (alternately a strength
  override of one of their ties and a keep-in-touch "done", which records an interaction and
  recomputes every tie of theirs), then at once ``GET /``: that request's worker patches its graph
  from the change log before it renders. Median and p95, and the ratio of the two p95s;
* **visible to every worker**: a strength override of one of the seller's ties, then at once one
  ``GET /api/network/paths?to=<that person>`` per worker: the time from the write until the last
  answered, each answer's direct route checked to carry the written strength;
* **memory**: RSS, PSS and USS of every worker (``/proc/PID/smaps_rollup``), and the machine's
  share: the PSS of the master and all workers summed (each shared page counted once), against
  the same sum when one worker served the same pages (a second server, started after the first
  stopped); the ratio to one worker's RSS is printed too (it counts the master's preloaded graph,
  config/gunicorn.py, as nothing).

Targets: after-write p95 at most 1.5x the warm p95 (large, huge); a write visible to every worker
within 1 s; with 4 workers on huge, the machine's memory under 1.5x its memory with one.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
from typing import Any

import numpy as np

from bench.serve import Server, cpu_seconds, get, memory, pct, session_cookie, setup

SELLER = "seller@lexington.example"


def _stats(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(pct(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }


def _writer(seller: Any) -> Any:
    from revere.network.models import Tie
    from revere.network.services import tie_set_strength_override
    from revere.playbook.services import tie_touch_done

    ties = list(Tie.unrestricted.filter(member=seller, is_active=True).values_list("pk", flat=True))
    rng = random.Random(11)

    def write(k: int) -> tuple[int, float]:
        tie_id = rng.choice(ties)
        if k % 2:
            tie_touch_done(member=seller, tie_id=tie_id)
            value = -1.0
        else:
            value = round(rng.uniform(0.05, 1.0), 6)
            tie_set_strength_override(tie=Tie.unrestricted.get(pk=tie_id), value=value)
        return tie_id, value

    return write


def run(args: Any = None) -> list[dict[str, Any]]:
    size = getattr(args, "size", None) or "large"
    n_writes = getattr(args, "writes", None) or 100
    n_workers = getattr(args, "workers", None) or 4
    env = setup(size, getattr(args, "database_url", None))
    from django.db import connection

    from revere.network.graph import loader, organization_graph
    from revere.tenancy.models import Member

    seller = Member.unrestricted.select_related("organization", "person").get(user__email=SELLER)
    org_id = seller.organization_id
    cookie = session_cookie(SELLER)
    rows: list[dict[str, Any]] = []
    with Server(env, n_workers) as server:
        # Every worker gets the graph (the first builds and writes the snapshot, the others map it).
        t = time.perf_counter()
        threads = [
            threading.Thread(target=get, args=(server.port, "/", cookie)) for _ in range(n_workers * 2)
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        first_s = time.perf_counter() - t
        loader._cache.clear()
        t = time.perf_counter()
        net = organization_graph(organization_id=org_id)
        load_s = time.perf_counter() - t
        rows.append(
            {
                "bench": "graph from the snapshot, nothing cached (this process)",
                "size": size,
                "database": connection.vendor,
                "nodes": net.graph.n,
                "edges": net.graph.m,
                "load_s": round(load_s, 3),
                "first_pages_s": round(first_s, 1),
                "meets_target": load_s < 1.0,
            }
        )
        for _ in range(10):
            get(server.port, "/", cookie)
        pids = server.worker_pids()
        warm = []
        cpu = cpu_seconds(pids)
        for _ in range(100):
            status, seconds, _ = get(server.port, "/", cookie)
            assert status == 200, status
            warm.append(seconds)
        warm_cpu = (cpu_seconds(pids) - cpu) / len(warm) * 1000
        rows.append(
            {
                "bench": "home page, warm",
                "workers": n_workers,
                **_stats(warm),
                "server_cpu_ms": round(warm_cpu, 1),
            }
        )

        write = _writer(seller)
        after, write_s = [], []
        cpu = cpu_seconds(pids)
        for k in range(n_writes):
            t = time.perf_counter()
            write(k)
            write_s.append(time.perf_counter() - t)
            status, seconds, _ = get(server.port, "/", cookie)
            assert status == 200, status
            after.append(seconds)
            time.sleep(0.05)
        after_cpu = (cpu_seconds(pids) - cpu) / len(after) * 1000
        ratio = pct(after, 0.95) / pct(warm, 0.95)
        rows.append(
            {
                "bench": "home page right after a write",
                "writes": n_writes,
                **_stats(after),
                "server_cpu_ms": round(after_cpu, 1),
                "write_median_ms": round(statistics.median(write_s) * 1000, 1),
                "ratio_p95_to_warm_p95": round(ratio, 2),
                "meets_target": ratio <= 1.5,
            }
        )

        # Visible: a strength override of a seller's tie, then one request per worker at once for
        # the paths to that person (the direct tie's score is the new strength): the time until
        # the last answered, each answer checked.
        from revere.network.models import Tie
        from revere.network.services import tie_set_strength_override

        rng = random.Random(5)
        ties = list(Tie.unrestricted.filter(member=seller, is_active=True).select_related("person")[:2000])
        visible, checked = [], 0
        for _ in range(20):
            tie = rng.choice(ties)
            value = round(rng.uniform(0.995, 1.0), 6)
            t = time.perf_counter()
            tie_set_strength_override(tie=tie, value=value)
            ng = organization_graph(organization_id=org_id)
            g = ng.graph
            cols, wgt = g.row(int(g.index_of([seller.person_id])[0]))
            expected = float(wgt[np.searchsorted(cols, int(g.index_of([tie.person_id])[0]))])
            path = f"/api/network/paths?to={tie.person_id}&k=5&max_intermediaries=1&from_team=false"
            answers: list[tuple[int, float, bytes]] = []

            def ask(into: list[tuple[int, float, bytes]] = answers, path: str = path) -> None:
                into.append(get(server.port, path, cookie))

            threads = [threading.Thread(target=ask) for _ in range(n_workers)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            visible.append(time.perf_counter() - t)
            for status, _, body in answers:
                assert status == 200, status
                direct = [
                    r for r in json.loads(body) if r and r["persons"] == [seller.person_id, tie.person_id]
                ]
                if direct:
                    assert abs(direct[0]["score"] - round(expected, 4)) < 1e-9, (
                        "a worker served an older graph"
                    )
                    checked += 1
            time.sleep(0.2)
        rows.append(
            {
                "bench": f"a write visible to all {n_workers} workers (write, then one paths request each, at once)",
                **_stats(visible),
                "answers_checked": checked,
                "meets_target": max(visible) < 1.0,
            }
        )

        time.sleep(1.0)
        pids = server.worker_pids()
        per = {pid: memory(pid) for pid in pids}
        master = memory(server.web.pid)
        for pid, m in per.items():
            rows.append({"bench": "web worker memory", "pid": pid, **m})
        machine = master["pss_mb"] + sum(m["pss_mb"] for m in per.values())
        one = max(m["rss_mb"] for m in per.values())
    # The same pages served by one worker: the machine's memory for one against the one for four.
    from revere.network.models import Tie

    someone = Tie.unrestricted.filter(member=seller, is_active=True).values_list("person_id", flat=True)[0]
    # The lone worker serves what each of the four did: warm pages, pages right after writes (each
    # a patch of its graph), a paths request.
    with Server(env, 1) as server:
        for _ in range(10):
            get(server.port, "/", cookie)
        for k in range(10):
            write(k)
            get(server.port, "/", cookie)
        get(server.port, f"/api/network/paths?to={someone}&k=5&max_intermediaries=1&from_team=false", cookie)
        time.sleep(1.0)
        alone = memory(server.web.pid)["pss_mb"] + sum(memory(p)["pss_mb"] for p in server.worker_pids())
    rows.append(
        {
            "bench": f"machine memory, {len(pids)} workers against 1 (PSS of master and workers)",
            "master_rss_mb": master["rss_mb"],
            "machine_mb": round(machine, 1),
            "machine_one_worker_mb": round(alone, 1),
            "ratio": round(machine / alone, 2),
            "one_worker_rss_mb": one,
            "ratio_to_one_worker_rss": round(machine / one, 2),
            "meets_target": machine / alone < 1.5,
        }
    )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "large", "huge"])
    parser.add_argument("--writes", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    for row in run(args):
        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    main()
