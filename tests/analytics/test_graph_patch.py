"""A patched TieGraph (with_edges) stands for exactly the graph a fresh build of the edited edges gives."""

from __future__ import annotations

import numpy as np
import pytest

from revere.analytics import ego, holes
from revere.analytics.graph import Categorical, TieGraph
from revere.analytics.paths import best_paths

pytestmark = pytest.mark.unit


def _fresh(edges: dict[tuple[int, int], float], ids: list[int], attrs: dict[str, Categorical]) -> TieGraph:
    pairs = sorted(edges)
    src = [a for a, _ in pairs]
    dst = [b for _, b in pairs]
    return TieGraph.from_edges(src, dst, [edges[p] for p in pairs], node_ids=ids, attrs=attrs)


def _attrs(n: int, rng: np.random.Generator) -> dict[str, Categorical]:
    return {"company": Categorical(codes=rng.integers(-1, 4, n).astype(np.int32), categories=(1, 2, 3, 4))}


def assert_same_graph(patched: TieGraph, fresh: TieGraph) -> None:
    assert patched.ids.tolist() == fresh.ids.tolist()
    assert patched.n == fresh.n and patched.m == fresh.m
    compact = patched.compacted()
    for name in ("indptr", "indices", "weights"):
        a, b = getattr(compact, name), getattr(fresh, name)
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b), name
    nodes = np.arange(fresh.n, dtype=np.int64)
    assert np.array_equal(patched.degree(), fresh.degree())
    po, pc, pw = patched.gather(nodes[::-1])
    fo, fc, fw = fresh.gather(nodes[::-1])
    assert np.array_equal(po, fo) and np.array_equal(pc, fc) and np.array_equal(pw, fw)
    for i in range(fresh.n):
        assert np.array_equal(patched.row(i)[0], fresh.row(i)[0])
        assert np.array_equal(patched.neighbors(i), fresh.neighbors(i))
    assert np.array_equal(patched.index_of(fresh.ids), nodes)
    assert patched.index_of([10**9]).tolist() == [-1]
    for name, cat in fresh.attrs.items():
        assert np.array_equal(patched.attrs[name].codes, cat.codes)
    some = fresh.ids[:: max(1, fresh.n // 7)]
    sub_p, sub_f = patched.subgraph(some), fresh.subgraph(some)
    assert np.array_equal(sub_p.indptr, sub_f.indptr) and np.array_equal(sub_p.indices, sub_f.indices)
    assert np.array_equal(sub_p.weights, sub_f.weights)


@pytest.mark.parametrize("seed", range(12))
def test_random_edits_on_a_patched_graph_equal_a_fresh_build_of_the_edited_edges(seed):
    rng = np.random.default_rng(seed)
    ids = sorted(rng.choice(1000, size=int(rng.integers(5, 40)), replace=False).tolist())
    edges: dict[tuple[int, int], float] = {}
    for _ in range(len(ids) * 2):
        a, b = rng.choice(ids, 2, replace=False).tolist()
        edges[(min(a, b), max(a, b))] = float(rng.choice([0.0, rng.random()]))
    attrs = _attrs(len(ids), rng)
    g = _fresh(edges, ids, attrs)
    for _ in range(8):
        added = []
        if rng.random() < 0.4:
            added = [2000 + len(ids) + k for k in range(int(rng.integers(1, 3)))]
            ids = ids + added
            attrs = _attrs(len(ids), rng)
        src, dst, wgt = [], [], []
        chosen = set()
        for _ in range(int(rng.integers(1, 6))):
            a, b = rng.choice(ids, 2, replace=False).tolist()
            pair = (min(a, b), max(a, b))
            if pair in chosen:
                continue
            chosen.add(pair)
            if pair in edges and rng.random() < 0.4:
                del edges[pair]
                w = float("nan")
            else:
                w = float(rng.choice([0.0, rng.random(), 1.0]))
                edges[pair] = w
            src.append(pair[0] if rng.random() < 0.5 else pair[1])
            dst.append(pair[1] if src[-1] == pair[0] else pair[0])
            wgt.append(w)
        g = g.with_edges(src, dst, wgt, add_nodes=added or None, attrs=attrs)
        assert g.patched
        assert_same_graph(g, _fresh(edges, ids, attrs))


def test_analytics_give_the_same_results_on_a_patched_graph_and_a_fresh_one():
    rng = np.random.default_rng(7)
    ids = list(range(1, 61))
    edges = {}
    for _ in range(200):
        a, b = sorted(rng.choice(ids, 2, replace=False).tolist())
        edges[(a, b)] = float(rng.uniform(0.05, 1.0))
    attrs = _attrs(len(ids), rng)
    g = _fresh(edges, ids, attrs)
    changed = list(edges)[:30]
    for pair in changed[:10]:
        del edges[pair]
    for pair in changed[10:]:
        edges[pair] = float(rng.uniform(0.05, 1.0))
    weights = [float("nan")] * 10 + [edges[p] for p in changed[10:]]
    patched = g.with_edges([p[0] for p in changed], [p[1] for p in changed], weights)
    fresh = _fresh(edges, ids, attrs)
    for s, t in [(1, 60), (5, 17), (30, 2), (44, 45)]:
        assert best_paths(patched, s, t, k=5) == best_paths(fresh, s, t, k=5)
    for node in (1, 10, 33):
        pe, fe = holes.ego_holes(patched, node), holes.ego_holes(fresh, node)
        assert (pe.effective_size, pe.constraint) == pytest.approx(
            (fe.effective_size, fe.constraint), nan_ok=True
        )
        ps, fs = ego.ego_summary(patched, node), ego.ego_summary(fresh, node)
        for name, value in vars(fs).items():
            other = vars(ps)[name]
            assert np.array_equal(other, value) if isinstance(value, np.ndarray) else other == value, name


def test_a_graph_stored_as_arrays_comes_back_equal_without_recomputing_its_index():
    g = TieGraph.from_edges(
        [5, 7, 9],
        [7, 9, 11],
        [0.5, 0.25, 1.0],
        node_ids=[5, 7, 9, 11, 13],
        attrs={"company": ["a", "b", None, "a", "c"]},
    )
    arrays, meta = g.to_arrays()
    for a in arrays.values():
        a.setflags(write=False)
    back = TieGraph.from_arrays(arrays, meta)
    assert_same_graph(back, g)
    assert back.attrs["company"].categories == ("a", "b", "c")
    assert best_paths(back, 5, 11) == best_paths(g, 5, 11)


def test_a_patch_refuses_unknown_endpoints_and_known_new_nodes():
    g = TieGraph.from_edges([1], [2])
    with pytest.raises(ValueError, match="not in the graph"):
        g.with_edges([1], [3], [0.5])
    with pytest.raises(ValueError, match="new, distinct"):
        g.with_edges([1], [2], [0.5], add_nodes=[2])
    with pytest.raises(ValueError, match="undirected"):
        TieGraph.from_edges([1], [2], directed=True).with_edges([1], [2], [0.5])
