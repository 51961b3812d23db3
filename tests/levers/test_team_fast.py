"""The team view's reuse across data versions (issue 10, point 8) gives the plain computation's figures.

After every write of a random sequence (the writes of tests/network/test_graph_live.py, through the
services), the team view with its figures reused where their inputs did not change equals the team
view computed afresh on the same graph, figure for figure. A write by one seller recomputes what it
can have changed only, and the view's queries do not grow with the number of sellers.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from revere.levers.selectors.team import team_view, team_view_plain
from revere.levers.teamgraph import memo_clear
from revere.network.graph import organization_graph, organization_graph_clear
from revere.network.models import NetworkClass, Tie, Visibility
from revere.network.services import tie_set_strength_override
from revere.tenancy.models import Member, Role
from tests import factories as f
from tests.network.test_graph_live import World

pytestmark = pytest.mark.django_db

CLASSES = list(NetworkClass.values)


@pytest.fixture(autouse=True)
def _fresh():
    organization_graph_clear()
    memo_clear()
    yield
    organization_graph_clear()
    memo_clear()


class TeamWorld(World):
    """test_graph_live's world, its members a team with a manager, and more ties among more people."""

    def __init__(self, rng: np.random.Generator) -> None:
        super().__init__(rng)
        self.team = f.TeamFactory(organization=self.org, name="East")
        self.members += [f.MemberFactory(organization=self.org) for _ in range(3)]
        Member.unrestricted.filter(pk__in=[m.pk for m in self.members]).update(team=self.team)
        self.manager = f.MemberFactory(organization=self.org, role=Role.MANAGER)
        self.team.managers.add(self.manager)
        companies = self.companies + [f.CompanyFactory(organization=self.org) for _ in range(3)]
        people = self.persons + [
            f.PersonFactory(organization=self.org, company=companies[k % len(companies)]) for k in range(30)
        ]
        self.persons = people
        for member in self.members:
            chosen = rng.choice(len(people), size=12, replace=False)
            for k in chosen.tolist():
                if Tie.unrestricted.filter(member=member, person=people[k]).exists():
                    continue
                f.TieFactory(
                    member=member,
                    person=people[k],
                    network_class=CLASSES[int(rng.integers(len(CLASSES)))],
                    strength=float(rng.uniform(0.05, 1.0)),
                    visibility=Visibility.PRIVATE if rng.random() < 0.2 else Visibility.TEAM,
                )
        for _ in range(60):
            a, b = (people[k] for k in rng.choice(len(people), size=2, replace=False).tolist())
            a, b = sorted([a, b], key=lambda p: p.pk)
            if not f.LinkFactory._meta.model.unrestricted.filter(a=a, b=b).exists():
                f.LinkFactory(organization=self.org, a=a, b=b, weight=float(rng.uniform(0.05, 1.0)))

    def assert_fast_equals_plain(self) -> None:
        fast = team_view(member=self.manager).as_dict()
        plain = team_view_plain(member=self.manager).as_dict()
        assert fast == plain


@pytest.mark.parametrize("seed", range(3))
def test_after_every_write_the_reused_team_view_equals_the_plain_computation(seed):
    world = TeamWorld(np.random.default_rng(seed))
    world.assert_fast_equals_plain()
    assert len(team_view(member=world.manager).sellers) == 6
    for _ in range(16):
        getattr(world, world.pick(World.WRITES))()
        world.assert_fast_equals_plain()


def _isolated_world(sellers: int):
    """Sellers with networks of their own: each tied to five people at a company of their own."""
    org = f.OrganizationFactory()
    team = f.TeamFactory(organization=org)
    manager = f.MemberFactory(organization=org, role=Role.MANAGER)
    team.managers.add(manager)
    members = []
    for k in range(sellers):
        m = f.MemberFactory(organization=org, team=team, person__full_name=f"Seller {k}")
        company = f.CompanyFactory(organization=org, status="prospect", name=f"Co {k}")
        people = [f.PersonFactory(organization=org, company=company) for _ in range(5)]
        for p in people:
            f.TieFactory(member=m, person=p, network_class=NetworkClass.PROSPECT, strength=0.5)
        for a, b in itertools.pairwise(people):
            f.LinkFactory(organization=org, a=a, b=b)
        members.append(m)
    return org, manager, members


def test_a_write_by_one_seller_leaves_the_other_sellers_figures_as_they_were():
    _org, manager, members = _isolated_world(4)
    before = {r.member_id: r.networks for r in team_view(member=manager).sellers}
    tie = Tie.unrestricted.filter(member=members[0]).order_by("pk").first()
    tie_set_strength_override(tie=tie, value=0.95)
    after = {r.member_id: r.networks for r in team_view(member=manager).sellers}
    assert after[members[0].pk]["prospect"] != before[members[0].pk]["prospect"]  # recomputed
    # the writer's three other networks hold none of the touched people: kept too, one by one
    assert all(
        after[members[0].pk][cls] is before[members[0].pk][cls] for cls in CLASSES if cls != "prospect"
    )
    for m in members[1:]:  # not recomputed: the very objects of the view before
        assert all(after[m.pk][cls] is before[m.pk][cls] for cls in CLASSES)
    assert team_view(member=manager).as_dict() == team_view_plain(member=manager).as_dict()


def _queries_after_a_write(sellers: int) -> int:
    org, manager, members = _isolated_world(sellers)
    team_view(member=manager)
    tie = Tie.unrestricted.filter(member=members[-1]).order_by("pk").first()
    tie_set_strength_override(tie=tie, value=0.9)
    organization_graph(organization_id=org.pk)  # the patch's own queries are the graph's, not the view's
    with CaptureQueriesContext(connection) as queries:
        team_view(member=manager)
    return len(queries.captured_queries)


def test_the_first_view_after_a_write_makes_the_same_few_queries_for_3_or_12_sellers():
    few, many = _queries_after_a_write(3), _queries_after_a_write(12)
    assert few == many
    assert many <= 12
