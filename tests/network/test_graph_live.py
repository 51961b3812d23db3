"""The cached graph stays equal to a fresh build under any sequence of writes (issue 11, point 1).

Random sequences of writes go through the services — ties created by logged interactions, kept in
touch, overridden (strength and class) and removed, links stated and dropped, persons and companies
created, edited and merged (and a merge undone), deals won changing network classes — and after
every step the graph a page gets (patched from the change log, or mapped from the snapshot the
worker wrote) equals a fresh build from the database, array for array, and so do the ego metrics
and the introduction paths computed on it.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from revere.analytics.paths import best_paths
from revere.contacts.editing import company_create, company_update, person_create, person_update
from revere.contacts.models import Company, CompanyStatus, Person
from revere.deals.models import Stage
from revere.ingest.merge.persons import company_merge, person_merge, person_merge_undo
from revere.network.graph import organization_graph, organization_graph_clear
from revere.network.graph.build import build
from revere.network.models import Interaction, InteractionParticipant, Link, NetworkClass, Tie
from revere.network.selectors import ego_networks_of
from revere.network.services import network_recompute, tie_set_class_override, tie_set_strength_override
from revere.playbook.services import tie_touch_done
from revere.tenancy.models import Member
from revere.tenancy.services import organization_graph_changed
from tests.factories import (
    CompanyFactory,
    DealFactory,
    LinkFactory,
    MemberFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)

pytestmark = pytest.mark.django_db

TIE_ARRAYS = ("tie_id", "tie_member", "tie_ego", "tie_person", "tie_strength", "tie_class", "tie_private")


@pytest.fixture(autouse=True)
def _fresh_cache():
    organization_graph_clear()
    yield
    organization_graph_clear()


def assert_equals_a_fresh_build(org_id: int) -> None:
    cached = organization_graph(organization_id=org_id)
    fresh = build(org_id, cached.data_version)
    g, f = cached.graph, fresh.graph
    assert g.ids.tolist() == f.ids.tolist()
    c = g.compacted()
    for name in ("indptr", "indices", "weights"):
        assert getattr(c, name).dtype == getattr(f, name).dtype, name
        assert np.array_equal(getattr(c, name), getattr(f, name)), name
    assert set(g.attrs) == set(f.attrs)
    for name, cat in f.attrs.items():
        assert g.attrs[name].categories == cat.categories, name
        assert np.array_equal(g.attrs[name].codes, cat.codes), name
    for name in TIE_ARRAYS:
        assert np.array_equal(getattr(cached, name), getattr(fresh, name)), name
    assert cached.member_person == fresh.member_person
    for member_id, person_id in fresh.member_person.items():
        mine = ego_networks_of(cached, member_id=member_id, person_id=person_id)
        theirs = ego_networks_of(fresh, member_id=member_id, person_id=person_id)
        assert {k: e.metrics for k, e in mine.items()} == {k: e.metrics for k, e in theirs.items()}
    sources = sorted(fresh.member_person.values())
    for target in f.ids[:: max(1, f.n // 6)].tolist():
        if target not in sources:
            assert best_paths(g, sources, target, k=3) == best_paths(f, sources, target, k=3)


class World:
    """A small organization and the writes a sequence picks from."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.org = OrganizationFactory()
        self.members = [MemberFactory(organization=self.org) for _ in range(3)]
        self.companies = [
            CompanyFactory(organization=self.org, industry=i) for i in ("Banking", "Retail", "")
        ]
        self.persons = [
            PersonFactory(
                organization=self.org, company=self.companies[k % 3], function=("sales", "it", "")[k % 3]
            )
            for k in range(12)
        ]
        for k, p in enumerate(self.persons[:8]):
            TieFactory(member=self.members[k % 3], person=p, strength=float(rng.uniform(0.05, 0.9)))
        TieFactory(member=self.members[0], person=self.members[1].person, strength=0.5)  # colleagues
        for a, b in [(0, 1), (1, 2), (3, 4), (5, 9), (8, 11)]:
            x, y = sorted([self.persons[a], self.persons[b]], key=lambda p: p.pk)
            LinkFactory(organization=self.org, a=x, b=y, weight=float(rng.uniform(0.1, 1.0)))
        x, y = sorted([self.members[0].person, self.members[1].person], key=lambda p: p.pk)
        LinkFactory(organization=self.org, a=x, b=y, weight=0.9)  # the pair has a tie and a link
        self.merges: list = []

    # helpers ---------------------------------------------------------------
    def pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    def ties(self):
        return list(Tie.unrestricted.in_organization(self.org.pk).filter(is_active=True).order_by("pk"))

    def live_persons(self):
        members = set(Member.unrestricted.in_organization(self.org.pk).values_list("person_id", flat=True))
        return [
            p for p in Person.unrestricted.in_organization(self.org.pk).order_by("pk") if p.pk not in members
        ]

    # writes ----------------------------------------------------------------
    def touch(self):
        tie = self.pick(self.ties())
        member = Member.unrestricted.get(pk=tie.member_id)
        tie_touch_done(
            member=member, tie_id=tie.pk, when=timezone.now() - timedelta(days=int(self.rng.integers(0, 90)))
        )

    def override_strength(self):
        tie = self.pick(self.ties())
        tie_set_strength_override(tie=tie, value=self.pick([None, 0.2, 0.75, 1.0]))

    def override_class(self):
        tie = self.pick(self.ties())
        tie_set_class_override(tie=tie, network_class=self.pick(["", *NetworkClass.values]))

    def interactions(self):
        member = self.pick(self.members)
        person = self.pick(self.live_persons())
        interaction = Interaction.unrestricted.create(
            organization=self.org,
            kind="meeting",
            occurred_at=timezone.now() - timedelta(days=3),
            member=member,
        )
        for p in (member.person_id, person.pk):
            InteractionParticipant.unrestricted.create(
                organization=self.org, interaction=interaction, person_id=p
            )
        network_recompute(organization=self.org, member_ids=[member.pk])  # creates the tie, sets its class

    def remove_tie(self):  # as the tie editor's service does: deactivate, name the tie
        tie = self.pick(self.ties())
        Tie.unrestricted.filter(pk=tie.pk).update(is_active=False)
        organization_graph_changed(organization_id=self.org.pk, ties=[tie.pk])

    def state_link(self):  # as a link service does: write the pair, name it
        people = self.live_persons() + [m.person for m in self.members]
        a, b = sorted([self.pick(people), self.pick(people)], key=lambda p: p.pk)
        if a.pk == b.pk:
            return
        link = Link.unrestricted.filter(a=a, b=b).first()
        if link is not None and self.rng.random() < 0.5:
            link.delete()
        elif link is not None:
            Link.unrestricted.filter(pk=link.pk).update(weight=float(self.rng.uniform(0.05, 1.0)))
        else:
            Link.unrestricted.create(
                organization=self.org, a=a, b=b, weight=float(self.rng.uniform(0.05, 1.0))
            )
        organization_graph_changed(organization_id=self.org.pk, links=[(a.pk, b.pk)])

    def new_person(self):
        company = self.pick([None, *Company.unrestricted.in_organization(self.org.pk).order_by("pk")])
        p = person_create(
            organization_id=self.org.pk,
            data={
                "first_name": "New",
                "last_name": f"P{self.rng.integers(10**6)}",
                "company": company,
                "function": self.pick(["", "finance", "it"]),
                "region": self.pick(["", "APAC", "Europe"]),
            },
        )
        self.persons.append(p)

    def edit_person(self):
        person = self.pick(self.live_persons())
        company = self.pick([None, *Company.unrestricted.in_organization(self.org.pk).order_by("pk")])
        person_update(
            person=person,
            data={
                "function": self.pick(["", "legal", "sales"]),
                "company": company,
                "region": self.pick(["", "Americas", "Europe"]),
            },
        )

    def new_company(self):
        company_create(
            organization_id=self.org.pk,
            data={
                "name": f"Co {self.rng.integers(10**6)}",
                "industry": self.pick(["Aerospace", "Zoology", ""]),
            },
        )

    def edit_company(self):
        company = self.pick(
            [
                c
                for c in Company.unrestricted.in_organization(self.org.pk).order_by("pk")
                if c.pk != self.org.own_company_id
            ]
        )
        company_update(
            company=company,
            data={
                "status": self.pick(list(CompanyStatus.values)),
                "industry": self.pick(["Banking", "Mining", ""]),
                "region": self.pick(["", "APAC"]),
            },
        )

    def merge_persons(self):
        people = self.live_persons()
        if len(people) < 3:
            return
        keep, other = self.pick(people), self.pick(people)
        if keep.pk != other.pk:
            self.merges.append(person_merge(keep=keep, other=other))

    def undo_merge(self):
        if self.merges:
            person_merge_undo(merge=self.merges.pop())

    def merge_companies(self):
        companies = [
            c
            for c in Company.unrestricted.in_organization(self.org.pk).order_by("pk")
            if c.pk != self.org.own_company_id
        ]
        if len(companies) >= 3:
            keep, other = self.pick(companies), self.pick(companies)
            if keep.pk != other.pk:
                company_merge(keep=keep, other=other)

    def win_deal(self):
        company = self.pick(
            [
                c
                for c in Company.unrestricted.in_organization(self.org.pk).order_by("pk")
                if c.pk != self.org.own_company_id
            ]
        )
        DealFactory(owner=self.members[0], company=company, stage=self.pick([Stage.WON, *Stage.values]))
        network_recompute(organization=self.org)  # the classes follow the deal (ties_classify)

    WRITES = (
        "touch",
        "override_strength",
        "override_class",
        "interactions",
        "remove_tie",
        "state_link",
        "new_person",
        "edit_person",
        "new_company",
        "edit_company",
        "merge_persons",
        "undo_merge",
        "merge_companies",
        "win_deal",
    )


@pytest.mark.parametrize("seed", range(4))
def test_after_every_write_of_a_random_sequence_the_cached_graph_equals_a_fresh_build(seed):
    rng = np.random.default_rng(seed)
    world = World(rng)
    assert_equals_a_fresh_build(world.org.pk)
    patched = 0
    for _ in range(24):
        getattr(world, world.pick(World.WRITES))()
        assert_equals_a_fresh_build(world.org.pk)
        patched += organization_graph(organization_id=world.org.pk).graph.patched
    assert patched  # most steps were patches, not rebuilds


def test_every_kind_of_write_is_applied_as_a_patch_or_a_background_snapshot():
    world = World(np.random.default_rng(99))
    assert_equals_a_fresh_build(world.org.pk)
    for write in World.WRITES:
        getattr(world, write)()
        assert_equals_a_fresh_build(world.org.pk)


def test_a_merged_person_leaves_no_edges_behind_until_the_worker_drops_the_node(monkeypatch):
    from revere.network.graph import loader

    world = World(np.random.default_rng(5))
    organization_graph(organization_id=world.org.pk)
    monkeypatch.setattr(loader, "request_snapshot", lambda *a, **k: None)  # the worker is busy
    keep, other = world.persons[0], world.persons[1]
    person_merge(keep=keep, other=other)

    ng = organization_graph(organization_id=world.org.pk)

    i = int(ng.graph.index_of([other.pk])[0])
    assert ng.stale_since == ng.data_version and other.pk in ng.removed
    assert len(ng.graph.row(i)[0]) == 0 and other.pk not in ng.tie_person.tolist()
    fresh = build(world.org.pk, ng.data_version)
    assert [x for x in ng.graph.ids.tolist() if x != other.pk] == fresh.graph.ids.tolist()
