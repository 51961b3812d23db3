"""Introduction paths equal networkx's shortest_simple_paths (Yen) order within the hop limit."""

import itertools
import math

import networkx as nx
import numpy as np
import pytest

from revere.analytics.graph import TieGraph
from revere.analytics.paths import best_paths

pytestmark = pytest.mark.unit


def networkx_paths(
    g: TieGraph, sources, target, k, max_intermediaries, distinct, exclude=(), by_source=False
):
    """Yen's order from a super-source tied at cost 0 to every source; sources are never intermediaries."""
    d = nx.DiGraph()
    d.add_nodes_from(g.ids.tolist())
    s, t, w = g.edges()
    for a, b, x in zip(s.tolist(), t.tolist(), w.tolist(), strict=True):
        d.add_edge(a, b, cost=-math.log(x))
        if not g.directed:
            d.add_edge(b, a, cost=-math.log(x))
    d.remove_nodes_from([x for x in exclude if x != target])
    for src in sources:
        d.remove_edges_from(list(d.in_edges(src)))
        d.add_edge("super", src, cost=0.0)
    out, seen = [], set()
    try:
        for path in nx.shortest_simple_paths(d, "super", target, weight="cost"):
            path = tuple(path[1:])
            if len(path) - 2 > max_intermediaries:
                continue
            if distinct or by_source:
                key = path[0] if by_source else path[1]
                if key in seen:
                    continue
                seen.add(key)
            out.append(path)
            if len(out) == k:
                break
    except nx.NetworkXNoPath:
        pass
    return out


@pytest.mark.parametrize("seed", range(40))
def test_paths_equal_networkx_yen_order_on_random_graphs(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 12))
    directed = bool(seed % 2)
    a, b = rng.integers(0, n, 2 * n), rng.integers(0, n, 2 * n)
    if not directed:
        a, b = np.minimum(a, b), np.maximum(a, b)
    pairs = np.unique(np.column_stack([a, b]), axis=0)
    g = TieGraph.from_edges(pairs[:, 0], pairs[:, 1], rng.random(len(pairs)) * 0.98 + 0.01, directed=directed)
    ids = g.ids.tolist()
    sources = [int(x) for x in rng.choice(ids, size=int(rng.integers(1, 3)), replace=False)]
    target = int(rng.choice([x for x in ids if x not in sources]))
    limit, k, distinct = int(rng.integers(1, 4)), int(rng.integers(1, 8)), bool(rng.integers(0, 2))
    ours = best_paths(g, sources, target, k=k, max_intermediaries=limit, distinct_first_hops=distinct)
    assert [p.nodes for p in ours] == networkx_paths(g, sources, target, k, limit, distinct)
    for p in ours:
        assert p.score == pytest.approx(math.prod(p.strengths))
        assert p.hops - 1 <= limit


@pytest.mark.parametrize("seed", range(30))
def test_excluded_people_and_one_path_per_source_follow_networkx(seed):
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(8, 16))
    a, b = rng.integers(0, n, 3 * n), rng.integers(0, n, 3 * n)
    pairs = np.unique(np.column_stack([np.minimum(a, b), np.maximum(a, b)]), axis=0)
    g = TieGraph.from_edges(pairs[:, 0], pairs[:, 1], rng.random(len(pairs)) * 0.98 + 0.01)
    ids = g.ids.tolist()
    chosen = [int(x) for x in rng.choice(ids, size=6, replace=False)]
    sources, target, exclude = chosen[:3], chosen[3], chosen[4:]
    ours = best_paths(g, sources, target, k=6, exclude=[*exclude, 10_000], distinct_sources=True)
    assert [p.nodes for p in ours] == networkx_paths(g, sources, target, 6, 3, False, exclude, by_source=True)
    assert len({p.nodes[0] for p in ours}) == len(ours)
    assert not any(set(p.intermediaries) & set(exclude) for p in ours)


@pytest.mark.parametrize("seed", range(20))
def test_equal_scores_come_in_the_order_of_their_node_sequences(seed):
    """Strengths that are powers of two make many paths score exactly the same: every simple path
    within the limit, ordered by (exact score, node sequence), is the oracle."""
    rng = np.random.default_rng(2000 + seed)
    n = int(rng.integers(10, 25))
    a, b = rng.integers(0, n, 4 * n), rng.integers(0, n, 4 * n)
    pairs = np.unique(np.column_stack([np.minimum(a, b), np.maximum(a, b)]), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    halvings = rng.integers(0, 3, len(pairs))
    g = TieGraph.from_edges(pairs[:, 0], pairs[:, 1], 0.5**halvings)
    ids = g.ids.tolist()
    source, target = ids[0], ids[-1]
    nxg = nx.Graph()
    nxg.add_weighted_edges_from(
        zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), halvings.tolist(), strict=True)
    )
    every = sorted(
        (sum(nxg[u][v]["weight"] for u, v in itertools.pairwise(p)), tuple(p))
        for p in nx.all_simple_paths(nxg, source, target, cutoff=4)
    )
    ours = best_paths(g, source, target, k=25)
    assert [p.nodes for p in ours] == [p for _, p in every[:25]]


@pytest.mark.parametrize("seed", range(16))
def test_hubs_on_either_side_give_every_path_in_order(seed):
    """A target (or a source) tied to half the graph: the bound levels then fall on the other side.
    The oracle: every simple path within the limit, sorted by (cost, node sequence)."""
    rng = np.random.default_rng(3000 + seed)
    n = 30
    hub, other = (0, n - 1) if seed % 2 else (n - 1, 0)
    a, b = rng.integers(0, n, n + n // 2), rng.integers(0, n, n + n // 2)
    spokes = rng.choice(np.arange(1, n - 1), size=n // 2, replace=False)
    a, b = np.concatenate([a, np.full(len(spokes), hub)]), np.concatenate([b, spokes])
    pairs = np.unique(np.column_stack([np.minimum(a, b), np.maximum(a, b)]), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    w = rng.random(len(pairs)) * 0.98 + 0.01
    g = TieGraph.from_edges(pairs[:, 0], pairs[:, 1], w)
    source, target = (other, hub) if seed % 4 < 2 else (hub, other)
    limit = int(rng.integers(2, 5))
    nxg = nx.Graph()
    nxg.add_weighted_edges_from(
        zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), (-np.log(w)).tolist(), strict=True)
    )
    every = sorted(
        (sum(nxg[u][v]["weight"] for u, v in itertools.pairwise(p)), tuple(p))
        for p in nx.all_simple_paths(nxg, source, target, cutoff=limit + 1)
    )
    ours = best_paths(g, source, target, k=8, max_intermediaries=limit)
    assert [p.nodes for p in ours] == [p for _, p in every[:8]]


def test_scores_multiply_strengths_and_distinct_first_hops_offer_different_people():
    g = TieGraph.from_edges([1, 1, 2, 2, 3, 4, 5], [2, 3, 4, 5, 4, 9, 9], [0.9, 0.6, 0.9, 0.8, 0.9, 0.9, 0.9])
    paths = best_paths(g, 1, 9)
    assert [p.nodes for p in paths] == [(1, 2, 4, 9), (1, 2, 5, 9), (1, 3, 4, 9)]
    assert paths[0].nodes == (1, 2, 4, 9) and paths[0].score == pytest.approx(0.9**3)
    assert paths[0].intermediaries == (2, 4)
    distinct = best_paths(g, 1, 9, distinct_first_hops=True)
    assert [p.nodes[1] for p in distinct] == [2, 3]


def test_the_hop_limit_a_team_as_sources_and_unreachable_targets():
    chain = TieGraph.from_edges([1, 2, 3, 4, 5], [2, 3, 4, 5, 6], [0.9] * 5)
    assert best_paths(chain, 1, 6) == []  # four intermediaries needed
    assert [p.nodes for p in best_paths(chain, 1, 6, max_intermediaries=4)] == [(1, 2, 3, 4, 5, 6)]
    assert [p.nodes for p in best_paths(chain, [1, 4], 6)] == [(4, 5, 6)]  # the teammate's own path
    assert best_paths(chain, 1, 1) == []


def test_directed_paths_follow_the_arcs():
    g = TieGraph.from_edges([1, 3], [2, 2], [0.5, 0.5], directed=True)
    assert best_paths(g, 1, 3) == []
    assert [p.nodes for p in best_paths(g, 3, 2)] == [(3, 2)]


def test_weights_above_one_are_refused_and_unknown_ids_raise():
    g = TieGraph.from_edges([1, 1], [2, 2], [0.8, 0.8])  # summed to 1.6
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        best_paths(g, 1, 2)
    with pytest.raises(KeyError):
        best_paths(g, 1, 99)
