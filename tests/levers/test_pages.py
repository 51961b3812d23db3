"""The levers' pages: team, ledger, rules, coaching, structure; who may see and do what; query budgets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from revere.levers.ledger import month_of
from revere.levers.models import CoachingPlan, CreditRules, PlanStatus
from revere.network.models import NetworkClass
from tests import factories as f

pytestmark = pytest.mark.django_db

LAST = month_of(date.fromordinal(month_of(timezone.localdate()).toordinal() - 1))


def test_the_team_page_shows_a_managers_sellers_overlaps_and_links_to_their_pages(
    client, w, django_assert_max_num_queries
):
    client.force_login(w["manager"].user)
    client.get("/team/")  # the graph and the team's figures warm
    with django_assert_max_num_queries(40):
        page = client.get("/team/").content.decode()
    assert "Sally Seller" in page and "Matt Mate" in page and "Otto West" not in page
    assert 'data-testid="overlaps"' in page and "Acme" in page
    assert f"/?seller={w['seller'].pk}" in page
    for network in ("market", "customer"):
        assert client.get(f"/team/?network={network}&sort={network}.size&dir=desc").status_code == 200
    assert client.get(f"/team/?team={w['west'].pk}").status_code == 404


def test_a_seller_has_no_team_page_and_an_admin_sees_every_team(client, w):
    client.force_login(w["seller"].user)
    assert client.get("/team/").status_code == 403
    assert client.get("/team/structure/").status_code == 403
    client.force_login(w["admin"].user)
    page = client.get("/team/").content.decode()
    assert "Otto West" in page and "Every team" in page


def test_the_ledger_page_shows_a_seller_their_own_lines_and_a_manager_the_teams(
    client, w, django_assert_max_num_queries
):
    client.force_login(w["seller"].user)
    with django_assert_max_num_queries(20):
        page = client.get(f"/ledger/?period={LAST:%Y-%m}").content.decode()
    assert "150.00" in page and "Credit per member" not in page  # 50 points + 1 % of 10,000
    assert client.get(f"/ledger/?member={w['mate'].pk}").status_code == 404
    assert client.get("/ledger/?period=someday").status_code == 404
    client.force_login(w["manager"].user)
    page = client.get(f"/ledger/?period={LAST:%Y-%m}").content.decode()
    assert "Credit per member" in page and "Sally Seller" in page
    assert client.get(f"/ledger/?period={LAST:%Y-%m}&member={w['seller'].pk}").status_code == 200
    assert client.get(f"/ledger/?member={w['outsider'].pk}").status_code == 404


def test_an_admin_edits_the_rules_and_closes_a_month_and_nobody_else_does(client, w):
    rules = {"introduction_points": "20", "reference_points": "1", "assist_points": "1", "won_share": "0"}
    client.force_login(w["manager"].user)
    assert client.post("/ledger/rules/", rules).status_code == 403
    assert client.post(f"/ledger/periods/{LAST:%Y-%m}/close/").status_code == 403
    assert 'data-testid="period-status">Open' in client.get(f"/ledger/?period={LAST:%Y-%m}").content.decode()
    client.force_login(w["admin"].user)
    assert client.get("/ledger/rules/").status_code == 200
    assert client.post("/ledger/rules/", rules).status_code == 302
    assert CreditRules.unrestricted.get(organization=w["org"]).introduction_points == 20
    client.post(f"/ledger/periods/{LAST:%Y-%m}/close/")
    page = client.get(f"/ledger/?period={LAST:%Y-%m}").content.decode()
    assert 'data-testid="period-status">Closed' in page


def test_a_manager_proposes_edits_and_closes_a_plan_the_seller_agrees(client, w):
    client.force_login(w["manager"].user)
    assert "Sally Seller" in client.get("/coaching/").content.decode()
    response = client.post(f"/coaching/propose/{w['seller'].pk}/")
    plan = CoachingPlan.unrestricted.get(member=w["seller"])
    assert response.status_code == 302 and response["Location"] == f"/coaching/{plan.pk}/"
    page = client.get(f"/coaching/{plan.pk}/").content.decode()
    assert 'id="coaching-chart"' in page and "<script>" not in page.split("</main>")[0]
    goal = plan.goals.visible_to(w["manager"]).first()
    data = {
        f"g{goal.pk}-target_value": "55",
        f"g{goal.pk}-due_on": (plan.ends_on + timedelta(days=5)).isoformat(),
        f"g{goal.pk}-actions": "Call two",
    }
    assert client.post(f"/coaching/goals/{goal.pk}/", data).status_code == 302
    goal.refresh_from_db()
    assert goal.target_value == 55 and goal.actions == ["Call two"]
    client.force_login(w["seller"].user)
    assert client.post(f"/coaching/goals/{goal.pk}/", data).status_code == 404
    client.post(f"/coaching/{plan.pk}/agree/")
    client.force_login(w["manager"].user)
    client.post(f"/coaching/{plan.pk}/agree/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    client.post(f"/coaching/{plan.pk}/close/")
    plan.refresh_from_db()
    assert plan.status in (PlanStatus.MET, PlanStatus.MISSED)
    client.force_login(w["mate"].user)
    assert client.get(f"/coaching/{plan.pk}/").status_code == 404
    client.force_login(w["outsider"].user)
    assert client.post(f"/coaching/propose/{w['seller'].pk}/").status_code == 404


def test_the_structure_lever_proposes_a_team_for_skills_and_one_per_function(client, w):
    own = w["org"].own_company
    cloud = f.PersonFactory(
        organization=w["org"], company=own, full_name="Cleo Cloud", function="Pre-sales", expertise=["cloud"]
    )
    f.PersonFactory(
        organization=w["org"], company=own, full_name="Sam Secure", function="Legal", expertise=["security"]
    )
    f.TieFactory(member=w["seller"], person=cloud, network_class=NetworkClass.INTERNAL, strength=0.8)
    client.force_login(w["manager"].user)
    page = client.get("/team/structure/?skills=cloud,security,quantum").content.decode()
    assert "Cleo Cloud" in page and "Sam Secure" in page and "quantum" in page
    page = client.get("/team/structure/?cross_functional=on").content.decode()
    assert "Cleo Cloud" in page and "one colleague per function" in page
