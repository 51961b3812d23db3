"""Burt's measures equal networkx's and igraph's to 1e-9 on networkx's bundled graphs and on real networks."""

import math

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.structuralholes import normalized_mutual_weight

from revere.analytics import holes
from revere.analytics.graph import TieGraph
from tests.analytics.networks import NETWORKS, load, oracles

pytestmark = pytest.mark.unit

TOL = 1e-9


def close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= TOL


def from_networkx(graph, weight="weight"):
    nodes = list(graph)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v], d.get(weight, 1.0)) for u, v, d in graph.edges(data=True) if u != v]
    src, dst, w = zip(*edges, strict=True) if edges else ((), (), ())
    g = TieGraph.from_edges(
        np.array(src, dtype=np.int64),
        np.array(dst, dtype=np.int64),
        np.array(w, dtype=float),
        directed=graph.is_directed(),
        node_ids=np.arange(len(nodes)),
    )
    return g, nodes


def bundled():
    yield "karate", nx.karate_club_graph()
    yield "les_miserables", nx.les_miserables_graph()
    yield "florentine", nx.florentine_families_graph()
    yield "davis", nx.davis_southern_women_graph()
    yield "kite", nx.krackhardt_kite_graph()
    yield "gnp_directed", nx.gnp_random_graph(60, 0.08, seed=3, directed=True)
    rng = np.random.default_rng(7)
    weighted = nx.gnm_random_graph(80, 300, seed=11)
    for u, v in weighted.edges():
        weighted[u][v]["weight"] = float(rng.uniform(0.05, 3.0))
    weighted.add_nodes_from([200, 201])  # isolates
    yield "gnm_weighted_isolates", weighted
    dweighted = nx.gnm_random_graph(50, 260, seed=5, directed=True)
    for u, v in dweighted.edges():
        dweighted[u][v]["weight"] = float(rng.uniform(0.1, 2.0))
    yield "gnm_directed_weighted", dweighted


def burt_effective_size(nxg, v, weight):
    """networkx's per-node formula, for the directed sinks its loop skips (see below)."""
    nmw = normalized_mutual_weight
    contacts = set(nx.all_neighbors(nxg, v)) - {v}
    if not contacts:
        return float("nan")
    return sum(
        1 - sum(nmw(nxg, v, w, weight=weight) * nmw(nxg, u, w, norm=max, weight=weight) for w in contacts)
        for u in contacts
    )


def dense_burt(g: TieGraph, weighted: bool):
    """Burt's effective size and constraint straight from the dense formulas (an independent oracle)."""
    a = g.mutual(weighted).toarray()
    with np.errstate(invalid="ignore", divide="ignore"):
        p = a / a.sum(axis=1, keepdims=True)
        m = a / a.max(axis=1, keepdims=True)
    p, m = np.nan_to_num(p), np.nan_to_num(m)
    tie = a > 0
    esize = np.where(tie, 1 - p @ m.T, 0).sum(axis=1)
    constraint = np.where(tie, (p + p @ p) ** 2, 0).sum(axis=1)
    isolated = ~tie.any(axis=1)
    esize[isolated] = constraint[isolated] = np.nan
    return esize, constraint


def sample(nodes, most=30):
    step = max(1, len(nodes) // most)
    return list(nodes)[::step]


def assert_matches_networkx(g: TieGraph, nxg, nodes, weighted: bool):
    key = "weight" if weighted else None
    ours = holes.structural_holes(g, weighted=weighted)
    nx_constraint = nx.constraint(nxg, weight=key)
    for k, v in enumerate(nodes):
        assert close(ours.constraint[k], nx_constraint[v]), (v, ours.constraint[k], nx_constraint[v])
    dense_esize, dense_constraint = dense_burt(g, weighted)
    np.testing.assert_allclose(ours.effective_size, dense_esize, rtol=0, atol=TOL, equal_nan=True)
    np.testing.assert_allclose(ours.constraint, dense_constraint, rtol=0, atol=TOL, equal_nan=True)
    # networkx's per-node path (Burt's definition) is slow (cubic in degree): check it on a sample
    picked = sample(range(len(nodes)))
    nx_esize = nx.effective_size(nxg, nodes=[nodes[k] for k in picked], weight=key)
    for k in picked:
        v = nodes[k]
        expected = nx_esize[v]
        if nxg.is_directed() and nxg.out_degree(v) == 0:
            # networkx's per-node loop tests `G[v]`, the out-neighbours, for isolation, so a node with only
            # in-ties gets NaN although its docstring counts in- and out-neighbours; use its formula there.
            expected = burt_effective_size(nxg, v, key)
        assert close(ours.effective_size[k], expected), (v, ours.effective_size[k], expected)
    for k in sample(range(len(nodes)), most=8):
        ego = holes.ego_holes(g, int(g.ids[k]), weighted=weighted)
        for alter, local in zip(ego.alters.tolist(), ego.local_constraint.tolist(), strict=True):
            expected = nx.local_constraint(nxg, nodes[k], nodes[int(g.index_of([alter])[0])], weight=key)
            assert abs(local - expected) <= TOL


@pytest.mark.parametrize("weighted", [True, False], ids=["weighted", "unweighted"])
@pytest.mark.parametrize(("name", "graph"), list(bundled()), ids=[n for n, _ in bundled()])
def test_burt_measures_equal_networkx_on_its_bundled_graphs(name, graph, weighted):
    g, nodes = from_networkx(graph)
    nxg, _ = oracles(g)  # same ties, self-loops dropped, ids = positions
    assert_matches_networkx(g, nxg, list(range(len(nodes))), weighted)


@pytest.mark.parametrize("weighted", [True, False], ids=["weighted", "unweighted"])
@pytest.mark.parametrize(("name", "graph"), list(bundled()), ids=[n for n, _ in bundled()])
def test_constraint_equals_igraph_on_networkx_bundled_graphs(name, graph, weighted):
    g, _ = from_networkx(graph)
    _, igg = oracles(g)
    expected = np.array(igg.constraint(weights="weight" if weighted else None))
    got = holes.structural_holes(g, weighted=weighted).constraint
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL, equal_nan=True)


@pytest.mark.realdata
@pytest.mark.parametrize("weighted", [True, False], ids=["weighted", "unweighted"])
@pytest.mark.parametrize(("stem", "directed", "weight"), NETWORKS, ids=[s for s, _, _ in NETWORKS])
def test_burt_measures_equal_networkx_and_igraph_on_real_networks(realdata, stem, directed, weight, weighted):
    g, nxg, igg = load(realdata, stem, directed, weight)
    assert_matches_networkx(g, nxg, g.ids.tolist(), weighted)
    expected = np.array(igg.constraint(weights="weight" if weighted else None))
    got = holes.structural_holes(g, weighted=weighted).constraint
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL, equal_nan=True)
