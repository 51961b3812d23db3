"""Snapshots on a schedule: the worker's task takes the due ones (weekly by default) and queues its next run."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from revere.network.models import Snapshot
from revere.network.snapshots import snapshots_take_due
from revere.network.tasks import snapshots_schedule, snapshots_scheduled_task
from tests.factories import MemberFactory, OrganizationFactory, SnapshotFactory

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_only_organizations_whose_newest_snapshot_is_a_week_old_or_missing_are_due():
    today = timezone.localdate()
    fresh, stale, never = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    SnapshotFactory(member=MemberFactory(organization=fresh), taken_on=today - timedelta(days=3))
    SnapshotFactory(member=MemberFactory(organization=stale), taken_on=today - timedelta(days=7))
    MemberFactory(organization=never)
    written = snapshots_take_due(every_days=7)
    assert set(written) == {stale.slug, never.slug}
    assert Snapshot.unrestricted.filter(organization=never, taken_on=today).count() == 4


@override_settings(TASKS=DB_TASKS)
def test_the_scheduled_task_runs_on_the_database_worker_and_queues_itself_once():
    org = OrganizationFactory()
    MemberFactory(organization=org)
    out = StringIO()
    call_command("snapshot", "--schedule", stdout=out)
    assert "queued" in out.getvalue()
    queued = DBTaskResult.objects.filter(task_path=snapshots_scheduled_task.module_path, status="READY")
    assert queued.count() == 1
    assert snapshots_schedule() is False  # already queued: not twice
    queued.delete()
    assert snapshots_scheduled_task.call() == {org.slug: 4}  # what the worker runs
    [next_run] = DBTaskResult.objects.filter(task_path=snapshots_scheduled_task.module_path, status="READY")
    assert next_run.run_after > timezone.now() + timedelta(hours=23)
    assert snapshots_scheduled_task.call() == {}  # taken today: not due again for a week


@override_settings(TASKS=DB_TASKS, REVERE_SNAPSHOT_EVERY_DAYS=0)
def test_a_zero_interval_turns_the_schedule_off():
    assert snapshots_schedule() is False
    assert snapshots_scheduled_task.call() == {}


def test_the_immediate_backend_of_the_tests_never_queues_a_run():
    assert snapshots_schedule() is False
