"""Serving the organization's graph: the process cache, snapshots, changes and single flight.

A request reads the organization's data version (one query). If the process holds the graph at
that version, that is the answer. Otherwise, under the organization's lock (threads of one
process never load or patch the same graph twice):

1. the latest snapshot (:mod:`.snapshot`, one query for its row) is memory-mapped when it is newer
   than the one the cached graph descends from, or when nothing is cached;
2. with no snapshot at all, the graph is built from the database under a file lock, so one process
   of the machine builds it and writes the first snapshot while the others wait and then map it;
3. the changes recorded since (tenancy.GraphChange, one query) are applied as a patch
   (:mod:`.patch`): no request waits on a full build once a graph exists.

A change that cannot be patched — "something changed, unknown what" (a large import, a restore),
a deleted person, a node out of id order — and a patch grown large ask the task worker for a new
snapshot (:func:`request_snapshot`: one task however many processes ask); meanwhile the pages
serve the graph as patched. The worker (:func:`snapshot_refresh`, run by
:mod:`revere.network.tasks`) is the only builder once a snapshot exists.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Q
from django.utils import timezone

from revere.network.graph import snapshot
from revere.network.graph.build import build
from revere.network.graph.patch import apply_changes, changes_since
from revere.network.graph.state import NetworkGraph
from revere.network.models import GraphSnapshot
from revere.tenancy.models import GraphChange, Organization

logger = logging.getLogger(__name__)

#: How many organizations' graphs one process keeps (an LRU).
CACHE_SIZE = 4
#: A patch holding more rows than this share of the nodes (or than ROWS) asks for a new snapshot.
#: A patched row costs its entries (about 20 on the demos, 12 bytes each) in each process, so 10%
#: of the huge demo's rows is about 25 MB a process; a snapshot costs the worker a second or two.
COMPACT_SHARE = 0.1
COMPACT_ROWS = 100_000
COMPACT_MIN = 1_000

_cache: OrderedDict[tuple[int, str], NetworkGraph] = OrderedDict()
_cache_lock = threading.Lock()
_org_locks: dict[tuple[int, str], threading.Lock] = {}


def _lock_for(key: tuple[int, str]) -> threading.Lock:
    with _cache_lock:
        return _org_locks.setdefault(key, threading.Lock())


@contextmanager
def _file_lock(organization_id: int) -> Iterator[None]:
    """One holder per organization on this machine (web processes and the worker)."""
    folder = snapshot.root()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{organization_id}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _state(organization_id: int) -> GraphSnapshot | None:
    return GraphSnapshot.unrestricted.in_organization(organization_id).first()


def _register(ng: NetworkGraph, directory: str, *, prune_changes: bool = False) -> None:
    """Make ``directory`` the organization's snapshot unless a newer one is registered already
    (one UPDATE, and one INSERT the first time: no lock held across processes)."""
    org, version = ng.organization_id, ng.data_version
    fields = {"version": version, "directory": directory, "built_at": timezone.now()}
    rows = GraphSnapshot.unrestricted.in_organization(org).filter(version__lte=version)
    if not rows.update(**fields):
        GraphSnapshot.unrestricted.bulk_create(
            [GraphSnapshot(organization_id=org, **fields)], ignore_conflicts=True
        )
    current = _state(org)
    snapshot.prune(org, current.directory if current is not None else directory)
    if prune_changes:
        # The changes a snapshot includes are needed no longer by anyone who maps it; a margin is
        # kept for processes that hold an older graph and patch forward.
        GraphChange.unrestricted.in_organization(org).filter(version__lte=version - 1000).delete()


def _load_latest(organization_id: int, after: int) -> NetworkGraph | None:
    state = _state(organization_id)
    if state is None or not state.directory or state.version <= after:
        return None
    return snapshot.load(state.directory, organization_id)


def _first_build(organization_id: int, version: int) -> NetworkGraph:
    """No snapshot: one process builds and writes it, the others wait for it and map it.

    ``version`` was read before any row the build reads (later changes are patched on top)."""
    with _file_lock(organization_id):
        ng = _load_latest(organization_id, -1)
        if ng is not None:
            return ng
        ng = build(organization_id, version)
        directory = snapshot.write(ng)
        _register(ng, directory)
        # The builder serves the mapped snapshot too: its own arrays would be a private copy.
        return snapshot.load(directory, organization_id) or ng.evolve(base_version=ng.data_version)


def request_snapshot(organization_id: int, version: int) -> None:
    """Ask the worker for a snapshot at ``version`` or later: one task, however many processes ask."""
    from revere.network.tasks import graph_snapshot_task

    asked = (
        GraphSnapshot.unrestricted.in_organization(organization_id)
        .filter(Q(requested__lt=version))
        .update(requested=version)
    )
    if asked:
        graph_snapshot_task.enqueue(organization_id)


def _needs_snapshot(ng: NetworkGraph) -> bool:
    rows = ng.graph.patched_rows
    return ng.stale_since is not None or rows > min(
        COMPACT_ROWS, max(COMPACT_MIN, COMPACT_SHARE * ng.graph.n)
    )


def _refresh(organization_id: int, cached: NetworkGraph | None, version: int) -> NetworkGraph:
    ng = _load_latest(organization_id, cached.base_version if cached is not None else -1) or cached
    if ng is None:
        ng = _first_build(organization_id, version)
    if ng.data_version < version:
        ch = changes_since(organization_id, ng.data_version, version)
        if not ch.complete and ch.full_at is None:
            ch.full_at = ng.data_version + 1  # versions without a record: written before the change log
        ng = (
            apply_changes(ng, ch)
            if not ch.empty or ch.full_at is not None
            else ng.evolve(data_version=version)
        )
    if ng.data_version < version:
        ng = ng.evolve(data_version=version)
    if _needs_snapshot(ng):
        request_snapshot(organization_id, version)
        newer = _load_latest(organization_id, ng.base_version)  # the task may have run inline
        if newer is not None:
            return _refresh(organization_id, newer, version) if newer.data_version < version else newer
    return ng


def organization_graph(*, organization_id: int) -> NetworkGraph:
    """The organization's network graph at its current data version.

    Not for display as such: it holds private ties. Pages and endpoints go through
    :func:`revere.network.graph.network_graph` or the selectors of :mod:`revere.network.selectors`.
    """
    row = Organization.objects.filter(pk=organization_id).values_list("data_version", "created_at").first()
    if row is None:
        raise Organization.DoesNotExist(f"organization {organization_id} does not exist")
    version, created = int(row[0]), row[1]
    # The creation time tells a new organization from a deleted one that had the same id (SQLite
    # reuses the highest rowid after a delete or a rolled-back test): its version 0 is another graph.
    key = (organization_id, created.isoformat())
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            if cached.data_version == version:
                return cached
    with _lock_for(key):
        with _cache_lock:
            cached = _cache.get(key)
        if cached is None or cached.data_version != version:
            cached = _refresh(organization_id, cached, version)
        with _cache_lock:
            _cache[key] = cached
            _cache.move_to_end(key)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return cached


def preload(limit: int = CACHE_SIZE) -> list[int]:
    """Map into this process's cache the graphs of the organizations snapshotted most recently
    (at most ``limit``, the cache's size), patched to their current version; returns their ids.

    For the gunicorn master before it forks (config/gunicorn.py): the workers inherit the mapped
    graph and everything derived from it when it was mapped (the tie arrays, the member index, the
    vocabularies) as pages they share, instead of each deriving a private copy on its first request.
    Never builds: an organization whose snapshot is missing is left to its first request."""
    orgs = list(
        GraphSnapshot.unrestricted.exclude(directory="")
        .order_by("-built_at")
        .values_list("organization_id", "directory")[:limit]
    )
    loaded = []
    for org, directory in reversed(orgs):  # the most recent last: the LRU's freshest entry
        if snapshot.load(directory, org) is None:
            continue
        organization_graph(organization_id=org)
        loaded.append(org)
    return loaded


def snapshot_refresh(organization_id: int) -> int:
    """The worker's job: a snapshot at the current version, from the last one plus the changes
    when they can all be patched, else from the database. Returns the version written (or found)."""
    with _file_lock(organization_id):
        version = int(
            Organization.objects.filter(pk=organization_id).values_list("data_version", flat=True).get()
        )
        state = _state(organization_id)
        ng = (
            snapshot.load(state.directory, organization_id) if state is not None and state.directory else None
        )
        if ng is not None and ng.data_version >= version:
            return ng.data_version
        if ng is not None:
            ch = changes_since(organization_id, ng.data_version, version)
            if ch.complete and ch.full_at is None:
                ng = apply_changes(ng, ch)
                if ng.stale_since is not None:
                    ng = None
            else:
                ng = None
        if ng is None:
            ng = build(organization_id, version)
        ng = ng.evolve(graph=ng.graph.compacted(), data_version=version)
        _register(ng, snapshot.write(ng), prune_changes=True)
        logger.info("graph snapshot of organization %s at version %s", organization_id, version)
        return version


def organization_graph_clear() -> None:
    """Forget every cached graph and every registered snapshot (tests and benchmarks that time a
    cold load from the database, or that wrote rows without naming the change)."""
    with _cache_lock:
        _cache.clear()
    GraphSnapshot.unrestricted.all().delete()
