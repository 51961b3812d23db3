"""TieGraph construction: ids, duplicates, self-loops, zero weights, attributes, directed in-CSR."""

import numpy as np
import pytest

from revere.analytics.graph import MIN_WEIGHT, TieGraph

pytestmark = pytest.mark.unit


def test_duplicate_rows_of_an_undirected_tie_sum_their_weights():
    g = TieGraph.from_edges([1, 2, 1], [2, 1, 3], [0.25, 0.5, 1.0])
    assert g.m == 2
    a = g.csr.toarray()
    assert a[0, 1] == a[1, 0] == 0.75
    assert a[0, 2] == 1.0


def test_directed_ties_keep_their_direction_and_in_csr_is_the_transpose():
    g = TieGraph.from_edges([1, 1, 2], [2, 2, 1], [1.0, 2.0, 5.0], directed=True)
    assert g.m == 2
    assert g.csr.toarray().tolist() == [[0.0, 3.0], [5.0, 0.0]]
    assert g.csr_in.toarray().tolist() == [[0.0, 5.0], [3.0, 0.0]]
    assert g.mutual().toarray().tolist() == [[0.0, 8.0], [8.0, 0.0]]


def test_self_loops_are_dropped_but_the_node_stays():
    g = TieGraph.from_edges([7, 7], [7, 8])
    assert g.ids.tolist() == [7, 8]
    assert g.m == 1
    assert g.degree().tolist() == [1, 1]


def test_a_zero_weight_keeps_the_tie_at_the_floor_weight():
    g = TieGraph.from_edges([1, 2], [2, 3], [0.0, 1.0])
    assert g.m == 2
    assert g.csr.toarray()[0, 1] == MIN_WEIGHT


@pytest.mark.parametrize("bad", [-0.5, np.nan, np.inf])
def test_negative_or_non_finite_weights_are_rejected_naming_the_row(bad):
    with pytest.raises(ValueError, match="row 1"):
        TieGraph.from_edges([1, 2], [2, 3], [1.0, bad])


def test_node_ids_give_order_and_isolates_and_unknown_endpoints_are_errors():
    g = TieGraph.from_edges([5], [3], node_ids=[9, 3, 5], attrs={"company": ["x", None, "x"]})
    assert g.ids.tolist() == [9, 3, 5]
    assert g.degree().tolist() == [0, 1, 1]
    assert g.attrs["company"].codes.tolist() == [0, -1, 0]
    with pytest.raises(ValueError, match="endpoint 4"):
        TieGraph.from_edges([5], [4], node_ids=[5])
    with pytest.raises(ValueError, match="duplicates"):
        TieGraph.from_edges([5], [3], node_ids=[5, 3, 5])


def test_sparse_huge_ids_map_through_binary_search():
    big = np.array([10**15, 3, 10**12], dtype=np.int64)
    g = TieGraph.from_edges(big, np.roll(big, 1))
    assert g.ids.tolist() == sorted(big.tolist())
    assert g.index_of([10**12, 4]).tolist() == [1, -1]


def test_subgraph_keeps_weights_and_attributes():
    g = TieGraph.from_edges(
        [1, 2, 3], [2, 3, 1], [0.1, 0.2, 0.3], node_ids=[1, 2, 3], attrs={"r": ["a", "b", "c"]}
    )
    sub = g.subgraph([3, 2])
    assert sub.ids.tolist() == [3, 2]
    assert sub.csr.toarray()[0, 1] == 0.2
    assert sub.attrs["r"].values() == ["c", "b"]
