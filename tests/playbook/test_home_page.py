"""My network, the home page: four networks, readings, scorecard, trends; bounded queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revere.deals.models import Stage
from revere.network.graph import organization_graph
from revere.network.models import NetworkClass
from revere.playbook.selectors import member_home
from tests.factories import (
    BuyingRoleFactory,
    DealFactory,
    MemberFactory,
    OrganizationFactory,
    SnapshotFactory,
    TieFactory,
)
from tests.playbook.conftest import make_clique
from tests.playbook.networks import build_seller_network

pytestmark = pytest.mark.django_db

# Session, user, member; the graph's version; home figures (2); targets; snapshots; the open deals'
# buying roles (2); keep-in-touch (4); advice (last contacts, protected persons (2), names).
# Does not grow with the network.
HOME_QUERY_BUDGET = 18


def test_the_home_page_shows_the_four_networks_with_readings_scorecard_and_trend_data(client):
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    make_clique(org, seller, 5)
    SnapshotFactory(
        member=seller, taken_on="2026-01-01", metrics={"size": 2, "effective_size": 1.5, "constraint": 0.6}
    )
    client.force_login(seller.user)

    response = client.get(reverse("home"))

    html = response.content.decode()
    for cls in NetworkClass.values:
        assert f'data-testid="ties-{cls}"' in html and f'data-testid="network-{cls}"' in html
        assert f'data-testid="trend-{cls}"' in html and f'data-testid="verdict-{cls}"' in html
    assert "One closed clique" in html
    assert "Low is good here: each brings different news." in html  # density, read for the market stage
    assert "Higher is good here: a team that coordinates." in html  # density, read for the internal stage
    assert "Do I have enough connections?" in html
    assert 'data-testid="deals-buy_in"' in html
    trends = response.context["trends"]
    assert [p["size"] for p in trends["market"]] == [2, 5]  # the snapshot, then today's live figures
    assert "vendor/chart.js/dist/chart.umd.js" in html


def test_the_home_page_of_a_seller_with_5000_contacts_stays_within_its_query_budget(
    client, django_assert_max_num_queries
):
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    built = build_seller_network(seller, contacts=5000)
    client.force_login(seller.user)
    organization_graph(organization_id=org.pk)  # the graph is cached per data version

    with django_assert_max_num_queries(HOME_QUERY_BUDGET):
        response = client.get(reverse("home"))

    assert built["contacts"] == 5000
    figures = response.context["figures"]
    assert figures.total_ties == 5000
    page = response.context["page"]
    market = next(c for c in page.cards if c.key == "market")
    assert market.metrics.size == 3000 and market.metrics.reach > 0
    assert market.metrics.circles > 1


def test_a_cold_graph_costs_a_few_more_queries_not_one_per_contact(client, django_assert_max_num_queries):
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    build_seller_network(seller, contacts=500)
    client.force_login(seller.user)

    # No snapshot yet: its row (twice: before and under the build lock), companies, persons, ties,
    # links, and the new snapshot registered (an UPDATE, then the INSERT), then its row read back.
    with django_assert_max_num_queries(HOME_QUERY_BUDGET + 9):
        assert client.get(reverse("home")).status_code == 200


def test_a_new_member_with_no_ties_gets_readings_that_say_where_to_start(client):
    member = MemberFactory()
    client.force_login(member.user)

    home = client.get(reverse("home"))
    advice = client.get(reverse("advice"))
    api = client.get("/api/network").json()

    assert home.status_code == 200 and advice.status_code == 200
    assert "No market contacts yet" in home.content.decode()
    assert all(n["metrics"]["constraint"] is None for n in api["networks"])
    assert api["advice"]["let_go_total"] == 0 and api["keep_in_touch"]["total_due"] == 0


def test_a_single_contact_has_constraint_one_and_no_density(client):
    member = MemberFactory()
    TieFactory(member=member, network_class=NetworkClass.CUSTOMER, strength=0.9)
    client.force_login(member.user)

    customer = client.get("/api/network").json()["networks"][3]

    assert customer["metrics"]["size"] == 1
    assert customer["metrics"]["constraint"] == 1.0
    assert customer["metrics"]["density"] is None and customer["metrics"]["hierarchy"] is None
    assert customer["reading"]["shape"] == "cohesive"


def test_the_prospect_reading_says_whether_the_seller_reaches_each_deals_economic_buyer():
    seller = MemberFactory()
    known = TieFactory(member=seller, network_class=NetworkClass.PROSPECT).person
    reached = DealFactory(owner=seller, stage=Stage.BUY_IN)
    BuyingRoleFactory(deal=reached, person=known, role="economic_buyer")
    blind = DealFactory(owner=seller, stage=Stage.IDENTIFY)
    BuyingRoleFactory(deal=blind, role="decision_maker")
    DealFactory(owner=seller, stage=Stage.WON)

    prospect = next(c for c in member_home(member=seller).cards if c.key == "prospect")

    assert prospect.reading.sentences[-1] == (
        "You know the economic buyer in 1 of your 2 open deals; in 1 you know no decision maker at all: "
        "ask for an introduction (Middleman finder)."
    )
