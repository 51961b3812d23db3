"""The team view through the database: overlaps, silos, lead-generation candidates, and who sees what."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from revere.deals.models import Stage
from revere.levers.selectors.team import FADING_DAYS, team_view, teams_for
from revere.network.models import NetworkClass, Visibility
from revere.playbook.cadence import CLASS_CADENCE_DAYS
from revere.tenancy.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _tie(member, person, cls, *, strength=0.5, days_ago=10, visibility=Visibility.TEAM):
    return f.TieFactory(
        member=member,
        person=person,
        network_class=cls,
        strength=strength,
        visibility=visibility,
        last_interaction=timezone.now() - timedelta(days=days_ago),
    )


def _link_all(org, persons, p=1.0, seed=0):
    rng = random.Random(seed)
    for i, a in enumerate(persons):
        for b in persons[i + 1 :]:
            if rng.random() < p:
                f.LinkFactory(organization=org, a=a, b=b)


@pytest.fixture
def world():
    org = f.OrganizationFactory()
    east, west = f.TeamFactory(organization=org, name="East"), f.TeamFactory(organization=org, name="West")
    manager = f.MemberFactory(organization=org, role=Role.MANAGER)
    east.managers.add(manager)
    w = {"org": org, "east": east, "west": west, "manager": manager}
    w["ann"] = f.MemberFactory(organization=org, team=east, person__full_name="Ann East")
    w["bob"] = f.MemberFactory(organization=org, team=east, person__full_name="Bob East")
    w["cy"] = f.MemberFactory(organization=org, team=east, person__full_name="Cy East")
    w["dee"] = f.MemberFactory(organization=org, team=east, person__full_name="Dee East")
    w["zed"] = f.MemberFactory(organization=org, team=west, person__full_name="Zed West")
    return w


def test_two_sellers_holding_the_same_customer_contacts_show_as_overlapping(world):
    org = world["org"]
    customer = f.CompanyFactory(organization=org, status="customer", name="Acme")
    people = [f.PersonFactory(organization=org, company=customer) for _ in range(3)]
    for p in people:
        _tie(world["ann"], p, NetworkClass.CUSTOMER)
        _tie(world["bob"], p, NetworkClass.CUSTOMER)
    view = team_view(member=world["manager"], team=world["east"])
    [pair] = [p for p in view.pairs if p.network == "customer"]
    assert {pair.a, pair.b} == {world["ann"].pk, world["bob"].pk}
    assert (pair.shared, pair.share_a, pair.share_b) == (3, 1.0, 1.0)
    [account] = view.shared_accounts
    assert account.name == "Acme" and sorted(n for _, _, n in account.holders) == [3, 3]
    customers = next(r for r in view.reach if r.network == "customer")
    assert (customers.contacts_union, customers.contacts_sum) == (3, 6)


def test_a_team_split_into_two_groups_with_no_bridge_shows_two_silos(world):
    org = world["org"]
    groups = []
    for tag, sellers in (("North", ("ann", "bob")), ("South", ("cy", "dee"))):
        company = f.CompanyFactory(organization=org, status="prospect", name=tag)
        people = [f.PersonFactory(organization=org, company=company) for _ in range(6)]
        _link_all(org, people, p=0.8, seed=len(tag))
        for key in sellers:
            for p in people:
                _tie(world[key], p, NetworkClass.PROSPECT)
        groups.append({world[k].pk for k in sellers})
    view = team_view(member=world["manager"], team=world["east"])
    assert len(view.silos) == 2
    persons = {world[k].person_id: world[k].pk for k in ("ann", "bob", "cy", "dee")}
    assert sorted({persons[p] for p, _ in g.sellers} for g in view.silos) == sorted(groups, key=min)
    assert all(c.silo and c.bridges == [] for c in view.communities)
    assert {c.companies[0][1] for c in view.communities} == {"North", "South"}


def test_one_seller_tied_into_both_groups_bridges_them_and_is_a_broker(world):
    org = world["org"]
    sets = []
    for tag in ("North", "South"):
        company = f.CompanyFactory(organization=org, status="prospect", name=tag)
        people = [f.PersonFactory(organization=org, company=company) for _ in range(6)]
        _link_all(org, people, p=0.8, seed=len(tag))
        sets.append(people)
    for p in sets[0]:
        _tie(world["ann"], p, NetworkClass.PROSPECT)
    for p in sets[1]:
        _tie(world["cy"], p, NetworkClass.PROSPECT)
    _tie(world["ann"], sets[1][0], NetworkClass.PROSPECT)
    view = team_view(member=world["manager"], team=world["east"])
    assert view.silos == []
    assert view.brokers[0].member_id == world["ann"].pk and view.brokers[0].communities == 2


def _market(org, member, *, contacts, companies, link_p, fading, seed):
    cos = [f.CompanyFactory(organization=org, name=f"M{seed}-{k}") for k in range(companies)]
    people = [f.PersonFactory(organization=org, company=cos[k % companies]) for k in range(contacts)]
    _link_all(org, people, p=link_p, seed=seed)
    for k, p in enumerate(people):
        old = k < fading
        _tie(member, p, NetworkClass.MARKET, strength=0.2 if old else 0.5, days_ago=200 if old else 5)


def test_a_large_sparse_market_network_with_many_fading_ties_is_a_lead_generation_candidate(world):
    org = world["org"]
    _market(org, world["ann"], contacts=50, companies=45, link_p=0.01, fading=30, seed=1)
    _market(org, world["bob"], contacts=8, companies=2, link_p=1.0, fading=1, seed=2)
    view = team_view(member=world["manager"], team=world["east"])
    by = {c.ego: c for c in view.lead_generation}
    assert by[world["ann"].pk].candidate and by[world["ann"].pk].fading == 30
    assert not by[world["bob"].pk].candidate
    assert view.lead_generation[0].ego == world["ann"].pk
    assert CLASS_CADENCE_DAYS[NetworkClass.MARKET] == FADING_DAYS


def test_a_sellers_private_ties_do_not_count_in_the_managers_view(world):
    org = world["org"]
    secret = f.PersonFactory(organization=org)
    _tie(world["ann"], secret, NetworkClass.MARKET, visibility=Visibility.PRIVATE)
    _tie(world["ann"], f.PersonFactory(organization=org), NetworkClass.MARKET)
    view = team_view(member=world["manager"], team=world["east"])
    ann = next(r for r in view.sellers if r.member_id == world["ann"].pk)
    assert ann.networks["market"].size == 1


def test_a_pipeline_account_nobody_on_the_team_is_tied_into_is_uncovered(world):
    org = world["org"]
    covered = f.CompanyFactory(organization=org, status="prospect", name="Covered")
    lonely = f.CompanyFactory(organization=org, status="prospect", name="Lonely")
    _tie(world["ann"], f.PersonFactory(organization=org, company=covered), NetworkClass.PROSPECT)
    f.DealFactory(owner=world["ann"], company=covered, stage=Stage.BUY_IN)
    deal = f.DealFactory(owner=world["bob"], company=lonely, stage=Stage.IDENTIFY, name="Lonely deal")
    f.DealFactory(owner=world["bob"], company=lonely, stage=Stage.LOST)
    view = team_view(member=world["manager"], team=world["east"])
    assert [(u.name, [d[0] for d in u.deals]) for u in view.uncovered] == [("Lonely", [deal.pk])]


def test_a_manager_sees_only_their_teams_an_admin_all_and_a_seller_no_team_view(world):
    assert [t.pk for t in teams_for(member=world["manager"])] == [world["east"].pk]
    with pytest.raises(LookupError):
        team_view(member=world["manager"], team=world["west"])
    view = team_view(member=world["manager"])
    assert {r.member_id for r in view.sellers} == {world[k].pk for k in ("ann", "bob", "cy", "dee")}
    admin = f.MemberFactory(organization=world["org"], role=Role.ADMIN)
    assert {t.pk for t in teams_for(member=admin)} == {world["east"].pk, world["west"].pk}
    assert world["zed"].pk in {r.member_id for r in team_view(member=admin).sellers}
    assert teams_for(member=world["ann"]) == []
    with pytest.raises(LookupError):
        team_view(member=world["ann"])
    with pytest.raises(LookupError):
        team_view(member=f.MemberFactory(role=Role.ADMIN), team=world["east"])


def test_the_view_is_plain_data_for_json(world):
    import json

    _tie(world["ann"], f.PersonFactory(organization=world["org"]), NetworkClass.MARKET)
    data = team_view(member=world["manager"]).as_dict()
    json.dumps(data, allow_nan=False)
    assert {"sellers", "reach", "pairs", "shared_accounts", "communities", "silos", "brokers"} <= set(data)


def test_colleagues_the_two_groups_share_make_no_bridge_but_show_as_brokers(world):
    org = world["org"]
    colleague = f.PersonFactory(organization=org, company=org.own_company, full_name="Colin Colleague")
    groups = []
    for tag, sellers in (("North", ("ann", "bob")), ("South", ("cy", "dee"))):
        company = f.CompanyFactory(organization=org, status="prospect", name=tag)
        people = [f.PersonFactory(organization=org, company=company) for _ in range(6)]
        _link_all(org, people, p=0.8, seed=len(tag))
        f.LinkFactory(organization=org, a=colleague, b=people[0])
        f.LinkFactory(organization=org, a=colleague, b=people[1])
        for key in sellers:
            _tie(world[key], colleague, NetworkClass.INTERNAL)
            for p in people:
                _tie(world[key], p, NetworkClass.PROSPECT)
        groups.append({world[k].pk for k in sellers})
    view = team_view(member=world["manager"], team=world["east"])
    assert len(view.silos) == 2  # everyone knows Colin, but Colin is not on the team
    assert [b.name for b in view.brokers] == ["Colin Colleague"] and view.brokers[0].member_id is None
