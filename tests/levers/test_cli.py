"""The command line: `revere team`, `revere ledger`, `revere coaching`, and the team API."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from revere.levers.models import CoachingPlan
from tests.levers.conftest import LAST

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_revere_team_prints_the_team_view_for_a_manager_and_refuses_a_seller(w):
    text = run("team", "--as", w["manager"].user.email)
    assert "Sally Seller" in text and "Otto West" not in text and "silos:" in text
    data = json.loads(run("team", "--as", w["manager"].user.email, "--json"))
    assert {s["name"] for s in data["sellers"]} == {"Sally Seller", "Matt Mate"}
    assert data["sellers"][0]["scorecard"]["market"]["verdict"]
    assert any(p["network"] == "customer" and p["shared"] == 3 for p in data["pairs"])
    with pytest.raises(CommandError, match="managers and admins"):
        run("team", "--as", w["seller"].user.email)
    with pytest.raises(CommandError, match="No team 'West'"):
        run("team", "--as", w["manager"].user.email, "--team", "West")
    assert "Otto West" in run("team", "--as", w["admin"].user.email, "--team", "west")


def test_revere_ledger_prints_a_table_csv_or_json_of_what_the_member_may_see(w):
    period = f"{LAST:%Y-%m}"
    assert "150.00" in run("ledger", "--as", w["seller"].user.email, "--period", period)
    rows = list(
        csv.DictReader(io.StringIO(run("ledger", "--as", w["manager"].user.email, "--format", "csv")))
    )
    assert [(r["member"], r["kind"], r["credit"]) for r in rows] == [
        (w["seller"].user.email, "introduction", "150.00")
    ]
    assert json.loads(run("ledger", "--as", w["mate"].user.email, "--format", "json")) == []
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("ledger", "--as", w["seller"].user.email, "--period", "2025/03")
    with pytest.raises(CommandError, match="No member"):
        run("ledger", "--as", "nobody@nowhere.test")


def test_revere_coaching_proposes_and_lists_plans_as_the_member_may_see_them(w):
    text = run("coaching", "--as", w["manager"].user.email, "--seller", w["seller"].user.email, "--propose")
    assert "Sally Seller: draft plan" in text
    assert CoachingPlan.unrestricted.filter(member=w["seller"]).count() == 1
    [plan] = json.loads(run("coaching", "--as", w["seller"].user.email, "--json"))
    assert plan["member_name"] == "Sally Seller" and plan["goals"]
    assert run("coaching", "--as", w["mate"].user.email) == "No coaching plan.\n"
    with pytest.raises(CommandError, match="not yours"):
        run("coaching", "--as", w["mate"].user.email, "--seller", w["seller"].user.email)
    with pytest.raises(CommandError, match="open plan"):
        run("coaching", "--as", w["manager"].user.email, "--seller", w["seller"].user.email, "--propose")


def test_the_team_api_gives_the_view_to_a_manager_and_proposes_a_plan(client, w):
    client.force_login(w["manager"].user)
    body = client.get("/api/team").json()
    assert len(body["sellers"]) == 2 and body["reach"][-1]["network"] == "all"
    assert client.get(f"/api/team?team_id={w['west'].pk}").status_code == 404
    plan = client.post(
        "/api/coaching/propose", {"member_id": w["seller"].pk}, content_type="application/json"
    )
    assert plan.status_code == 200 and plan.json()["status"] == "draft"
    client.force_login(w["seller"].user)
    assert client.get("/api/team").status_code == 403
    for who, status in ((w["mate"], 404), (w["seller"], 403)):  # not theirs to see; not theirs to do
        response = client.post(
            "/api/coaching/propose", {"member_id": who.pk}, content_type="application/json"
        )
        assert response.status_code == status
