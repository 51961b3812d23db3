"""Coaching plans: proposed from gaps and the stall stage, edited and agreed, progress, closed met or missed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from revere.analytics.coaching import Gap
from revere.deals.models import DealStageChange, Stage
from revere.levers.models import CoachingPlan, GoalSource, PlanStatus
from revere.levers.selectors.coaching import coaching_plan, coaching_plans, deal_stalls
from revere.levers.services.coaching import (
    coaching_goal_add,
    coaching_goal_remove,
    coaching_goal_update,
    coaching_plan_agree,
    coaching_plan_close,
    coaching_plan_propose,
)
from revere.network.models import NetworkClass
from revere.tenancy.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    org = f.OrganizationFactory()
    east, west = f.TeamFactory(organization=org), f.TeamFactory(organization=org)
    w = {
        "org": org,
        "seller": f.MemberFactory(organization=org, team=east),
        "mate": f.MemberFactory(organization=org, team=east),
        "outsider": f.MemberFactory(organization=org, team=west),
        "manager": f.MemberFactory(organization=org, role=Role.MANAGER),
        "west_manager": f.MemberFactory(organization=org, role=Role.MANAGER),
    }
    east.managers.add(w["manager"])
    west.managers.add(w["west_manager"])
    for _ in range(5):  # five market contacts, all recent
        f.TieFactory(member=w["seller"], person=f.PersonFactory(organization=org), strength=0.5)
    return w


GAPS = [Gap("market", "size", 5, 40, True), Gap("customer", "mean_strength", 0.3, 0.55, True)]


def _spells(owner, company, stage_days):
    """A deal whose history spends the given days in each stage, still in the last one."""
    start = timezone.now() - timedelta(days=sum(d for _, d in stage_days))
    deal = f.DealFactory(owner=owner, company=company, stage=stage_days[-1][0], created_at=start)
    at, prev = start, ""
    for stage, d in stage_days:
        DealStageChange.unrestricted.create(
            organization=owner.organization, deal=deal, from_stage=prev, to_stage=stage, changed_at=at
        )
        at, prev = at + timedelta(days=d), stage
    return deal


def test_a_plan_has_a_goal_per_gap_with_the_advice_as_actions(team):
    actions = {("market", "size"): ["Go to two industry events"]}
    plan = coaching_plan_propose(member=team["manager"], subject=team["seller"], gaps=GAPS, actions=actions)
    goals = list(plan.goals.visible_to(team["manager"]))
    assert [(g.network_class, g.metric, g.start_value, g.target_value) for g in goals] == [
        ("market", "size", 5.0, 10.0),  # one step: at least five more
        ("customer", "mean_strength", 0.3, 0.55),
    ]
    assert goals[0].actions == ["Go to two industry events"] and goals[0].source == GoalSource.GAP
    assert "against a target of at least 40" in goals[0].reason
    assert plan.status == PlanStatus.DRAFT and (plan.ends_on - plan.starts_on).days == 91


def test_a_ratio_just_short_of_its_target_is_written_so_that_the_gap_shows(team):
    gaps = [Gap("prospect", "mean_strength", 0.296, 0.3, True)]
    plan = coaching_plan_propose(member=team["manager"], subject=team["seller"], gaps=gaps)
    [goal] = plan.goals.visible_to(team["manager"])
    assert "is 0.296 against a target of at least 0.30" in goal.reason  # not "0.30 against 0.30"


def test_the_stage_where_deals_stall_adds_a_goal_on_its_network(team):
    company = f.CompanyFactory(organization=team["org"])
    for _ in range(3):  # the team's typical buy-in: 10 days
        _spells(team["mate"], company, [(Stage.IDENTIFY, 3), (Stage.BUY_IN, 10), (Stage.SOLUTION, 1)])
    _spells(team["seller"], company, [(Stage.IDENTIFY, 3), (Stage.BUY_IN, 40)])  # stuck in buy-in
    stalls = deal_stalls(member=team["manager"], subject=team["seller"])
    assert stalls.stall is not None and stalls.stall.stage == Stage.BUY_IN
    assert stalls.stall.typical_days == pytest.approx(10, abs=0.01)
    plan = coaching_plan_propose(member=team["manager"], subject=team["seller"], gaps=GAPS[:1])
    stall_goal = plan.goals.visible_to(team["manager"]).get(source=GoalSource.STALL)
    assert (stall_goal.network_class, stall_goal.metric) == (NetworkClass.PROSPECT, "mean_strength")
    assert (stall_goal.start_value, stall_goal.target_value) == (0.0, 0.1)
    assert "longer than 1.5 times the typical 10 days" in stall_goal.reason
    assert plan.stall_stage == Stage.BUY_IN


def test_editing_a_goal_asks_both_sides_to_agree_again(team):
    plan = coaching_plan_propose(member=team["manager"], subject=team["seller"], gaps=GAPS)
    coaching_plan_agree(member=team["seller"], plan_id=plan.pk)
    assert coaching_plan_agree(member=team["manager"], plan_id=plan.pk).status == PlanStatus.AGREED
    goal = plan.goals.visible_to(team["manager"]).first()
    due = plan.starts_on + timedelta(days=120)
    coaching_goal_update(
        member=team["manager"], goal_id=goal.pk, target_value="12", due_on=due.isoformat(), actions=["a", " "]
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.member_agreed_at is None and plan.ends_on == due
    goal.refresh_from_db()
    assert (goal.target_value, goal.actions) == (12.0, ["a"])
    with pytest.raises(PermissionDenied):
        coaching_goal_update(member=team["seller"], goal_id=goal.pk, target_value=1, due_on=due)
    with pytest.raises(ValidationError):
        coaching_goal_update(member=team["manager"], goal_id=goal.pk, target_value="lots", due_on=due)
    added = coaching_goal_add(
        member=team["manager"],
        plan_id=plan.pk,
        network_class="market",
        metric="constraint",
        target_value=0.1,
        due_on=due,
    )
    assert added.at_least is False and added.source == GoalSource.MANUAL
    coaching_goal_remove(member=team["manager"], goal_id=added.pk)


def test_progress_reads_the_snapshots_and_todays_figure_and_the_plan_closes_met_or_missed(team):
    plan = coaching_plan_propose(member=team["manager"], subject=team["seller"], gaps=GAPS[:1])
    f.SnapshotFactory(member=team["seller"], taken_on=plan.starts_on - timedelta(days=7), metrics={"size": 4})
    detail = coaching_plan(member=team["seller"], plan_id=plan.pk)
    [g] = detail.goals
    assert [p["value"] for p in g.series] == [4.0, 5.0] and g.current == 5.0 and g.progress == 0.0
    assert not detail.may_edit and detail.may_agree
    for _ in range(5):
        f.TieFactory(member=team["seller"], person=f.PersonFactory(organization=team["org"]), strength=0.5)
    from revere.tenancy.services import organization_bump_data_version

    organization_bump_data_version(organization_id=team["org"].pk)
    assert coaching_plan(member=team["manager"], plan_id=plan.pk).goals[0].met_now
    closed = coaching_plan_close(member=team["manager"], plan_id=plan.pk)
    assert closed.status == PlanStatus.MET
    with pytest.raises(ValidationError, match="closed"):
        coaching_plan_agree(member=team["seller"], plan_id=plan.pk)
    second = coaching_plan_propose(member=team["manager"], subject=team["seller"], gaps=GAPS)
    assert coaching_plan_close(member=team["manager"], plan_id=second.pk).status == PlanStatus.MISSED


def test_a_seller_sees_only_their_own_plans_and_a_manager_only_their_teams(team):
    plan = coaching_plan_propose(member=team["manager"], subject=team["seller"], gaps=GAPS)
    assert [p.pk for p in coaching_plans(member=team["seller"])] == [plan.pk]
    assert coaching_plans(member=team["mate"]) == []
    with pytest.raises(LookupError):
        coaching_plan(member=team["mate"], plan_id=plan.pk)
    with pytest.raises(LookupError):
        coaching_plan(member=team["west_manager"], plan_id=plan.pk)
    with pytest.raises(PermissionDenied):
        coaching_plan_propose(member=team["west_manager"], subject=team["seller"], gaps=GAPS)
    with pytest.raises(PermissionDenied):
        coaching_plan_propose(member=team["mate"], subject=team["seller"], gaps=GAPS)
    with pytest.raises(PermissionDenied):
        coaching_plan_agree(member=team["mate"], plan_id=plan.pk)
    with pytest.raises(ValidationError, match="open plan"):
        coaching_plan_propose(member=team["manager"], subject=team["seller"], gaps=GAPS)
    assert CoachingPlan.unrestricted.count() == 1
