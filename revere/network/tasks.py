"""Background work on the network: recomputation after large imports, graph snapshots, and the
members' network snapshots on a schedule.

Small imports recompute in the request (:func:`revere.network.services.network_recompute`);
large ones enqueue :data:`network_recompute_task`, which the database-backed worker
(``revere db_worker``, started by ``make run``) runs off the request.

Snapshots (the trend charts, coaching progress) are taken by :data:`snapshots_scheduled_task`: it takes
the snapshots that are due (every ``REVERE_SNAPSHOT_EVERY_DAYS``, 7 by default) and queues its own next
run for a day later, so a worker that was down catches up within a day. ``revere snapshot --schedule``
(run by ``make run``) queues the first run unless one is queued already. django-tasks has no periodic
tasks of its own; a task that queues its next run is its documented way to repeat.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from revere.network.services import network_recompute
from revere.network.snapshots import snapshots_take_due
from revere.tenancy.models import Organization


@task()
def network_recompute_task(organization_id: int, member_ids: list[int] | None = None) -> dict[str, int]:
    """Recompute tie strengths and network classes for an organization (or some of its members).

    Arguments are plain ids (task arguments must be JSON); the result is the counts of
    :func:`~revere.network.services.network_recompute`.
    """
    organization = Organization.objects.get(pk=organization_id)
    return network_recompute(organization=organization, member_ids=member_ids)


#: How often the scheduled task wakes up to look for due snapshots.
CHECK_EVERY = timedelta(days=1)


@task()
def snapshots_scheduled_task() -> dict[str, int]:
    """Take the snapshots that are due, then queue the next look (see the module docstring)."""
    every = int(getattr(settings, "REVERE_SNAPSHOT_EVERY_DAYS", 7))
    written = snapshots_take_due(every_days=every) if every > 0 else {}
    snapshots_schedule()
    return written


def snapshots_schedule(*, delay: timedelta = CHECK_EVERY) -> bool:
    """Queue :data:`snapshots_scheduled_task` to run after ``delay`` unless a run is already queued.

    Only on a backend that runs tasks later (the database worker); True when a run was queued.
    """
    backend = snapshots_scheduled_task.get_backend()
    if not backend.supports_defer or int(getattr(settings, "REVERE_SNAPSHOT_EVERY_DAYS", 7)) <= 0:
        return False
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(
        task_path=snapshots_scheduled_task.module_path, status="READY"
    ).exists()
    if queued:
        return False
    snapshots_scheduled_task.using(run_after=timezone.now() + delay).enqueue()
    return True


@task()
def graph_snapshot_task(organization_id: int) -> int:
    """Write a new snapshot of the organization's graph (revere/network/graph/loader.py): the worker
    is the only full builder once a snapshot exists. Returns the data version written."""
    from revere.network.graph import snapshot_refresh

    return snapshot_refresh(organization_id)
