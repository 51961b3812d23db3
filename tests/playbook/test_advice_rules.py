"""The advice rules of docs/playbook.md ("Advice"), each on a hand-made network with a known answer."""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations

import pytest
from django.utils import timezone

from revere.deals.models import Stage
from revere.network.models import NetworkClass
from revere.playbook.advice import REDUNDANT_MIN, fade
from revere.playbook.selectors import member_advice
from tests.factories import (
    BuyingRoleFactory,
    CompanyFactory,
    DealFactory,
    LinkFactory,
    MemberFactory,
    OrganizationFactory,
    PersonFactory,
    ReferenceFactory,
    TieFactory,
)
from tests.playbook.conftest import make_clique

pytestmark = pytest.mark.django_db


def _names(items):
    return {c.name for c in items}


def _clique(org, seller, specs, *, network_class=NetworkClass.MARKET, company=None):
    """Persons from ``(name, function, strength)``, all tied to the seller and linked to each other."""
    people = []
    for name, function, strength in specs:
        extra = {"company": company} if company is not None else {}
        p = PersonFactory(organization=org, full_name=name, function=function, **extra)
        TieFactory(member=seller, person=p, strength=strength, network_class=network_class)
        people.append(p)
    for a, b in combinations(people, 2):
        LinkFactory(organization=org, a=a, b=b, weight=0.5)
    return people


# ---- rule 1: never let go of ... ------------------------------------------------------------


def test_the_only_colleague_in_a_function_stays_and_of_two_redundant_ones_in_a_function_the_stronger():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    _clique(
        org,
        seller,
        [
            ("Fiona Finance", "Finance", 0.2),  # the only Finance colleague
            ("Sal One", "Sales", 0.2),
            ("Sal Two", "Sales", 0.2),
            ("Lee Legal", "Legal", 0.15),  # both Legal colleagues are redundant: the stronger stays
            ("Lou Legal", "Legal", 0.1),
            ("Kay Keeper", "Sales", 0.25),  # the strongest tie of the circle: kept, covers Sales
        ],
        network_class=NetworkClass.INTERNAL,
        company=org.own_company,
    )

    advice = member_advice(member=seller)

    assert _names(advice.let_go) == {"Sal One", "Sal Two", "Lou Legal"}
    assert all(c.redundancy > REDUNDANT_MIN for c in advice.let_go)
    why = {k.name: k.reason for k in advice.kept}
    assert set(why) == {"Fiona Finance", "Lee Legal"}
    assert why["Fiona Finance"].startswith(
        "Fiona Finance knows 5 of your 5 other internal contacts (redundancy 0."
    )
    assert why["Fiona Finance"].endswith(" but stays: your only Finance colleague.")
    assert why["Lee Legal"].endswith(
        " but stays: the strongest tie of your 2 Legal colleagues, who would all go otherwise."
    )


def test_anyone_on_an_open_deal_s_buying_committee_stays_but_a_closed_deal_protects_nobody():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    people = _clique(org, seller, [("Ann", "", 0.2), ("Bo", "", 0.2), ("Cy", "", 0.2), ("Kim", "", 0.25)])
    won = DealFactory(owner=seller, stage=Stage.WON)
    BuyingRoleFactory(deal=won, person=people[0], role="economic_buyer")

    assert _names(member_advice(member=seller).let_go) == {"Ann", "Bo", "Cy"}

    # A colleague's open deal the seller is on the team of counts too (read through visible_to).
    theirs = DealFactory(owner=MemberFactory(organization=org), stage=Stage.SOLUTION)
    theirs.team.add(seller)
    BuyingRoleFactory(deal=theirs, person=people[1], role="user")
    BuyingRoleFactory(
        deal=DealFactory(owner=seller, stage=Stage.CLOSE, name="Cy's big one"),
        person=people[2],
        role="champion",
    )

    advice = member_advice(member=seller)
    assert _names(advice.let_go) == {"Ann"}
    why = {k.name: k.reason for k in advice.kept}
    assert set(why) == {"Bo", "Cy"}
    assert why["Cy"].endswith(" but stays: Champion on the open deal Cy's big one.")


def test_a_consenting_reference_stays_and_one_who_withdrew_consent_does_not():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    people = _clique(org, seller, [("Ann", "", 0.2), ("Bo", "", 0.2), ("Cy", "", 0.2), ("Kim", "", 0.25)])
    assert _names(member_advice(member=seller).let_go) == {"Ann", "Bo", "Cy"}

    ReferenceFactory(organization=org, person=people[0], consent=True)
    ReferenceFactory(organization=org, person=people[1], consent=False)
    advice = member_advice(member=seller)
    assert _names(advice.let_go) == {"Bo", "Cy"}
    assert {k.name: k.reason.split(" but stays: ")[1] for k in advice.kept} == {
        "Ann": "a consenting reference."
    }


def test_a_middleman_on_the_seller_s_routes_to_an_open_deal_s_people_stays():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    ann, bo, cy, _kim = _clique(
        org, seller, [("Ann", "", 0.2), ("Bo", "", 0.2), ("Cy", "", 0.2), ("Kim", "", 0.25)]
    )
    # Bo and Cy both know Uma, who knows Vic, who knows Tess at Target Co: the seller's routes to
    # Tess are seller-Bo-Uma-Vic-Tess and seller-Cy-Uma-Vic-Tess (three people between); through
    # Ann or Kim a route needs four, more than the finder allows.
    target_co = CompanyFactory(organization=org, name="Target Co")
    uma = PersonFactory(organization=org, full_name="Uma")
    vic = PersonFactory(organization=org, full_name="Vic")
    tess = PersonFactory(organization=org, full_name="Tess", company=target_co)
    for a, b in ((bo, uma), (cy, uma), (uma, vic), (vic, tess)):
        LinkFactory(organization=org, a=a, b=b, weight=0.5)
    deal = DealFactory(owner=seller, company=target_co, stage=Stage.LOST)

    assert _names(member_advice(member=seller).let_go) == {"Ann", "Bo", "Cy"}

    deal.stage = Stage.BUY_IN
    deal.save()
    from revere.network.graph import organization_graph_clear

    organization_graph_clear()
    advice = member_advice(member=seller)
    assert _names(advice.let_go) == {"Ann"}  # Ann is on no route: four people between
    assert ann.pk in {c.person_id for c in advice.let_go}
    assert {k.name: k.reason.split(" but stays: ")[1] for k in advice.kept} == {
        "Bo": "a middleman on your route to Tess of your open deal.",
        "Cy": "a middleman on your route to Tess of your open deal.",
    }


def test_the_middleman_rule_counts_the_seller_s_own_deals_and_their_committee_once_there_is_one():
    """Routes count to the committee of the seller's own open deals (owned or on its team); everyone at
    the company only while the deal has no committee; a colleague's deal the seller may see protects
    nobody (docs/playbook.md, "Advice", rule 1.3)."""
    from revere.network.graph import organization_graph_clear
    from revere.tenancy.models import Role

    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    ann, bo, cy, kim = _clique(
        org, seller, [("Ann", "", 0.2), ("Bo", "", 0.2), ("Cy", "", 0.2), ("Kim", "", 0.25)]
    )
    target_co = CompanyFactory(organization=org, name="Target Co")
    uma, vic = (
        PersonFactory(organization=org, full_name="Uma"),
        PersonFactory(organization=org, full_name="Vic"),
    )
    tess = PersonFactory(organization=org, full_name="Tess", company=target_co)
    rex = PersonFactory(organization=org, full_name="Rex", company=target_co)
    # seller-Bo-Uma-Vic-Tess and seller-Cy-Uma-Vic-Tess; Rex in two: seller-Ann-Rex and seller-Kim-Rex
    # (Kim, the strongest of the circle, stays anyway; Rex known to both makes Ann reach nobody new).
    for a, b in ((bo, uma), (cy, uma), (uma, vic), (vic, tess), (ann, rex), (kim, rex)):
        LinkFactory(organization=org, a=a, b=b, weight=0.5)
    manager = MemberFactory(organization=org, role=Role.MANAGER)
    deal = DealFactory(owner=manager, company=target_co, stage=Stage.BUY_IN)

    def kept():
        organization_graph_clear()
        return {k.name: k.reason.split(" but stays: ")[1] for k in member_advice(member=seller).kept}

    assert kept() == {}  # the manager's deal, not the seller's
    deal.team.add(seller)
    # on the deal's team, no committee yet: everyone at Target Co counts
    assert kept() == {
        "Ann": "a middleman on your route to Rex of your open deal.",
        "Bo": "a middleman on your route to Tess of your open deal.",
        "Cy": "a middleman on your route to Tess of your open deal.",
    }
    BuyingRoleFactory(deal=deal, person=tess, role="decision_maker")
    # with a committee, only Tess is routed to: Ann's route to Rex no longer counts
    kept_now = kept()
    assert set(kept_now) >= {"Bo", "Cy"} and "Ann" not in kept_now


# ---- rule 2: redundant only above the threshold, with the contacts that make it so ---------


def test_a_contact_is_redundant_only_above_half_and_the_reason_names_who_makes_it_so():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    make_clique(org, seller, 3, names=["Ada", "Ben", "Cyd"])
    loners = [PersonFactory(organization=org) for _ in range(3)]
    ties = [TieFactory(member=seller, person=p, strength=0.2) for p in loners]

    # Six equal ties; Ada knows two of them: redundancy 2/6 = 0.33, not redundant.
    assert member_advice(member=seller).let_go == []

    for t in ties:
        t.delete()
    from revere.network.graph import organization_graph_clear

    organization_graph_clear()
    advice = member_advice(member=seller)

    # Three equal ties who all know each other: redundancy 2/3 each; one (the first) is kept.
    assert _names(advice.let_go) == {"Ben", "Cyd"}
    for c in advice.let_go:
        assert c.redundancy == pytest.approx(2 / 3)
        assert {p.name for p in c.redundant_with} == {"Ada", "Ben", "Cyd"} - {c.name}
        assert c.kept_instead is not None and c.kept_instead.name == "Ada"
        assert c.reason == (
            f"{c.name} knows 2 of your 2 other market contacts ({', '.join(p.name for p in c.redundant_with).replace(', ', ' and ')})"
            " and reaches nobody they don't, redundancy 0.67 (above 0.50), so let this weak tie (0.20, no contact"
            " recorded) rest: Ada, your strongest tie in that circle, brings the same people."
        )


# ---- rule 3: the invest list ranked by unique reach times fade ------------------------------


def test_bridges_are_ranked_by_what_they_alone_reach_times_how_much_the_tie_has_faded():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    now = timezone.now()
    hub = CompanyFactory(organization=org, name="Hub", industry="Software")

    def bridge(name, days, companies):
        """A weak market tie at Hub, last contact ``days`` ago, linked to people at ``companies``."""
        p = PersonFactory(organization=org, full_name=name, company=hub)
        TieFactory(
            member=seller,
            person=p,
            strength=0.2,
            last_interaction=None if days is None else now - timedelta(days=days),
        )
        for co in companies:
            LinkFactory(organization=org, a=p, b=PersonFactory(organization=org, company=co))
        return p

    mining = CompanyFactory(organization=org, name="Deep Mines", industry="Mining")
    retail = [CompanyFactory(organization=org, name=f"Shop {k}", industry="Retail") for k in (1, 2)]
    energy = CompanyFactory(organization=org, name="Volt", industry="Energy")
    software = [CompanyFactory(organization=org, name=f"Soft {k}", industry="Software") for k in range(5)]
    # Pia: 5 people, 1 company, 1 industry = 7, half faded (180 days = one half-life): 3.5
    bridge("Pia", 180, [mining] * 5)
    # Quinn: 6 people, 3 companies, 2 industries = 11, three quarters faded (360 days): 8.25
    bridge("Quinn", 360, [retail[0], retail[0], retail[1], retail[1], energy, energy])
    # Ray: 5 people, 5 companies, no new industry = 10, never contacted: 10
    bridge("Ray", None, software)
    # Sue: 8 people at Hub (no new company or industry) = 8, 130 days: 8 x 0.394 = 3.15
    bridge("Sue", 130, [hub] * 8)
    # Tom reaches 20 people alone but was in touch 30 days ago: not fading
    bridge("Tom", 30, [hub] * 20)

    invest = member_advice(member=seller).invest

    assert [c.name for c in invest] == ["Ray", "Quinn", "Pia", "Sue"]
    by = {c.name: c for c in invest}
    assert (by["Pia"].unique_reach, by["Pia"].unique_companies, by["Pia"].unique_industries) == (5, 1, 1)
    assert (by["Quinn"].unique_reach, by["Quinn"].unique_companies, by["Quinn"].unique_industries) == (
        6,
        3,
        2,
    )
    assert (by["Ray"].unique_reach, by["Ray"].unique_companies, by["Ray"].unique_industries) == (5, 5, 0)
    assert (by["Sue"].unique_reach, by["Sue"].unique_companies, by["Sue"].unique_industries) == (8, 0, 0)
    assert by["Pia"].score == pytest.approx(3.5)
    assert by["Quinn"].score == pytest.approx(8.25)
    assert by["Ray"].score == pytest.approx(10.0)
    assert by["Sue"].score == pytest.approx(8 * fade(130))
    assert by["Quinn"].reason == (
        "Quinn is your only way to 6 people, 3 companies (Shop 1, Shop 2 and Volt) and 2 industries "
        "(Energy and Retail) in your market network (redundancy 0.00), and the tie is fading: weak (0.20), "
        "last contact 360 days ago, 75% of its strength gone since."
    )
    assert by["Ray"].reason.endswith("no contact recorded, it was never kept up.")


def test_what_the_seller_reaches_through_another_network_is_nobody_s_alone():
    org = OrganizationFactory()
    seller = MemberFactory(organization=org)
    far = CompanyFactory(organization=org, name="Far", industry="Shipping")
    pia = PersonFactory(
        organization=org, full_name="Pia", company=CompanyFactory(organization=org, industry="Shipping")
    )
    TieFactory(member=seller, person=pia, strength=0.2, last_interaction=timezone.now() - timedelta(days=200))
    reached = [PersonFactory(organization=org, company=far) for _ in range(7)]
    for p in reached:
        LinkFactory(organization=org, a=pia, b=p)
    assert [c.unique_reach for c in member_advice(member=seller).invest] == [7]

    # A customer contact of the seller knows two of them, and works at Far: they are not Pia's alone.
    cara = PersonFactory(organization=org, full_name="Cara", company=far)
    TieFactory(member=seller, person=cara, strength=0.5, network_class=NetworkClass.CUSTOMER)
    for p in reached[:2]:
        LinkFactory(organization=org, a=cara, b=p)
    from revere.network.graph import organization_graph_clear

    organization_graph_clear()
    [c] = member_advice(member=seller).invest
    assert (c.unique_reach, c.unique_companies, c.unique_industries) == (5, 1, 0)  # Pia's own company
