"""Serving the demo for the HTTP benchmarks: gunicorn (config/gunicorn.py) and the task worker on
127.0.0.1 only, signed-in sessions, timed GETs, and the memory of every process.

Used by bench_writes and bench_load. The demo database is the one bench_paths builds
(``var/bench-paths-<size>.sqlite3``, or ``--database-url``); snapshots go to
``var/bench-graphs-<size>/``. Everything started here is stopped by :meth:`Server.stop` (and by
the ``with`` block), by its process id.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def setup(size: str, database_url: str | None) -> dict[str, str]:
    """Django set up in this process on the size's demo (built if missing); the environment the
    served processes get."""
    from bench.bench_paths import _demo, _setup_django

    # One secret for this process and the served ones: the sessions made here must verify there.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    _setup_django(database_url, size)
    _demo(size, rebuild=False)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        REVERE_GRAPH_DIR=str(ROOT / "var" / f"bench-graphs-{size}"),
        REVERE_ACCESS_LOG="/dev/null",
    )
    os.environ["REVERE_GRAPH_DIR"] = env["REVERE_GRAPH_DIR"]
    from django.conf import settings

    settings.REVERE_GRAPH_DIR = Path(env["REVERE_GRAPH_DIR"])
    subprocess.run(
        [str(BIN / "revere"), "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True, cwd=ROOT
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn with ``workers`` workers and one task worker, on 127.0.0.1."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        env = dict(env, REVERE_BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(workers))
        self.web = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "config" / "gunicorn.py"), "config.wsgi"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(ROOT / "var" / "bench-gunicorn.log", "w"),  # noqa: SIM115
        )
        self.worker = subprocess.Popen(
            [str(BIN / "revere"), "db_worker", "--interval", "0.2"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(ROOT / "var" / "bench-worker.log", "w"),  # noqa: SIM115
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _, _ = get(self.port, "/login/", cookie="")
                if status in (200, 302):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not start; see var/bench-gunicorn.log")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.web.pid)], capture_output=True, text=True).stdout
        return sorted(int(p) for p in out.split())

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (self.web, self.worker):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def session_cookie(email: str) -> str:
    """A signed-in session for the user (written to the session store, as a login would)."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
        load_backend,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(email=email)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend a sign-in records is the one that authenticated the user, as Client.force_login
    # picks it: the first that can load users (django-axes's backend comes first and cannot).
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(b), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def get(port: int, path: str, cookie: str, timeout: float = 60.0) -> tuple[int, float, bytes]:
    """(status, seconds, body) of one GET on 127.0.0.1, as over HTTPS behind a proxy."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    start = time.perf_counter()
    try:
        conn.request(
            "GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        )
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, time.perf_counter() - start, body
    finally:
        conn.close()


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS (shared pages divided among their users) and USS (private) of a process, in MB."""
    out = {"rss_mb": 0.0, "pss_mb": 0.0, "uss_mb": 0.0}
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            kb = float(rest.split()[0]) if rest.split() else 0.0
            if key == "Rss":
                out["rss_mb"] += kb / 1024
            elif key == "Pss":
                out["pss_mb"] += kb / 1024
            elif key in ("Private_Clean", "Private_Dirty"):
                out["uss_mb"] += kb / 1024
    return {k: round(v, 1) for k, v in out.items()}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of the processes so far (``/proc/PID/stat``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / tick
