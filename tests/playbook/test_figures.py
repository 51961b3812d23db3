"""A member's figures reused across data versions (revere/playbook/figures.py) are the fresh ones.

After every write of a random sequence (the writes of tests/network/test_graph_live.py, through the
services), each member's home page with its figures reused where their inputs did not change equals
the home page computed afresh (nothing kept, nothing reused) on the same data. A write by one seller
that cannot reach another's networks leaves that seller's figures as they were (the very objects);
the member's own write, or a write that touches a network of theirs, recomputes that network.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from revere.contacts.editing import person_update
from revere.network.graph import organization_graph_clear
from revere.network.models import Link, NetworkClass, Tie
from revere.network.services import tie_set_strength_override
from revere.playbook import figures
from revere.playbook.advice import advice_for
from revere.playbook.figures import figures_clear, own_networks, uncached
from revere.playbook.selectors import member_home, member_network_report
from revere.playbook.services import tie_touch_done
from revere.tenancy.services import organization_graph_changed
from tests import factories as f
from tests.network.test_graph_live import World

pytestmark = pytest.mark.django_db

CLASSES = list(NetworkClass.values)


@pytest.fixture(autouse=True)
def _fresh():
    organization_graph_clear()
    figures_clear()
    yield
    organization_graph_clear()
    figures_clear()


def fresh_home(member):
    with uncached():
        return member_home(member=member)


class RichWorld(World):
    """test_graph_live's world with more ties per member among more people, and more links, so that
    the advice has candidates (redundant weak ties, bridges) to reuse or recompute."""

    def __init__(self, rng: np.random.Generator) -> None:
        super().__init__(rng)
        companies = [*self.companies, *(f.CompanyFactory(organization=self.org) for _ in range(3))]
        people = self.persons + [
            f.PersonFactory(organization=self.org, company=companies[k % len(companies)]) for k in range(24)
        ]
        self.persons = people
        for member in self.members:
            for k in rng.choice(len(people), size=10, replace=False).tolist():
                if not Tie.unrestricted.filter(member=member, person=people[k]).exists():
                    f.TieFactory(
                        member=member,
                        person=people[k],
                        network_class=CLASSES[int(rng.integers(len(CLASSES)))],
                        strength=float(rng.uniform(0.05, 1.0)),
                    )
        for _ in range(50):
            a, b = sorted(
                (people[k] for k in rng.choice(len(people), size=2, replace=False).tolist()),
                key=lambda p: p.pk,
            )
            if not Link.unrestricted.filter(a=a, b=b).exists():
                f.LinkFactory(organization=self.org, a=a, b=b, weight=float(rng.uniform(0.05, 1.0)))

    def assert_reused_equals_fresh(self) -> None:
        for member in self.members:
            assert member_home(member=member) == fresh_home(member)


@pytest.mark.parametrize("seed", range(3))
def test_after_every_write_the_reused_home_page_equals_a_fresh_computation(seed):
    world = RichWorld(np.random.default_rng(seed))
    world.assert_reused_equals_fresh()
    for _ in range(18):
        getattr(world, world.pick(World.WRITES))()
        world.assert_reused_equals_fresh()


def _isolated_world(sellers: int):
    """Sellers with networks of their own: each tied to six people at a company of their own, the
    people linked in a chain, one of them weak and redundant (a let-go candidate)."""
    org = f.OrganizationFactory()
    members = []
    for k in range(sellers):
        m = f.MemberFactory(organization=org, person__full_name=f"Seller {k}")
        company = f.CompanyFactory(organization=org, status="prospect", name=f"Co {k}")
        people = [f.PersonFactory(organization=org, company=company) for _ in range(6)]
        for j, p in enumerate(people):
            f.TieFactory(
                member=m, person=p, network_class=NetworkClass.PROSPECT, strength=0.1 if j == 2 else 0.6
            )
        for a, b in [*itertools.pairwise(people), (people[0], people[2]), (people[2], people[4])]:
            a, b = sorted([a, b], key=lambda p: p.pk)
            f.LinkFactory(organization=org, a=a, b=b, weight=0.5)
        market = f.PersonFactory(organization=org)
        f.TieFactory(member=m, person=market, network_class=NetworkClass.MARKET, strength=0.4)
        members.append(m)
    return org, members


def _tie(member, network_class=NetworkClass.PROSPECT):
    return Tie.unrestricted.filter(member=member, network_class=network_class).order_by("pk").first()


def test_a_write_by_one_seller_leaves_the_other_sellers_figures_as_they_were():
    _org, (a, b, c) = _isolated_world(3)
    before = {m.pk: own_networks(member=m) for m in (a, b, c)}
    advice_before = advice_for(member=a)
    tie_set_strength_override(tie=_tie(b), value=0.95)
    after = {m.pk: own_networks(member=m) for m in (a, b, c)}
    assert after[a.pk] is not before[a.pk]  # a new data version: the digests were read again
    for m in (a, c):  # the very objects: nothing recomputed
        assert all(after[m.pk].egos[cls] is before[m.pk].egos[cls] for cls in CLASSES)
        assert after[m.pk].digests == before[m.pk].digests
    # the writer's prospect network was recomputed, their three others kept
    assert after[b.pk].egos["prospect"] is not before[b.pk].egos["prospect"]
    assert after[b.pk].egos["prospect"].metrics != before[b.pk].egos["prospect"].metrics
    assert all(after[b.pk].egos[cls] is before[b.pk].egos[cls] for cls in CLASSES if cls != "prospect")
    assert advice_for(member=a) == advice_before
    for m in (a, b, c):
        assert member_home(member=m) == fresh_home(m)
        with uncached():
            fresh_report = member_network_report(member=m)
        assert member_network_report(member=m) == fresh_report


def test_the_members_own_write_changes_their_figures():
    _org, (a, b) = _isolated_world(2)
    home = member_home(member=a)
    before = own_networks(member=a)
    # An interaction: the member's ties' strengths are recomputed from the interactions on record.
    tie_touch_done(member=a, tie_id=_tie(a).pk)
    after = own_networks(member=a)
    assert after.egos["prospect"] is not before.egos["prospect"]
    assert after.egos["prospect"].metrics.mean_strength != before.egos["prospect"].metrics.mean_strength
    assert member_home(member=a) != home
    assert member_home(member=a) == fresh_home(a)
    assert member_home(member=b) == fresh_home(b)


def test_a_write_that_touches_a_members_network_recomputes_it():
    org, (a, b) = _isolated_world(2)
    mine = list(Tie.unrestricted.filter(member=a, network_class=NetworkClass.PROSPECT).order_by("pk"))
    before = own_networks(member=a)
    home = member_home(member=a)
    # Another seller's tie to one of a's contacts: that contact's row in the graph gains an edge
    # (a's reach grows by the other seller), though none of a's ties changed.
    f.TieFactory(member=b, person=mine[1].person, network_class=NetworkClass.MARKET, strength=0.7)
    organization_graph_changed(
        organization_id=org.pk, ties=list(Tie.unrestricted.filter(member=b).values_list("pk", flat=True))
    )
    after = own_networks(member=a)
    assert after.egos["prospect"] is not before.egos["prospect"]
    assert after.egos["prospect"].metrics.reach == before.egos["prospect"].metrics.reach + 1
    assert after.egos["market"] is before.egos["market"]
    assert member_home(member=a) == fresh_home(a)
    # A link between two of a's contacts that were not linked: density and redundancy change.
    x, y = sorted([mine[0].person, mine[5].person], key=lambda p: p.pk)
    Link.unrestricted.create(organization=org, a=x, b=y, weight=0.8)
    organization_graph_changed(organization_id=org.pk, links=[(x.pk, y.pk)])
    again = own_networks(member=a)
    assert again.egos["prospect"].metrics.density > after.egos["prospect"].metrics.density
    assert member_home(member=a) == fresh_home(a)
    assert member_home(member=a) != home
    # A contact's new company: diversity is read from the contacts' companies.
    other_company = f.CompanyFactory(organization=org, status="prospect")
    person_update(person=mine[3].person, data={"company": other_company})
    assert (
        own_networks(member=a).egos["prospect"].metrics.diversity != again.egos["prospect"].metrics.diversity
    )
    assert member_home(member=a) == fresh_home(a)
    assert member_home(member=b) == fresh_home(b)


def test_what_each_contact_alone_reaches_is_kept_while_only_strengths_change():
    """bridge_reach reads the ego network's pattern and attributes, never a weight: a new strength
    recomputes the network and its Burt measures, not what each contact alone reaches."""
    _org, (a, _b) = _isolated_world(2)
    member_home(member=a)
    key = ("bridges", a.pk, NetworkClass.PROSPECT)
    kept = figures._store._kept[key][1]
    before = own_networks(member=a)
    tie_set_strength_override(tie=_tie(a), value=0.33)
    after = own_networks(member=a)
    assert after.egos["prospect"] is not before.egos["prospect"]
    assert after.shapes == before.shapes and after.digests != before.digests
    assert member_home(member=a) == fresh_home(a)
    assert figures._store._kept[key][1] is kept
    # A new contact changes the shape: recomputed.
    f.TieFactory(member=a, person=f.PersonFactory(organization=_org), network_class=NetworkClass.PROSPECT)
    organization_graph_changed(
        organization_id=_org.pk, ties=list(Tie.unrestricted.filter(member=a).values_list("pk", flat=True))
    )
    assert member_home(member=a) == fresh_home(a)
    assert figures._store._kept[key][1] is not kept
