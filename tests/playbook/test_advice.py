"""Relationship advice: let go (redundant and weak), invest (fading bridges), with reasons in figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from revere.deals.models import Stage
from revere.network.models import NetworkClass
from revere.playbook.selectors import member_advice, member_home
from tests.factories import (
    BuyingRoleFactory,
    DealFactory,
    LinkFactory,
    MemberFactory,
    OrganizationFactory,
    PersonFactory,
    TieFactory,
)
from tests.playbook.conftest import make_clique

pytestmark = pytest.mark.django_db

NAMES = ["Ada Clique", "Ben Clique", "Cy Clique", "Di Clique", "Ed Clique"]


def test_a_seller_whose_market_contacts_form_one_closed_clique_is_told_so_and_shown_the_redundant_ones(
    client,
):
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    clique = make_clique(org, seller, 5, names=NAMES)
    clique_ids = {p.pk for p in clique}

    advice = member_advice(member=seller)
    home = member_home(member=seller)

    assert advice.cliques == [NetworkClass.MARKET]
    market = next(c for c in home.cards if c.key == NetworkClass.MARKET)
    assert market.reading.shape == "clique"
    assert "one closed clique" in " ".join(market.reading.sentences)
    assert market.metrics.effective_size == pytest.approx(1.0)
    # Four of the five are redundant; the fifth is kept to bring the circle.
    assert len(advice.let_go) == 4
    assert {c.person_id for c in advice.let_go} < clique_ids
    for c in advice.let_go:
        assert c.overlap == 4 and c.redundancy == pytest.approx(0.8)
        assert {p.person_id for p in c.redundant_with} == clique_ids - {c.person_id}
        others = [n for n in NAMES if n != c.name]
        assert c.reason.startswith(f"{c.name} knows 4 of your 4 other market contacts (")
        assert all(n in c.reason for n in others)  # named, in one sentence
        assert "redundancy 0.80 (above 0.50)" in c.reason and c.reason.count(". ") == 0
    client.force_login(seller.user)
    html = client.get(reverse("advice")).content.decode()
    assert "one closed clique" in html
    for c in advice.let_go:
        assert c.name in html


def test_a_weak_contact_who_bridges_to_people_nobody_else_reaches_is_not_let_go_but_invested_in():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    make_clique(org, seller, 3)
    bridge = PersonFactory(organization=org, full_name="Bea Bridge")
    TieFactory(
        member=seller, person=bridge, strength=0.2, last_interaction=timezone.now() - timedelta(days=200)
    )
    for _ in range(6):
        LinkFactory(organization=org, a=bridge, b=PersonFactory(organization=org))

    advice = member_advice(member=seller)

    assert bridge.pk not in {c.person_id for c in advice.let_go}
    [invest] = advice.invest
    assert invest.person_id == bridge.pk
    assert invest.unique_reach == 6 and invest.unique_companies == 7  # her own company and theirs
    assert invest.days_since == 200
    assert invest.reason.startswith("Bea Bridge is your only way to 6 people and 7 companies (")
    assert "200 days ago, 54% of its strength gone since." in invest.reason


def test_a_bridge_contacted_recently_or_already_strong_needs_no_investment():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    recent = PersonFactory(organization=org)
    strong = PersonFactory(organization=org)
    TieFactory(
        member=seller, person=recent, strength=0.3, last_interaction=timezone.now() - timedelta(days=10)
    )
    TieFactory(member=seller, person=strong, strength=0.9)
    for p in (recent, strong):
        for _ in range(6):
            LinkFactory(organization=org, a=p, b=PersonFactory(organization=org))

    assert member_advice(member=seller).invest == []


def test_a_contact_who_reaches_only_a_few_people_alone_is_not_yet_a_bridge_to_invest_in():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    small = PersonFactory(organization=org)
    TieFactory(member=seller, person=small, strength=0.2)
    for _ in range(4):
        LinkFactory(organization=org, a=small, b=PersonFactory(organization=org))

    assert member_advice(member=seller).invest == []


def test_a_buying_role_on_an_open_deal_is_never_advised_to_be_let_go():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    clique = make_clique(org, seller, 4)
    deal = DealFactory(owner=seller, stage=Stage.BUY_IN)
    BuyingRoleFactory(deal=deal, person=clique[3], role="economic_buyer")

    let_go = {c.person_id for c in member_advice(member=seller).let_go}

    assert clique[3].pk not in let_go
    assert len(let_go) == 2  # four in the circle, one kept, one protected


def test_strong_redundant_ties_are_kept():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    make_clique(org, seller, 4, strength=0.8)

    assert member_advice(member=seller).let_go == []
