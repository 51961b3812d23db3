"""Advice benchmark: the middleman check (advice rule 1.3) for a seller, a manager and an admin.

On the demo of ``--size`` (large: 100,000 persons, about 1,000,000 graph edges), for the demo's first
seller, manager and admin, with the graph loaded and each member's 20 weakest ties as the let-go
candidates (none of them a middleman: the worst case, every target searched):

* **before**: the check as it was until 2026-12-03: one finder search
  (:func:`revere.network.finder.search.find_paths`) per person of every open deal the member may
  see (its committee and everyone at its company);
* **cold**: :func:`revere.playbook.advice._middlemen` with its memo emptied: the member's own deals,
  their committee (everyone at the company only while a deal has none), people no candidate can
  be routed through skipped;
* **warm**: the same again (the memo holds each person's route intermediaries until the graph changes);
* **advice**: :func:`revere.playbook.advice.advice_for` as the advice page calls it;
* the skip's "within two ties of a candidate" mask against **networkx**
  (``single_source_shortest_path_length`` with ``cutoff=2`` from each candidate) on the same graph:
  checked equal, ratio of the times. The search itself is measured against networkx in bench_paths.

    .venv/bin/python -m bench advice [--size large] [--repeat 5] [--database-url URL]

The demo is built once into ``var/bench-advice-<size>.sqlite3`` (or ``--database-url``) and reused.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = 20


def _setup_django(database_url: str | None, size: str) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{ROOT / 'var' / f'bench-advice-{size}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _before(member: Any, candidates: set[int]) -> dict[int, int]:
    """The check as it was: every visible open deal's committee and company, one search each."""
    from revere.contacts.models import Person
    from revere.deals.models import OPEN_STAGES, BuyingRole, Deal
    from revere.network.finder import DEFAULT_K, MAX_INTERMEDIARIES
    from revere.network.finder.search import find_paths, sources_for
    from revere.network.graph import network_graph

    deals = Deal.objects.visible_to(member).filter(stage__in=OPEN_STAGES)
    committee = list(
        BuyingRole.objects.visible_to(member)
        .filter(deal__in=deals.values("id"))
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    people = list(
        Person.objects.visible_to(member)
        .filter(company_id__in=deals.values("company_id"))
        .order_by("id")
        .values_list("id", flat=True)
    )
    ng = network_graph(member=member)
    src = sources_for(member, from_team=False)
    found: dict[int, int] = {}
    for target in dict.fromkeys([*committee, *people]):
        paths = find_paths(ng, src, target, k=DEFAULT_K, max_intermediaries=MAX_INTERMEDIARIES)
        direct = max((p.score for p in paths if len(p.nodes) == 2), default=0.0)
        for path in paths:
            if path.score > direct:
                for n in path.nodes[1:-1]:
                    if int(n) in candidates:
                        found.setdefault(int(n), target)
        if len(found) == len(candidates):
            break
    return found


def measure(size: str, repeat: int, database_url: str | None) -> list[dict[str, Any]]:
    _setup_django(database_url, size)
    import networkx as nx
    import numpy as np

    from revere.deals.models import OPEN_STAGES, Deal
    from revere.demo.build import demo_create
    from revere.network.graph import organization_graph
    from revere.network.models import Tie
    from revere.playbook import advice
    from revere.tenancy.models import Member, Organization

    org = Organization.objects.filter(slug="lexington").first()
    if org is None:
        demo_create(size=size, seed=1775)
        org = Organization.objects.get(slug="lexington")
    ng = organization_graph(organization_id=org.pk)
    g = ng.graph
    rows, mask_ratios = [], []
    nxg = nx.Graph()
    src, dst, _ = g.edges()
    nxg.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    for role in ("seller", "manager", "admin"):
        member = Member.unrestricted.filter(organization=org, role=role).order_by("pk").first()
        assert member is not None
        candidates = set(
            Tie.objects.visible_to(member)
            .filter(member=member, is_active=True)
            .order_by("strength", "pk")
            .values_list("person_id", flat=True)[:CANDIDATES]
        )
        open_deals = Deal.objects.visible_to(member).filter(stage__in=OPEN_STAGES)
        t = time.perf_counter()
        old = _before(member, candidates)
        before_ms = (time.perf_counter() - t) * 1000
        cold, warm, total = [], [], []
        for _ in range(repeat):
            advice._routes_through.clear()
            t = time.perf_counter()
            new = advice._middlemen(member, candidates)
            cold.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            advice._middlemen(member, candidates)
            warm.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            advice.advice_for(member=member)
            total.append((time.perf_counter() - t) * 1000)
        # the skip's mask against networkx on the same graph
        t = time.perf_counter()
        mask = advice._within(g, sorted(candidates), 2)
        ours_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        near: set[int] = set()
        for pid in sorted(candidates):
            near.update(nx.single_source_shortest_path_length(nxg, pid, cutoff=2) if pid in nxg else {pid: 0})
        nx_ms = (time.perf_counter() - t) * 1000
        assert set(g.ids[np.flatnonzero(mask)].tolist()) == near, "the mask differs from networkx"
        mask_ratios.append(nx_ms / max(ours_ms, 1e-6))
        rows.append(
            {
                "member": role,
                "open deals seen": open_deals.count(),
                "own open deals": len(
                    {
                        *open_deals.filter(owner=member).values_list("id", flat=True),
                        *open_deals.filter(team=member).values_list("id", flat=True),
                    }
                ),
                "candidates": len(candidates),
                "before ms": round(before_ms, 1),
                "before found": len(old),
                "cold ms (median)": round(statistics.median(cold), 1),
                "warm ms (median)": round(statistics.median(warm), 1),
                "found": len(new),
                "advice_for ms": round(statistics.median(total), 1),
                "mask ms": round(ours_ms, 1),
                "networkx mask ms": round(nx_ms, 1),
                "networkx / ours": round(mask_ratios[-1], 1),
                "load average": round(os.getloadavg()[0], 1),
            }
        )
    return rows


def run(args: Any) -> list[dict[str, Any]]:
    return measure(args.size or "small", args.repeat or 5, args.database_url)


if __name__ == "__main__":
    import argparse

    from bench.common import print_rows

    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--size", default="large", choices=["small", "large", "huge"])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--database-url", default=None)
    a = p.parse_args()
    print_rows(measure(a.size, a.repeat, a.database_url))
