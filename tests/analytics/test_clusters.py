"""Ego circles and their redundancy; Louvain communities against networkx's modularity."""

import networkx as nx
import numpy as np
import pytest

from revere.analytics import clusters
from revere.analytics.graph import TieGraph

pytestmark = pytest.mark.unit


def test_circles_are_the_components_of_the_alters_without_the_ego_largest_first():
    # ego 0: a triangle of colleagues {1, 2, 3}, a pair {4, 5}, a loner 6; 7 is two steps away
    g = TieGraph.from_edges([0, 0, 0, 0, 0, 0, 1, 2, 1, 4, 6], [1, 2, 3, 4, 5, 6, 2, 3, 3, 5, 7])
    circles = clusters.ego_circles(g, 0)
    assert [c.alters.tolist() for c in circles] == [[1, 2, 3], [4, 5], [6]]
    triangle, pair, loner = circles
    assert triangle.density == 1.0 and pair.density == 1.0
    # in a closed triangle each alter is tied to both others: r = 2 * (1/6) * 1 = 1/3 each
    assert triangle.effective_size == pytest.approx(3 * (1 - 2 / 6))
    assert triangle.redundant is False and triangle.redundancy == pytest.approx(1 / 3)
    assert loner.size == 1 and loner.redundant is False and loner.effective_size == 1.0


def test_a_dense_circle_is_redundant_and_its_strongest_tie_is_the_keeper():
    # ego 0 tied to a 5-clique {1..5}, most strongly to 4
    s, d = np.triu_indices(5, 1)
    weights = [0.2, 0.2, 0.2, 0.9, 0.2]
    g = TieGraph.from_edges(
        np.concatenate([np.zeros(5, dtype=np.int64), s + 1]),
        np.concatenate([np.arange(1, 6), d + 1]),
        np.concatenate([weights, np.ones(len(s))]),
    )
    (circle,) = clusters.ego_circles(g, 0, weighted=False)
    assert circle.redundant and circle.redundancy == pytest.approx(0.8)
    assert circle.keeper == 4
    assert clusters.ego_circles(g, 0, weighted=False, threshold=0.9)[0].redundant is False


def test_an_isolate_has_no_circles():
    assert clusters.ego_circles(TieGraph.from_edges([1], [2], node_ids=[1, 2, 3]), 3) == []


@pytest.mark.parametrize("name", ["karate", "les_miserables", "florentine"])
def test_modularity_equals_networkx_and_louvain_is_as_good_as_networkx_louvain(name):
    nxg = {
        "karate": nx.karate_club_graph,
        "les_miserables": nx.les_miserables_graph,
        "florentine": nx.florentine_families_graph,
    }[name]()
    nodes = list(nxg)
    index = {v: i for i, v in enumerate(nodes)}
    edges = list(nxg.edges(data="weight", default=1.0))
    g = TieGraph.from_edges(
        [index[u] for u, _, _ in edges],
        [index[v] for _, v, _ in edges],
        [float(w) for _, _, w in edges],
        node_ids=np.arange(len(nodes)),
    )
    labels = clusters.community_labels(g)
    parts = [{nodes[i] for i in np.flatnonzero(labels == c)} for c in range(labels.max() + 1)]
    assert clusters.modularity(g, labels) == pytest.approx(nx.community.modularity(nxg, parts), abs=1e-12)
    best_nx = max(
        nx.community.modularity(nxg, nx.community.louvain_communities(nxg, seed=s)) for s in range(5)
    )
    assert clusters.modularity(g, labels) >= best_nx - 0.02


def test_communities_recover_planted_silos_joined_by_a_few_bridges():
    rng = np.random.default_rng(3)
    src, dst = [], []
    for team in range(6):  # six teams of 12, dense inside
        members = np.arange(team * 12, team * 12 + 12)
        for _ in range(40):
            a, b = rng.choice(members, 2, replace=False)
            src.append(a)
            dst.append(b)
    for team in range(6):  # one bridge from each team to the next
        src.append(team * 12)
        dst.append(((team + 1) % 6) * 12 + 5)
    g = TieGraph.from_edges(src, dst)
    found = clusters.communities(g)
    assert sorted(sorted(v) for v in found.values()) == [list(range(t * 12, t * 12 + 12)) for t in range(6)]
    labels = clusters.community_labels(g)
    assert np.bincount(labels).tolist() == [12] * 6
