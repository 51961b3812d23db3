"""Ego metrics against networkx and hand counts; graph summaries against the published densities."""

import math

import networkx as nx
import numpy as np
import pytest

from revere.analytics import ego
from revere.analytics.graph import TieGraph
from revere.analytics.summary import graph_summary, triangles
from tests.analytics.networks import NETWORKS, load, oracles

pytestmark = pytest.mark.unit


def random_graph(n, m, directed, seed):
    rng = np.random.default_rng(seed)
    return TieGraph.from_edges(
        rng.integers(0, n, m),
        rng.integers(0, n, m),
        rng.random(m) * 0.9 + 0.05,
        directed=directed,
        node_ids=np.arange(n),
        cap=1.0,
    )


def expected_from_networkx(nxg, v):
    und = nxg.to_undirected(as_view=True)
    alters = set(und[v]) - {v}
    sub = nxg.subgraph(alters)
    near = set(nx.single_source_shortest_path_length(und, v, cutoff=2))
    k = len(alters)
    pairs = k * (k - 1) if nxg.is_directed() else k * (k - 1) / 2
    weight = sum(w for _, _, w in sub.edges(data="weight"))
    return {
        "size": k,
        "reach": len(near - alters - {v}),
        "density": nx.density(sub) if k >= 2 else math.nan,
        "weighted_density": weight / pairs if k >= 2 else math.nan,
    }


@pytest.mark.parametrize("directed", [False, True], ids=["undirected", "directed"])
@pytest.mark.parametrize("n", [300, 2500], ids=["ego-by-ego", "sparse-products"])
def test_size_reach_and_densities_equal_networkx(directed, n):
    g = random_graph(n, 4 * n, directed, seed=n)
    nxg, _ = oracles(g)
    got = ego.ego_metrics(g)
    for k in range(0, n, max(1, n // 150)):
        exp = expected_from_networkx(nxg, int(g.ids[k]))
        assert got.size[k] == exp["size"]
        assert got.reach[k] == exp["reach"]
        for key in ("density", "weighted_density"):
            a, b = getattr(got, key)[k], exp[key]
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12)


def test_a_set_gives_the_same_numbers_as_all_nodes():
    g = random_graph(2500, 9000, True, seed=1)
    full = ego.ego_metrics(g)
    some = ego.ego_metrics(g, [5, 17, 2400])
    for key in ("size", "reach", "density", "weighted_density"):
        np.testing.assert_allclose(
            getattr(some, key), getattr(full, key)[[5, 17, 2400]], equal_nan=True, atol=1e-12
        )
    assert ego.size(g, [5])[5] == full.size[5]
    assert ego.reach(g, [5])[5] == full.reach[5]
    assert ego.density(g, [5], weighted=True)[5] == pytest.approx(full.weighted_density[5], nan_ok=True)


def test_strength_mix_counts_each_tie_in_its_band_and_directed_ties_use_the_stronger_direction():
    g = TieGraph.from_edges([1, 1, 1, 1, 5], [2, 3, 4, 5, 1], [0.9, 0.5, 0.2, 0.01, 0.75], directed=True)
    assert ego.strength_mix(g, [1])[1] == {"strong": 2, "medium": 1, "weak": 1, "dormant": 0}
    custom = ego.strength_mix(g, [1], bands=[("hot", 0.8), ("cold", 0.0)])
    assert custom[1] == {"hot": 1, "cold": 3}


def test_diversity_is_blaus_index_over_the_alters_and_range_counts_categories():
    # alters of 0: two at acme, one at globex, one unknown (left out)
    g = TieGraph.from_edges(
        [0, 0, 0, 0],
        [1, 2, 3, 4],
        node_ids=[0, 1, 2, 3, 4],
        attrs={"company": ["own", "acme", "acme", "globex", None]},
    )
    assert ego.diversity(g, "company", [0])[0] == pytest.approx(1 - (2 / 3) ** 2 - (1 / 3) ** 2)
    assert ego.attribute_range(g, "company", [0])[0] == 2
    assert ego.diversity(g, "company", [4])[4] == 0.0  # node 4 knows only 0, who is "own": one category
    s = ego.ego_summary(g, 0, attrs=["company"])
    assert s.diversity["company"] == pytest.approx(4 / 9) and s.range["company"] == 2
    assert s.alters.tolist() == [1, 2, 3, 4]


def test_an_isolate_has_size_zero_and_undefined_density():
    g = TieGraph.from_edges([1], [2], node_ids=[1, 2, 3])
    e = ego.ego_metrics(g, [3])
    assert e.size.tolist() == [0] and e.reach.tolist() == [0] and math.isnan(e.density[0])
    assert ego.alters(g, 1).tolist() == [2]


PUBLISHED_DENSITY = {
    "networkdata__ht_advice": 0.4524,
    "networkdata__ht_friends": 0.2429,
    "networkdata__law_advice": 0.1795,
    "networkdata__law_cowork": 0.2221,
    "networkdata__law_friends": 0.1157,
    "networkdata__flo_marriage": 0.1667,
    "networkdata__flo_business": 0.1250,
    "networkdata__karate": 0.1390,
}


@pytest.mark.realdata
@pytest.mark.parametrize(("stem", "directed", "weight"), [n for n in NETWORKS if n[0] in PUBLISHED_DENSITY])
def test_densities_match_the_reference_values(realdata, stem, directed, weight):
    g, nxg, _ = load(realdata, stem, directed, weight)
    s = graph_summary(g)
    assert round(s.density, 4) == PUBLISHED_DENSITY[stem]
    assert s.density == pytest.approx(nx.density(nxg), abs=1e-12)


@pytest.mark.realdata
def test_published_tie_counts_and_reciprocity(realdata):
    advice = load(realdata, "networkdata__ht_advice", True, None)[0]
    friends = load(realdata, "networkdata__ht_friends", True, None)[0]
    assert (advice.n, advice.m, friends.m) == (21, 190, 102)
    for stem, expected, ties in [
        ("networkdata__law_advice", 0.392, 892),
        ("networkdata__law_friends", 0.612, 575),
        ("networkdata__law_cowork", 0.685, 1104),
    ]:
        g, nxg, _ = load(realdata, stem, True, None)
        s = graph_summary(g)
        assert s.ties == ties
        assert round(s.reciprocity, 3) == expected
        assert s.reciprocity == pytest.approx(nx.overall_reciprocity(nxg), abs=1e-12)
    marriage = graph_summary(load(realdata, "networkdata__flo_marriage", False, None)[0])
    assert (marriage.nodes, marriage.components, marriage.largest_component) == (16, 2, 15)  # Pucci alone


def test_triangles_per_node_equal_networkx():
    nxg = nx.gnm_random_graph(400, 4000, seed=2)
    e = np.array(nxg.edges())
    g = TieGraph.from_edges(e[:, 0], e[:, 1], node_ids=np.arange(400))
    expected = nx.triangles(nxg)
    assert triangles(g).tolist() == [expected[i] for i in range(400)]
    directed = TieGraph.from_edges([0, 1, 2], [1, 2, 0], directed=True)
    assert triangles(directed).tolist() == [1, 1, 1]


@pytest.mark.parametrize("directed", [False, True], ids=["undirected", "directed"])
def test_strength_mix_of_all_nodes_equals_each_egos_summary(directed):
    g = random_graph(300, 1500, directed, seed=9)
    everyone = ego.strength_mix(g)
    for node in g.ids[::17].tolist():
        assert everyone[node] == ego.ego_summary(g, node).strength_mix


@pytest.mark.parametrize("seed", range(12))
def test_alter_overlap_and_unique_reach_equal_a_count_over_networkx_neighbourhoods(seed):
    directed = bool(seed % 2)
    g = random_graph(40, 120, directed, seed)
    nxg = nx.Graph()
    nxg.add_nodes_from(g.ids.tolist())
    src, dst, _w = g.edges()
    nxg.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))  # contacts: either direction
    rng = np.random.default_rng(seed)
    for v in g.ids.tolist():
        alters = sorted(nxg[v])
        if not alters:
            continue
        subset = sorted(rng.choice(alters, size=max(1, len(alters) // 2), replace=False).tolist())
        for asked in (None, subset):
            chosen = alters if asked is None else asked
            r = ego.alter_reach(g, v, asked)
            assert r.alters.tolist() == chosen
            for j, a in enumerate(chosen):
                others = set(chosen) - {a}
                beyond = set(nxg[a]) - set(chosen) - {v}
                only = {x for x in beyond if not any(x in nxg[b] for b in others)}
                assert r.overlap[j] == len(set(nxg[a]) & others)
                assert r.unique_reach[j] == len(only)
                assert r.unique(a).tolist() == sorted(only)
