"""Gould-Fernandez brokerage counts equal R sna's brokerage (src/gli.c) on hand-checked and real networks."""

import itertools

import numpy as np
import pytest

from revere.analytics.brokerage import ROLES, brokerage
from revere.analytics.graph import TieGraph
from tests.analytics.networks import load, read_nodes

pytestmark = pytest.mark.unit


def sna_brokerage(arcs: set[tuple[int, int]], n: int, cl: list) -> np.ndarray:
    """A literal transcription of sna's brokerage_R loop, as the oracle (columns in ROLES order)."""
    out = {i: [] for i in range(n)}
    for u, v in arcs:
        out[u].append(v)
    brok = np.zeros((n, 5), dtype=np.int64)
    for i in range(n):
        for j in out[i]:
            if j == i:
                continue
            for k in out[j]:
                if k != i and k != j and (i, k) not in arcs:
                    if cl[j] == cl[i]:
                        brok[j, 0 if cl[j] == cl[k] else 2] += 1  # coordinator / representative
                    elif cl[j] == cl[k]:
                        brok[j, 3] += 1  # gatekeeper
                    elif cl[i] == cl[k]:
                        brok[j, 1] += 1  # itinerant
                    else:
                        brok[j, 4] += 1  # liaison
    return brok


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        (("A", "A", "A"), "coordinator"),
        (("A", "B", "A"), "itinerant"),
        (("A", "A", "B"), "representative"),
        (("A", "B", "B"), "gatekeeper"),
        (("A", "B", "C"), "liaison"),
    ],
)
def test_an_open_two_path_counts_once_in_the_role_its_groups_define(groups, role):
    g = TieGraph.from_edges([1, 2], [2, 3], directed=True, node_ids=[1, 2, 3], attrs={"g": list(groups)})
    counts = brokerage(g, "g").to_dict()
    assert counts[2][role] == 1
    assert sum(counts[2].values()) == 1
    assert sum(counts[1].values()) == sum(counts[3].values()) == 0


def test_a_closed_two_path_is_no_brokerage_and_undirected_ties_count_both_ways():
    closed = TieGraph.from_edges(
        [1, 2, 1], [2, 3, 3], directed=True, node_ids=[1, 2, 3], attrs={"g": ["A"] * 3}
    )
    assert brokerage(closed, "g").total.tolist() == [0, 0, 0]
    undirected = TieGraph.from_edges([1, 2], [2, 3], node_ids=[1, 2, 3], attrs={"g": ["A", "A", "B"]})
    b = brokerage(undirected, "g").to_dict()[2]
    assert b["representative"] == 1 and b["gatekeeper"] == 1  # 1->2->3 and 3->2->1


def test_hand_checked_example():
    """arcs 1->2, 2->3, 3->4, 4->5, 1->3; groups 1 A, 2 A, 3 B, 4 B, 5 C.

    1->2->3 is closed by 1->3. 2->3->4 and 1->3->4: 3 is gatekeeper twice (A -> B -> B).
    3->4->5: 4 is representative (B -> B -> C). Nothing else is a two-path.
    """
    g = TieGraph.from_edges(
        [1, 2, 3, 4, 1],
        [2, 3, 4, 5, 3],
        directed=True,
        node_ids=[1, 2, 3, 4, 5],
        attrs={"g": ["A", "A", "B", "B", "C"]},
    )
    b = brokerage(g, "g")
    assert b.role("gatekeeper") == {1: 0, 2: 0, 3: 2, 4: 0, 5: 0}
    assert b.role("representative") == {1: 0, 2: 0, 3: 0, 4: 1, 5: 0}
    assert b.total.tolist() == [0, 0, 2, 1, 0]


@pytest.mark.parametrize("seed", range(6))
def test_counts_equal_the_sna_loop_on_random_digraphs(seed):
    rng = np.random.default_rng(seed)
    n = 30
    arcs = {(int(a), int(b)) for a, b in rng.integers(0, n, (120, 2)) if a != b}
    cl = rng.integers(0, 3, n).tolist()
    s, d = zip(*sorted(arcs), strict=True)
    g = TieGraph.from_edges(s, d, directed=True, node_ids=np.arange(n))
    np.testing.assert_array_equal(brokerage(g, np.array(cl)).counts, sna_brokerage(arcs, n, cl))


def test_missing_groups_form_one_group_as_sna_does_with_na():
    g = TieGraph.from_edges([1, 2], [2, 3], directed=True, node_ids=[1, 2, 3], attrs={"g": [None, "A", None]})
    assert brokerage(g, "g").to_dict()[2]["itinerant"] == 1


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("stem", "attr"), [("networkdata__ht_advice", "dept"), ("networkdata__law_advice", "office")]
)
def test_counts_equal_the_sna_loop_on_real_networks(realdata, stem, attr):
    g, _, _ = load(realdata, stem, True, None)
    groups = {int(r["id"]): r[attr] for r in read_nodes(realdata, stem)}
    cl = [groups[int(i)] for i in g.ids]
    s, d, _ = g.edges()
    arcs = set(zip(g.index_of(s).tolist(), g.index_of(d).tolist(), strict=True))
    got = brokerage(g, np.array(cl))
    np.testing.assert_array_equal(got.counts, sna_brokerage(arcs, g.n, cl))
    assert got.counts.sum() > 0
    assert list(itertools.islice(got.to_dict()[int(g.ids[0])], 5)) == list(ROLES)
