"""Snapshots: each member's network metrics at a date, so that trends can be drawn.

:func:`snapshots_take` stores, for every active member of an organization, one row per network class
with the figures of :class:`revere.network.selectors.NetworkMetrics` (every tie of the member counts:
a snapshot is the member's own history). Taking it twice on the same day replaces that day's rows.
``revere snapshot`` runs it for every organization. The background worker takes them on a schedule
(:func:`snapshots_take_due`, every ``REVERE_SNAPSHOT_EVERY_DAYS``, weekly by default; see
:mod:`revere.network.tasks`).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from revere.network.graph import organization_graph
from revere.network.models import Snapshot
from revere.network.selectors import ego_networks_of
from revere.tenancy.models import Member, Organization


@transaction.atomic
def snapshots_take(*, organization: Organization, on: date | None = None) -> int:
    """Store every active member's per-class metrics for ``on`` (default today). Returns rows written."""
    on = on or timezone.localdate()
    net = organization_graph(organization_id=organization.pk)
    rows = []
    for member_id, person_id in Member.unrestricted.filter(
        organization=organization, is_active=True
    ).values_list("id", "person_id"):
        for cls, ego in ego_networks_of(net, member_id=member_id, person_id=person_id).items():
            rows.append(
                Snapshot(
                    organization=organization,
                    member_id=member_id,
                    network_class=cls,
                    taken_on=on,
                    metrics=ego.metrics.as_dict(),
                )
            )
    Snapshot.unrestricted.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organization", "member", "network_class", "taken_on"],
        update_fields=["metrics"],
    )
    return len(rows)


def snapshots_take_due(*, every_days: int, on: date | None = None) -> dict[str, int]:
    """Take the snapshots of every organization whose newest is ``every_days`` old or more (or none).

    Returns the rows written per organization slug (organizations not due are left out).
    """
    on = on or timezone.localdate()
    newest = dict(
        Snapshot.unrestricted.values("organization_id")
        .annotate(latest=Max("taken_on"))
        .values_list("organization_id", "latest")
    )
    written: dict[str, int] = {}
    for org in Organization.objects.order_by("pk"):
        latest = newest.get(org.pk)
        if latest is None or (on - latest).days >= every_days:
            written[org.slug] = snapshots_take(organization=org, on=on)
    return written
