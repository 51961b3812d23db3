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


def test_a_strength_patch_keeps_the_mapped_arrays_it_does_not_change():
    """A strength override changes one tie's strength: the patched graph keeps the snapshot's
    mapped tie ids, members, persons and node classes (one copy for every process of the machine)
    and holds a private copy of the strengths only; its values are what a fresh build gives."""
    import numpy as np

    from revere.network.graph.build import build
    from revere.network.models import Tie
    from revere.network.services import tie_set_strength_override

    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    ties = [TieFactory(member=seller, strength=0.3 + 0.1 * k) for k in range(4)]
    organization_graph(organization_id=org.pk)
    loader._cache.clear()
    mapped = organization_graph(organization_id=org.pk)  # from the snapshot: memory-mapped arrays
    assert isinstance(mapped.tie_id, np.memmap)

    tie_set_strength_override(tie=Tie.unrestricted.get(pk=ties[1].pk), value=0.95)
    patched = organization_graph(organization_id=org.pk)

    assert patched.data_version > mapped.data_version
    for name in ("tie_id", "tie_member", "tie_ego", "tie_person", "tie_class", "tie_private"):
        assert getattr(patched, name) is getattr(mapped, name), name
    assert patched.tie_strength is not mapped.tie_strength
    assert patched.graph.attrs["network_class"] is mapped.graph.attrs["network_class"]
    fresh = build(org.pk, patched.data_version)
    assert np.array_equal(patched.tie_strength, fresh.tie_strength)
    assert 0.95 in patched.tie_strength.tolist()


def _resident_mb() -> float:
    import os

    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_a_worker_gives_back_the_heap_a_request_freed():
    """config/gunicorn.py's post_request: with more than REVERE_TRIM_MB of the heap free, the
    worker hands those pages back to the system (its resident memory falls); with little free it
    does nothing."""
    import ctypes

    import config.gunicorn as conf

    assert conf._mallinfo2 is not None, "glibc 2.33 or later (Debian 12 has 2.36)"
    libc = conf._libc
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    # Mid-sized blocks (below the mmap threshold, so from the heap), each written so it is
    # resident, and one live block above them: freeing the others leaves 40 MB free inside the
    # heap, which malloc cannot give back by shrinking the heap's top.
    blocks = [libc.malloc(64 * 1024) for _ in range(640)]
    for b in blocks:
        ctypes.memset(b, 1, 64 * 1024)
    pin = libc.malloc(64 * 1024)
    try:
        for b in blocks:
            libc.free(b)
        assert conf._mallinfo2().fordblks > conf.TRIM_FREE
        before = _resident_mb()
        conf.post_request(None, None, None, None)
        assert _resident_mb() < before - 20  # most of the 40 MB went back

        before = _resident_mb()
        conf.post_request(None, None, None, None)  # nothing freed since: a no-op
        assert _resident_mb() >= before - 1
    finally:
        libc.free(pin)
