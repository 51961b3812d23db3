"""Recording through the API: my tie (GET/PUT/PATCH/DELETE), interactions, stated links, a person
added with my tie. Forged ids are 404s with nothing written; bad values 422s naming the field."""

from __future__ import annotations

import json

import pytest

from revere.contacts.models import CompanyStatus, Person
from revere.network.graph import organization_graph_clear
from revere.network.models import Interaction, Link, LinkSource, NetworkClass, Tie
from revere.network.selectors import member_ego_networks
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


@pytest.fixture
def world():
    org = f.OrganizationFactory()
    team = f.TeamFactory(organization=org)
    seller = f.MemberFactory(organization=org, team=team)
    mate = f.MemberFactory(organization=org, team=team)
    prospect = f.CompanyFactory(organization=org, status=CompanyStatus.PROSPECT)
    ann = f.PersonFactory(organization=org, full_name="Ann Lee", company=prospect)
    bob = f.PersonFactory(organization=org, full_name="Bob Roe", company=prospect)
    stranger = f.PersonFactory(organization=f.OrganizationFactory())
    private = f.TieFactory(member=mate, person=bob, visibility="private", notes="mate's secret")
    return type(
        "W", (), dict(org=org, seller=seller, mate=mate, ann=ann, bob=bob, stranger=stranger, private=private)
    )


@pytest.fixture
def api(client, world):
    client.force_login(world.seller.user)

    def call(method, url, body=None):
        kwargs = (
            {}
            if body is None
            else {"data": json.dumps(body, default=str), "content_type": "application/json"}
        )
        return getattr(client, method)(url, **kwargs)

    return call


def test_put_adds_my_tie_get_reads_it_patch_changes_a_field_and_delete_removes_it(api, world):
    url = f"/api/persons/{world.ann.pk}/tie"
    assert api("get", url).status_code == 404

    put = api("put", url, {"strength_override": 0.45, "notes": "Lisbon fair", "cadence_days": 30})
    assert put.status_code == 201, put.content
    body = put.json()
    assert (body["network_class"], body["band"], body["notes"], body["visibility"]) == (
        "prospect",
        "medium",
        "Lisbon fair",
        "team",
    )
    assert member_ego_networks(member=world.seller)[NetworkClass.PROSPECT].metrics.size == 1

    patched = api("patch", url, {"visibility": "private"})
    assert patched.status_code == 200
    assert (patched.json()["visibility"], patched.json()["notes"]) == ("private", "Lisbon fair")
    assert api("get", url).json()["visibility"] == "private"

    replaced = api("put", url, {"notes": "replaced"})  # PUT sets every field: the rest to defaults
    assert replaced.status_code == 200
    assert (replaced.json()["strength_override"], replaced.json()["visibility"]) == (None, "team")

    assert api("delete", url).status_code == 204
    assert api("get", url).status_code == 404
    assert api("delete", url).status_code == 404
    assert member_ego_networks(member=world.seller)[NetworkClass.PROSPECT].metrics.size == 0


def test_a_bad_tie_value_is_a_422_naming_the_field(api, world):
    response = api("put", f"/api/persons/{world.ann.pk}/tie", {"strength_override": 3})
    assert response.status_code == 422 and "strength_override" in response.json()["detail"]
    assert api("patch", f"/api/persons/{world.ann.pk}/tie", {"cadence_days": 5}).status_code == 404


def test_forged_ids_are_404s_and_write_nothing(api, world):
    for method in ("get", "put", "patch", "delete"):
        body = None if method in ("get", "delete") else {"notes": "x"}
        assert api(method, f"/api/persons/{world.stranger.pk}/tie", body).status_code == 404
    # A teammate's private tie is theirs: patching "my" tie to that person finds none, deleting too.
    assert api("patch", f"/api/persons/{world.bob.pk}/tie", {"notes": "mine now"}).status_code == 404
    assert api("delete", f"/api/persons/{world.bob.pk}/tie").status_code == 404
    logged = api(
        "post", "/api/interactions", {"kind": "meeting", "participants": [world.ann.pk, world.stranger.pk]}
    )
    assert logged.status_code == 404
    assert api("post", "/api/links", {"a": world.ann.pk, "b": world.stranger.pk}).status_code == 404
    assert api("delete", f"/api/links/{world.ann.pk}/{world.stranger.pk}").status_code == 404
    assert not Tie.unrestricted.filter(member=world.seller).exists()
    assert not Interaction.unrestricted.exists()
    assert not Link.unrestricted.exists()
    assert Tie.unrestricted.get(pk=world.private.pk).notes == "mate's secret"


def test_posting_an_interaction_ties_and_links_its_people_and_answers_with_my_new_strengths(api, world):
    response = api(
        "post",
        "/api/interactions",
        {
            "kind": "meeting",
            "participants": [world.ann.pk, world.mate.person_id],
            "occurred_at": "2026-01-05T10:00:00+00:00",
            "subject": "Kick-off",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {p["name"] for p in body["participants"]} == {"Ann Lee", world.mate.person.full_name}
    assert {t["network_class"] for t in body["ties"]} == {"prospect", "internal"}
    assert all(t["strength"] > 0 for t in body["ties"])
    assert body["links_added"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "dinner", "participants": [1]},
        {"kind": "call", "participants": []},
        {"kind": "call", "participants": [0], "occurred_at": "2999-01-01T00:00:00Z"},
    ],
)
def test_a_bad_interaction_is_refused_and_writes_nothing(api, world, body):
    body["participants"] = [world.ann.pk] if body["participants"] == [0] else body["participants"]
    if body["participants"] == [1]:
        body["participants"] = [world.ann.pk]
    assert api("post", "/api/interactions", body).status_code == 422
    assert not Interaction.unrestricted.exists()


def test_a_stated_link_is_created_read_back_as_stated_and_taken_back(api, world):
    created = api("post", "/api/links", {"a": world.bob.pk, "b": world.ann.pk, "weight": 0.8})
    assert created.status_code == 201
    assert (created.json()["source"], created.json()["stated_by_id"]) == (LinkSource.STATED, world.seller.pk)
    again = api("post", "/api/links", {"a": world.ann.pk, "b": world.bob.pk})
    assert again.status_code == 200 and not again.json()["created"]
    assert api("delete", f"/api/links/{world.ann.pk}/{world.bob.pk}").status_code == 204
    assert not Link.unrestricted.exists()


def test_taking_back_a_teammates_statement_is_a_403(client, api, world):
    assert api("post", "/api/links", {"a": world.bob.pk, "b": world.ann.pk}).status_code == 201
    client.force_login(world.mate.user)
    response = client.delete(f"/api/links/{world.ann.pk}/{world.bob.pk}")
    assert response.status_code == 403
    assert Link.unrestricted.count() == 1


def test_a_person_created_with_my_tie_joins_my_network_and_a_bad_tie_creates_nobody(api, world):
    response = api(
        "post",
        "/api/persons",
        {"full_name": "Cleo Nova", "company_id": world.ann.company_id, "tie": {"strength_override": 0.7}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tie"]["band"] == "strong" and body["tie"]["network_class"] == "prospect"
    assert member_ego_networks(member=world.seller)[NetworkClass.PROSPECT].metrics.size == 1

    bad = api("post", "/api/persons", {"full_name": "Dan Gone", "tie": {"visibility": "everyone"}})
    assert bad.status_code == 422
    assert not Person.unrestricted.filter(full_name="Dan Gone").exists()
    plain = api("post", "/api/persons", {"full_name": "Eve Plain"})
    assert plain.status_code == 201 and plain.json()["tie"] is None


def test_the_record_operations_are_in_the_openapi_schema(api):
    paths = api("get", "/api/openapi.json").json()["paths"]
    assert set(paths["/api/persons/{person_id}/tie"]) == {"get", "put", "patch", "delete"}
    assert "post" in paths["/api/interactions"]
    assert "post" in paths["/api/links"] and "delete" in paths["/api/links/{a_id}/{b_id}"]
