"""A member's four networks: ego metrics per network class, through the visibility rules."""

from __future__ import annotations

import random
from datetime import date
from itertools import combinations

import networkx as nx
import pytest

from revere.network.graph import organization_graph_clear
from revere.network.models import NetworkClass, Visibility
from revere.network.selectors import member_networks, member_trends
from revere.tenancy.models import Role
from tests.factories import (
    CompanyFactory,
    LinkFactory,
    MemberFactory,
    OrganizationFactory,
    PersonFactory,
    SnapshotFactory,
    TeamFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


def clique(org, seller, n, *, strength=0.2, link=0.5, network_class=NetworkClass.MARKET):
    persons = [PersonFactory(organization=org) for _ in range(n)]
    for p in persons:
        TieFactory(member=seller, person=p, strength=strength, network_class=network_class)
    for a, b in combinations(persons, 2):
        LinkFactory(organization=org, a=a, b=b, weight=link)
    return persons


def test_a_closed_clique_of_five_counts_as_one_effective_contact():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    clique(org, seller, 5)

    market = member_networks(member=seller)[NetworkClass.MARKET]

    assert market.size == 5
    assert market.density == 1.0
    assert market.effective_size == pytest.approx(1.0)
    assert market.circles == 1 and market.largest_circle == 5
    assert market.reach == 0


def test_each_network_class_is_its_own_ego_network():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    market = clique(org, seller, 3)
    buyer = PersonFactory(organization=org)
    TieFactory(member=seller, person=buyer, network_class=NetworkClass.PROSPECT, strength=0.7)
    LinkFactory(organization=org, a=buyer, b=market[0])

    nets = member_networks(member=seller)

    assert nets[NetworkClass.MARKET].size == 3
    assert nets[NetworkClass.MARKET].reach == 1  # the buyer, beyond the market contacts
    assert nets[NetworkClass.PROSPECT].size == 1
    assert nets[NetworkClass.PROSPECT].reach == 1  # market[0], seen from the buyer
    assert nets[NetworkClass.PROSPECT].mean_strength == pytest.approx(0.7)
    assert nets[NetworkClass.INTERNAL].size == 0 and nets[NetworkClass.INTERNAL].constraint is None


def test_burt_measures_equal_networkx_on_a_random_ego_network():
    rng = random.Random(7)
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    alters = [PersonFactory(organization=org) for _ in range(12)]
    outsiders = [PersonFactory(organization=org) for _ in range(6)]
    G = nx.Graph()
    for p in alters:
        s = round(rng.uniform(0.05, 1.0), 3)
        TieFactory(member=seller, person=p, strength=s)
        G.add_edge(seller.person_id, p.pk, weight=s)
    for a, b in combinations(alters + outsiders, 2):
        if rng.random() < 0.25:
            w = round(rng.uniform(0.1, 1.0), 3)
            LinkFactory(organization=org, a=a, b=b, weight=w)
            G.add_edge(a.pk, b.pk, weight=w)

    market = member_networks(member=seller)[NetworkClass.MARKET]

    ego = seller.person_id
    assert market.effective_size == pytest.approx(nx.effective_size(G, [ego], weight="weight")[ego])
    assert market.constraint == pytest.approx(nx.constraint(G, [ego], weight="weight")[ego])
    among = G.subgraph([p.pk for p in alters])
    assert market.density == pytest.approx(nx.density(among))
    two_step = {n for a in alters for n in G[a.pk]} - {ego} - {a.pk for a in alters}
    assert market.reach == len(two_step)


def test_diversity_is_blau_over_the_alters_companies():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    acme, globex = CompanyFactory(organization=org, industry="Chemicals"), CompanyFactory(organization=org)
    for company in (acme, acme, globex):
        TieFactory(member=seller, person=PersonFactory(organization=org, company=company))

    market = member_networks(member=seller)[NetworkClass.MARKET]

    assert market.diversity["company"] == pytest.approx(1 - (2 / 3) ** 2 - (1 / 3) ** 2)
    assert market.range == {"company": 2, "industry": 2, "function": 0, "region": 1}
    assert market.single_thread_companies == 1


def test_a_teammates_network_counts_only_their_team_visible_ties():
    org = OrganizationFactory()
    team = TeamFactory(organization=org)
    seller = MemberFactory(organization=org, team=team)
    mate = MemberFactory(organization=org, team=team)
    TieFactory(member=mate)
    TieFactory(member=mate, visibility=Visibility.PRIVATE)

    assert member_networks(member=mate)[NetworkClass.MARKET].size == 2
    assert member_networks(member=seller, subject=mate)[NetworkClass.MARKET].size == 1


def test_a_member_outside_the_scope_is_refused():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org, team=TeamFactory(organization=org))
    other = MemberFactory(organization=org, team=TeamFactory(organization=org))
    admin = MemberFactory(organization=org, role=Role.ADMIN)
    TieFactory(member=other)

    with pytest.raises(LookupError):
        member_networks(member=seller, subject=other)
    assert member_networks(member=admin, subject=other)[NetworkClass.MARKET].size == 1


def test_trends_come_from_the_subjects_snapshots_in_date_order():
    seller = MemberFactory()
    SnapshotFactory(member=seller, taken_on="2026-03-01", metrics={"size": 9, "constraint": 0.2})
    SnapshotFactory(member=seller, taken_on="2026-01-01", metrics={"size": 7, "constraint": 0.3})

    trends = member_trends(member=seller, today=date(2026, 6, 1))

    assert [p["on"] for p in trends[NetworkClass.MARKET]] == ["2026-01-01", "2026-03-01"]
    assert [p["size"] for p in trends[NetworkClass.MARKET]] == [7, 9]
    assert trends[NetworkClass.PROSPECT] == []
