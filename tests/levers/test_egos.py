"""Many ego networks in one pass (revere.levers.egos) give the per-network path's figures, bit for bit.

On random graphs — node ids in and out of order, patched graphs (rows replaced, ties removed, nodes
added), zero strengths, empty and one-alter networks, contacts tied to the member in the graph or
not — every figure of :func:`revere.levers.egos.network_metrics` equals (``==``, floats included)
the one :func:`revere.network.selectors.ego_network` computes on the network's own subgraph.
"""

from __future__ import annotations

import numpy as np
import pytest

from revere.analytics.graph import Categorical, TieGraph
from revere.levers.egos import network_metrics
from revere.network.graph import CLASSES, NetworkGraph
from revere.network.selectors import DIMENSIONS, ego_network


def _attr(rng: np.random.Generator, n: int, kinds: int) -> Categorical:
    values = [None if rng.random() < 0.15 else f"v{int(rng.integers(kinds))}" for _ in range(n)]
    return Categorical.encode(values)


def _world(
    seed: int, *, shuffled: bool, patched: bool
) -> tuple[NetworkGraph, list[tuple[int, np.ndarray, str]]]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(30, 90))
    ids = rng.choice(10 * n, size=n, replace=False).astype(np.int64)
    if not shuffled:
        ids = np.sort(ids)
    m = int(n * rng.uniform(1.5, 5))
    s, d = rng.integers(0, n, m), rng.integers(0, n, m)
    w = rng.uniform(0.01, 1.0, m)
    w[rng.random(m) < 0.05] = 0.0  # raised to MIN_WEIGHT
    attrs = {name: _attr(rng, n, kinds) for name, kinds in zip(DIMENSIONS, (6, 3, 4, 5), strict=True)}
    g = TieGraph.from_edges(ids[s], ids[d], w, node_ids=ids, attrs=attrs)
    egos = rng.choice(n, size=4, replace=False)
    tie_member, tie_ego, tie_person, tie_strength, tie_class = [], [], [], [], []
    for k, e in enumerate(egos.tolist()):
        others = np.setdiff1d(np.arange(n), [e])
        chosen = rng.choice(others, size=int(rng.integers(0, min(40, len(others)))), replace=False)
        for p in chosen.tolist():
            tie_member.append(k + 1)
            tie_ego.append(int(ids[e]))
            tie_person.append(int(ids[p]))
            tie_strength.append(0.0 if rng.random() < 0.05 else float(rng.uniform(0.0, 1.0)))
            tie_class.append(int(rng.integers(len(CLASSES))))
    if patched:
        add = np.array([10 * n + 1, 10 * n + 7], dtype=np.int64)
        ps = rng.integers(0, n, 25)
        pd = rng.integers(0, n, 25)
        pw = rng.uniform(0.05, 1.0, 25)
        pw[:5] = np.nan  # removed
        src = np.concatenate([ids[ps], add])
        dst = np.concatenate([ids[pd], ids[rng.integers(0, n, 2)]])
        wgt = np.concatenate([pw, [0.4, 0.6]])
        pair = np.minimum(src, dst) * (20 * n) + np.maximum(src, dst)
        _, first = np.unique(pair, return_index=True)
        grown = {
            name: Categorical(np.concatenate([c.codes, np.array([0, -1], dtype=np.int32)]), c.categories)
            for name, c in attrs.items()
        }
        g = g.with_edges(src[first], dst[first], wgt[first], add_nodes=add, attrs=grown)
        for p in add.tolist():  # a tie to a new node
            tie_member.append(1)
            tie_ego.append(int(ids[egos[0]]))
            tie_person.append(p)
            tie_strength.append(0.5)
            tie_class.append(0)
    order = np.argsort(np.array(tie_member), kind="stable")
    arr = {
        "tie_member": np.array(tie_member, dtype=np.int64)[order],
        "tie_ego": np.array(tie_ego, dtype=np.int64)[order],
        "tie_person": np.array(tie_person, dtype=np.int64)[order],
        "tie_strength": np.array(tie_strength, dtype=np.float64)[order],
        "tie_class": np.array(tie_class, dtype=np.int8)[order],
    }
    count = len(order)
    net = NetworkGraph(
        organization_id=1,
        data_version=1,
        graph=g,
        tie_id=np.arange(1, count + 1, dtype=np.int64),
        tie_private=np.zeros(count, dtype=bool),
        **arr,
    )
    requests = []
    for k in range(len(egos)):
        pos = net.member_ties(k + 1)
        for code, cls in enumerate(CLASSES):
            chosen = pos[net.tie_class[pos] == code]
            requests.append((int(ids[egos[k]]), chosen[rng.permutation(len(chosen))], cls))
            if len(chosen) > 1:  # one alter only, and a subset
                requests.append((int(ids[egos[k]]), chosen[:1], cls))
                requests.append((int(ids[egos[k]]), chosen[: len(chosen) // 2], cls))
    requests.append((int(ids[egos[0]]), np.zeros(0, dtype=np.int64), CLASSES[0]))  # nobody
    return net, requests


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("shuffled", [False, True])
@pytest.mark.parametrize("patched", [False, True])
def test_the_one_pass_figures_are_the_per_network_figures_bit_for_bit(seed, shuffled, patched):
    net, requests = _world(seed, shuffled=shuffled, patched=patched)
    fast = network_metrics(net, requests)
    slow = [ego_network(net, *r).metrics for r in requests]
    assert fast == slow


def test_a_network_the_pass_cannot_take_goes_through_the_subgraph():
    net, requests = _world(3, shuffled=False, patched=False)
    ego_pid, pos, cls = next(r for r in requests if len(r[1]) > 2)
    twice = (ego_pid, np.concatenate([pos, pos[:1]]), cls)  # an alter counted twice
    fast = network_metrics(net, [requests[0], twice, requests[1]])
    assert fast == [ego_network(net, *r).metrics for r in (requests[0], twice, requests[1])]


def test_known_answers_of_a_small_network():
    """A member tied to three people, two of whom know each other and a fourth: the figures by hand."""
    g = TieGraph.from_edges(
        [1, 1, 1, 2, 3],
        [2, 3, 4, 3, 5],
        [0.8, 0.5, 0.2, 1.0, 1.0],
        node_ids=[1, 2, 3, 4, 5],
        attrs={d: Categorical.encode(["x", "a", "a", "b", "c"]) for d in DIMENSIONS},
    )
    net = NetworkGraph(
        organization_id=1,
        data_version=1,
        graph=g,
        tie_id=np.array([1, 2, 3]),
        tie_member=np.array([9, 9, 9]),
        tie_ego=np.array([1, 1, 1]),
        tie_person=np.array([2, 3, 4]),
        tie_strength=np.array([0.8, 0.5, 0.2]),
        tie_class=np.array([0, 0, 0], dtype=np.int8),
        tie_private=np.zeros(3, dtype=bool),
    )
    [m] = network_metrics(net, [(1, np.array([0, 1, 2]), CLASSES[0])])
    assert (m.size, m.reach, m.circles, m.largest_circle) == (3, 1, 2, 2)  # 5 beyond; {2, 3} and {4}
    assert m.density == pytest.approx(1 / 3)
    assert m.range["company"] == 2 and m.single_thread_companies == 1  # a: 2 and 3; b: 4 alone
    assert m.diversity["company"] == pytest.approx(1 - (2 / 3) ** 2 - (1 / 3) ** 2)
    assert m.mean_strength == pytest.approx(0.5)
    assert m == ego_network(net, 1, np.array([0, 1, 2]), CLASSES[0]).metrics
