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


def _brute_proximity(edges, sources, committee, exclude):
    """Every path of one or two ties from each source to the committee, scored and compared by hand."""
    adj: dict[int, dict[int, float]] = {}
    for a, b, w in edges:
        adj.setdefault(a, {})[b] = w
        adj.setdefault(b, {})[a] = w
    out = {}
    for s in sources:
        paths = [(w, (s, t)) for t, w in adj.get(s, {}).items() if t in committee]
        for q, w1 in adj.get(s, {}).items():
            if q in exclude or q == s:
                continue
            paths += [(w1 * w2, (s, q, t)) for t, w2 in adj.get(q, {}).items() if t in committee and t != s]
        if not paths:
            out[s] = (0.0, ())
            continue
        top = max(w for w, _ in paths)
        out[s] = min(((w, p) for w, p in paths if w >= top - 1e-12), key=lambda x: x[1])
    return out


@pytest.mark.parametrize("seed", range(60))
def test_proximity_equals_a_brute_force_over_every_path_on_random_small_graphs(seed):
    import random

    from revere.analytics.references import _proximity

    rng = random.Random(seed)
    n = rng.randint(4, 14)
    pairs = {(a, b) for a in range(1, n + 1) for b in range(a + 1, n + 1) if rng.random() < 0.35}
    edges = [(a, b, rng.choice([0.2, 0.3, 0.5, 0.6, 0.9, 1.0])) for a, b in sorted(pairs)]
    if not edges:
        return
    g = TieGraph.from_edges([a for a, _, _ in edges], [b for _, b, _ in edges], [w for _, _, w in edges])
    people = sorted({x for a, b, _ in edges for x in (a, b)})
    committee = set(rng.sample(people, k=min(len(people), rng.randint(1, 3))))
    exclude = set(rng.sample(people, k=rng.randint(0, 2)))
    sources = [*rng.sample(people, k=min(len(people), rng.randint(1, 6))), 999]  # 999: not in the graph
    got = _proximity(g, sources, committee, exclude)
    want = _brute_proximity(edges, sources, committee, exclude)
    for s in sources:
        assert got[s][1] == want[s][1], (s, got[s], want[s])
        assert got[s][0] == pytest.approx(want[s][0])
