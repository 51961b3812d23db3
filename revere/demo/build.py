"""Generate the demo company and write it: one transaction, bulk inserts, then the real recompute.

The writing of the generated rows, table by table, is in ``write.py``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from revere.contacts.models import Company, Person, PersonEmail
from revere.deals.models import BuyingRole, Deal, DealStageChange, Reference, ReferenceUse
from revere.demo import vocab
from revere.demo.activity import make_communities, make_interactions, make_ties
from revere.demo.bulk import Const, bulk_mode, insert, reset_sequences, sql_dates
from revere.demo.deals import make_deals
from revere.demo.extras import final_classes, make_contributions, make_references, make_snapshots
from revere.demo.links import make_links
from revere.demo.sizes import SIZES
from revere.demo.world import make_world
from revere.demo.write import write_deals, write_network, write_people
from revere.levers.models import Contribution
from revere.network.models import Interaction, InteractionParticipant, Link, Snapshot, Tie
from revere.network.services import network_recompute
from revere.playbook.models import Target
from revere.tenancy.models import Member, Organization, Team
from revere.tenancy.restricted import manager_for

Progress = Callable[[str], None]


@dataclass
class DemoSummary:
    organization_id: int
    size: str
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    ties_by_class: dict[str, int] = field(default_factory=dict)
    deals_by_stage: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def demo_delete(*, organization: Organization) -> None:
    """Remove an organization and everything in it, fast (raw deletes table by table)."""
    User = get_user_model()
    with transaction.atomic():
        user_ids = list(
            Member.unrestricted.filter(organization=organization).values_list("user_id", flat=True)
        )
        Organization.objects.filter(pk=organization.pk).update(own_company=None)
        for model in apps.get_models():
            for f in model._meta.get_fields():
                if f.many_to_many and not f.auto_created and f.model is model:
                    through = f.remote_field.through  # type: ignore[union-attr]
                    if through._meta.auto_created and _org_field(model):
                        lookup = {f"{f.m2m_field_name()}__organization": organization}  # type: ignore[union-attr]
                        through.objects.filter(**lookup)._raw_delete(connection.alias)
        for model in apps.get_models():
            name = _org_field(model)
            if name:
                manager_for(model).filter(**{name: organization})._raw_delete(connection.alias)
        Organization.objects.filter(pk=organization.pk).delete()
        User.objects.filter(pk__in=user_ids).delete()


def _org_field(model: type[models.Model]) -> str | None:
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is Organization:
            return f.name
    return None


def demo_create(*, size: str = "small", seed: int = 1775, progress: Progress | None = None) -> DemoSummary:
    """Build the Lexington Systems demo, deterministic for a size and seed; returns what was made.

    An existing demo organization (slug ``lexington``) is replaced.
    """
    say = progress or (lambda _step: None)
    spec = SIZES[size]
    clock, cpu = time.perf_counter(), time.process_time()
    started_cpu = cpu
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock, cpu
        seconds[name] = round(time.perf_counter() - clock, 2)
        seconds["cpu"] = round(time.process_time() - started_cpu, 2)
        clock, cpu = time.perf_counter(), time.process_time()

    today = datetime.now(tz=UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    say("companies, people and org charts")
    w = make_world(spec, seed, today.timestamp())
    say("deals, ties and two years of interactions")
    book = make_deals(w)
    communities = make_communities(w)
    ties = make_ties(w, book, communities)
    acts = make_interactions(w, ties)
    say("links")
    links = make_links(w, communities, acts)
    refs = make_references(w, book, ties)
    contributions = make_contributions(w, book, ties, refs)
    lap("generate")

    with transaction.atomic():  # all or nothing: a failure leaves an earlier demo in place
        existing = Organization.objects.filter(slug=vocab.ORG_SLUG).first()
        if existing is not None:
            say("replacing the existing demo")
            demo_delete(organization=existing)
        say("writing companies and people")
        org = Organization.objects.create(name=vocab.OWN_COMPANY, slug=vocab.ORG_SLUG)
        with bulk_mode([Person, PersonEmail, Tie, Interaction, InteractionParticipant, Link]):
            ids = write_people(w, org)
            say("writing ties, interactions and links")
            write_network(w, org, ids, ties, acts, links)
        say("writing deals, references and contributions")
        write_deals(w, org, ids, book, refs, contributions)
        lap("write")
        say("computing tie strengths and network classes")
        network_recompute(organization=org)
        lap("recompute")
        say("snapshots of past months")
        classes = final_classes(w, book, ties)
        snaps = make_snapshots(w, ties, acts, links, classes)
        insert(
            Snapshot,
            {
                "organization_id": Const(org.pk),
                "member_id": [ids["member"] + s[0] for s in snaps],
                "network_class": [s[1] for s in snaps],
                "taken_on": sql_dates(np.array([s[2] for s in snaps])),
                "metrics": [s[3] for s in snaps],
            },
        )
        reset_sequences([Company, Person, get_user_model(), Team, Member, Interaction, Deal, Reference])
        lap("snapshots")
    if connection.vendor == "postgresql":
        # Planner statistics for the tables just filled: until autovacuum's next pass they look
        # empty, and the finder's query for a few links read all 5,000,000 of the huge demo's
        # organization index (138 ms against 1.3 ms analysed).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    summary = DemoSummary(organization_id=org.pk, size=size, seed=seed, seconds=seconds)
    summary.counts = demo_counts(org)
    summary.ties_by_class = dict(
        sorted(
            Counter(Tie.unrestricted.filter(organization=org).values_list("network_class", flat=True)).items()
        )
    )
    summary.deals_by_stage = dict(
        sorted(Counter(Deal.unrestricted.filter(organization=org).values_list("stage", flat=True)).items())
    )
    return summary


def demo_counts(org: Organization) -> dict[str, int]:
    tables: list[tuple[str, type[models.Model]]] = [
        ("teams", Team),
        ("members", Member),
        ("companies", Company),
        ("persons", Person),
        ("ties", Tie),
        ("links", Link),
        ("interactions", Interaction),
        ("participants", InteractionParticipant),
        ("deals", Deal),
        ("stage changes", DealStageChange),
        ("buying roles", BuyingRole),
        ("references", Reference),
        ("reference uses", ReferenceUse),
        ("contributions", Contribution),
        ("snapshots", Snapshot),
        ("targets", Target),
    ]
    return {name: manager_for(model).filter(organization=org).count() for name, model in tables}
