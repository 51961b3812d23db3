"""Reference candidates: similarity, tie, proximity, satisfaction and fatigue, with known answers."""

import pytest

from revere.analytics.graph import TieGraph
from revere.analytics.references import (
    DEFAULT_TERMS,
    Profile,
    ReferenceInput,
    Terms,
    rank_references,
    similarity,
)

pytestmark = pytest.mark.unit

BUYER = Profile("banking", 3, "emea")
GRAPH = TieGraph.from_edges([1, 2, 3, 5, 6, 5], [50, 50, 4, 4, 50, 6], [0.6, 0.6, 0.9, 0.9, 0.9, 0.9])


def _ref(person, uses=(), terms=DEFAULT_TERMS, profile=BUYER, satisfaction=5, tie=0.7):
    return ReferenceInput(person, profile, satisfaction, tie, 42, tuple(uses), terms)


def _rank(candidates, committee=(50,), exclude=()):
    return rank_references(GRAPH, candidates, buyer=BUYER, committee=committee, exclude=exclude)


def test_a_reference_used_last_week_ranks_below_an_equal_one_never_used():
    refs = _rank([_ref(1, uses=[7], terms=Terms(3, 30)), _ref(2)])
    assert [r.person for r in refs.offered] == [2, 1]
    used = refs.offered[1]
    assert used.uses_90 == 1 and used.fatigue == pytest.approx(1 / 9) and not used.exhausted


def test_a_reference_whose_terms_are_used_up_is_not_offered_and_says_when_it_frees_up():
    refs = _rank([_ref(1, uses=[7]), _ref(2, uses=[40]), _ref(3, uses=[3, 20], terms=Terms(2, 30))])
    assert [r.person for r in refs.offered] == [2]  # one use per 30 days by default; 40 days ago is past
    assert [(r.person, r.free_in_days) for r in refs.rested] == [(3, 10), (1, 23)]


def test_similarity_weighs_industry_most_and_a_neighbouring_size_band_half():
    assert similarity(BUYER, BUYER) == (1.0, ("industry", "size", "region"))
    assert similarity(BUYER, Profile("Banking", 2, None)) == (0.625, ("industry",))
    assert similarity(BUYER, Profile(None, None, "EMEA")) == (0.25, ("region",))
    assert similarity(Profile(None, None, None), Profile(None, None, None))[0] == 0.0
    near = _rank([_ref(1, profile=Profile("retail", 3, "emea")), _ref(2)])
    assert [r.person for r in near.offered] == [2, 1]


def test_proximity_is_the_best_path_of_at_most_two_ties_to_the_committee_never_through_a_member():
    refs = {r.person: r for r in _rank([_ref(1), _ref(3), _ref(5)], committee=[50, 4]).offered}
    assert refs[1].path == (1, 50) and refs[1].proximity == pytest.approx(0.6)
    assert refs[3].path == (3, 4) and refs[3].proximity == pytest.approx(0.9)
    assert refs[5].path == (5, 4)
    far = {r.person: r for r in _rank([_ref(3)], committee=[50]).offered}
    assert far[3].proximity == 0.0 and far[3].path == ()
    two = {r.person: r for r in _rank([_ref(5)], committee=[50]).offered}
    assert two[5].path == (5, 6, 50) and two[5].proximity == pytest.approx(0.81)
    assert _rank([_ref(5)], committee=[50], exclude=[6]).offered[0].proximity == 0.0


def test_the_score_adds_the_weighted_parts_and_takes_off_half_the_fatigue():
    (r,) = _rank([_ref(1, uses=[10, 50], terms=Terms(1, 45), satisfaction=3, tie=0.5)]).rested
    assert r.window_uses == 1 and r.exhausted
    (r,) = _rank([_ref(1, uses=[50], terms=Terms(1, 45), satisfaction=3, tie=0.5)]).offered
    base = 0.35 * 1.0 + 0.25 * 0.5 + 0.20 * 0.6 + 0.20 * 0.5
    assert r.fatigue == pytest.approx(1 / 2) and r.score == pytest.approx(base * (1 - 0.25))
