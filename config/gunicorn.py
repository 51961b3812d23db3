"""gunicorn settings for production: ``gunicorn -c config/gunicorn.py config.wsgi``.

Several worker processes, each one request at a time (sync workers: the analytics are numpy work
that holds the GIL, so threads would not add throughput). Django is imported once in the master
(``preload_app``) and the workers are forked from it, so its code is shared; every worker maps the
organization's graph snapshot read-only (revere/network/graph/snapshot.py), so the machine holds
one copy of it in the page cache, whatever the number of workers. Environment:

``REVERE_BIND`` (``127.0.0.1:8000``), ``WEB_CONCURRENCY`` (workers; default 2 per core, at least 2),
``REVERE_TIMEOUT`` (seconds before a stuck worker is replaced; 60), ``REVERE_PRELOAD_GRAPHS``
(``1``: the master maps the latest graph snapshots before forking; ``0`` leaves it to each worker),
``REVERE_TRIM_MB`` (after a response, a worker with more than this many MB of freed heap gives it
back to the system; 8; ``-1`` never).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

bind = os.environ.get("REVERE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(max(2, 2 * (os.cpu_count() or 1)))))
worker_class = "sync"
preload_app = True
timeout = int(os.environ.get("REVERE_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Logs to stderr, where the process manager collects them.
accesslog = os.environ.get("REVERE_ACCESS_LOG", "-")
errorlog = "-"


def _compile_templates() -> int:
    """Every template of the project, compiled into the cached loader (prod's default), so the
    workers share the compiled templates instead of each compiling its own on first use."""
    from pathlib import Path

    from django.apps import apps
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines

    compiled = 0
    for engine in engines.all():
        # The folders the loaders search (the app folders also when a custom loader list, here
        # template_partials' wrapper, has the app directories loader inside it).
        dirs = [Path(d) for d in getattr(engine, "dirs", [])]
        dirs += [Path(app.path) / "templates" for app in apps.get_app_configs()]
        for folder in dirs:
            for path in sorted(folder.rglob("*.html")) if folder.is_dir() else ():
                try:
                    engine.get_template(path.relative_to(folder).as_posix())
                    compiled += 1
                except (TemplateSyntaxError, LookupError, ValueError, TemplateDoesNotExist):
                    continue  # a template of an app that does not load in prod: its page says so
    return compiled


def when_ready(server: object) -> None:
    """In the master, before the workers are forked: import every view (and with them the
    selectors, numpy and scipy), compile every template, map the graph snapshots the cache holds,
    then freeze the objects made so far out of the garbage collector, so the workers share those
    pages instead of each copying them when it first uses them or the collector touches them."""
    import gc

    from django.db import connections
    from django.urls import get_resolver

    from revere.network.graph.loader import preload

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    _compile_templates()
    if os.environ.get("REVERE_PRELOAD_GRAPHS", "1") != "0":
        preload()
    connections.close_all()  # a forked worker must open its own database connection
    gc.collect()
    gc.freeze()


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_mallinfo2 = getattr(_libc, "mallinfo2", None)
if _mallinfo2 is not None:
    _mallinfo2.restype = _MallInfo2
#: Free bytes in malloc's heap above which a worker hands them back to the system after a request.
TRIM_FREE = int(float(os.environ.get("REVERE_TRIM_MB", "8")) * 2**20)


def post_request(worker: object, req: object, environ: object, resp: object) -> None:
    """After the response has gone: give back to the system the heap memory the request freed.

    glibc's malloc returns only the top of its heap; what a request's temporary arrays freed below
    a live object stays the worker's, counted in its private memory for good (about 30 MB a worker
    on the huge demo, docs/benchmarks.md). ``malloc_trim`` releases those free pages; it runs only
    when more than ``REVERE_TRIM_MB`` (8) are free, so a request that freed little costs nothing."""
    if TRIM_FREE < 0 or _mallinfo2 is None:
        return
    if _mallinfo2().fordblks > TRIM_FREE:
        _libc.malloc_trim(0)
