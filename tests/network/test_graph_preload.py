"""The gunicorn master maps the latest snapshots before it forks (config/gunicorn.py): the workers
inherit the graph instead of each deriving a private copy on its first request."""

from __future__ import annotations

import pytest

from revere.network.graph import loader, organization_graph, organization_graph_clear
from revere.network.models import GraphSnapshot
from tests.factories import MemberFactory, OrganizationFactory, TieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


def _cached_orgs() -> set[int]:
    return {org for org, _created in loader._cache}


def test_preload_maps_the_snapshotted_organizations_and_builds_none():
    snapped, unsnapped = OrganizationFactory(), OrganizationFactory()
    for org in (snapped, unsnapped):
        TieFactory(member=MemberFactory(organization=org), strength=0.6)
    organization_graph(organization_id=snapped.pk)  # the first request builds and writes its snapshot
    loader._cache.clear()  # a fresh process: nothing cached

    assert loader.preload() == [snapped.pk]

    assert _cached_orgs() == {snapped.pk}
    assert not GraphSnapshot.unrestricted.in_organization(unsnapped.pk).exists()  # never built


def test_preload_skips_a_snapshot_whose_directory_is_gone():
    org = OrganizationFactory()
    TieFactory(member=MemberFactory(organization=org))
    organization_graph(organization_id=org.pk)
    loader._cache.clear()
    GraphSnapshot.unrestricted.in_organization(org.pk).update(directory=f"{org.pk}/gone")

    assert loader.preload() == []
    assert _cached_orgs() == set()


def test_the_master_compiles_every_template_it_can():
    from config.gunicorn import _compile_templates

    assert _compile_templates() > 40
