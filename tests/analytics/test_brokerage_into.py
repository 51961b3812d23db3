"""brokerage_into: open two-paths into one group, by the other end's group, against a brute force."""

import itertools

import numpy as np
import pytest

from revere.analytics.brokerage import INTO, brokerage, brokerage_into
from revere.analytics.graph import TieGraph

pytestmark = pytest.mark.unit


def brute(edges, groups, v, target, home):
    tied = {frozenset(e) for e in edges}
    nbrs = sorted({b for a, b in edges if a == v} | {a for a, b in edges if b == v})
    counts = dict.fromkeys(INTO, 0)
    if groups[v] == target:
        return [0, 0, 0, 0]
    for a, b in itertools.combinations(nbrs, 2):
        if frozenset((a, b)) in tied:
            continue
        ga, gb = groups[a], groups[b]
        if ga != target and gb != target:
            continue
        rest = gb if ga == target else ga
        if ga == target and gb == target:
            counts["within"] += 1
        elif rest == home:
            counts["home"] += 1
        elif rest == groups[v]:
            counts["colleagues"] += 1
        else:
            counts["others"] += 1
    return [counts[k] for k in INTO]


@pytest.mark.parametrize("seed", range(8))
def test_brokerage_into_counts_every_open_pair_into_the_target_once(seed):
    rng = np.random.default_rng(seed)
    n = 14
    edges = sorted({(int(a), int(b)) for a, b in rng.integers(0, n, size=(40, 2)) if a < b})
    groups = [int(x) for x in rng.integers(0, 4, size=n)]
    g = TieGraph.from_edges([a for a, _ in edges], [b for _, b in edges], node_ids=range(n))
    got = brokerage_into(g, groups, list(range(n)), target=1, home=2)
    assert got.tolist() == [brute(edges, groups, v, 1, 2) for v in range(n)]


def test_into_columns_are_gould_fernandez_roles_restricted_to_pairs_reaching_the_target():
    # with three groups and every group other than home distinct, the columns add up to the roles:
    # within = itinerant into the target, colleagues = representative (= gatekeeper, undirected)
    rng = np.random.default_rng(4)
    n = 12
    edges = sorted({(int(a), int(b)) for a, b in rng.integers(0, n, size=(30, 2)) if a < b})
    groups = [int(x) for x in rng.integers(0, 2, size=n)]  # two groups: 0 and the target 1
    g = TieGraph.from_edges([a for a, _ in edges], [b for _, b in edges], node_ids=range(n))
    into = brokerage_into(g, groups, list(range(n)), target=1)
    roles = brokerage(g, groups).counts  # each undirected pair twice, once each way
    outside = np.array(groups) != 1
    assert (into[outside, 0] * 2 == roles[outside, 1]).all()  # itinerant
    assert (into[outside, 2] == roles[outside, 2]).all() and (roles[:, 2] == roles[:, 3]).all()
