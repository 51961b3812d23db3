"""Silos and brokers of a team's combined graph: planted groups with a known answer, brute-force checks."""

import networkx as nx
import numpy as np
import pytest

from revere.analytics.brokerage import ROLES, brokerage, brokerage_of
from revere.analytics.graph import TieGraph
from revere.analytics.silos import combined_graph, team_brokers, team_silos

pytestmark = pytest.mark.unit


def _group(sellers, contacts, rng, p=0.5):
    """Each seller tied to every contact; contacts linked to each other with probability p (and in a ring)."""
    src, dst = [], []
    for s in sellers:
        src += [s] * len(contacts)
        dst += list(contacts)
    for a, b in zip(contacts, contacts[1:] + contacts[:1], strict=True):
        src.append(a)
        dst.append(b)
    for i, a in enumerate(contacts):
        for b in contacts[i + 2 :]:
            if rng.random() < p:
                src.append(a)
                dst.append(b)
    return src, dst


def _two_groups(bridge: bool):
    rng = np.random.default_rng(7)
    s1, d1 = _group([1, 2, 3], list(range(100, 112)), rng)
    s2, d2 = _group([4, 5, 6], list(range(200, 212)), rng)
    src, dst = s1 + s2, d1 + d2
    alters = {m: list(range(100, 112)) for m in (1, 2, 3)} | {m: list(range(200, 212)) for m in (4, 5, 6)}
    if bridge:  # seller 3 also knows one person of the other group
        src.append(3)
        dst.append(205)
        alters[3] = [*alters[3], 205]
    return TieGraph.from_edges(src, dst), alters


def test_a_team_split_into_two_groups_with_no_bridge_shows_two_silos():
    g, alters = _two_groups(bridge=False)
    s = team_silos(g, alters)
    assert len(s.communities) == 2 and len(s.silos) == 2
    assert sorted(grp.members for grp in s.silos) == [(1, 2, 3), (4, 5, 6)]
    assert all(c.silo and c.bridges == () for c in s.communities)
    assert team_brokers(s, [1, 2, 3, 4, 5, 6]) == []


def test_one_seller_with_a_contact_in_the_other_group_bridges_it_and_is_the_broker():
    g, alters = _two_groups(bridge=True)
    s = team_silos(g, alters)
    assert len(s.communities) == 2 and s.silos == ()
    assert all(c.bridges == (3,) for c in s.communities)
    [broker] = team_brokers(s, [1, 2, 3, 4, 5, 6])
    assert broker.node == 3 and broker.communities == 2 and broker.between > 0


def test_a_team_in_one_community_has_no_silo():
    rng = np.random.default_rng(3)
    src, dst = _group([1, 2], list(range(10, 20)), rng, p=0.9)
    s = team_silos(TieGraph.from_edges(src, dst), {1: list(range(10, 20)), 2: list(range(10, 20))})
    assert len(s.communities) == 1 and s.silos == ()


def test_communities_smaller_than_the_minimum_are_not_counted():
    # two cliques of five, each with its seller, and a pair (30, 31) that seller 1 also knows
    src, dst = [], []
    for seller, clique in ((1, range(10, 15)), (2, range(20, 25))):
        for a in clique:
            src.append(seller)
            dst.append(a)
            for b in clique:
                if a < b:
                    src.append(a)
                    dst.append(b)
    src += [30, 1, 1]
    dst += [31, 30, 31]
    g = TieGraph.from_edges(src, dst)
    alters = {1: [*range(10, 15), 30, 31], 2: list(range(20, 25))}
    s = team_silos(g, alters, min_size=4)
    assert all(c.size >= 4 for c in s.communities)
    sizes = np.bincount(s.labels[s.labels >= 0])
    assert sizes.tolist() == [c.size for c in s.communities]
    assert len(s.silos) == 2  # the pair, if on its own, counts as no community to bridge to


def test_a_group_of_circles_joined_only_among_themselves_is_one_silo():
    # sellers 1 and 2 share circle A; seller 3 reaches circles B and C (bridging them), nobody joins A to B or C
    src, dst = [], []

    def clique(nodes, sellers):
        for a in nodes:
            for seller in sellers:
                src.append(seller)
                dst.append(a)
            for b in nodes:
                if a < b:
                    src.append(a)
                    dst.append(b)

    clique(range(10, 16), (1, 2))
    clique(range(20, 26), (3,))
    clique(range(30, 36), (3,))
    g = TieGraph.from_edges(src, dst)
    s = team_silos(g, {1: list(range(10, 16)), 2: list(range(10, 16)), 3: [*range(20, 26), *range(30, 36)]})
    assert len(s.communities) == 3
    assert sorted((grp.members, len(grp.communities)) for grp in s.silos) == [((1, 2), 1), ((3,), 2)]


@pytest.mark.parametrize("seed", range(8))
def test_the_combined_graph_is_the_members_counted_ties_and_every_tie_among_their_contacts(seed):
    rng = np.random.default_rng(seed)
    nxg = nx.gnp_random_graph(40, 0.12, seed=seed)
    s, d = zip(*nxg.edges(), strict=True)
    g = TieGraph.from_edges(list(s), list(d), node_ids=list(range(40)))
    egos = rng.choice(40, size=3, replace=False).tolist()
    alters = {e: [v for v in sorted(nxg.neighbors(e)) if rng.random() < 0.6] for e in egos}
    cg = combined_graph(g, alters)
    nodes = set(egos).union(*map(set, alters.values()))
    expected = {frozenset((e, a)) for e, alt in alters.items() for a in alt}
    expected |= {frozenset((u, v)) for u, v in nxg.subgraph(nodes).edges() if u not in egos and v not in egos}
    cs, cd, _ = cg.edges()
    assert set(cg.ids.tolist()) == nodes
    assert {frozenset((u, v)) for u, v in zip(cs.tolist(), cd.tolist(), strict=True)} == expected
    structure = team_silos(g, alters, min_size=2)
    labels = dict(zip(cg.ids.tolist(), structure.labels.tolist(), strict=True))
    for c in structure.communities:  # reached_by and bridges, recomputed from the labels
        reach = {e: {labels[x] for x in [e, *alters[e]] if labels[x] >= 0} for e in egos}
        assert c.reached_by == tuple(e for e in egos if c.label in reach[e])
        assert c.bridges == tuple(e for e in c.reached_by if len(reach[e]) > 1)


@pytest.mark.parametrize("seed", range(10))
def test_brokerage_of_a_few_nodes_equals_the_two_path_enumeration(seed):
    rng = np.random.default_rng(seed)
    nxg = nx.gnp_random_graph(30, 0.2, seed=seed)
    s, d = zip(*nxg.edges(), strict=True)
    groups = [None if x == 3 else "abc"[x] for x in rng.integers(0, 4, 30).tolist()]
    g = TieGraph.from_edges(list(s), list(d), node_ids=list(range(30)), attrs={"grp": groups})
    some = rng.choice(30, size=8, replace=False)
    full = brokerage(g, "grp").to_dict()
    assert brokerage_of(g, "grp", some).to_dict() == {int(v): full[int(v)] for v in some}
    labels = rng.integers(-1, 3, 30)
    assert brokerage_of(g, labels, some).to_dict() == {
        int(v): brokerage(g, labels).to_dict()[int(v)] for v in some
    }


@pytest.mark.parametrize("seed", range(8))
def test_brokerage_of_many_nodes_at_once_equals_the_two_path_enumeration(seed):
    """The counts from the graph's triangles (all of a combined graph's brokers at once) and node by
    node are the enumeration's, for every node, repeated ones too, groups missing or not."""
    from revere.analytics.brokerage import _brokerage_all

    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(20, 60))
    nxg = nx.gnp_random_graph(n, float(rng.uniform(0.05, 0.4)), seed=seed)
    nxg.add_edges_from((0, v) for v in range(1, n, 3))  # one node with many contacts
    s, d = zip(*nxg.edges(), strict=True)
    g = TieGraph.from_edges(list(s), list(d), node_ids=list(range(n)))
    labels = rng.integers(-1, 4, n)
    full = brokerage(g, labels).to_dict()
    every = np.concatenate([np.arange(n), rng.choice(n, size=5)])  # some twice
    assert brokerage_of(g, labels, every).to_dict() == {int(v): full[int(v)] for v in every}
    ptr, ind = np.asarray(g.indptr, dtype=np.int64), np.asarray(g.indices, dtype=np.int64)
    _, cl = np.unique(labels, return_inverse=True)
    counts = _brokerage_all(ptr, ind, cl.astype(np.int64), g.index_of(every))
    assert {
        int(v): dict(zip(ROLES, c, strict=True)) for v, c in zip(every, counts.tolist(), strict=True)
    } == {int(v): full[int(v)] for v in every}


def test_brokerage_of_a_few_nodes_of_a_large_sparse_graph_goes_node_by_node_and_agrees():
    rng = np.random.default_rng(7)
    nxg = nx.gnm_random_graph(3000, 6000, seed=7)
    s, d = zip(*nxg.edges(), strict=True)
    g = TieGraph.from_edges(list(s), list(d), node_ids=list(range(3000)))
    labels = rng.integers(0, 5, 3000)
    some = rng.choice(3000, size=10, replace=False)
    full = brokerage(g, labels).to_dict()
    assert brokerage_of(g, labels, some).to_dict() == {int(v): full[int(v)] for v in some}


@pytest.mark.parametrize("seed", range(6))
def test_the_first_brokers_are_the_first_of_the_whole_ranking(seed):
    """team_brokers with a limit counts only the candidates that can be listed: the same list."""
    rng = np.random.default_rng(200 + seed)
    nxg = nx.gnp_random_graph(80, 0.08, seed=seed)
    s, d = zip(*nxg.edges(), strict=True)
    g = TieGraph.from_edges(list(s), list(d), node_ids=list(range(80)))
    egos = rng.choice(80, size=4, replace=False).tolist()
    alters = {e: sorted(nxg.neighbors(e)) for e in egos}
    structure = team_silos(g, alters, extra=list(range(80)), min_size=2)
    candidates = list(range(80))
    every = team_brokers(structure, candidates)
    for limit in (1, 3, 5, 15, 200):
        assert team_brokers(structure, candidates, limit=limit) == every[:limit]
