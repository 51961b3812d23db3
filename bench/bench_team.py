"""Team-view benchmark: a manager of 50 sellers on the large demo, and the analytics against networkx.

On the demo of ``--size`` (large: 100,000 persons, 1,000,000 links, 20 teams of 10 sellers), the first
manager is given five teams (about 50 sellers). Then, in one run:

* **graph load**: :func:`revere.network.graph.organization_graph`, cold;
* **team view, cold**: :func:`revere.levers.selectors.team.team_view` right after the graph load, every
  figure computed (the sellers' four networks, reach, overlaps, the combined graph's communities,
  brokers): what the first view in a process that has kept nothing costs (its CPU time beside);
* **team page, warm**: ``GET /team/`` through Django's whole request cycle (middleware, session, the
  scorecard of every seller, the template) over ``--repeat`` requests: median, 95th percentile, CPU,
  queries; the graph's figures come from their cache (:mod:`revere.levers.teamgraph`);
* **team page right after a write** (the measure of point 8): ``--writes`` times, a write by a random
  one of the sellers through the services (alternately a strength override of one of their
  team-visible ties and a keep-in-touch "done" on one, which records an interaction and recomputes
  every tie of theirs), then at once ``GET /team/``, timed whole: the graph's patch, the figures the
  write can have changed, the page. Median, 95th percentile and CPU; then the view is checked equal
  to :func:`~revere.levers.selectors.team.team_view_plain` (every figure computed afresh);
* the analytics against **networkx** and **igraph** on the same input: Louvain communities of the
  combined graph (what the team view runs, scikit-network's compiled Louvain, and the package's own
  Python local moves, against ``networkx.community.louvain_communities``, seed 0, and igraph's C
  ``community_multilevel`` on a graph built beforehand; their modularities beside) and team reach (the
  union of each seller's two-step neighbourhood with ``networkx`` neighbour sets); ratios of the medians.

Target (issue 10, point 8): the team view for a manager of 50 sellers under 500 ms server time once
the graph is loaded.

    .venv/bin/python -m bench.bench_team [--size large] [--repeat 20] [--writes 20] [--database-url URL] [--rebuild]

The demo is built once into ``var/bench-team-<size>.sqlite3`` (or ``--database-url``) and reused.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 500.0


def _setup_django(database_url: str | None, size: str) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{ROOT / 'var' / f'bench-team-{size}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    connection.close()


def _demo(size: str, rebuild: bool) -> Any:
    from revere.tenancy.models import Organization

    try:
        from revere.demo.build import demo_create  # type: ignore[import-not-found]
    except ImportError:  # before the demo builder moved out of tenancy
        from revere.tenancy.demo.build import demo_create

    org = Organization.objects.filter(slug="lexington").first()
    if org is None or rebuild:
        demo_create(size=size, seed=1775)
        org = Organization.objects.get(slug="lexington")
    return org


def _manager(org: Any, teams: int) -> Any:
    from revere.tenancy.models import Member, Team

    manager = Member.unrestricted.filter(organization=org, role="manager").order_by("pk").first()
    for team in Team.unrestricted.filter(organization=org).order_by("pk")[:teams]:
        team.managers.add(manager)
    return manager


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1),
    }


def _ms_cpu(values: list[float], cpu: list[float]) -> dict[str, float]:
    return {
        **_ms(values),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        "cpu_p95_ms": _ms(cpu)["p95_ms"],
    }


def _writer(sellers: list[Any]) -> Any:
    """Writes by random sellers through the services, on their team-visible ties (the ones a manager
    counts): a strength override, then a keep-in-touch "done", by turns."""
    import random

    from revere.network.models import Tie, Visibility
    from revere.network.services import tie_set_strength_override
    from revere.playbook.services import tie_touch_done
    from revere.tenancy.models import Organization

    # Seeded by the data version, so that a second run does not write the values the first one did
    # (an override to the value a tie already has changes nothing, and costs the next page nothing).
    version = Organization.objects.filter(pk=sellers[0].organization_id).values_list(
        "data_version", flat=True
    )
    rng = random.Random(int(version.get()))
    ties = {
        s.pk: list(
            Tie.unrestricted.filter(member=s, is_active=True, visibility=Visibility.TEAM).values_list(
                "pk", flat=True
            )
        )
        for s in sellers
    }
    who = [s for s in sellers if ties[s.pk]]

    def write(k: int) -> None:
        seller = rng.choice(who)
        tie_id = rng.choice(ties[seller.pk])
        if k % 2:
            tie_touch_done(member=seller, tie_id=tie_id)
        else:
            tie = Tie.unrestricted.get(pk=tie_id)
            value = round(rng.uniform(0.05, 1), 6)
            while value == tie.strength_override:
                value = round(rng.uniform(0.05, 1), 6)
            tie_set_strength_override(tie=tie, value=value)

    return write


def measure(
    size: str, repeat: int, database_url: str | None, rebuild: bool, writes: int = 20
) -> list[dict[str, Any]]:
    _setup_django(database_url, size)
    import networkx as nx
    import numpy as np
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from revere.analytics.clusters import community_labels, modularity
    from revere.analytics.overlap import team_reach
    from revere.levers.selectors.team import team_view
    from revere.levers.teamgraph import memo_clear, team_figures
    from revere.network.graph import organization_graph, organization_graph_clear

    org = _demo(size, rebuild)
    manager = _manager(org, teams=5)
    organization_graph_clear()
    memo_clear()
    t = time.perf_counter()
    net = organization_graph(organization_id=org.pk)
    load_s = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    view = team_view(member=manager)
    cold_s, cold_cpu = time.perf_counter() - t, time.process_time() - c
    sellers = len(view.sellers)

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host, dev settings
    client = Client()
    client.force_login(manager.user)
    assert client.get("/team/").status_code == 200
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        response = client.get("/team/")
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/team/")
    warm = _ms(times)

    # The first page after a write: the write through the services, then the request, timed whole.
    from revere.levers.selectors.team import _sellers, team_view_plain

    write = _writer(_sellers(manager, None)[1])
    after, after_cpu, after_queries = [], [], []
    for k in range(writes):
        write(k)
        t, c = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/team/")
        after.append(time.perf_counter() - t)
        after_cpu.append(time.process_time() - c)
        after_queries.append(len(captured.captured_queries))
        assert response.status_code == 200
    same = team_view(member=manager).as_dict() == team_view_plain(member=manager).as_dict()
    assert same, "the view after the writes differs from the plain computation"

    # The analytics against networkx, on the same combined graph and the same contacts.
    from revere.levers.selectors.team import _seller_egos

    _, members = _sellers(manager, None)
    egos = {
        s.person_id: {cls: e.alter_ids for cls, e in _seller_egos(net, manager, s).items()} for s in members
    }
    fig = team_figures(net, egos)
    assert fig.structure is not None
    cg = fig.structure.graph
    s, d, w = cg.edges()
    nxg = nx.Graph()
    nxg.add_nodes_from(cg.ids.tolist())
    nxg.add_weighted_edges_from(zip(s.tolist(), d.tolist(), w.tolist(), strict=True))
    import igraph as ig

    # igraph gets its graph built from the same edge list beforehand, as Revere's combined graph is
    t = time.perf_counter()
    igg = ig.Graph(n=cg.n, edges=np.column_stack([cg.index_of(s), cg.index_of(d)]).tolist())
    ig_build = time.perf_counter() - t
    rev, ref, igr, skn = [], [], [], []
    for _ in range(3):
        t = time.perf_counter()
        labels = community_labels(cg)
        rev.append(time.perf_counter() - t)
        t = time.perf_counter()
        sk_labels = community_labels(cg, implementation="sknetwork")
        skn.append(time.perf_counter() - t)
        t = time.perf_counter()
        parts = nx.community.louvain_communities(nxg, weight="weight", seed=0)
        ref.append(time.perf_counter() - t)
        t = time.perf_counter()
        ig_parts = igg.community_multilevel(weights=w.tolist())
        igr.append(time.perf_counter() - t)
    ig_labels = np.asarray(ig_parts.membership, dtype=np.int64)
    nx_labels = np.zeros(cg.n, dtype=np.int64)
    index = {int(v): k for k, v in enumerate(cg.ids.tolist())}
    for k, part in enumerate(parts):
        nx_labels[[index[v] for v in part]] = k

    g = net.graph
    every = fig.every
    # networkx gets the ties of every counted contact (all that two-step reach reads), not the whole graph
    big = nx.Graph()
    src, dst, _ = g.edges()
    contacts = np.unique(np.concatenate(list(every.values())))
    near = np.isin(src, contacts) | np.isin(dst, contacts)
    big.add_edges_from(zip(src[near].tolist(), dst[near].tolist(), strict=True))
    reach_rev, reach_ref = [], []
    for _ in range(3):
        t = time.perf_counter()
        r = team_reach(g, every)
        reach_rev.append(time.perf_counter() - t)
        t = time.perf_counter()
        union: set[int] = set()
        total = 0
        for ego, alt in every.items():
            mine = set(alt.tolist())
            for a in alt.tolist():
                mine.update(big.neighbors(a))
            mine.discard(ego)
            total += len(mine)
            union |= mine
        reach_ref.append(time.perf_counter() - t)
    assert (r.union_reach, r.sum_reach) == (len(union), total)

    common = {
        "database": connection.vendor,
        "size": size,
        "sellers": sellers,
        "graph_nodes": g.n,
        "graph_edges": g.m,
    }
    return [
        {**common, "what": "graph load (cold)", "ms": round(load_s * 1000)},
        {
            **common,
            "what": "team view, cold figures",
            "ms": round(cold_s * 1000),
            "cpu_ms": round(cold_cpu * 1000),
        },
        {
            **common,
            "what": "GET /team/, warm",
            **_ms_cpu(times, cpu),
            "queries": len(queries.captured_queries),
            "target_ms": TARGET_MS,
            "met": warm["p95_ms"] < TARGET_MS,
        },
        {
            **common,
            "what": f"GET /team/ right after a write ({writes} writes)",
            **_ms_cpu(after, after_cpu),
            "queries_max": max(after_queries, default=0),
            "equals_plain": same,
            "target_ms": TARGET_MS,
            "met": _ms(after)["p95_ms"] < TARGET_MS,
            "met_cpu": _ms(after_cpu)["p95_ms"] < TARGET_MS,
        },
        {
            "what": f"Louvain, combined graph ({cg.n} people, {cg.m} ties)",
            "sknetwork_ms": round(statistics.median(skn) * 1000, 1),
            "python_ms": round(statistics.median(rev) * 1000, 1),
            "networkx_ms": round(statistics.median(ref) * 1000, 1),
            "ratio": round(statistics.median(ref) / statistics.median(skn), 2),
            "igraph_ms": round(statistics.median(igr) * 1000, 1),
            "igraph_ratio": round(statistics.median(igr) / statistics.median(skn), 2),
            "igraph_build_ms": round(ig_build * 1000, 1),
            "sknetwork_modularity": round(modularity(cg, sk_labels), 4),
            "python_modularity": round(modularity(cg, labels), 4),
            "networkx_modularity": round(modularity(cg, nx_labels), 4),
            "igraph_modularity": round(modularity(cg, ig_labels), 4),
        },
        {
            "what": f"team reach, {len(every)} sellers",
            "revere_ms": round(statistics.median(reach_rev) * 1000, 1),
            "networkx_ms": round(statistics.median(reach_ref) * 1000, 1),
            "ratio": round(statistics.median(reach_ref) / statistics.median(reach_rev), 1),
            "reach": f"{r.union_reach:,} of {r.sum_reach:,}",
        },
    ]


def run(args: Any) -> list[dict[str, Any]]:
    """For ``python -m bench``: the large demo, 20 requests."""
    return measure(
        "large", getattr(args, "repeat", None) or 20, None, False, getattr(args, "writes", None) or 20
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="large", choices=("small", "large", "huge"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    from bench.common import describe_machine, print_rows

    print_rows([describe_machine()], title="machine")
    print_rows(
        measure(args.size, args.repeat, args.database_url, args.rebuild, args.writes), title="bench_team"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
