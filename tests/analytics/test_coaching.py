"""Coaching goals from gaps, improvement steps, progress, and the stage where a seller's deals stall."""

from datetime import date

import pytest

from revere.analytics.coaching import (
    Gap,
    goal_met,
    goal_progress,
    goals_from_gaps,
    improvement,
    stage_stalls,
    stall_stage,
)

pytestmark = pytest.mark.unit


def test_a_size_gap_becomes_a_goal_one_step_away_and_a_ratio_gap_the_target_itself():
    gaps = [
        Gap("market", "size", 25, 40, True),
        Gap("market", "constraint", 0.3, 0.15, False),
        Gap("internal", "density", 0.1, 0.2, True),
    ]
    goals = goals_from_gaps(gaps, start=date(2025, 3, 1), horizon_days=30)
    assert [(g.network, g.metric, g.target_value) for g in goals] == [
        ("market", "constraint", 0.15),  # relative gap 1.0
        ("internal", "density", 0.2),  # 0.5
        ("market", "size", 40.0),  # 0.375; 25 + 25 >= 40, so the whole way
    ]
    assert {g.due for g in goals} == {date(2025, 3, 31)}
    small = goals_from_gaps([Gap("market", "size", 2, 40, True)], start=date(2025, 3, 1))
    assert small[0].target_value == 7.0  # at least five more


def test_met_measures_are_no_goal_and_at_most_four_goals_are_kept():
    gaps = [Gap("market", "size", 50, 40, True), Gap("market", "constraint", 0.1, 0.15, False)]
    assert goals_from_gaps(gaps, start=date(2025, 1, 1)) == []
    many = [Gap("customer", "mean_strength", 0.1 * k, 0.9, True) for k in range(1, 7)]
    goals = goals_from_gaps(many, start=date(2025, 1, 1))
    assert [g.start_value for g in goals] == [0.1, 0.2, pytest.approx(0.3), 0.4]


def test_improvement_progress_and_met():
    assert improvement("size", 40) == 50.0 and improvement("size", 4) == 9.0
    assert improvement("mean_strength", 0.95) == 1.0
    assert improvement("constraint", 0.02, at_least=False) == 0.0
    assert goal_progress(40, 60, 55) == 0.75 and goal_progress(40, 60, 70) == 1.0
    assert goal_progress(0.3, 0.15, 0.3) == 0.0 and goal_progress(10, 10, 10) == 1.0
    assert goal_progress(40, 60, None) == 0.0
    assert goal_met(60, True, 60) and not goal_met(60, True, 59.5)
    assert goal_met(0.15, False, 0.149) and not goal_met(0.15, False, None)


def test_the_stall_stage_is_where_the_sellers_spells_outlast_the_typical_one_most():
    # typical: buy-in 10 days, solution 20 days, close 5 days (medians of completed spells)
    stages = ["buy_in"] * 5 + ["solution"] * 5 + ["close"] * 4
    days = [8, 10, 12, 40, 35, 15, 20, 25, 45, 18, 5, 4, 6, 30]
    seller = [False, False, False, True, True, False, False, False, True, True, False, False, False, True]
    ongoing = [False] * 4 + [True] + [False] * 9
    rows = {r.stage: r for r in stage_stalls(stages, days, seller=seller, ongoing=ongoing)}
    assert rows["buy_in"].typical_days == 11.0  # completed: 8, 10, 12, 40
    assert (rows["buy_in"].spells, rows["buy_in"].stalled) == (2, 2)
    assert (rows["solution"].stalled, rows["close"].stalled) == (1, 1)
    s = stall_stage(stage_stalls(stages, days, seller=seller, ongoing=ongoing))
    assert s is not None and s.stage == "buy_in" and s.ratio == pytest.approx(37.5 / 11)


def test_no_stall_without_enough_history_or_without_a_long_spell():
    assert stage_stalls(["close", "close"], [50, 5], seller=[True, False], ongoing=[False, False]) == []
    rows = stage_stalls(["close"] * 4, [5, 5, 5, 6], seller=[True, False, False, False], ongoing=[False] * 4)
    assert len(rows) == 1 and stall_stage(rows) is None


def test_ties_between_stages_go_to_the_higher_ratio_then_to_the_earlier_stage():
    stages = ["buy_in"] * 4 + ["close"] * 4
    days = [10, 10, 10, 16, 10, 10, 10, 16]
    seller = [False, False, False, True] * 2
    rows = stage_stalls(stages, days, seller=seller, ongoing=[False] * 8, stage_order=["close", "buy_in"])
    s = stall_stage(rows)
    assert s is not None and s.stage == "close"
