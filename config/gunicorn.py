"""gunicorn settings for production: ``gunicorn -c config/gunicorn.py config.wsgi``.

Several worker processes, each one request at a time (sync workers: the analytics are numpy work
that holds the GIL, so threads would not add throughput). Django is imported once in the master
(``preload_app``) and the workers are forked from it, so its code is shared; every worker maps the
organization's graph snapshot read-only (revere/network/graph/snapshot.py), so the machine holds
one copy of it in the page cache, whatever the number of workers. Environment:

``REVERE_BIND`` (``127.0.0.1:8000``), ``WEB_CONCURRENCY`` (workers; default 2 per core, at least 2),
``REVERE_TIMEOUT`` (seconds before a stuck worker is replaced; 60).
"""

from __future__ import annotations

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


def when_ready(server: object) -> None:
    """In the master, before the workers are forked: import every view (and with them the
    selectors, numpy and scipy) and freeze the objects made so far out of the garbage collector,
    so the workers share those pages instead of each copying them when the collector touches them."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    gc.collect()
    gc.freeze()
