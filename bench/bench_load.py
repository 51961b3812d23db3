"""Load test: concurrent signed-in sellers over home, finder and contacts while one seller writes
(issue 11, point 5). Bounded, and against 127.0.0.1 only.

    .venv/bin/python -m bench load --size large [--users 50] [--duration 60] [--workers 4] [--database-url URL]

On the demo of ``--size`` served by gunicorn (config/gunicorn.py, prod settings) and the task
worker: ``--users`` members of the demo company, each signed in with their own session, each in a
loop for ``--duration`` seconds: a page picked at random — the home page ``/`` (their four
networks, scorecard, advice), the finder ``/finder/?to=ID`` (routes to a random person of the
organization) or the contacts list ``/contacts/`` — then a pause of 2 to 6 s (a person reading the
page), so 50 users ask about 12 pages a second. Meanwhile the demo seller writes once a second
through the services (a strength override, or a keep-in-touch "done" that recomputes every tie of
theirs), so the workers patch their graphs all along. Prints the requests, the errors (any status
but 200, any exception), and the median, p95 and max per page and overall.

Target (large demo): p95 under 300 ms, no errors.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from bench.bench_writes import SELLER, _writer
from bench.serve import ROOT, Server, cpu_seconds, get, pct, session_cookie, setup

THINK_S = (2.0, 6.0)


def run(args: Any = None) -> list[dict[str, Any]]:
    size = getattr(args, "size", None) or "large"
    n_users = getattr(args, "users", None) or 50
    duration = getattr(args, "duration", None) or 60.0
    n_workers = getattr(args, "workers", None) or 4
    env = setup(size, getattr(args, "database_url", None))
    from django.db import connection

    from revere.contacts.models import Person
    from revere.tenancy.models import Member

    seller = Member.unrestricted.select_related("organization", "person").get(user__email=SELLER)
    members = list(
        Member.unrestricted.in_organization(seller.organization_id)
        .filter(is_active=True)
        .select_related("user")
        .order_by("pk")[:n_users]
    )
    cookies = [session_cookie(m.user.email) for m in members]
    person_ids = list(
        Person.unrestricted.in_organization(seller.organization_id).values_list("pk", flat=True)[:200_000]
    )
    results: dict[str, list[float]] = {"home": [], "finder": [], "contacts": []}
    errors: list[str] = []
    lock = threading.Lock()
    writes = [0]
    with Server(env, n_workers) as server:
        for cookie in cookies[: n_workers * 2]:  # every worker has the graph before the clock starts
            get(server.port, "/", cookie)
        deadline = time.time() + duration

        def user(k: int) -> None:
            rng = random.Random(k)
            time.sleep(rng.uniform(0, THINK_S[1]))  # users arrive spread out
            while time.time() < deadline:
                page = rng.choice(("home", "finder", "contacts"))
                path = {"home": "/", "contacts": "/contacts/"}.get(
                    page
                ) or f"/finder/?to={rng.choice(person_ids)}"
                try:
                    status, seconds, _ = get(server.port, path, cookies[k % len(cookies)])
                    with lock:
                        results[page].append(seconds)
                        if status != 200:
                            errors.append(f"{path}: {status}")
                except Exception as exc:  # a refused or timed-out request is an error of the test
                    with lock:
                        errors.append(f"{path}: {exc!r}")
                time.sleep(rng.uniform(*THINK_S))

        threads = [threading.Thread(target=user, args=(k,)) for k in range(n_users)]
        # The writer runs in a process of its own: its services' CPU must not hold this process's
        # GIL while the users' threads wait to send and read their requests.
        writer = subprocess.Popen(
            [sys.executable, "-m", "bench.bench_load", "--writer", str(duration), "--size", size],
            env=dict(os.environ),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        pids = server.worker_pids()
        cpu = cpu_seconds(pids)
        started = time.time()
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=duration + 120)
        elapsed = time.time() - started
        cpu = cpu_seconds(pids) - cpu
        out, _ = writer.communicate(timeout=120)
        writes[0] = int(out.strip().splitlines()[-1]) if out.strip() else 0

    every = [s for values in results.values() for s in values]
    rows: list[dict[str, Any]] = []
    for page, values in [*results.items(), ("all", every)]:
        ms = [s * 1000 for s in values]
        rows.append(
            {
                "bench": f"load: {page}",
                "requests": len(ms),
                "median_ms": round(statistics.median(ms), 1) if ms else None,
                "p95_ms": round(pct(ms, 0.95), 1) if ms else None,
                "max_ms": round(max(ms), 1) if ms else None,
            }
        )
    rows[-1].update(
        {
            "size": size,
            "database": connection.vendor,
            "users": n_users,
            "workers": n_workers,
            "seconds": round(elapsed, 1),
            "requests_per_s": round(len(every) / elapsed, 1),
            "server_cpu_ms_per_request": round(cpu / max(1, len(every)) * 1000, 1),
            "server_cpu_share": round(cpu / elapsed, 2),
            "writes": writes[0],
            "errors": len(errors),
            "meets_target": bool(every) and pct(every, 0.95) < 0.3 and not errors,
        }
    )
    if errors:
        rows.append({"bench": "load: first errors", "errors": "; ".join(errors[:5])})
    return rows


def _write_every_second(duration: float, size: str) -> None:
    """The writer's process: the demo seller writes once a second for ``duration`` seconds."""
    from bench.bench_paths import _setup_django

    _setup_django(os.environ.get("DATABASE_URL"), size)
    from revere.tenancy.models import Member

    seller = Member.unrestricted.select_related("organization", "person").get(user__email=SELLER)
    write = _writer(seller)
    deadline, k = time.time() + duration, 0
    while time.time() < deadline:
        started = time.time()
        write(k)
        k += 1
        time.sleep(max(0.0, 1.0 - (time.time() - started)))
    print(k, flush=True)


def main(argv: list[str] | None = None) -> None:
    if argv is None and len(sys.argv) > 2 and sys.argv[1] == "--writer":
        _write_every_second(float(sys.argv[2]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="large", choices=["small", "large", "huge"])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    for row in run(args):
        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
