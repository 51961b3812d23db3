"""The digests' row hashes (revere.levers.teamgraph.row_hashes) name a row by its contents.

Whether a row is read from the base adjacency or from a patch's replaced rows, the same neighbours
with the same weights hash alike, and a changed neighbour or weight changes the hash (the weights'
lanes only, for a weight); the batched digests of many sellers are each seller's digests.
"""

from __future__ import annotations

import numpy as np

from revere.analytics.graph import TieGraph
from revere.levers.teamgraph import ego_digests, ego_digests_many, row_hashes
from tests.levers.test_egos import _world


def _graph() -> TieGraph:
    rng = np.random.default_rng(5)
    s, d = rng.integers(0, 40, 120), rng.integers(0, 40, 120)
    return TieGraph.from_edges(s, d, rng.uniform(0.1, 1.0, 120), node_ids=np.arange(40))


def test_a_row_replaced_with_the_same_contents_hashes_as_before():
    g = _graph()
    rows = np.arange(40)
    before = row_hashes(g, rows)
    nb, w = g.row(3)
    same = g.with_edges([3] * len(nb), g.ids[nb], w)  # row 3 (and its neighbours') rewritten, unchanged
    assert same.patched_rows > 0
    assert (row_hashes(same, rows) == before).all()


def test_a_new_weight_changes_the_weight_lanes_and_a_new_neighbour_every_lane():
    g = _graph()
    rows = np.arange(40)
    before = row_hashes(g, rows)
    nb, w = g.row(3)
    heavier = g.with_edges([3], [int(g.ids[nb[0]])], [float(w[0]) / 2])
    after = row_hashes(heavier, rows)
    changed = {3, int(nb[0])}
    assert (after[:, :2] == before[:, :2]).all()  # the same neighbours
    assert [int(r) for r in rows if (after[r, 2:] != before[r, 2:]).any()] == sorted(changed)
    stranger = next(v for v in range(40) if v != 3 and v not in set(nb.tolist()))
    linked = g.with_edges([3], [stranger], [0.5])
    moved = row_hashes(linked, rows)
    assert sorted(int(r) for r in rows if (moved[r] != before[r]).all()) == sorted({3, stranger})
    assert len({tuple(h) for h in before.tolist()}) == len(
        {tuple(g.row(r)[0]) + tuple(g.row(r)[1]) for r in range(40)}
    )


def test_the_batched_digests_are_each_sellers_digests():
    for seed in range(4):
        net, _ = _world(seed, shuffled=bool(seed % 2), patched=seed >= 2)
        sellers = [
            (
                m,
                net.member_person[m] if net.member_person else int(net.tie_ego[net.member_ties(m)][0]),
                bool(m % 2),
            )
            for m in (1, 2, 3, 4)
            if len(net.member_ties(m))
        ]
        assert ego_digests_many(net, sellers) == [ego_digests(net, m, p, own=own) for m, p, own in sellers]
