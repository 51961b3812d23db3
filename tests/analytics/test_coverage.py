"""Buying-role coverage and threading on hand-made deals with known answers."""

import pytest

from revere.analytics.coverage import buying_coverage
from revere.analytics.graph import TieGraph

pytestmark = pytest.mark.unit

SELLER, TEAMMATE = 1, 2  # member ids hold the ties; persons 101.. are the buyer's people
DEPARTMENTS = {101: "Finance", 102: "Finance", 103: "IT", 104: "Operations", 105: None, 106: "IT"}


def _graph(links=()):
    nodes = [SELLER, TEAMMATE, *DEPARTMENTS]
    return TieGraph.from_edges(
        [a for a, _ in links] or [SELLER],
        [b for _, b in links] or [TEAMMATE],
        node_ids=nodes,
        attrs={"function": [None, None, *DEPARTMENTS.values()]},
    )


def _coverage(ties, roles=(), links=()):
    return buying_coverage(
        _graph(links),
        team_ties=([h for h, _, _ in ties], [p for _, p, _ in ties], [s for _, _, s in ties]),
        buyers=list(DEPARTMENTS),
        roles=list(roles),
    )


def test_one_thread_is_single_threaded_and_a_second_department_ends_it():
    one = _coverage([(SELLER, 101, 0.7)])
    assert one.single_threaded and one.shape == "single" and [t.person for t in one.threads] == [101]
    same_department = _coverage([(SELLER, 101, 0.7), (TEAMMATE, 102, 0.5)])
    assert same_department.single_threaded and same_department.departments == ("Finance",)
    second_department = _coverage([(SELLER, 101, 0.7), (TEAMMATE, 103, 0.5)])
    assert not second_department.single_threaded and second_department.shape == "some"
    assert second_department.departments == ("Finance", "IT")


def test_weak_ties_are_not_threads_and_four_threads_over_departments_are_the_won_shape():
    weak = _coverage([(SELLER, 101, 0.7), (SELLER, 103, 0.29)])
    assert weak.single_threaded and [t.person for t in weak.weak] == [103]
    multi = _coverage([(SELLER, p, 0.5) for p in (101, 102, 103, 104)])
    assert multi.shape == "multi" and multi.department_count == 3
    assert _coverage([]).shape == "none"


def test_a_thread_whose_department_is_unknown_counts_as_a_department_of_its_own():
    c = _coverage([(SELLER, 101, 0.7), (SELLER, 105, 0.7)])
    assert not c.single_threaded and c.unknown_departments == 1 and c.department_count == 2


def test_the_strongest_tie_of_the_team_is_the_thread_and_names_its_holder():
    c = _coverage([(SELLER, 101, 0.4), (TEAMMATE, 101, 0.8), (SELLER, 999, 0.9)])  # 999: not a buyer
    (thread,) = c.threads
    assert (thread.person, thread.strength, thread.holder) == (101, 0.8, TEAMMATE)


def test_roles_are_missing_uncovered_or_covered_and_power_needs_a_thread_to_someone_who_can_say_yes():
    roles = [(101, "economic_buyer", "neutral"), (103, "technical_evaluator", "supporter")]
    c = _coverage([(SELLER, 103, 0.8)], roles)
    assert c.roles["economic_buyer"].state == "uncovered"
    assert c.roles["technical_evaluator"].state == "covered"
    assert c.roles["decision_maker"].state == "missing"
    assert c.gaps == ("economic_buyer", "decision_maker", "user", "champion")
    assert not c.power
    assert _coverage([(SELLER, 101, 0.8)], roles).power
    assert c.roles_threaded == ("technical_evaluator",)


def test_an_opponent_with_no_supporter_tied_to_them_is_unsupported():
    roles = [(101, "blocker", "opponent"), (103, "champion", "supporter"), (104, "user", "opponent")]
    c = _coverage([], roles, links=[(103, 104)])
    assert [(o.person, o.supporters, o.unsupported) for o in c.opponents] == [
        (101, (), True),
        (104, (103,), False),
    ]
