"""Background work on the network: recomputation after large imports (django-tasks).

Small imports recompute in the request (:func:`revere.network.services.network_recompute`);
large ones enqueue :data:`network_recompute_task`, which the database-backed worker
(``revere db_worker``, started by ``make run``) runs off the request.
"""

from __future__ import annotations

from django_tasks import task

from revere.network.services import network_recompute
from revere.tenancy.models import Organization


@task()
def network_recompute_task(organization_id: int, member_ids: list[int] | None = None) -> dict[str, int]:
    """Recompute tie strengths and network classes for an organization (or some of its members).

    Arguments are plain ids (task arguments must be JSON); the result is the counts of
    :func:`~revere.network.services.network_recompute`.
    """
    organization = Organization.objects.get(pk=organization_id)
    return network_recompute(organization=organization, member_ids=member_ids)


@task()
def graph_snapshot_task(organization_id: int) -> int:
    """Write a new snapshot of the organization's graph (revere/network/graph/loader.py): the worker
    is the only full builder once a snapshot exists. Returns the data version written."""
    from revere.network.graph import snapshot_refresh

    return snapshot_refresh(organization_id)
