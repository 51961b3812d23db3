"""Team formation (Lappas et al. 2009, Kargar and An's sum of distances) against brute force."""

import itertools
import math
import random

import networkx as nx
import pytest

from revere.analytics.graph import TieGraph
from revere.analytics.teams import UNREACHABLE, solution_team, team_cohesion, team_distances

pytestmark = pytest.mark.unit


def _random(seed, n=18, m=34):
    rng = random.Random(seed)
    edges = {}
    while len(edges) < m:
        a, b = rng.sample(range(n), 2)
        edges[(min(a, b), max(a, b))] = round(rng.uniform(0.05, 1.0), 3)
    g = TieGraph.from_edges(
        [a for a, _ in edges], [b for _, b in edges], list(edges.values()), node_ids=list(range(n))
    )
    nxg = nx.Graph()
    nxg.add_nodes_from(range(n))
    nxg.add_weighted_edges_from((a, b, -math.log(w)) for (a, b), w in edges.items())
    skills = {f"s{k}": rng.sample(range(n), rng.randint(1, 4)) for k in range(rng.randint(2, 4))}
    return g, nxg, skills, [rng.randrange(n)]


def _brute_force(nxg, skills, required):
    dist = dict(nx.all_pairs_dijkstra_path_length(nxg))

    def d(a, b):
        return min(dist[a].get(b, math.inf), UNREACHABLE)

    best = math.inf
    for choice in itertools.product(*skills.values()):
        slots = [*required, *choice]
        best = min(best, sum(d(a, b) for a, b in itertools.combinations(slots, 2)))
    return best


@pytest.mark.parametrize("seed", range(25))
def test_the_exact_team_costs_what_the_brute_force_optimum_costs(seed):
    g, nxg, skills, required = _random(seed)
    team = solution_team(g, skills, required=required)
    assert team.exact and team.ratio == 1.0
    assert team.cost == pytest.approx(_brute_force(nxg, skills, required))
    assert set(team.assignment) == set(skills)
    assert all(team.assignment[s] in holders for s, holders in skills.items())
    assert team.members[0] == required[0]


@pytest.mark.parametrize("seed", range(25))
def test_the_approximation_stays_within_its_guarantee_of_the_optimum(seed):
    g, nxg, skills, required = _random(seed)
    team = solution_team(g, skills, required=required, exact_limit=0)
    optimum = _brute_force(nxg, skills, required)
    m = len(skills) + 1
    assert not team.exact and team.ratio == pytest.approx(max(1.0, 2 * (m - 1) / m))
    assert optimum - 1e-9 <= team.cost <= team.ratio * optimum + 1e-9


def test_one_person_who_holds_several_skills_is_one_member():
    g = TieGraph.from_edges([9, 9, 1], [1, 2, 2], [0.5, 0.5, 0.5])
    team = solution_team(g, {"a": [1, 2], "b": [1], "c": [1, 2]}, required=[9])
    assert team.members == (9, 1) and team.assignment == {"a": 1, "b": 1, "c": 1}
    assert team.cost == pytest.approx(3 * -math.log(0.5))


def test_a_skill_nobody_holds_is_missing_and_a_team_in_two_pieces_is_not_connected():
    g = TieGraph.from_edges([1, 3], [2, 4], [0.9, 0.9])
    team = solution_team(g, {"a": [2], "b": [4], "c": [], "d": [77]}, required=[1])
    assert team.missing == ("c", "d") and not team.connected
    assert team.cost == pytest.approx(-math.log(0.9) + 2 * UNREACHABLE)


def test_distances_are_minus_the_log_of_the_best_chain_of_strengths():
    g = TieGraph.from_edges([1, 2, 1], [2, 3, 3], [0.9, 0.9, 0.5])
    assert team_distances(g, [1, 3])[0, 1] == pytest.approx(-2 * math.log(0.9))


def test_cohesion_is_density_mean_strength_and_the_weakest_pair_to_strengthen():
    # 1-2 strong, 2-3 weak, 1-3 untied (reached through 2)
    g = TieGraph.from_edges([1, 2], [2, 3], [0.9, 0.2])
    c = team_cohesion(g, [1, 2, 3])
    assert c.density == pytest.approx(2 / 3) and c.mean_strength == pytest.approx(0.55)
    assert c.weighted_density == pytest.approx(1.1 / 3)
    assert c.weakest.pair == (1, 3) and c.weakest.direct == 0.0
    assert c.weakest.path == pytest.approx(0.18)
    assert team_cohesion(g, [1]).weighted_density == 1.0
