"""The one selector that builds the organization's TieGraph from the database."""

from __future__ import annotations

import pytest

from revere.contacts.models import CompanyStatus
from revere.network.graph import CLASSES, network_graph, organization_graph, organization_graph_clear
from revere.network.models import GraphSnapshot, NetworkClass, Visibility
from revere.tenancy.models import Organization
from revere.tenancy.services import organization_bump_data_version, organization_graph_changed
from tests.factories import (
    CompanyFactory,
    LinkFactory,
    MemberFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


def test_the_graph_holds_persons_ties_and_links_keyed_by_person_id():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    alice, bob = PersonFactory(organization=org), PersonFactory(organization=org)
    loner = PersonFactory(organization=org)
    TieFactory(member=seller, person=alice, strength=0.8)
    TieFactory(member=seller, person=bob, strength=0.2, strength_override=0.4)
    LinkFactory(organization=org, a=alice, b=bob, weight=0.5)

    g = organization_graph(organization_id=org.pk).graph

    assert set(g.ids.tolist()) == {seller.person_id, alice.pk, bob.pk, loner.pk}
    assert g.m == 3
    me = int(g.index_of([seller.person_id])[0])
    weights = dict(
        zip(g.ids[g.neighbors(me)].tolist(), g.weights[g.indptr[me] : g.indptr[me + 1]].tolist(), strict=True)
    )
    assert weights == {alice.pk: 0.8, bob.pk: 0.4}  # the manual override wins


def test_links_read_with_their_ends_packed_in_one_integer_or_not_give_the_same_graph(monkeypatch):
    from revere.network.graph import build as graph_module

    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    people = [PersonFactory(organization=org) for _ in range(6)]
    TieFactory(member=seller, person=people[0], strength=0.7)
    for a, b, w in [(0, 1, 0.25), (1, 2, 1.0), (2, 3, 0.123456789012345), (4, 5, 0.5), (0, 5, 0.9)]:
        x, y = sorted([people[a], people[b]], key=lambda p: p.pk)
        LinkFactory(organization=org, a=x, b=y, weight=w)

    packed = organization_graph(organization_id=org.pk).graph
    organization_graph_clear()
    monkeypatch.setattr(graph_module, "PACK_BELOW", 0)  # every id too large: three columns
    plain = organization_graph(organization_id=org.pk).graph

    assert packed is not plain
    for one, other in zip(packed.edges(), plain.edges(), strict=True):
        assert one.tolist() == other.tolist()
    assert packed.m == 6


def test_node_attributes_come_from_the_person_and_their_company():
    org = OrganizationFactory()
    acme = CompanyFactory(
        organization=org, industry="Chemicals", region="Americas", status=CompanyStatus.CUSTOMER
    )
    buyer = PersonFactory(organization=org, company=acme, function="Procurement")
    nomad = PersonFactory(organization=org, company=None, region="Asia")

    g = organization_graph(organization_id=org.pk).graph
    i, j = g.index_of([buyer.pk, nomad.pk]).tolist()

    assert g.attrs["company"].values()[i] == acme.pk
    assert g.attrs["company"].values()[j] is None
    assert g.attrs["industry"].values()[i] == "Chemicals"
    assert g.attrs["function"].values()[i] == "Procurement"
    assert g.attrs["region"].values()[i] == "Americas"
    assert g.attrs["region"].values()[j] == "Asia"
    assert g.attrs["network_class"].values()[i] == NetworkClass.CUSTOMER
    assert g.attrs["network_class"].values()[j] == NetworkClass.MARKET


def test_a_tie_class_override_sets_the_class_of_the_tie_and_of_the_node():
    seller = MemberFactory()
    tie = TieFactory(
        member=seller, network_class=NetworkClass.MARKET, network_class_override=NetworkClass.PROSPECT
    )

    net = organization_graph(organization_id=seller.organization_id)

    assert CLASSES[int(net.tie_class[0])] == NetworkClass.PROSPECT
    assert net.alters(seller.pk, NetworkClass.PROSPECT).tolist() == [tie.person_id]
    i = int(net.graph.index_of([tie.person_id])[0])
    assert net.graph.attrs["network_class"].values()[i] == NetworkClass.PROSPECT


def test_a_pair_with_both_a_tie_and_a_link_keeps_the_larger_weight_not_the_sum():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    colleague = MemberFactory(organization=org)
    TieFactory(member=seller, person=colleague.person, strength=0.7)
    TieFactory(member=colleague, person=seller.person, strength=0.6)
    LinkFactory(organization=org, a=seller.person, b=colleague.person, weight=0.5)

    g = organization_graph(organization_id=org.pk).graph

    assert g.m == 1
    assert g.weights.tolist() == [0.7, 0.7]


def test_inactive_ties_are_left_out_and_private_ones_are_flagged():
    seller = MemberFactory()
    TieFactory(member=seller, is_active=False)
    private = TieFactory(member=seller, visibility=Visibility.PRIVATE)

    net = organization_graph(organization_id=seller.organization_id)

    assert net.tie_id.tolist() == [private.pk]
    assert net.tie_private.tolist() == [True]
    assert net.member_person == {seller.pk: seller.person_id}


def test_the_graph_is_cached_until_the_data_version_changes(django_assert_num_queries):
    seller = MemberFactory()
    TieFactory(member=seller)
    first = organization_graph(organization_id=seller.organization_id)

    with django_assert_num_queries(1):  # the version only
        again = organization_graph(organization_id=seller.organization_id)
    assert again is first

    tie = TieFactory(member=seller)
    organization_graph_changed(organization_id=seller.organization_id, ties=[tie.pk])
    # the version, the snapshot's row, the changes, the ties named, the links of their pairs, and
    # the tie's person, whom the graph did not know (the factory wrote them without naming them)
    with django_assert_num_queries(6):
        patched = organization_graph(organization_id=seller.organization_id)
    assert patched is not first and patched.graph.patched
    assert len(patched.tie_id) == 2


def test_an_unknown_change_has_the_worker_write_a_new_snapshot_that_the_pages_then_map():
    seller = MemberFactory()
    TieFactory(member=seller)
    first = organization_graph(organization_id=seller.organization_id)
    TieFactory(member=seller)
    organization_bump_data_version(organization_id=seller.organization_id)  # unknown what changed

    rebuilt = organization_graph(organization_id=seller.organization_id)  # tasks run inline in tests

    state = GraphSnapshot.unrestricted.get(organization_id=seller.organization_id)
    assert state.version == rebuilt.data_version == first.data_version + 1
    assert rebuilt.base_version == state.version and not rebuilt.graph.patched
    assert len(rebuilt.tie_id) == 2
    assert not rebuilt.tie_id.flags.writeable  # memory-mapped read-only from the snapshot


def test_nothing_of_another_organization_enters_the_graph():
    seller = MemberFactory()
    TieFactory(member=seller)
    stranger = MemberFactory()
    TieFactory(member=stranger)

    net = network_graph(member=seller)

    assert set(net.tie_member.tolist()) == {seller.pk}
    assert stranger.person_id not in net.graph.ids.tolist()


def test_a_new_organization_reusing_a_deleted_ones_id_gets_its_own_graph():
    first = OrganizationFactory()
    PersonFactory(organization=first)
    pk = first.pk
    assert organization_graph(organization_id=pk).graph.n == 1
    first.delete()

    again = Organization.objects.create(pk=pk, name="Reborn", slug="reborn")

    assert again.data_version == 0
    assert organization_graph(organization_id=pk).graph.n == 0
