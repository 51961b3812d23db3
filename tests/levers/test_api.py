"""The levers API: ledger statements, export, rules and periods; coaching plans; who may do what."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from revere.analytics.coaching import Gap
from revere.deals.models import Stage
from revere.levers.ledger import month_of
from revere.levers.models import Contribution
from revere.levers.services import introduction_mark_made, introduction_request
from revere.levers.services.coaching import coaching_plan_propose
from revere.tenancy.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

LAST = month_of(date.fromordinal(month_of(timezone.localdate()).toordinal() - 1))


@pytest.fixture
def w():
    org = f.OrganizationFactory()
    east = f.TeamFactory(organization=org)
    out = {
        "seller": f.MemberFactory(organization=org, team=east),
        "mate": f.MemberFactory(organization=org, team=east),
        "manager": f.MemberFactory(organization=org, role=Role.MANAGER),
        "admin": f.MemberFactory(organization=org, role=Role.ADMIN),
    }
    east.managers.add(out["manager"])
    buyer = f.CompanyFactory(organization=org, status="prospect")
    person = f.PersonFactory(organization=org, company=buyer)
    deal = f.DealFactory(owner=out["mate"], company=buyer, amount=Decimal("50000"), stage=Stage.WON)
    c = introduction_request(
        member=out["mate"], introducer=out["seller"], person_id=person.pk, deal_id=deal.pk
    )
    introduction_mark_made(member=out["seller"], contribution_id=c.pk)
    Contribution.unrestricted.filter(pk=c.pk).update(
        occurred_at=datetime(LAST.year, LAST.month, 5, tzinfo=UTC)
    )
    out["intro"] = c
    return out


def test_a_seller_reads_their_own_statement_and_never_a_teammates(client, w):
    client.force_login(w["seller"].user)
    body = client.get(f"/api/ledger/statement?period={LAST:%Y-%m}").json()
    assert (
        body["totals"]["total"] == "550.00"
        and body["lines"][0]["evidence_id"] == f"introduction/{w['intro'].pk}"
    )
    assert client.get(f"/api/ledger/statement?member_id={w['mate'].pk}").status_code == 404
    assert client.get("/api/ledger/statement?period=March").status_code == 422
    assert client.get(f"/api/ledger?period={LAST:%Y-%m}").json()["members"][0]["member_id"] == w["seller"].pk


def test_the_export_is_csv_and_json_with_the_columns_an_incentive_tool_takes(client, w):
    client.force_login(w["manager"].user)
    response = client.get(f"/api/ledger/export.csv?period={LAST:%Y-%m}")
    assert response["Content-Type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert (row["member"], row["period"], row["kind"], row["amount"], row["credit"]) == (
        w["seller"].user.email,
        f"{LAST:%Y-%m}",
        "introduction",
        "50000.00",
        "550.00",
    )
    assert client.get("/api/ledger/export").json()[0]["evidence_id"] == row["evidence_id"]


def test_only_an_admin_sets_the_rules_and_closes_a_month(client, w):
    rules = {"introduction_points": "10", "reference_points": "1", "assist_points": "1", "won_share": "0"}
    client.force_login(w["manager"].user)
    assert client.put("/api/ledger/rules", rules, content_type="application/json").status_code == 403
    assert client.post(f"/api/ledger/periods/{LAST:%Y-%m}/close").status_code == 403
    client.force_login(w["admin"].user)
    assert (
        client.put(
            "/api/ledger/rules", {**rules, "won_share": "2"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert (
        client.put("/api/ledger/rules", rules, content_type="application/json").json()["introduction"]
        == "10.00"
    )
    closed = client.post(f"/api/ledger/periods/{LAST:%Y-%m}/close").json()
    assert closed["entries"] == 1
    assert client.post(f"/api/ledger/periods/{LAST:%Y-%m}/close").status_code == 422


def test_coaching_plans_through_the_api(client, w):
    plan = coaching_plan_propose(
        member=w["manager"], subject=w["seller"], gaps=[Gap("market", "size", 0, 40, True)]
    )
    client.force_login(w["seller"].user)
    body = client.get(f"/api/coaching/plans/{plan.pk}").json()
    [goal] = body["goals"]
    assert (goal["metric"], goal["target_value"], goal["series"][-1]["value"]) == ("size", 5.0, 0.0)
    update = {"target_value": 8, "due_on": body["ends_on"]}
    assert (
        client.put(f"/api/coaching/goals/{goal['id']}", update, content_type="application/json").status_code
        == 403
    )
    assert client.post(f"/api/coaching/plans/{plan.pk}/agree").json()["member_agreed"] is True
    client.force_login(w["mate"].user)
    assert client.get(f"/api/coaching/plans/{plan.pk}").status_code == 404
    assert client.get("/api/coaching/plans").json() == []
    client.force_login(w["manager"].user)
    after = client.put(f"/api/coaching/goals/{goal['id']}", update, content_type="application/json").json()
    assert after["goals"][0]["target_value"] == 8 and after["member_agreed"] is False
    assert client.post(f"/api/coaching/plans/{plan.pk}/close").json()["status"] == "missed"
