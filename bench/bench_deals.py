"""Deals benchmark: the board of a member with 500 open deals, and a deal's playbook, on a demo.

On the demo of ``--size`` (large: 100,000 persons, 1,000,000 links), the demo seller is given 500
open deals (at prospect companies, with buying roles on each company's people, a teammate on half
of them), written in bulk as the demo builder writes. Then, in one run, with the graph loaded:

* **board**: :func:`revere.deals.selectors.deals_board` (every card's warnings computed) and
  ``GET /deals/`` through Django's whole request cycle: median, 95th percentile, queries;
* **playbook**: :func:`revere.deals.playbook.deal_playbook` of one deal at each stage, and that
  deal's whole page (``GET /deals/<id>/``: header, history, team, forms and the playbook);
* beside each wall time, the median CPU time of the process (on a shared machine the wall time
  also holds the waits for a core);
* the board's thread counting against **networkx** on the same input: for every deal, the team's
  strongest tie to each buyer from a networkx graph of the tie edges (``G[u][v]['weight']``), the
  threads and departments counted in Python, checked equal to Revere's warnings; ratio of the medians.

Targets (issue 9, point 8): the board under 300 ms, a playbook under 200 ms, after the graph is loaded.

    .venv/bin/python -m bench deals [--size large] [--repeat 20] [--database-url URL]

The demo is built once into ``var/bench-deals-<size>.sqlite3`` (or ``--database-url``) and reused.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BOARD_MS, PLAYBOOK_MS = 300.0, 200.0
N_DEALS = 500


def _setup_django(database_url: str | None, size: str) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{ROOT / 'var' / f'bench-deals-{size}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _ms(values: list[float], cpu: list[float] | None = None) -> dict[str, float]:
    """Median and p95 of wall times, and the median CPU time of this process (the server's own
    work: on a shared machine the wall time also holds the waits for a core)."""
    ordered = sorted(values)
    out = {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1),
    }
    if cpu:
        out["cpu_median_ms"] = round(statistics.median(cpu) * 1000, 1)
    return out


def _times(fn: Any, repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``repeat`` calls of ``fn``."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def _five_hundred(org: Any, seller: Any) -> None:
    """Give the seller 500 open deals (bulk, as the demo builder writes), once."""
    import numpy as np
    from django.utils import timezone

    from revere.contacts.models import Company, Person
    from revere.deals.models import OPEN_STAGES, BuyingRole, Deal, DealStageChange
    from revere.tenancy.models import Member

    mine = Deal.unrestricted.filter(organization=org, owner=seller, stage__in=OPEN_STAGES)
    if mine.count() >= N_DEALS:
        return
    rng = np.random.default_rng(9)
    companies = list(
        Company.unrestricted.filter(organization=org, status="prospect").values_list("pk", flat=True)[:2000]
    )
    mates = list(Member.unrestricted.filter(organization=org, team_id=seller.team_id).exclude(pk=seller.pk))
    now = timezone.now()
    deals = [
        Deal(
            organization=org,
            name=f"Bench deal {k}",
            company_id=int(companies[k % len(companies)]),
            owner=seller,
            stage=OPEN_STAGES[k % 4],
            amount=int(rng.integers(5, 500)) * 1000,
            created_at=now - timezone.timedelta(days=int(rng.integers(5, 200))),
            needed_expertise=["cloud migration", "procurement"],
        )
        for k in range(N_DEALS - mine.count())
    ]
    Deal.unrestricted.bulk_create(deals, batch_size=500)
    DealStageChange.unrestricted.bulk_create(
        [
            DealStageChange(
                organization=org, deal=d, from_stage="", to_stage=d.stage, changed_at=d.created_at
            )
            for d in deals
        ]
    )
    roles = ["economic_buyer", "decision_maker", "technical_evaluator", "user", "champion"]
    rows = []
    for d in deals:
        people = list(
            Person.unrestricted.filter(organization=org, company_id=d.company_id).values_list(
                "pk", flat=True
            )[:5]
        )
        rows += [
            BuyingRole(organization=org, deal=d, person_id=p, role=roles[i]) for i, p in enumerate(people)
        ]
        if mates and rng.random() < 0.5:
            d.team.add(mates[int(rng.integers(len(mates)))])
    BuyingRole.unrestricted.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def measure(size: str, repeat: int, database_url: str | None) -> list[dict[str, Any]]:
    _setup_django(database_url, size)
    import networkx as nx
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from revere.deals.models import OPEN_STAGES, BuyingRole, Deal
    from revere.deals.playbook import deal_playbook
    from revere.deals.selectors import deals_board
    from revere.demo.build import demo_create
    from revere.network.graph import organization_graph
    from revere.tenancy.models import Member, Organization

    org = Organization.objects.filter(slug="lexington").first()
    if org is None:
        demo_create(size=size, seed=1775)
        org = Organization.objects.get(slug="lexington")
    seller = Member.unrestricted.filter(organization=org, role="seller").order_by("pk").first()
    _five_hundred(org, seller)
    t = time.perf_counter()
    ng = organization_graph(organization_id=org.pk)
    load_ms = (time.perf_counter() - t) * 1000
    deals_board(member=seller)  # warm

    board_times, board_cpu = _times(lambda: deals_board(member=seller), repeat)
    columns = deals_board(member=seller)
    open_cards = [c for col in columns[:4] for c in col.cards]

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(seller.user)
    assert client.get("/deals/").status_code == 200
    page_times, page_cpu = _times(lambda: client.get("/deals/"), repeat)
    with CaptureQueriesContext(connection) as queries:
        client.get("/deals/")

    playbook, deal_page = {}, {}
    for stage in OPEN_STAGES:
        deal = next(c.deal for c in open_cards if c.deal.stage == stage)
        deal_playbook(member=seller, deal_id=deal.pk)
        playbook[stage] = _ms(*_times(lambda d=deal: deal_playbook(member=seller, deal_id=d.pk), repeat))
        assert client.get(f"/deals/{deal.pk}/").status_code == 200
        deal_page[stage] = _ms(*_times(lambda d=deal: client.get(f"/deals/{d.pk}/"), repeat))

    # networkx: the same thread counting from a graph of the tie edges.
    g = ng.graph
    ids = [c.deal.pk for c in open_cards]
    team = {d: [o] for d, o in Deal.unrestricted.filter(pk__in=ids).values_list("pk", "owner_id")}
    for d, m in Deal.team.through.objects.filter(deal_id__in=ids).values_list("deal_id", "member_id"):
        team[d].append(m)
    roles: dict[int, set[int]] = {}
    for d, p in BuyingRole.unrestricted.filter(deal_id__in=ids).values_list("deal_id", "person_id"):
        roles.setdefault(d, set()).add(p)
    nxg = nx.Graph()
    for m, p, s in zip(ng.tie_member.tolist(), ng.tie_person.tolist(), ng.tie_strength.tolist(), strict=True):
        nxg.add_edge(("m", m), p, weight=s)
    company = dict(zip(g.ids.tolist(), ng.person_company.tolist(), strict=True))
    fn = g.attrs["function"]
    function = {
        int(p): (fn.categories[c] if c >= 0 else ("?", int(p)))
        for p, c in zip(g.ids.tolist(), fn.codes.tolist(), strict=True)
    }
    companies = {c.deal.pk: c.deal.company_id for c in open_cards}
    ref_times = []
    for _ in range(3):
        t = time.perf_counter()
        single = {}
        for d in ids:
            best: dict[int, float] = {}
            for m in team[d]:
                node = ("m", m)
                if node not in nxg:
                    continue
                for p, attrs in nxg[node].items():
                    if company.get(p) == companies[d] or p in roles.get(d, ()):
                        best[p] = max(best.get(p, 0.0), attrs["weight"])
            threads = [p for p, s in best.items() if s >= 0.3]
            single[d] = len(threads) < 2 or len({function.get(p, ("?", p)) for p in threads}) < 2
        ref_times.append(time.perf_counter() - t)
    mine = {c.deal.pk: any(w.kind == "single_threaded" for w in c.warnings) for c in open_cards}
    agree = all(
        mine[d] == single[d]
        for d in ids
        if next(c for c in open_cards if c.deal.pk == d).deal.stage != "identify"
    )
    common = {"database": connection.vendor, "size": size, "open_deals": len(open_cards), "graph_nodes": g.n}
    rows = [
        {**common, "what": "graph load (cold)", "ms": round(load_ms)},
        {
            **common,
            "what": "deals_board (warnings included)",
            **_ms(board_times, board_cpu),
            "target_ms": BOARD_MS,
        },
        {
            **common,
            "what": "GET /deals/",
            **_ms(page_times, page_cpu),
            "queries": len(queries),
            "target_ms": BOARD_MS,
        },
    ]
    rows += [
        {**common, "what": f"deal_playbook, {stage}", **v, "target_ms": PLAYBOOK_MS}
        for stage, v in playbook.items()
    ]
    rows += [{**common, "what": f"GET /deals/<id>/, {stage}", **v} for stage, v in deal_page.items()]
    rev = statistics.median(board_times)
    ref = statistics.median(ref_times)
    rows.append(
        {
            **common,
            "what": "thread counting vs networkx",
            "revere_ms (whole board)": round(rev * 1000, 1),
            "networkx_ms (threads only)": round(ref * 1000, 1),
            "ratio": round(ref / rev, 2),
            "same_answer": agree,
        }
    )
    return rows


def run(args: Any) -> list[dict[str, Any]]:
    return measure(args.size or "small", args.repeat or 20, args.database_url)


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser()
    p.add_argument("--size", default="small", choices=["small", "large", "huge"])
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--database-url", default=None)
    a = p.parse_args()
    from bench.common import print_rows

    print_rows(measure(a.size, a.repeat, a.database_url))
