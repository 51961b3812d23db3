"""Burt's measures: published values, the networkx whole-graph effective-size bug, and properties."""

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revere.analytics import holes
from revere.analytics.graph import TieGraph
from tests.analytics.networks import load, read_nodes

pytestmark = pytest.mark.unit


def letters_graph(realdata):
    """Borgatti's (1997) example, as networkx's test suite encodes it, with its weights."""
    rows = (realdata / "networks" / "borgatti1997_holes_example.edges.csv").read_text().split()[1:]
    names = sorted({p for r in rows for p in r.split(",")[:2]})
    code = {name: i for i, name in enumerate(names)}
    s = [code[r.split(",")[0]] for r in rows]
    d = [code[r.split(",")[1]] for r in rows]
    w = [float(r.split(",")[2]) for r in rows]
    return TieGraph.from_edges(s, d, w), code


@pytest.mark.realdata
def test_borgatti_example_matches_the_published_unweighted_values(realdata):
    g, code = letters_graph(realdata)
    h = holes.structural_holes(g, weighted=False)
    esize, con = h.to_dict("effective_size"), h.to_dict("constraint")
    assert round(esize[code["G"]], 2) == 4.67
    assert round(esize[code["A"]], 2) == 2.50
    assert round(esize[code["C"]], 2) == 1.00
    assert round(con[code["G"]], 3) == 0.400
    assert round(con[code["A"]], 3) == 0.595
    assert round(con[code["C"]], 3) == 1.000


@pytest.mark.realdata
def test_borgatti_example_matches_the_published_weighted_values(realdata):
    g, code = letters_graph(realdata)
    h = holes.structural_holes(g)
    esize, con = h.to_dict("effective_size"), h.to_dict("constraint")
    assert round(con[code["G"]], 3) == 0.299
    assert round(con[code["A"]], 3) == 0.795
    assert round(con[code["C"]], 3) == 1.0
    assert round(esize[code["G"]], 2) == 5.47
    assert round(esize[code["A"]], 2) == 2.47
    assert round(esize[code["C"]], 2) == 1.0


def test_networkx_directed_example_matches_its_published_values():
    g = TieGraph.from_edges([0, 0, 1, 2], [1, 2, 0, 1], directed=True)
    h = holes.structural_holes(g, weighted=False)
    assert [round(x, 3) for x in h.constraint] == [1.003, 1.003, 1.389]
    assert [round(x, 3) for x in h.effective_size] == [1.167, 1.167, 1.0]


@pytest.mark.realdata
def test_medici_has_the_lowest_constraint_of_the_florentine_marriage_network(realdata):
    g, _, _ = load(realdata, "networkdata__flo_marriage", False, None)
    names = {int(r["id"]): r["name"] for r in read_nodes(realdata, "networkdata__flo_marriage")}
    h = holes.structural_holes(g)
    by_name = {
        names[i]: (c, e) for i, c, e in zip(g.ids.tolist(), h.constraint, h.effective_size, strict=True)
    }
    assert round(by_name["Medici"][0], 3) == 0.210
    assert round(by_name["Medici"][1], 3) == 5.667
    assert round(by_name["Guadagni"][0], 3) == 0.250 and by_name["Guadagni"][1] == 4.0
    assert round(by_name["Strozzi"][0], 3) == 0.458
    assert math.isnan(by_name["Pucci"][0]) and math.isnan(by_name["Pucci"][1])  # the isolate
    assert min(by_name, key=lambda k: by_name[k][0] if not math.isnan(by_name[k][0]) else 9) == "Medici"


def test_networkx_whole_graph_weighted_effective_size_divides_by_the_wrong_maximum():
    """Hand-computed case: a-b 1, a-c 3, b-c 1, c-d 4. Ego a has contacts b and c, p_ab = 1/4, p_ac = 3/4.

    Burt: m_jq = a_jq / max_k a_jk, contact j's tie to q relative to j's own strongest tie. So
    m_bc = 1/1 and m_cb = 1/4; r_ab = p_ac m_bc = 3/4, r_ac = p_ab m_cb = 1/16, and
    e_a = (1 - 3/4) + (1 - 1/16) = 19/16. networkx's sparse whole-graph path divides by q's maximum
    instead (m'_bc = 1/4, m'_cb = 1), giving 25/16; its own per-node loop gives 19/16.
    """
    a, b, c, d = 0, 1, 2, 3
    g = TieGraph.from_edges([a, a, b, c], [b, c, c, d], [1.0, 3.0, 1.0, 4.0])
    assert holes.effective_size(g)[a] == pytest.approx(19 / 16, abs=1e-12)
    nxg = nx.Graph()
    nxg.add_weighted_edges_from([(a, b, 1.0), (a, c, 3.0), (b, c, 1.0), (c, d, 4.0)])
    assert nx.effective_size(nxg, nodes=[a], weight="weight")[a] == pytest.approx(19 / 16, abs=1e-12)
    assert nx.effective_size(nxg, weight="weight")[a] == pytest.approx(25 / 16, abs=1e-12)  # networkx 3.6.1


def test_on_the_weighted_karate_club_revere_follows_networkx_per_node_path_not_its_whole_graph_path():
    nxg = nx.karate_club_graph()
    nodes = list(nxg)
    edges = [(u, v, w["weight"]) for u, v, w in nxg.edges(data=True)]
    g = TieGraph.from_edges([e[0] for e in edges], [e[1] for e in edges], [float(e[2]) for e in edges])
    ours = holes.effective_size(g)
    per_node = nx.effective_size(nxg, nodes=nodes, weight="weight")
    whole = nx.effective_size(nxg, weight="weight")
    assert max(abs(ours[v] - per_node[v]) for v in nodes) < 1e-9
    assert max(abs(whole[v] - per_node[v]) for v in nodes) > 0.25  # the 0.28 of the issue


def relabel(g: TieGraph, perm: np.ndarray) -> TieGraph:
    s, d, w = g.edges()
    return TieGraph.from_edges(perm[s], perm[d], w, directed=g.directed, node_ids=perm[g.ids])


@st.composite
def graphs(draw, max_nodes=14):
    n = draw(st.integers(2, max_nodes))
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=4 * n)
    )
    weights = draw(st.lists(st.floats(0.05, 5.0), min_size=len(pairs), max_size=len(pairs)))
    directed = draw(st.booleans())
    return TieGraph.from_edges(
        [p[0] for p in pairs], [p[1] for p in pairs], weights, directed=directed, node_ids=np.arange(n)
    )


def same(a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-9, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(graphs(), st.randoms(use_true_random=False), st.booleans())
def test_measures_do_not_change_when_nodes_are_relabelled(g, rnd, weighted):
    labels = list(range(1000, 1000 + g.n))
    rnd.shuffle(labels)
    perm = np.array(labels, dtype=np.int64)
    before = holes.structural_holes(g, weighted=weighted)
    after = holes.structural_holes(relabel(g, perm), weighted=weighted)
    for measure in ("effective_size", "efficiency", "constraint", "hierarchy"):
        moved = after.to_dict(measure)
        same(np.array([moved[int(perm[i])] for i in range(g.n)]), getattr(before, measure))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40))
def test_on_an_unweighted_star_the_centre_has_effective_size_n_efficiency_1_and_constraint_1_over_n(n):
    g = TieGraph.from_edges(np.zeros(n, dtype=np.int64), np.arange(1, n + 1))
    h = holes.structural_holes(g, [0])
    assert h.effective_size[0] == pytest.approx(n)
    assert h.efficiency[0] == pytest.approx(1.0)
    assert h.constraint[0] == pytest.approx(1.0 / n)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 25), st.booleans())
def test_in_a_clique_every_node_has_effective_size_1(n, directed):
    s, d = np.triu_indices(n, 1)
    g = TieGraph.from_edges(s, d, directed=directed)
    h = holes.structural_holes(g, weighted=False)
    same(h.effective_size, np.ones(n))


@settings(max_examples=60, deadline=None)
@given(graphs(max_nodes=20), st.booleans(), st.data())
def test_one_nodes_result_equals_the_all_nodes_result_for_that_node(g, weighted, data):
    node = data.draw(st.integers(0, g.n - 1))
    full = holes.structural_holes(g, weighted=weighted)
    one = holes.structural_holes(g, [node], weighted=weighted)
    for measure in ("size", "effective_size", "efficiency", "constraint", "hierarchy"):
        same(getattr(one, measure), getattr(full, measure)[[node]])


def test_isolates_get_nan_and_one_contact_gets_constraint_1_and_nan_hierarchy():
    g = TieGraph.from_edges([1], [2], node_ids=[1, 2, 3])
    h = holes.structural_holes(g)
    assert h.size.tolist() == [1, 1, 0]
    assert h.constraint[0] == 1.0 and math.isnan(h.hierarchy[0])
    assert all(
        math.isnan(getattr(h, m)[2]) for m in ("effective_size", "efficiency", "constraint", "hierarchy")
    )


def test_hierarchy_is_zero_when_constraint_is_spread_evenly_and_positive_when_concentrated():
    star = TieGraph.from_edges([0, 0, 0], [1, 2, 3])
    assert holes.hierarchy(star)[0] == pytest.approx(0.0, abs=1e-12)
    lopsided = TieGraph.from_edges([0, 0, 0], [1, 2, 3], [10.0, 1.0, 1.0])
    assert holes.hierarchy(lopsided)[0] > 0.1


def test_each_alters_redundancy_says_which_contacts_repeat_the_others():
    # 0's contacts: 1 and 2 know each other, 3 knows no one else
    g = TieGraph.from_edges([0, 0, 0, 1], [1, 2, 3, 2])
    red = holes.redundancy(g, 0)
    assert red[3] == 0.0
    assert red[1] == pytest.approx(1 / 3) and red[2] == pytest.approx(1 / 3)
    assert holes.local_constraint(g, 0, 3) == pytest.approx((1 / 3) ** 2)
    assert holes.local_constraint(g, 3, 1) == 0.0
    with pytest.raises(KeyError):
        holes.local_constraint(g, 0, 99)
