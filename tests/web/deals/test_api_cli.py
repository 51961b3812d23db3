"""Deals through the API and the command line: the same board, playbook and moves as the pages."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from revere.deals.models import Deal, DealStageChange, Stage
from revere.deals.services import deal_create
from revere.network.graph import organization_graph_clear
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    organization_graph_clear()
    org = f.OrganizationFactory()
    team = f.TeamFactory(organization=org)
    seller = f.MemberFactory(organization=org, team=team)
    mate = f.MemberFactory(organization=org, team=team)
    acme = f.CompanyFactory(organization=org, name="Acme Freight")
    cfo = f.PersonFactory(organization=org, company=acme, full_name="Frank Money")
    deal = deal_create(member=seller, name="Acme fleet", company=acme, amount=1000)
    foreign = f.DealFactory(name="Secret other deal")
    yield type("W", (), locals())
    organization_graph_clear()


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_api_board_deal_and_playbook(client, w):
    client.force_login(w.seller.user)
    board = client.get("/api/deals").json()
    assert [c["stage"] for c in board["columns"]] == [
        "identify",
        "buy_in",
        "solution",
        "close",
        "won",
        "lost",
    ]
    (card,) = board["columns"][0]["deals"]
    assert (card["name"], card["company"]["name"], card["amount"]) == ("Acme fleet", "Acme Freight", 1000.0)
    assert client.get("/api/deals?stage=buy_in").json()["columns"][0]["count"] == 0
    detail = client.get(f"/api/deals/{w.deal.pk}").json()
    assert detail["playbook"]["stage"] == "identify" and detail["history"][0]["to"] == "identify"
    two = client.get(f"/api/deals/{w.deal.pk}?stage=buy_in").json()["playbook"]
    assert two["exit_check"]["passes"] is False and "two" in two
    assert client.get(f"/api/deals/{w.foreign.pk}").status_code == 404
    assert "Secret other deal" not in json.dumps(board)


def test_the_api_writes(client, w):
    client.force_login(w.seller.user)
    created = client.post(
        "/api/deals",
        {"name": "Acme two", "company_id": w.acme.pk, "amount": "5"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["stage"] == "identify"
    assert (
        client.post(
            "/api/deals", {"name": "x", "company_id": w.foreign.company_id}, content_type="application/json"
        ).status_code
        == 404
    )
    moved = client.post(
        f"/api/deals/{w.deal.pk}/move", {"to_stage": "buy_in"}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json() == {
        "stage": "buy_in",
        "flagged": False,
        "failed_checks": [],
    }
    refused = client.post(
        f"/api/deals/{w.deal.pk}/move", {"to_stage": "solution"}, content_type="application/json"
    )
    assert refused.status_code == 409 and refused.json()["needs_reason"] is True
    assert (
        client.post(
            f"/api/deals/{w.foreign.pk}/move",
            {"to_stage": "lost", "reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    role = client.put(
        f"/api/deals/{w.deal.pk}/roles",
        {"person_id": w.cfo.pk, "role": "economic_buyer", "stance": "supporter"},
        content_type="application/json",
    )
    assert role.status_code == 200 and role.json()["role"] == "economic_buyer"
    assert client.post(
        f"/api/deals/{w.deal.pk}/team", {"member_id": w.mate.pk}, content_type="application/json"
    ).json() == {"added": True}
    patched = client.patch(f"/api/deals/{w.deal.pk}", {"amount": "2500"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["amount"] == 2500.0
    assert (
        client.patch(
            f"/api/deals/{w.deal.pk}", {"currency": "EURO"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert Deal.unrestricted.get(pk=w.foreign.pk).stage == Stage.IDENTIFY


def test_the_cli_board_deal_and_move(w):
    email = w.seller.user.email
    text = run("deals", "--as", email)
    assert "1 · Identify prospects: 1 deal" in text and "Acme fleet" in text
    data = json.loads(run("deals", "--as", email, "--stage", "identify", "--json"))
    assert data["columns"][0]["deals"][0]["id"] == w.deal.pk
    assert "Secret other deal" not in run("deals", "--as", email)
    out = run("deal", "--as", email, "--id", str(w.deal.pk), "--stage", "buy_in")
    assert "Exit check: fails" in out and "buyer thread" in out
    assert json.loads(run("deal", "--as", email, "--id", str(w.deal.pk), "--json"))["name"] == "Acme fleet"
    with pytest.raises(CommandError, match="No deal"):
        run("deal", "--as", email, "--id", str(w.foreign.pk))
    assert "moved to 2 · Build buy-in" in run(
        "deal-move".replace("-", "_"), "--as", email, "--id", str(w.deal.pk), "--to", "buy_in"
    )
    with pytest.raises(CommandError, match="add --reason"):
        run("deal_move", "--as", email, "--id", str(w.deal.pk), "--to", "won")
    out = run("deal_move", "--as", email, "--id", str(w.deal.pk), "--to", "won", "--reason", "signed")
    assert "flagged" in out
    last = DealStageChange.unrestricted.filter(deal=w.deal).order_by("-pk").first()
    assert (last.to_stage, last.source, last.flagged) == (Stage.WON, "cli", True)
