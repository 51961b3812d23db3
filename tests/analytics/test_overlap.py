"""Team reach, pairwise overlaps and shared accounts: known answers, and python sets as the brute force."""

import itertools

import networkx as nx
import numpy as np
import pytest

from revere.analytics.graph import TieGraph
from revere.analytics.overlap import overlaps, shared_accounts, team_reach, uncovered_accounts

pytestmark = pytest.mark.unit


def test_two_sellers_holding_the_same_customer_contacts_overlap_completely():
    # sellers 1 and 2 both know the three people at customer 10; seller 3 knows someone else
    g = TieGraph.from_edges(
        [1, 1, 1, 2, 2, 2, 3],
        [11, 12, 13, 11, 12, 13, 21],
        node_ids=[1, 2, 3, 11, 12, 13, 21],
        attrs={"company": [None, None, None, 10, 10, 10, 20]},
    )
    alters = {1: [11, 12, 13], 2: [11, 12, 13], 3: [21]}
    o = overlaps(alters)
    [pair] = o.pairs()
    assert (pair.a, pair.b, pair.shared, pair.share_a, pair.share_b, pair.jaccard) == (1, 2, 3, 1.0, 1.0, 1.0)
    assert o.share(1, 3) == 0.0
    [account] = shared_accounts(g, alters)
    assert account.account == 10 and account.contacts == {1: 3, 2: 3}
    r = team_reach(g, alters)
    assert (r.union_contacts, r.sum_contacts) == (4, 7)
    assert r.contact_redundancy == pytest.approx(3 / 7)


def test_sellers_with_separate_networks_have_no_overlap_and_the_team_reach_is_the_sum():
    g = TieGraph.from_edges([1, 1, 2, 2, 11, 21], [11, 12, 21, 22, 13, 23])
    r = team_reach(g, {1: [11, 12], 2: [21, 22]})
    assert r.reach.tolist() == [3, 3] and (r.union_reach, r.sum_reach) == (6, 6)
    assert r.reach_redundancy == 0.0
    assert overlaps({1: [11, 12], 2: [21, 22]}).pairs() == []


def test_an_account_in_the_pipeline_nobody_holds_a_contact_at_is_uncovered():
    g = TieGraph.from_edges([1, 1], [11, 21], node_ids=[1, 11, 21, 31], attrs={"company": [None, 10, 20, 30]})
    assert uncovered_accounts(g, {1: [11]}, [10, 20, 30, 40]) == [20, 30, 40]


def _random(seed: int, n: int = 40, p: float = 0.08):
    rng = np.random.default_rng(seed)
    nxg = nx.gnp_random_graph(n, p, seed=seed)
    s, d = zip(*nxg.edges(), strict=True) if nxg.number_of_edges() else ((), ())
    companies = rng.integers(0, 6, n).tolist()
    g = TieGraph.from_edges(list(s), list(d), node_ids=list(range(n)), attrs={"company": companies})
    egos = rng.choice(n, size=4, replace=False).tolist()
    alters = {}
    for e in egos:
        nb = sorted(nxg.neighbors(e))
        keep = [v for v in nb if rng.random() < 0.7]  # a subset: one network class, say
        alters[e] = keep
    return g, nxg, alters, companies


@pytest.mark.parametrize("seed", range(12))
def test_team_reach_and_overlaps_equal_python_sets_on_random_graphs(seed):
    g, nxg, alters, companies = _random(seed)
    r = team_reach(g, alters)
    reach_sets = {}
    for e, alt in alters.items():
        s = set(alt)
        for a in alt:
            s |= set(nxg.neighbors(a))
        s.discard(e)
        reach_sets[e] = s
    assert r.reach.tolist() == [len(reach_sets[e]) for e in alters]
    assert r.contacts.tolist() == [len(set(a)) for a in alters.values()]
    assert r.union_reach == len(set().union(*reach_sets.values()))
    assert r.union_contacts == len(set().union(*map(set, alters.values())))
    o = overlaps(alters)
    for (i, a), (j, b) in itertools.product(enumerate(alters), repeat=2):
        assert o.shared[i, j] == len(set(alters[a]) & set(alters[b]))
    expected = {}
    for e, alt in alters.items():
        for a in alt:
            expected.setdefault(companies[a], {}).setdefault(e, 0)
            expected[companies[a]][e] += 1
    got = {acc.account: acc.contacts for acc in shared_accounts(g, alters)}
    assert got == {c: who for c, who in expected.items() if len(who) >= 2}
