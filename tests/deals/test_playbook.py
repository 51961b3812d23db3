"""The deal playbook's scenarios with known answers, on the real database through the graph selector."""

from __future__ import annotations

import itertools
import math
from datetime import timedelta

import networkx as nx
import pytest
from django.utils import timezone

from revere.contacts.models import CompanyStatus
from revere.deals.models import ReferenceUse, ReferenceUseStatus, Stage
from revere.deals.playbook import deal_playbook, deal_warnings, member_leads
from revere.deals.selectors import deals_board
from revere.deals.services import buying_role_set, deal_create, deal_move_stage, deal_team_add
from revere.network.graph import organization_graph_clear
from revere.network.models import NetworkClass
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return f.OrganizationFactory()


def _seller(org, **kw):
    team = kw.pop("team", None) or f.TeamFactory(organization=org)
    return f.MemberFactory(organization=org, team=team, **kw)


def test_a_lead_reached_through_two_circles_outranks_one_reached_five_times_through_one_clique(org):
    me = _seller(org)
    two = f.CompanyFactory(organization=org, name="Two Circles Ltd")
    clique = f.CompanyFactory(organization=org, name="Clique Corp")
    target2 = f.PersonFactory(organization=org, company=two)
    target5 = f.PersonFactory(organization=org, company=clique)
    a, b = (f.PersonFactory(organization=org) for _ in range(2))
    for p in (a, b):
        f.TieFactory(member=me, person=p, strength=0.2)  # weak ties from separate circles
        f.LinkFactory(organization=org, a=p, b=target2, weight=0.5)
    five = [f.PersonFactory(organization=org) for _ in range(5)]
    for p in five:
        f.TieFactory(member=me, person=p, strength=0.9)  # strong ties, but all one clique
        f.LinkFactory(organization=org, a=p, b=target5, weight=0.9)
    for p, q in itertools.combinations(five, 2):
        f.LinkFactory(organization=org, a=p, b=q, weight=0.5)
    organization_graph_clear()
    leads = member_leads(member=me)
    assert [row.company for row in leads[:2]] == ["Two Circles Ltd", "Clique Corp"]
    assert leads[0].lead.effective_bridges == pytest.approx(2.0)
    assert leads[1].lead.effective_bridges == pytest.approx(1.0)
    assert "2 separate circles" in leads[0].reason
    # a company in the pipeline is no longer a lead
    deal_create(member=me, name="Two", company=two)
    assert "Two Circles Ltd" not in [row.company for row in member_leads(member=me)]


def _playbook(me, deal):
    organization_graph_clear()  # the factories write behind the services' back: no graph delta
    return deal_playbook(member=me, deal_id=deal.pk)


def _buy_in(org):
    me = _seller(org)
    acme = f.CompanyFactory(organization=org, name="Acme")
    cfo = f.PersonFactory(organization=org, company=acme, function="Finance", full_name="Fran CFO")
    buyer2 = f.PersonFactory(organization=org, company=acme, function="Finance")
    cto = f.PersonFactory(organization=org, company=acme, function="IT", full_name="Ted CTO")
    deal = deal_create(member=me, name="Acme deal", company=acme)
    deal_move_stage(member=me, deal=deal, to_stage=Stage.BUY_IN)
    return me, acme, cfo, buyer2, cto, deal


def _warnings(me, deal):
    organization_graph_clear()  # the factories write behind the services' back: no graph delta
    board = deals_board(member=me)
    (card,) = [c for col in board for c in col.cards if c.deal.pk == deal.pk]
    return {w.kind for w in card.warnings}


def test_one_thread_is_single_threaded_until_a_second_department_is_tied(org):
    me, _acme, cfo, buyer2, cto, deal = _buy_in(org)
    f.TieFactory(member=me, person=cfo, strength=0.7)
    buying_role_set(member=me, deal=deal, person=cfo, role="economic_buyer")
    assert "single_threaded" in _warnings(me, deal)
    book = _playbook(me, deal)
    assert book.two.coverage.single_threaded and book.two.thread_count == 1
    # a second thread in the same department is still one department
    f.TieFactory(member=me, person=buyer2, strength=0.6)
    assert "single_threaded" in _warnings(me, deal)
    # a teammate on the deal team tied into IT: two departments
    mate = f.MemberFactory(organization=org, team=me.team)
    f.TieFactory(member=mate, person=cto, strength=0.5)
    deal_team_add(member=me, deal=deal, teammate=mate)
    assert "single_threaded" not in _warnings(me, deal)
    book = _playbook(me, deal)
    assert (book.two.thread_count, book.two.department_count) == (3, 2)
    assert not book.two.coverage.single_threaded


def test_the_board_warnings_agree_with_the_coverage_of_each_deal(org):
    me, _acme, cfo, _buyer2, cto, deal = _buy_in(org)
    f.TieFactory(member=me, person=cto, strength=0.25)  # weak: no thread
    buying_role_set(member=me, deal=deal, person=cto, role="champion")
    assert _warnings(me, deal) == {"single_threaded", "no_power", "champion_fading"}
    book = _playbook(me, deal)
    assert not book.two.coverage.power and book.two.coverage.single_threaded
    f.TieFactory(member=me, person=cfo, strength=0.8)
    buying_role_set(member=me, deal=deal, person=cfo, role="decision_maker")
    assert "no_power" not in _warnings(me, deal)


def test_stalled_counts_the_days_in_stage_against_the_rules(org):
    me, _acme, _cfo, _buyer2, _cto, deal = _buy_in(org)
    t0 = timezone.now()
    warnings = deal_warnings(me, [deal], {deal.pk: t0}, now=t0 + timedelta(days=46))  # 45 allowed
    assert "stalled" in {w.kind for w in warnings[deal.pk]}
    warnings = deal_warnings(me, [deal], {deal.pk: t0}, now=t0 + timedelta(days=45))
    assert "stalled" not in {w.kind for w in warnings[deal.pk]}


def test_stage_two_lists_routes_to_uncovered_deciders_and_unsupported_opponents(org):
    me, _acme, cfo, buyer2, cto, deal = _buy_in(org)
    bridge = f.PersonFactory(organization=org, full_name="Bea Bridge")
    f.TieFactory(member=me, person=bridge, strength=0.8)
    f.LinkFactory(organization=org, a=bridge, b=cfo, weight=0.7)
    buying_role_set(member=me, deal=deal, person=cfo, role="economic_buyer")
    buying_role_set(member=me, deal=deal, person=cto, role="user", stance="opponent")
    two = _playbook(me, deal).two
    assert "Economic buyer" in two.gaps
    (route, *_) = two.routes[cfo.pk]
    assert route.persons[1:] == [bridge.pk, cfo.pk]
    assert two.unsupported == [(cto.pk, "Ted CTO")]
    buying_role_set(member=me, deal=deal, person=buyer2, role="influencer", stance="supporter")
    f.LinkFactory(organization=org, a=buyer2, b=cto, weight=0.5)
    assert _playbook(me, deal).two.unsupported == []


def test_the_solution_team_is_the_brute_force_optimum(org):
    """Own-company colleagues with skills on a small weighted graph: the proposed team is the
    assignment of least sum of -ln(strength) distances, found here by trying every one."""
    me = _seller(org, person__expertise=[])
    own = org.own_company
    names = ["A", "B", "C", "D", "E"]
    skills = {
        "A": ["telematics"],
        "B": ["sap"],
        "C": ["sap", "telematics"],
        "D": ["security"],
        "E": ["security"],
    }
    people = {
        n: f.PersonFactory(organization=org, company=own, full_name=n, expertise=skills[n]) for n in names
    }
    me_p = me.person
    edges = [
        ("me", "A", 0.9),
        ("me", "B", 0.8),
        ("A", "B", 0.7),
        ("B", "D", 0.6),
        ("me", "C", 0.2),
        ("C", "E", 0.3),
        ("A", "E", 0.4),
        ("D", "E", 0.5),
    ]
    node = {**people, "me": me_p}
    for a, b, w in edges:
        if a == "me":
            f.TieFactory(member=me, person=node[b], strength=w, network_class=NetworkClass.INTERNAL)
        else:
            f.LinkFactory(organization=org, a=node[a], b=node[b], weight=w)
    acme = f.CompanyFactory(organization=org)
    deal = deal_create(
        member=me, name="Solution", company=acme, needed_expertise=["telematics", "sap", "security"]
    )
    deal_move_stage(member=me, deal=deal, to_stage=Stage.SOLUTION, reason="test")
    three = _playbook(me, deal).three
    g = nx.Graph()
    for a, b, w in edges:
        g.add_edge(a, b, length=-math.log(w))
    d = dict(nx.all_pairs_dijkstra_path_length(g, weight="length"))
    holders = [[n for n in names if s in skills[n]] for s in ("telematics", "sap", "security")]
    best = min(
        itertools.product(*holders),
        key=lambda c: sum(d[x][y] for x, y in itertools.combinations(("me", *c), 2)),
    )
    got = [three.team_names.get(three.team.assignment[s]) for s in ("telematics", "sap", "security")]
    assert got == list(best)
    assert three.team.exact and three.team.connected


def test_a_reference_used_last_week_ranks_below_an_equal_one_and_an_exhausted_one_is_rested(org):
    me = _seller(org)
    acme = f.CompanyFactory(organization=org, industry="Logistics", region="Europe", size_band="51-250")
    deal = deal_create(member=me, name="Close", company=acme)
    deal_move_stage(member=me, deal=deal, to_stage=Stage.CLOSE, reason="test")
    refs = []
    for name in ("Fresh", "Tired", "Spent"):
        c = f.CompanyFactory(
            organization=org,
            industry="Logistics",
            region="Europe",
            size_band="51-250",
            status=CompanyStatus.CUSTOMER,
        )
        p = f.PersonFactory(organization=org, company=c, full_name=name)
        f.TieFactory(member=me, person=p, strength=0.6, network_class=NetworkClass.CUSTOMER)
        refs.append(f.ReferenceFactory(organization=org, person=p, satisfaction=5, max_uses=2, per_days=30))
    today = timezone.localdate()
    ReferenceUse.unrestricted.create(organization=org, reference=refs[1], used_on=today - timedelta(days=7))
    for days in (3, 10):
        ReferenceUse.unrestricted.create(
            organization=org,
            reference=refs[2],
            used_on=today - timedelta(days=days),
            status=ReferenceUseStatus.PENDING,
        )
    four = _playbook(me, deal).four
    assert [four.names[r.person] for r in four.offered] == ["Fresh", "Tired"]
    assert four.offered[0].score > four.offered[1].score
    assert [four.names[r.person] for r in four.rested] == ["Spent"]
