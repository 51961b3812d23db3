"""Leads: companies the market network reaches, ranked by distinct, non-redundant bridges."""

import itertools
import random

import networkx as nx
import pytest

from revere.analytics.graph import TieGraph
from revere.analytics.leads import rank_leads

pytestmark = pytest.mark.unit


def _graph(edges, companies):
    """``edges``: (a, b, w); ``companies``: person -> company id (others have none)."""
    nodes = sorted({x for a, b, _ in edges for x in (a, b)} | set(companies))
    return TieGraph.from_edges(
        [a for a, _, _ in edges],
        [b for _, b, _ in edges],
        [w for _, _, w in edges],
        node_ids=nodes,
        attrs={"company": [companies.get(n) for n in nodes]},
    )


def test_two_weak_ties_from_separate_circles_outrank_five_strong_ones_from_one_clique():
    # ego 0; weak contacts 1 and 2 (who do not know each other) each know someone at company 100;
    # strong contacts 3..7, who all know each other, each know someone at company 200.
    edges = [(0, 1, 0.1), (0, 2, 0.12), (1, 11, 0.4), (2, 12, 0.4)]
    edges += [(0, j, 0.9) for j in range(3, 8)]
    edges += [(j, 20 + j, 0.9) for j in range(3, 8)]
    edges += [(a, b, 0.8) for a, b in itertools.combinations(range(3, 8), 2)]
    companies = {11: 100, 12: 100, **{20 + j: 200 for j in range(3, 8)}}
    g = _graph(edges, companies)
    first, second = rank_leads(g, 0, range(1, 8))
    assert (first.company, first.effective_bridges, first.circles, len(first.bridges)) == (100, 2.0, 2, 2)
    assert (second.company, second.circles, len(second.bridges)) == (200, 1, 5)
    assert second.effective_bridges == pytest.approx(5 - 2 * 10 / 5)  # Borgatti: n - 2t/n = 1
    assert second.strength > first.strength  # stronger, yet one source told five times


def test_among_leads_reached_as_many_separate_ways_the_stronger_comes_first():
    edges = [(0, 1, 0.2), (0, 2, 0.9), (1, 10, 0.5), (2, 20, 0.5)]
    g = _graph(edges, {10: 100, 20: 200})
    leads = rank_leads(g, 0, [1, 2])
    assert [lead.company for lead in leads] == [200, 100]
    assert leads[0].best.path == (2, 20) and leads[0].best.score == pytest.approx(0.45)


def test_a_contact_who_works_at_the_company_is_a_bridge_of_one_step():
    g = _graph([(0, 1, 0.6), (1, 2, 0.9)], {1: 100, 2: 100})
    (lead,) = rank_leads(g, 0, [1])
    assert lead.best.path == (1,) and lead.best.score == pytest.approx(0.6) and lead.people == 2


def test_excluded_companies_and_contacts_outside_the_network_asked_about_are_not_leads():
    edges = [(0, 1, 0.5), (0, 2, 0.5), (1, 10, 0.5), (2, 20, 0.5)]
    g = _graph(edges, {10: 100, 20: 200})
    assert [lead.company for lead in rank_leads(g, 0, [1, 2], exclude=[100])] == [200]
    assert [lead.company for lead in rank_leads(g, 0, [2])] == [200]  # 1 is not a market contact
    assert rank_leads(g, 0, [99]) == []


def _brute(g, ego, alters, companies):
    """Every figure from its definition, with networkx's effective size as the oracle."""
    nxg = nx.Graph()
    s, d, w = g.edges()
    nxg.add_weighted_edges_from(zip(s.tolist(), d.tolist(), w.tolist(), strict=True))
    contacts = set(nxg[ego]) & set(alters)
    out = {}
    for c in set(companies.values()):
        inside = {p for p, k in companies.items() if k == c}
        best = {}
        for j in contacts:
            scores = [nxg[ego][j]["weight"]] if j in inside else []
            scores += [
                nxg[ego][j]["weight"] * nxg[j][p]["weight"] for p in nxg[j] if p in inside and p != ego
            ]
            if scores:
                best[j] = max(scores)
        if not best:
            continue
        star = nx.Graph()
        star.add_edges_from((ego, j) for j in best)
        star.add_edges_from((a, b) for a, b in itertools.combinations(best, 2) if nxg.has_edge(a, b))
        eff = nx.effective_size(star, nodes=[ego])[ego]
        n = len(best)
        strength = sum(
            (1 - sum(star.has_edge(j, q) for q in best if q != j) / n) * s for j, s in best.items()
        )
        out[c] = (eff, strength, max(best.values()))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_effective_bridges_and_strength_equal_their_definitions_on_random_graphs(seed):
    rng = random.Random(seed)
    nodes = list(range(40))
    edges = {}
    for _ in range(110):
        a, b = rng.sample(nodes, 2)
        edges[(min(a, b), max(a, b))] = round(rng.uniform(0.05, 1.0), 2)
    for j in range(1, 12):
        edges[(0, j)] = round(rng.uniform(0.05, 1.0), 2)
    companies = {p: 1000 + rng.randrange(6) for p in range(12, 40) if rng.random() < 0.7}
    companies.update({p: 1000 + rng.randrange(6) for p in range(1, 12) if rng.random() < 0.2})
    g = _graph([(a, b, w) for (a, b), w in edges.items()], companies)
    alters = [j for j in range(1, 12) if rng.random() < 0.8]
    expected = _brute(g, 0, alters, companies)
    leads = rank_leads(g, 0, alters, limit=None)
    assert {lead.company for lead in leads} == set(expected)
    for lead in leads:
        eff, strength, best = expected[lead.company]
        assert lead.effective_bridges == pytest.approx(eff)
        assert lead.strength == pytest.approx(strength)
        assert lead.best.score == pytest.approx(best)
    keys = [(-round(lead.effective_bridges, 9), -lead.strength, -lead.best.score) for lead in leads]
    assert keys == sorted(keys)


def test_circles_count_bridges_that_know_each_other_through_another_bridge_once():
    # bridges 1 - 2 - 3 form a chain: one circle; effective size 3 - 2*2/3
    edges = [(0, 1, 0.5), (0, 2, 0.5), (0, 3, 0.5), (1, 2, 0.5), (2, 3, 0.5)]
    edges += [(j, 10, 0.5) for j in (1, 2, 3)]
    (lead,) = rank_leads(_graph(edges, {10: 100}), 0, [1, 2, 3])
    assert lead.circles == 1 and lead.effective_bridges == pytest.approx(3 - 4 / 3)
    assert {b.alter: round(b.redundancy, 4) for b in lead.bridges} == {1: 0.3333, 2: 0.6667, 3: 0.3333}
