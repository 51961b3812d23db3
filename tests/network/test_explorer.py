"""The graph explorer's data and pages: the member's own contacts, links among them, circles, cards."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revere.network.explorer import explorer_card, explorer_graph, explorer_options
from revere.network.graph import organization_graph_clear
from revere.network.models import LinkSource, NetworkClass, Visibility
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_graphs():
    """Test databases reuse organization ids at the same data version: start each test uncached."""
    organization_graph_clear()
    yield
    organization_graph_clear()


@pytest.fixture
def world():
    """A seller with a closed clique of three, a pair, an isolate; a teammate with a private tie."""
    org = f.OrganizationFactory()
    team = f.TeamFactory(organization=org)
    seller = f.MemberFactory(organization=org, team=team)
    mate = f.MemberFactory(organization=org, team=team, person__full_name="Tina Mate")
    acme = f.CompanyFactory(organization=org, name="Acme", industry="Retail")
    clique = [f.PersonFactory(organization=org, company=acme) for _ in range(3)]
    pair = [f.PersonFactory(organization=org) for _ in range(2)]
    alone = f.PersonFactory(organization=org, full_name="Ivan Alone")
    # Strong ties into a closed clique make up most of the seller's network: a redundant circle.
    for p, strength in zip([*clique, *pair, alone], [0.9, 0.9, 0.9, 0.1, 0.15, 0.25], strict=True):
        f.TieFactory(member=seller, person=p, strength=strength, network_class=NetworkClass.MARKET)
    for i in range(3):
        for j in range(i + 1, 3):
            f.LinkFactory(
                organization=org, a=clique[i], b=clique[j], source=LinkSource.MET_TOGETHER, weight=1.0
            )
    f.LinkFactory(organization=org, a=pair[0], b=pair[1])
    # The teammate privately knows both the isolate and one of the pair: never an edge for the seller.
    f.TieFactory(member=mate, person=alone, visibility=Visibility.PRIVATE, notes="secret")
    f.TieFactory(member=mate, person=pair[0], visibility=Visibility.TEAM, strength=0.9)
    outsider = f.PersonFactory(organization=org)  # not the seller's contact
    f.LinkFactory(organization=org, a=clique[0], b=outsider)
    return {
        "org": org,
        "seller": seller,
        "mate": mate,
        "clique": clique,
        "pair": pair,
        "alone": alone,
        "outsider": outsider,
        "acme": acme,
    }


def test_nodes_are_exactly_the_members_own_active_contacts(world):
    data = explorer_graph(member=world["seller"])
    ids = {n["id"] for n in data["nodes"]}
    expected = {p.pk for p in [*world["clique"], *world["pair"], world["alone"]]}
    assert ids == expected
    assert world["outsider"].pk not in ids


def test_edges_are_the_links_among_the_contacts_and_never_a_teammates_tie(world):
    data = explorer_graph(member=world["seller"])
    edges = {(a, b) for a, b, _ in data["edges"]}
    c, p = world["clique"], world["pair"]
    assert len(edges) == 4  # three in the clique, one in the pair
    assert (min(p[0].pk, p[1].pk), max(p[0].pk, p[1].pk)) in edges
    assert all(world["alone"].pk not in e for e in edges)
    assert all(world["outsider"].pk not in e for e in edges)
    assert {(min(c[0].pk, c[1].pk), max(c[0].pk, c[1].pk))} <= edges


def test_the_clique_is_one_circle_shaded_redundant_and_the_isolate_is_in_none(world):
    data = explorer_graph(member=world["seller"])
    by_id = {n["id"]: n for n in data["nodes"]}
    clique_circles = {by_id[p.pk]["circle"] for p in world["clique"]}
    assert len(clique_circles) == 1 and None not in clique_circles
    circle = next(c for c in data["circles"] if c["id"] in clique_circles)
    assert circle["redundant"] and circle["size"] == 3
    pair_circle = next(c for c in data["circles"] if c["id"] == by_id[world["pair"][0].pk]["circle"])
    assert not pair_circle["redundant"]
    assert by_id[world["alone"].pk]["circle"] is None
    assert all(by_id[p.pk]["redundant"] for p in world["clique"])


def test_each_node_carries_its_class_strength_band_and_a_position(world):
    data = explorer_graph(member=world["seller"])
    alone = next(n for n in data["nodes"] if n["id"] == world["alone"].pk)
    assert alone["cls"] == "market"
    assert alone["strength"] == pytest.approx(0.25)
    assert alone["band"] == "weak"
    positions = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(positions) == len(data["nodes"])  # nobody drawn on top of anybody


def test_a_highlighted_path_adds_persons_outside_the_network_and_refuses_other_organizations(world):
    stranger = f.PersonFactory()  # another organization
    c0, out = world["clique"][0], world["outsider"]
    data = explorer_graph(
        member=world["seller"], path=[world["seller"].person_id, c0.pk, out.pk, stranger.pk]
    )
    assert data["path"] == [c0.pk, out.pk]
    assert any(n["id"] == out.pk and n["cls"] == "path" for n in data["nodes"])
    assert all(n["id"] != stranger.pk for n in data["nodes"])


def test_options_list_the_companies_and_industries_of_the_contacts(world):
    options = explorer_options(member=world["seller"])
    assert options.total == 6
    assert (world["acme"].pk, "Acme", 3) in options.companies
    assert ("Retail", 3) in options.industries


def test_the_card_shows_the_tie_the_links_to_other_contacts_and_teammates_only_as_allowed(world):
    card = explorer_card(member=world["seller"], person_id=world["pair"][0].pk)
    assert card is not None
    assert card.tie.strength == pytest.approx(0.1)
    assert [c.person_id for c in card.connections] == [world["pair"][1].pk]
    assert card.connections_total == 1
    assert [(t.member_name, t.band) for t in card.teammates] == [("Tina Mate", "strong")]
    private = explorer_card(member=world["seller"], person_id=world["alone"].pk)
    assert [(str(t.access), t.band, t.strength, t.notes) for t in private.teammates] == [
        ("ask", None, None, None)
    ]


def test_a_card_for_a_person_of_another_organization_is_refused(world):
    assert explorer_card(member=world["seller"], person_id=f.PersonFactory().pk) is None


def test_the_graph_page_data_and_card_render_for_the_signed_in_member(client, world):
    client.force_login(world["seller"].user)
    page = client.get(reverse("graph"))
    assert page.status_code == 200
    assert b"cytoscape.min.js" in page.content and b"Acme (3)" in page.content
    data = client.get(reverse("graph_data")).json()
    assert len(data["nodes"]) == 6
    card = client.get(reverse("graph_card", args=[world["alone"].pk]))
    assert card.status_code == 200
    html = card.content.decode()
    assert "Ivan Alone" in html and "ask Tina Mate" in html and "secret" not in html
    assert client.get(reverse("graph_card", args=[f.PersonFactory().pk])).status_code == 404


def test_the_api_serves_the_same_graph(client, world):
    client.force_login(world["seller"].user)
    data = client.get("/api/network/graph").json()
    assert {n["id"] for n in data["nodes"]} == {
        n["id"] for n in explorer_graph(member=world["seller"])["nodes"]
    }
    node = client.get(f"/api/network/graph/nodes/{world['pair'][0].pk}").json()
    assert node["connections_total"] == 1 and node["tie"]["notes"] == ""


def test_a_member_without_contacts_gets_an_empty_graph_and_page(client):
    member = f.MemberFactory()
    data = explorer_graph(member=member)
    assert (data["nodes"], data["edges"], data["circles"]) == ([], [], [])
    client.force_login(member.user)
    assert client.get(reverse("graph")).status_code == 200
    assert client.get(reverse("graph_data")).json()["nodes"] == []


def test_the_demo_seller_sees_several_named_circles_none_holding_most_of_the_network():
    from revere.demo import DEMO_LOGINS, demo_create
    from revere.tenancy.models import Member

    demo_create(size="small", seed=5)
    seller = Member.unrestricted.get(user__email=dict(DEMO_LOGINS)["seller"])
    data = explorer_graph(member=seller)
    sizes = [c["size"] for c in data["circles"]]
    assert len(sizes) >= 5
    assert max(sizes) < 0.3 * len(data["nodes"])  # components put 233 of 250 in one circle
    assert all(c["name"] and f"{c['size']} contacts" in c["label"] for c in data["circles"])
    # no two circles' boxes overlap: the layout packs them apart
    boxes = []
    for c in data["circles"]:
        xs = [n["x"] for n in data["nodes"] if n["circle"] == c["id"]]
        ys = [n["y"] for n in data["nodes"] if n["circle"] == c["id"]]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]


def test_two_companies_joined_by_one_link_are_two_circles_named_after_them():
    org = f.OrganizationFactory()
    seller = f.MemberFactory(organization=org)
    groups = []
    for name in ("Acme", "Globex"):
        company = f.CompanyFactory(organization=org, name=name)
        people = [f.PersonFactory(organization=org, company=company) for _ in range(4)]
        for p in people:
            f.TieFactory(member=seller, person=p, strength=0.5)
        for i in range(4):
            for j in range(i + 1, 4):
                f.LinkFactory(organization=org, a=people[i], b=people[j], weight=0.8)
        groups.append(people)
    f.LinkFactory(organization=org, a=groups[0][0], b=groups[1][0], weight=0.8)
    data = explorer_graph(member=seller)
    assert sorted(c["name"] for c in data["circles"]) == ["Acme", "Globex"]
    circle_of = {n["id"]: n["circle"] for n in data["nodes"]}
    assert len({circle_of[p.pk] for p in groups[0]}) == 1
    assert circle_of[groups[0][0].pk] != circle_of[groups[1][0].pk]
