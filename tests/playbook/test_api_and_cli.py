"""The same through the API and the command line: `revere network --as EMAIL [--json]`."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from revere.network.models import NetworkClass
from revere.tenancy.models import Role
from tests.factories import MemberFactory, OrganizationFactory, TieFactory
from tests.playbook.conftest import make_clique

pytestmark = pytest.mark.django_db

NAMES = ["Ada Clique", "Ben Clique", "Cy Clique", "Di Clique"]


@pytest.fixture
def seller():
    org = OrganizationFactory()
    member = MemberFactory(organization=org, person__full_name="Sam Seller")
    make_clique(org, member, 4, names=NAMES)
    TieFactory(
        member=member,
        person__full_name="Pat Prospect",
        network_class=NetworkClass.PROSPECT,
        last_interaction=timezone.now() - timedelta(days=30),
    )
    return member


def test_the_api_gives_the_four_networks_scorecard_advice_and_queue(client, seller):
    client.force_login(seller.user)

    body = client.get("/api/network").json()

    assert [n["network_class"] for n in body["networks"]] == ["market", "prospect", "internal", "customer"]
    market = body["networks"][0]
    assert market["metrics"]["size"] == 4 and market["metrics"]["density"] == 1.0
    assert market["reading"]["shape"] == "clique"
    assert market["score"]["verdict"] == "3 gaps"
    assert body["advice"]["cliques"] == ["market"]
    assert body["advice"]["let_go_total"] == 3
    assert [i["name"] for i in body["keep_in_touch"]["due"]] == ["Pat Prospect"]


def test_keep_in_touch_through_the_api_and_nobody_elses_tie(client, seller):
    client.force_login(seller.user)
    tie_id = client.get("/api/keep-in-touch").json()["due"][0]["tie_id"]
    other = TieFactory(member=MemberFactory(organization=seller.organization))

    assert (
        client.post(
            f"/api/keep-in-touch/{other.pk}/done", {"kind": "call"}, content_type="application/json"
        ).status_code
        == 404
    )
    r = client.post(f"/api/keep-in-touch/{tie_id}/snooze", {"days": 10}, content_type="application/json")
    assert r.status_code == 200 and r.json()["snoozed_until"]
    assert client.get("/api/keep-in-touch").json()["total_due"] == 0
    r = client.put(
        f"/api/keep-in-touch/{tie_id}/cadence", {"cadence_days": 5}, content_type="application/json"
    )
    assert r.json()["cadence_days"] == 5


def test_targets_through_the_api_are_an_admins_to_set(client, seller):
    admin = MemberFactory(organization=seller.organization, role=Role.ADMIN)
    body = {"min_size": 10, "max_constraint": 0.3}

    client.force_login(seller.user)
    assert client.put("/api/targets/market", body, content_type="application/json").status_code == 403
    client.force_login(admin.user)
    r = client.put("/api/targets/market", body, content_type="application/json")
    assert r.status_code == 200
    assert r.json()[0] == {
        "network_class": "market",
        "source": "organization",
        "min_size": 10,
        "min_density": None,
        "max_density": None,
        "max_constraint": 0.3,
        "min_strength": None,
        "min_diversity": None,
    }
    assert (
        client.put("/api/targets/market", {"min_size": -1}, content_type="application/json").status_code
        == 422
    )
    client.force_login(seller.user)
    assert client.get("/api/network").json()["networks"][0]["score"]["verdict"] == "2 gaps"


def test_the_command_prints_json_for_scripts(seller):
    out = StringIO()

    call_command("network", "--as", seller.user.email, "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["member_name"] == "Sam Seller"
    assert report["networks"][0]["metrics"]["effective_size"] == pytest.approx(1.0)
    let_go = report["advice"]["let_go"]
    assert {c["name"] for c in let_go} < set(NAMES) and len(let_go) == 3


def test_the_command_prints_tables_and_readings_for_people(seller):
    out = StringIO()

    call_command("network", "--as", seller.user.email, stdout=out)

    text = out.getvalue()
    assert "my four networks" in text
    assert "Your market contacts form one closed clique" in text
    assert "Do I have enough connections?" in text
    assert "Pat Prospect (prospect)" in text


def test_the_command_refuses_an_unknown_member():
    with pytest.raises(CommandError, match="No member"):
        call_command("network", "--as", "nobody@example.test")


def test_the_api_pages_the_advice_and_the_queue_like_the_page(client, seller):
    client.force_login(seller.user)
    whole = client.get("/api/advice").json()
    assert (
        whole["let_go_total"] == 3 and [c["kept_instead"] is not None for c in whole["let_go"]] == [True] * 3
    )

    pages = [client.get(f"/api/advice?limit=1&let_go_offset={k}").json() for k in range(4)]

    assert [c["person_id"] for p in pages for c in p["let_go"]] == [c["person_id"] for c in whole["let_go"]]
    assert [p["let_go_offset"] for p in pages] == [0, 1, 2, 3] and pages[3]["let_go"] == []
    queue = client.get("/api/keep-in-touch?offset=1").json()
    assert (queue["offset"], queue["total_due"], queue["due"]) == (1, 1, [])
