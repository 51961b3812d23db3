"""Lead-generation candidates from real ego figures: a large sparse fading network is one, a dense small one is not."""

import numpy as np
import pytest

from revere.analytics.ego import ego_summary
from revere.analytics.graph import TieGraph
from revere.analytics.holes import ego_holes
from revere.analytics.leadgen import CHECKS, LeadGenRules, lead_generation

pytestmark = pytest.mark.unit


def _market_network(ego: int, contacts: int, companies: int, link_p: float, seed: int):
    """An ego tied to ``contacts`` people over ``companies`` companies, contacts linked with probability p."""
    rng = np.random.default_rng(seed)
    alters = list(range(ego * 1000 + 1, ego * 1000 + 1 + contacts))
    src, dst = [ego] * contacts, list(alters)
    for i, a in enumerate(alters):
        for b in alters[i + 1 :]:
            if rng.random() < link_p:
                src.append(a)
                dst.append(b)
    nodes = [ego, *alters]
    company = [None] + [f"c{k % companies}" for k in range(contacts)]
    return TieGraph.from_edges(src, dst, node_ids=nodes, attrs={"company": company})


def _figures(g: TieGraph, ego: int):
    s = ego_summary(g, ego, attrs=["company"])
    h = ego_holes(g, ego)
    return s.size, h.effective_size, s.density, h.constraint, s.diversity["company"]


def test_a_large_sparse_diverse_network_with_many_fading_ties_is_a_candidate_and_a_dense_small_one_is_not():
    wide = _market_network(1, contacts=80, companies=60, link_p=0.01, seed=1)
    tight = _market_network(2, contacts=10, companies=2, link_p=0.9, seed=2)
    figures = [_figures(wide, 1), _figures(tight, 2)]
    size, eff, dens, cons, div = (list(col) for col in zip(*figures, strict=True))
    ranked = lead_generation(
        ids=[1, 2],
        size=size,
        effective_size=eff,
        density=dens,
        constraint=cons,
        diversity=div,
        fading=[48, 1],
    )
    first, second = ranked
    assert (first.ego, first.candidate) == (1, True)
    assert first.fading_share == pytest.approx(0.6) and first.efficiency > 0.9
    assert (second.ego, second.candidate) == (2, False)
    assert set(second.failed) >= {"size", "density", "constraint", "diversity", "fading"}


def test_a_large_sparse_network_whose_ties_are_kept_up_is_not_a_candidate():
    wide = _market_network(1, contacts=80, companies=60, link_p=0.01, seed=1)
    size, eff, dens, cons, div = _figures(wide, 1)
    [c] = lead_generation(
        ids=[1],
        size=[size],
        effective_size=[eff],
        density=[dens],
        constraint=[cons],
        diversity=[div],
        fading=[5],
    )
    assert c.failed == ("fading",)


def test_every_check_fails_alone_at_its_threshold_and_candidates_rank_by_score():
    base = {
        "size": 50,
        "effective_size": 45.0,
        "density": 0.05,
        "constraint": 0.05,
        "diversity": 0.8,
        "fading": 30,
    }
    bad = {
        "size": {"size": 39, "effective_size": 35.0, "fading": 24},
        "density": {"density": 0.16},
        "constraint": {"constraint": 0.151},
        "efficiency": {"effective_size": 37.0},
        "diversity": {"diversity": 0.69},
        "fading": {"fading": 19},
    }
    for check, change in bad.items():
        row = base | change
        [c] = lead_generation(ids=[1], **{k: [v] for k, v in row.items()})
        assert c.failed == (check,)
    ranked = lead_generation(
        ids=[1, 2, 3],
        size=[50, 50, 10],
        effective_size=[45.0, 48.0, 9.0],
        density=[0.05, 0.05, None],
        constraint=[0.05, 0.05, 0.5],
        diversity=[0.8, 0.8, 0.5],
        fading=[30, 30, 9],
    )
    assert [c.ego for c in ranked] == [2, 1, 3]
    assert "density" in ranked[2].failed  # an undefined figure fails its check
    assert CHECKS == ("size", "density", "constraint", "efficiency", "diversity", "fading")
    assert LeadGenRules().min_size == 40
