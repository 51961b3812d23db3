"""Many sellers' ego networks at once: the figures of :func:`revere.network.selectors.ego_network`,
in one vectorized pass over the graph's rows instead of one subgraph per network.

:func:`revere.network.selectors.ego_network` builds each network as a small :class:`TieGraph` (the
member, the alters of one class, every row of those alters but their edges to the member, the
member's ties weighted by their strengths) and runs :mod:`revere.analytics.ego` and
:mod:`revere.analytics.holes` on it: about 5–10 ms a network, most of it the subgraph's build. The
team view recomputes tens of networks after a write (docs/benchmarks.md). :func:`network_metrics`
reads the same rows for all of them at once and computes the same figures, **bit for bit**: every
floating-point sum is taken over the same values in the same order, with the same numpy reduction,
as on the subgraph (an alter's row in the subgraph is its row in the graph, the member's entry
replaced by the tie's strength, in node-id order; ``np.add.reduceat`` and ``np.bincount`` give each
segment the result they give it alone; a network's own sums, ``.sum()`` of a slice, are taken per
network). tests/levers/test_egos.py checks the figures equal, ``==``, to the per-network path on
random graphs (patched ones, unsorted node ids, zero strengths, empty and one-alter networks).

A network this pass cannot take as the subgraph would (an alter or the member not in the graph, an
alter twice, the member among the alters: none of which the database allows) goes through
:func:`~revere.network.selectors.ego_network` itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from revere.analytics.graph import MIN_WEIGHT
from revere.network.graph import NetworkGraph
from revere.network.selectors import DIMENSIONS, STRENGTH_BANDS, NetworkMetrics, ego_network

__all__ = ["EgoRequest", "network_metrics"]

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: One network: the member's own Person id, the positions of the ties counted (into ``net.tie_*``),
#: the network class.
EgoRequest = tuple[int, Int64Array, str]


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _takes(net: NetworkGraph, requests: Sequence[EgoRequest]) -> npt.NDArray[np.bool_]:
    """Which requests the vectorized pass computes as the subgraph would."""
    g = net.graph
    ok = np.ones(len(requests), dtype=bool)
    egos = g.index_of(np.array([r[0] for r in requests], dtype=np.int64))
    for k, (ego_pid, pos, _cls) in enumerate(requests):
        persons = net.tie_person[pos]
        unknown = egos[k] < 0 or bool((g.index_of(persons) < 0).any())
        ok[k] = not (unknown or (persons == ego_pid).any() or len(np.unique(persons)) != len(persons))
    return ok


def network_metrics(net: NetworkGraph, requests: Sequence[EgoRequest]) -> list[NetworkMetrics]:
    """The figures of ``ego_network(net, *request).metrics`` for every request, in order."""
    if not requests:
        return []
    ok = _takes(net, requests)
    batch = [r for r, take in zip(requests, ok.tolist(), strict=True) if take]
    done = iter(_batch(net, batch))
    return [
        next(done) if take else ego_network(net, r[0], r[1], r[2]).metrics
        for r, take in zip(requests, ok.tolist(), strict=True)
    ]


def _batch(net: NetworkGraph, requests: Sequence[EgoRequest]) -> list[NetworkMetrics]:
    if not requests:
        return []
    g = net.graph
    ids = g.ids
    n_nodes = len(ids)
    count = len(requests)
    ks = np.array([len(r[1]) for r in requests], dtype=np.int64)
    bounds = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(ks, out=bounds[1:])
    total = int(bounds[-1])
    pos = np.concatenate([np.asarray(r[1], dtype=np.int64) for r in requests])
    tie_net = np.repeat(np.arange(count, dtype=np.int64), ks)
    tie_strength = net.tie_strength[pos]  # in tie order, as the mean reads them
    persons = net.tie_person[pos]
    # Slots: each network's alters in node-id order (the subgraph's order), networks one after another.
    order = np.lexsort((persons, tie_net))
    alters = persons[order]
    slot_net = tie_net[order]
    rows = g.index_of(alters)
    a_i = np.maximum(tie_strength[order], MIN_WEIGHT)  # the member's row of the subgraph
    ego_idx = g.index_of(np.array([r[0] for r in requests], dtype=np.int64))
    slot_ego = ego_idx[slot_net]

    # Each alter's row of the subgraph: its graph row without the member, plus the member's entry
    # (the tie's strength), in node-id order.
    owner, col, val = g.gather(rows)
    keep = col != slot_ego[owner]
    owner, col, val = owner[keep], col[keep], val[keep]
    kept = np.bincount(owner, minlength=total).astype(np.int64)
    length = kept + 1
    starts = np.zeros(total, dtype=np.int64)
    np.cumsum(length[:-1], out=starts[1:])
    size = int(length.sum()) if total else 0
    new_col = np.empty(size, dtype=np.int64)
    new_val = np.empty(size, dtype=np.float64)
    if total and bool(np.all(ids[1:] > ids[:-1])):  # index order is id order: insert the member's entry
        after = col > slot_ego[owner]
        before = np.bincount(owner[~after], minlength=total).astype(np.int64)
        kept_start = np.cumsum(kept) - kept
        at = starts[owner] + (np.arange(len(owner), dtype=np.int64) - kept_start[owner]) + after
        new_col[at], new_val[at] = col, val
        ego_at = starts + before
        new_col[ego_at], new_val[ego_at] = slot_ego, a_i
    elif total:  # sort every row by id
        all_owner = np.concatenate([owner, np.arange(total, dtype=np.int64)])
        all_col = np.concatenate([col, slot_ego])
        all_val = np.concatenate([val, a_i])
        by = np.lexsort((ids[all_col], all_owner))
        new_col, new_val = all_col[by], all_val[by]
    new_owner = np.repeat(np.arange(total, dtype=np.int64), length)

    # Sums over each alter's row (ego_sums): reduceat gives a segment what it gives it alone.
    s_alt = np.add.reduceat(new_val, starts) if total else np.zeros(0)
    m_alt = np.maximum.reduceat(new_val, starts) if total else np.zeros(0)

    # Entries to another alter of the same network, and which alter (its slot).
    entry_net = slot_net[new_owner]
    alter_key = slot_net * n_nodes + rows
    key_order = np.argsort(alter_key, kind="stable")
    sorted_keys = alter_key[key_order]
    entry_key = entry_net * n_nodes + new_col
    at = np.minimum(np.searchsorted(sorted_keys, entry_key), max(total - 1, 0))
    inner = (sorted_keys[at] == entry_key) if total else np.zeros(0, dtype=bool)
    q = key_order[at[inner]]
    j = new_owner[inner]
    a_jq = new_val[inner]
    is_ego = new_col == slot_ego[new_owner]
    outside = ~inner & ~is_ego

    # The members' proportional strengths p_ij, per network: a_i / a_i.sum().
    a_sum = np.ones(total, dtype=np.float64)
    sums = [a_i[bounds[n] : bounds[n + 1]].sum() for n in range(count)]
    for n in range(count):
        a_sum[bounds[n] : bounds[n + 1]] = sums[n]
    share = a_i / a_sum
    ind_sum = np.bincount(j, share[q] * a_jq / s_alt[q], minlength=total).astype(np.float64)
    red_sum = np.bincount(j, share[q] * a_jq / m_alt[j], minlength=total).astype(np.float64)
    local = (share + ind_sum) ** 2

    # Inner entries per network (links, weighted density), contiguous by network.
    inner_net = entry_net[inner]
    inner_bounds = np.searchsorted(inner_net, np.arange(count + 1, dtype=np.int64))
    out_col = new_col[outside]
    out_bounds = np.searchsorted(entry_net[outside], np.arange(count + 1, dtype=np.int64))

    # Strength bands, on the subgraph's (clipped) strengths.
    band = np.full(total, -1, dtype=np.int64)
    for b, (_name, lower) in enumerate(STRENGTH_BANDS):
        band[(band < 0) & (a_i >= lower)] = b
    nb = len(STRENGTH_BANDS)
    counted = band >= 0
    band_counts = np.bincount(slot_net[counted] * nb + band[counted], minlength=count * nb).reshape(count, nb)

    # Diversity and range per dimension: each network's categories with their counts, in code order.
    blau: dict[str, list[float]] = {}
    spread: dict[str, Int64Array] = {}
    single = np.zeros(count, dtype=np.int64)
    for d in DIMENSIONS:
        codes = g.attrs[d].codes[rows].astype(np.int64)
        present = codes >= 0
        width = int(codes.max()) + 2 if total else 1
        keys, counts = np.unique(slot_net[present] * width + codes[present], return_counts=True)
        cat_net = keys // width
        cb = np.searchsorted(cat_net, np.arange(count + 1, dtype=np.int64))
        spread[d] = np.diff(cb).astype(np.int64)
        values: list[float] = []
        for n in range(count):
            c = counts[cb[n] : cb[n + 1]]
            if len(c) == 0:
                values.append(float("nan"))
                continue
            s = c / c.sum()
            values.append(float(1.0 - (s * s).sum()))
        blau[d] = values
        if d == "company":
            single = np.bincount(cat_net[counts == 1], minlength=count).astype(np.int64)

    # Circles: connected components of the alters among themselves, each inside one network.
    among = sp.csr_array((np.ones(len(j)), (j, q)), shape=(total, total))
    _, labels = connected_components(among, directed=False) if total else (0, np.zeros(0, dtype=np.int32))
    label_size = np.bincount(labels) if total else np.zeros(0, dtype=np.int64)
    label_net = np.zeros(len(label_size), dtype=np.int64)
    label_net[labels] = slot_net
    circles = np.bincount(label_net, minlength=count)
    largest = np.zeros(count, dtype=np.int64)
    np.maximum.at(largest, label_net, label_size)

    mark = np.zeros(n_nodes, dtype=bool)
    names = [name for name, _ in STRENGTH_BANDS]
    out: list[NetworkMetrics] = []
    for n, (_ego, _pos, cls) in enumerate(requests):
        lo, hi = int(bounds[n]), int(bounds[n + 1])
        k = hi - lo
        cols = out_col[out_bounds[n] : out_bounds[n + 1]]
        reach = 0
        if len(cols):  # distinct people beyond the member and the alters
            mark[cols] = True
            reach = int(np.count_nonzero(mark))
            mark[cols] = False
        links = int(inner_bounds[n + 1] - inner_bounds[n])
        weight = float(a_jq[inner_bounds[n] : inner_bounds[n + 1]].sum())
        links //= 2
        weight /= 2
        if k < 2:
            density = weighted = float("nan")
        else:
            pairs = k * (k - 1) / 2
            density, weighted = links / pairs, weight / pairs
        if k:
            loc = local[lo:hi]
            constraint = float(loc.sum())
            esize = float(k - red_sum[lo:hi].sum())
            if k >= 2:
                rho = loc / (constraint / k)
                hierarchy = float((rho * np.log(rho)).sum() / (k * np.log(k)))
            else:
                hierarchy = float("nan")
            holes: tuple[float | None, ...] = (
                _num(esize),
                _num(esize / k),
                _num(constraint),
                _num(hierarchy),
            )
            mean = float(tie_strength[lo:hi].mean())
        else:
            holes = (None, None, None, None)
            mean = None
        out.append(
            NetworkMetrics(
                network_class=cls,
                size=k,
                reach=reach,
                density=_num(density),
                weighted_density=_num(weighted),
                effective_size=holes[0],
                efficiency=holes[1],
                constraint=holes[2],
                hierarchy=holes[3],
                mean_strength=mean,
                bands=dict(zip(names, band_counts[n].tolist(), strict=True)),
                diversity={d: _num(blau[d][n]) for d in DIMENSIONS},
                range={d: int(spread[d][n]) for d in DIMENSIONS},
                circles=int(circles[n]),
                largest_circle=int(largest[n]),
                single_thread_companies=int(single[n]),
            )
        )
    return out
