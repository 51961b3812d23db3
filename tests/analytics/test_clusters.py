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


@pytest.mark.parametrize("implementation", ["python", "sknetwork"])
@pytest.mark.parametrize("name", ["karate", "les_miserables", "florentine"])
def test_modularity_equals_networkx_and_louvain_is_as_good_as_networkx_louvain(name, implementation):
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
    labels = clusters.community_labels(g, implementation=implementation)
    assert np.array_equal(labels, clusters.community_labels(g, implementation=implementation))  # the same
    parts = [{nodes[i] for i in np.flatnonzero(labels == c)} for c in range(labels.max() + 1)]
    assert clusters.modularity(g, labels) == pytest.approx(nx.community.modularity(nxg, parts), abs=1e-12)
    best_nx = max(
        nx.community.modularity(nxg, nx.community.louvain_communities(nxg, seed=s)) for s in range(5)
    )
    assert clusters.modularity(g, labels) >= best_nx - 0.02


@pytest.mark.parametrize("implementation", ["python", "sknetwork"])
def test_communities_recover_planted_silos_joined_by_a_few_bridges(implementation):
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
    labels = clusters.community_labels(g, implementation=implementation)
    assert np.bincount(labels).tolist() == [12] * 6
    assert sorted(sorted(g.ids[labels == c].tolist()) for c in range(6)) == sorted(found.values())


def test_the_compiled_louvain_splits_a_community_into_its_connected_parts_and_keeps_loners_alone():
    # two triangles and an isolated node: three communities, largest first, the loner last
    g = TieGraph.from_edges([1, 1, 2, 4, 4, 5], [2, 3, 3, 5, 6, 6], node_ids=[1, 2, 3, 4, 5, 6, 7])
    assert clusters.community_labels(g, implementation="sknetwork").tolist() == [0, 0, 0, 1, 1, 1, 2]
    assert clusters.community_labels(
        TieGraph.from_edges([], [], node_ids=[1, 2]), implementation="sknetwork"
    ).tolist() == [0, 1]
    with pytest.raises(ValueError):
        clusters.community_labels(g, implementation="igraph")


# Ego circles as communities of the alters (the graph explorer's circles), on hand-made ego networks.


def ego_network(alter_edges, n_alters, weights=None):
    """Ego 0 tied to alters 1..n_alters, plus the given alter-alter links."""
    src = [0] * n_alters + [a for a, _ in alter_edges]
    dst = list(range(1, n_alters + 1)) + [b for _, b in alter_edges]
    w = [1.0] * n_alters + (weights or [1.0] * len(alter_edges))
    return TieGraph.from_edges(src, dst, w)


def clique(nodes):
    return [(a, b) for k, a in enumerate(nodes) for b in nodes[k + 1 :]]


def circles_of(g, **kw):
    return [c.alters.tolist() for c in clusters.ego_circles(g, 0, **kw)]


def test_two_cliques_joined_by_one_link_are_two_circles_not_one_component():
    g = ego_network([*clique([1, 2, 3, 4]), *clique([5, 6, 7, 8]), (4, 5)], 8)
    assert circles_of(g) == [[1, 2, 3, 4], [5, 6, 7, 8]]
    assert circles_of(g, method="components") == [[1, 2, 3, 4, 5, 6, 7, 8]]


def test_a_ring_of_five_cliques_is_five_circles_and_loners_stay_alone():
    edges = []
    for k in range(5):
        edges += clique(list(range(1 + 5 * k, 6 + 5 * k)))
        edges.append((5 + 5 * k, 1 + 5 * ((k + 1) % 5)))  # one link to the next clique
    g = ego_network(edges, 27)  # alters 26 and 27 know nobody else
    circles = clusters.ego_circles(g, 0)
    assert [c.size for c in circles] == [5, 5, 5, 5, 5, 1, 1]
    assert [c.alters.tolist() for c in circles[-2:]] == [[26], [27]]
    assert all(c.density == 1.0 for c in circles[:5])  # a circle's density counts its own links only


def test_one_clique_is_one_redundant_circle():
    g = ego_network(clique([1, 2, 3, 4, 5, 6]), 6)
    (circle,) = clusters.ego_circles(g, 0, weighted=False)
    assert circle.size == 6 and circle.redundant


def test_weak_links_between_strongly_linked_pairs_do_not_merge_them():
    # a square 1-2-3-4-1: strong links 1-2 and 3-4, weak 2-3 and 4-1; weights decide the split
    g = ego_network([(1, 2), (2, 3), (3, 4), (4, 1)], 4, weights=[1.0, 0.05, 1.0, 0.05])
    assert circles_of(g) == [[1, 2], [3, 4]]


def partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in partitions(rest):
        for k in range(len(part)):
            yield [*part[:k], [first, *part[k]], *part[k + 1 :]]
        yield [[first], *part]


@pytest.mark.parametrize("seed", range(6))
def test_circles_reach_the_best_modularity_of_all_partitions_on_small_ego_networks(seed):
    # two or three planted groups of alters with random extra links: brute force over every
    # partition of the alters (Bell(8) = 4,140) gives the best modularity Louvain should find
    rng = np.random.default_rng(seed)
    groups = [[1, 2, 3], [4, 5, 6], [7, 8]] if seed % 2 else [[1, 2, 3, 4], [5, 6, 7, 8]]
    edges = {e for grp in groups for e in clique(grp) if rng.random() < 0.85}
    edges |= {(int(a), int(b)) for a, b in rng.integers(1, 9, size=(2, 2)) if a < b}
    edges = sorted(edges)
    weights = [float(w) for w in rng.uniform(0.3, 1.0, len(edges))]
    g = ego_network(edges, 8, weights=weights)
    alters = TieGraph.from_edges([a for a, _ in edges], [b for _, b in edges], weights, node_ids=range(1, 9))
    label_of = {a: k for k, circle in enumerate(circles_of(g)) for a in circle}
    found = clusters.modularity(alters, [label_of[int(v)] for v in alters.ids])
    a = alters.mutual().toarray()  # Q = sum over same-circle pairs of (A_ij - k_i k_j / 2m) / 2m
    k = a.sum(axis=1)
    b = (a - np.outer(k, k) / k.sum()) / k.sum()
    best = -1.0
    for part in partitions(list(range(8))):
        lab = np.empty(8, dtype=np.int64)
        for c, members in enumerate(part):
            lab[members] = c
        best = max(best, float(b[lab[:, None] == lab[None, :]].sum()))
    assert found == pytest.approx(best, abs=1e-9)
