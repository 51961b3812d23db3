"""revere.analytics.bridges.bridge_reach against a brute force over Python sets, on random graphs."""

from __future__ import annotations

import random

import pytest

from revere.analytics.bridges import bridge_reach
from revere.analytics.graph import TieGraph


@pytest.fixture(autouse=True)
def _fresh_graph_cache():
    """Pure functions: no organization graph to clear (overrides the playbook's database fixture)."""
    yield


def _brute(edges, n, ego, alters, attrs, elsewhere_people, elsewhere_categories):
    nb = {v: set() for v in range(n)}
    for a, b in edges:
        nb[a].add(b)
        nb[b].add(a)
    out = {}
    for j in alters:
        others = [q for q in alters if q != j]
        seen = set(elsewhere_people) | {ego} | set(alters)
        for q in others:
            seen |= nb[q]
        people = sorted(nb[j] - seen)
        cats = {}
        for name, values in attrs.items():

            def reached(q, values=values):
                return {values[v] for v in ({q} | nb[q]) - {ego} if values[v] is not None}

            blocked = set(elsewhere_categories.get(name, ())) | {values[ego]}
            for q in others:
                blocked |= reached(q)
            cats[name] = sorted(reached(j) - blocked)
        out[j] = (people, cats)
    return out


@pytest.mark.parametrize("seed", range(25))
def test_bridge_reach_is_the_brute_force_on_random_graphs(seed):
    rng = random.Random(seed)
    n = rng.randint(6, 30)
    edges = {tuple(sorted(rng.sample(range(n), 2))) for _ in range(rng.randint(n, 3 * n))}
    edges |= {(0, v) for v in rng.sample(range(1, n), rng.randint(1, min(8, n - 1)))}
    edges = sorted(edges)
    companies = [rng.choice(["a", "b", "c", "d", "e", None]) for _ in range(n)]
    industries = [rng.choice(["x", "y", None]) for _ in range(n)]
    attrs = {"company": companies, "industry": industries}
    g = TieGraph.from_edges(
        [a for a, _ in edges], [b for _, b in edges], node_ids=list(range(n)), attrs=attrs
    )
    mine = sorted({b for a, b in edges if a == 0} | {a for a, b in edges if b == 0})
    alters = rng.sample(mine, rng.randint(1, len(mine)))
    elsewhere_people = rng.sample(range(n), rng.randint(0, 3))
    elsewhere_categories = {"company": rng.sample(["a", "b", "c", "d", "e"], rng.randint(0, 2))}

    got = bridge_reach(
        g,
        0,
        alters,
        attrs=["company", "industry"],
        elsewhere_people=elsewhere_people,
        elsewhere_categories=elsewhere_categories,
    )
    want = _brute(edges, n, 0, alters, attrs, elsewhere_people, elsewhere_categories)

    assert got.alters.tolist() == alters  # in the order asked
    for k, j in enumerate(alters):
        people, cats = want[j]
        assert got.unique_people(j).tolist() == people
        assert got.people[k] == len(people)
        for name in ("company", "industry"):
            assert sorted(got.unique_categories(j, name)) == cats[name]
            assert got.counts[name][k] == len(cats[name])


def test_bridge_reach_refuses_alters_that_are_not_the_ego_s_contacts():
    g = TieGraph.from_edges([0, 1], [1, 2])
    with pytest.raises(ValueError):
        bridge_reach(g, 0, [2])
