"""Snapshots: each member's per-class metrics at a date, for trends; `revere snapshot`."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from revere.network.graph import organization_graph_clear
from revere.network.models import NetworkClass, Snapshot, Visibility
from revere.network.selectors import member_trends
from revere.network.snapshots import snapshots_take
from revere.tenancy.services import organization_bump_data_version
from tests.factories import MemberFactory, OrganizationFactory, TieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


def test_a_snapshot_stores_four_networks_per_member_private_ties_included():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    MemberFactory(organization=org)
    TieFactory(member=seller, strength=0.7)
    TieFactory(member=seller, visibility=Visibility.PRIVATE)
    TieFactory(member=seller, network_class=NetworkClass.CUSTOMER, strength=0.9)

    written = snapshots_take(organization=org, on=date(2026, 5, 1))

    assert written == 8
    market = Snapshot.unrestricted.get(member=seller, network_class="market", taken_on=date(2026, 5, 1))
    assert market.metrics["size"] == 2
    assert market.metrics["mean_strength"] == pytest.approx(0.6)
    assert Snapshot.unrestricted.get(member=seller, network_class="customer").metrics["size"] == 1


def test_taking_it_again_the_same_day_replaces_the_days_figures():
    seller = MemberFactory()
    TieFactory(member=seller)
    snapshots_take(organization=seller.organization, on=date(2026, 5, 1))
    TieFactory(member=seller)
    organization_bump_data_version(organization_id=seller.organization_id)
    snapshots_take(organization=seller.organization, on=date(2026, 5, 1))
    snapshots_take(organization=seller.organization, on=date(2026, 5, 2))

    trend = member_trends(member=seller, today=date(2026, 5, 3))["market"]
    assert [(p["on"], p["size"]) for p in trend] == [("2026-05-01", 2), ("2026-05-02", 2)]


def test_the_command_takes_snapshots_of_one_organization_or_all():
    a, b = OrganizationFactory(slug="alpha"), OrganizationFactory(slug="beta")
    MemberFactory(organization=a)
    MemberFactory(organization=b)
    out = StringIO()

    call_command("snapshot", "--org", "alpha", "--date", "2026-04-30", stdout=out)

    assert "4 snapshot rows (1 members × 4 networks)" in out.getvalue()
    assert set(Snapshot.unrestricted.values_list("organization__slug", flat=True)) == {"alpha"}
    call_command("snapshot", stdout=StringIO())
    assert Snapshot.unrestricted.filter(organization=b).count() == 4
    with pytest.raises(CommandError):
        call_command("snapshot", "--date", "30/04/2026")
