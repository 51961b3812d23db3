"""Betweenness equals networkx and the published Medici and Krackhardt values."""

import networkx as nx
import numpy as np
import pytest

from revere.analytics.centrality import betweenness
from revere.analytics.graph import TieGraph
from tests.analytics.networks import load, oracles, read_nodes

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("directed", [False, True], ids=["undirected", "directed"])
@pytest.mark.parametrize("normalized", [True, False])
def test_betweenness_equals_networkx_on_random_graphs(directed, normalized):
    rng = np.random.default_rng(4)
    g = TieGraph.from_edges(
        rng.integers(0, 60, 150), rng.integers(0, 60, 150), directed=directed, node_ids=np.arange(62)
    )
    nxg, _ = oracles(g)
    expected = nx.betweenness_centrality(nxg, normalized=normalized)
    got = betweenness(g, normalized=normalized)
    assert max(abs(got[v] - expected[v]) for v in expected) < 1e-12


@pytest.mark.realdata
def test_the_medici_broker_the_florentine_marriages(realdata):
    g, _, _ = load(realdata, "networkdata__flo_marriage", False, None)
    names = {int(r["id"]): r["name"] for r in read_nodes(realdata, "networkdata__flo_marriage")}
    medici = next(i for i, name in names.items() if name == "Medici")
    pucci = next(i for i, name in names.items() if name == "Pucci")
    assert betweenness(g, normalized=False)[medici] == pytest.approx(47.5)
    assert round(betweenness(g)[medici], 3) == 0.452  # 16 families, Pucci kept
    without_pucci = g.subgraph([i for i in g.ids.tolist() if i != pucci])
    assert round(betweenness(without_pucci)[medici], 3) == 0.522  # Jackson (2008): 15 families


@pytest.mark.realdata
def test_reference_betweenness_of_the_karate_club_and_krackhardts_advice(realdata):
    karate = betweenness(load(realdata, "networkdata__karate", False, None)[0])
    assert round(karate[1], 4) == 0.4376 and round(karate[34], 4) == 0.3041
    assert round(karate[33], 4) == 0.1452 and round(karate[3], 4) == 0.1437
    advice = betweenness(load(realdata, "networkdata__ht_advice", True, None)[0])
    assert round(advice[18], 3) == 0.234 and round(advice[21], 3) == 0.158 and round(advice[7], 3) == 0.073
