"""The contact selectors: lists with search and filters, a person's page, a company's org chart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from revere.contacts.models import PersonEmail
from revere.deals.models import Stage
from revere.network.models import InteractionParticipant, NetworkClass, Visibility
from revere.tenancy.models import Role
from revere.tenancy.visibility import TieAccess
from revere.web.contacts.selectors import (
    CompanyFilters,
    PersonFilters,
    company_list,
    company_org_chart,
    person_detail,
    person_list,
    strength_band,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    org = f.OrganizationFactory(name="Lex")
    squad = f.TeamFactory(organization=org)
    me = f.MemberFactory(organization=org, team=squad, person__full_name="Me Myself")
    ann = f.MemberFactory(organization=org, team=squad, person__full_name="Ann Teammate")
    bob = f.MemberFactory(organization=org, team=squad, person__full_name="Bob Teammate")
    return org, me, ann, bob


def test_the_strength_bands_cut_at_point_six_point_three_and_point_one():
    assert [strength_band(s) for s in (0.95, 0.6, 0.59, 0.3, 0.1, 0.09, 0.0)] == [
        "strong",
        "strong",
        "medium",
        "medium",
        "weak",
        "dormant",
        "dormant",
    ]


def test_the_person_list_searches_names_titles_and_emails_accent_blind(team):
    org, me, _, _ = team
    acme = f.CompanyFactory(organization=org, name="Acme")
    jose = f.PersonFactory(
        organization=org, company=acme, full_name="José Álvarez", normalized_name="jose alvarez"
    )
    cfo = f.PersonFactory(organization=org, company=acme, full_name="Carla Finance", title="CFO")
    mailed = f.PersonFactory(organization=org, company=acme, full_name="Dee Mailed")
    PersonEmail.unrestricted.create(organization=org, person=mailed, email="dee@hidden.example")
    f.PersonFactory(organization=org, company=acme, full_name="Nobody Else")

    def names(q: str) -> list[str]:
        return [r.person.full_name for r in person_list(member=me, filters=PersonFilters(q=q)).rows]

    assert names("jose") == [jose.full_name]
    assert names("Álvarez") == [jose.full_name]
    assert names("cfo") == [cfo.full_name]
    assert names("hidden.example") == [mailed.full_name]


def test_the_person_list_never_shows_another_organizations_persons(team):
    _, me, _, _ = team
    stranger = f.PersonFactory(full_name="Stranger Danger")
    rows = person_list(member=me, filters=PersonFilters(q="Stranger")).rows
    assert rows == []
    assert stranger.organization_id != me.organization_id


def test_the_person_list_filters_by_company_status_industry_and_ties(team):
    org, me, ann, _ = team
    prospect = f.CompanyFactory(organization=org, status="prospect", industry="Banking")
    other = f.CompanyFactory(organization=org, status="other", industry="Retail")
    mine = f.PersonFactory(organization=org, company=prospect)
    anns = f.PersonFactory(organization=org, company=other)
    f.PersonFactory(organization=org, company=other)
    f.TieFactory(member=me, person=mine, network_class=NetworkClass.PROSPECT)
    f.TieFactory(member=ann, person=anns)

    def ids(**kw) -> set[int]:
        return {r.person.pk for r in person_list(member=me, filters=PersonFilters(**kw), per_page=200).rows}

    assert ids(status="prospect") == {mine.pk}
    assert ids(industry="Retail") >= {anns.pk} and mine.pk not in ids(industry="Retail")
    assert ids(company_id=prospect.pk) == {mine.pk}
    assert ids(tied="me") == {mine.pk}
    assert ids(tied="team") == {mine.pk, anns.pk}
    assert ids(network_class="prospect") == {mine.pk}
    assert ids(network_class="market") == set()


def test_the_person_list_shows_my_tie_band_and_counts_teammates_ties(team):
    org, me, ann, bob = team
    p = f.PersonFactory(organization=org, full_name="Aaron First")
    f.TieFactory(member=me, person=p, strength=0.8, notes="secret")
    f.TieFactory(member=ann, person=p, visibility=Visibility.PRIVATE)
    f.TieFactory(member=bob, person=p)
    row = next(r for r in person_list(member=me).rows if r.person.pk == p.pk)
    assert row.my_tie is not None and row.my_tie.band == "strong" and row.my_tie.access is TieAccess.FULL
    assert row.team_ties == 2


def test_the_person_list_paginates_and_clamps_the_page_number(team):
    org, me, _, _ = team
    for i in range(7):
        f.PersonFactory(organization=org, full_name=f"Paged {i}", normalized_name=f"paged {i}")
    page = person_list(member=me, filters=PersonFilters(q="paged"), page=2, per_page=3)
    assert [r.person.full_name for r in page.rows] == ["Paged 3", "Paged 4", "Paged 5"]
    assert (page.count, page.num_pages, page.has_previous, page.has_next) == (7, 3, True, True)
    last = person_list(member=me, filters=PersonFilters(q="paged"), page=99, per_page=3)
    assert last.number == 3 and [r.person.full_name for r in last.rows] == ["Paged 6"]


def test_a_person_shows_own_ties_in_full_teammates_as_bands_and_private_ones_as_ask(team):
    org, me, ann, bob = team
    p = f.PersonFactory(organization=org)
    f.TieFactory(member=me, person=p, strength=0.8, notes="my note")
    f.TieFactory(member=ann, person=p, strength=0.4, notes="ann's note", visibility=Visibility.TEAM)
    f.TieFactory(member=bob, person=p, strength=0.9, notes="bob's note", visibility=Visibility.PRIVATE)
    detail = person_detail(member=me, person_id=p.pk)
    assert detail is not None
    views = {v.member_name: v for v in detail.ties}
    assert detail.ties[0].access is TieAccess.FULL  # own tie first
    assert views["Me Myself"].strength == pytest.approx(0.8) and views["Me Myself"].notes == "my note"
    assert views["Ann Teammate"].access is TieAccess.BAND and views["Ann Teammate"].band == "medium"
    assert views["Ann Teammate"].notes is None and views["Ann Teammate"].strength is None
    assert views["Bob Teammate"].access is TieAccess.ASK
    assert views["Bob Teammate"].band is None and views["Bob Teammate"].network_class is None
    assert detail.own_tie is not None and detail.own_tie.visibility == "team"
    assert person_detail(member=ann, person_id=p.pk).own_tie.visibility == "team"  # type: ignore[union-attr]
    assert person_detail(member=bob, person_id=p.pk).own_tie.visibility == "private"  # type: ignore[union-attr]


def test_another_team_s_ties_do_not_show_to_a_seller(team):
    org, me, _, _ = team
    outsider = f.MemberFactory(organization=org, team=f.TeamFactory(organization=org))
    p = f.PersonFactory(organization=org)
    f.TieFactory(member=outsider, person=p)
    detail = person_detail(member=me, person_id=p.pk)
    assert detail is not None and detail.ties == []


def test_a_person_of_another_organization_is_none(team):
    _, me, _, _ = team
    assert person_detail(member=me, person_id=f.PersonFactory().pk) is None


def test_a_person_shows_links_with_source_and_weight_and_reports(team):
    org, me, _, _ = team
    boss = f.PersonFactory(organization=org, full_name="The Boss")
    p = f.PersonFactory(organization=org, reports_to=boss)
    report = f.PersonFactory(organization=org, full_name="A Report", reports_to=p)
    friend = f.PersonFactory(organization=org, full_name="A Friend")
    f.LinkFactory(organization=org, a=p, b=friend, weight=0.9, source="met")
    f.LinkFactory(organization=org, a=p, b=boss, weight=0.4, source="org_chart")
    detail = person_detail(member=me, person_id=p.pk)
    assert detail is not None
    assert detail.person.reports_to == boss
    assert [r.full_name for r in detail.reports] == [report.full_name]
    assert [(lk.other.full_name, lk.source_label, lk.weight) for lk in detail.links] == [
        ("A Friend", "Met together", 0.9),
        ("The Boss", "Org chart", 0.4),
    ]
    assert detail.links_total == 2


def test_a_seller_sees_only_their_own_interactions_with_a_person(team):
    org, me, ann, _ = team
    p = f.PersonFactory(organization=org)
    witness = f.PersonFactory(organization=org, full_name="Wendy Witness")
    now = timezone.now()
    mine = f.InteractionFactory(member=me, subject="my lunch", occurred_at=now - timedelta(days=1))
    anns = f.InteractionFactory(member=ann, subject="ann's call", occurred_at=now)
    for i in (mine, anns):
        InteractionParticipant.unrestricted.create(organization=org, interaction=i, person=p)
    InteractionParticipant.unrestricted.create(organization=org, interaction=mine, person=witness)
    detail = person_detail(member=me, person_id=p.pk)
    assert detail is not None
    assert [i.subject for i in detail.interactions] == ["my lunch"]
    assert detail.interactions[0].others == ["Wendy Witness"]
    assert detail.interactions_total == 1


def test_the_manager_sees_the_team_s_interactions(team):
    org, me, ann, _ = team
    boss = f.MemberFactory(organization=org, role=Role.MANAGER)
    me.team.managers.add(boss)
    p = f.PersonFactory(organization=org)
    i = f.InteractionFactory(member=ann, subject="ann's call")
    InteractionParticipant.unrestricted.create(organization=org, interaction=i, person=p)
    detail = person_detail(member=boss, person_id=p.pk)
    assert detail is not None and [x.subject for x in detail.interactions] == ["ann's call"]


def test_the_company_list_counts_people_open_deals_and_ties(team):
    org, me, ann, _ = team
    acme = f.CompanyFactory(organization=org, name="Acme", normalized_name="acme", status="prospect")
    p1, p2 = f.PersonFactory(organization=org, company=acme), f.PersonFactory(organization=org, company=acme)
    f.TieFactory(member=me, person=p1)
    f.TieFactory(member=ann, person=p2)
    f.DealFactory(owner=me, company=acme, stage=Stage.BUY_IN)
    f.DealFactory(owner=me, company=acme, stage=Stage.WON)
    stranger_deal_owner = f.MemberFactory(organization=org, team=f.TeamFactory(organization=org))
    f.DealFactory(owner=stranger_deal_owner, company=acme, stage=Stage.CLOSE)  # not visible to me
    row = company_list(member=me, filters=CompanyFilters(q="acme")).rows[0]
    assert (row.company, row.people, row.open_deals, row.my_ties, row.team_ties) == (acme, 2, 1, 1, 1)


def test_the_company_list_filters_by_status_and_finds_by_domain(team):
    org, me, _, _ = team
    acme = f.CompanyFactory(organization=org, name="Acme", status="customer")
    acme.domains.create(organization=org, domain="acme-widgets.example")
    f.CompanyFactory(organization=org, name="Other", status="prospect")
    assert [r.company for r in company_list(member=me, filters=CompanyFilters(q="widgets")).rows] == [acme]
    statuses = {
        r.company.status for r in company_list(member=me, filters=CompanyFilters(status="customer")).rows
    }
    assert statuses == {"customer"}


def test_the_org_chart_is_a_tree_along_reports_to_with_roles_and_ties(team):
    org, me, _ann, bob = team
    acme = f.CompanyFactory(organization=org, name="Acme")
    ceo = f.PersonFactory(organization=org, company=acme, full_name="Ceo")
    cfo = f.PersonFactory(organization=org, company=acme, full_name="Cfo", reports_to=ceo)
    cto = f.PersonFactory(organization=org, company=acme, full_name="Cto", reports_to=ceo)
    dev = f.PersonFactory(organization=org, company=acme, full_name="Dev", reports_to=cto)
    f.PersonFactory(organization=org, company=acme, full_name="Loner")
    deal = f.DealFactory(owner=me, company=acme, stage=Stage.BUY_IN)
    f.BuyingRoleFactory(deal=deal, person=cfo, role="economic_buyer", stance="supporter")
    lost = f.DealFactory(owner=me, company=acme, stage=Stage.LOST)
    f.BuyingRoleFactory(deal=lost, person=dev, role="blocker", stance="opponent")
    f.TieFactory(member=me, person=cto, strength=0.7)
    f.TieFactory(member=bob, person=cto, visibility=Visibility.PRIVATE)
    chart = company_org_chart(member=me, company_id=acme.pk)
    assert chart is not None
    shape = [(n.person.full_name, n.depth, n.opens, n.closes) for n in chart.nodes]
    assert shape == [
        ("Ceo", 0, True, 0),
        ("Cfo", 1, False, 0),
        ("Cto", 1, True, 0),
        ("Dev", 2, False, 2),
        ("Loner", 0, False, 0),
    ]
    by_name = {n.person.full_name: n for n in chart.nodes}
    assert {name: n.below for name, n in by_name.items()} == {
        "Ceo": 3,
        "Cfo": 0,
        "Cto": 1,
        "Dev": 0,
        "Loner": 0,
    }
    assert [(r.role, r.stance) for r in by_name["Cfo"].roles] == [("economic_buyer", "supporter")]
    assert by_name["Dev"].roles == []  # a lost deal's roles are not shown
    assert [(t.member_name, t.access) for t in by_name["Cto"].ties] == [
        ("Me Myself", TieAccess.FULL),
        ("Bob Teammate", TieAccess.ASK),
    ]
    assert (chart.people, chart.tied_people, chart.roles_people) == (5, 1, 1)


def test_the_org_chart_survives_a_reports_to_cycle_in_old_data(team):
    org, me, _, _ = team
    acme = f.CompanyFactory(organization=org)
    a = f.PersonFactory(organization=org, company=acme, full_name="A")
    b = f.PersonFactory(organization=org, company=acme, full_name="B", reports_to=a)
    type(a).unrestricted.filter(pk=a.pk).update(reports_to=b)  # a cycle written behind the services' back
    chart = company_org_chart(member=me, company_id=acme.pk)
    assert chart is not None
    assert sorted(n.person.full_name for n in chart.nodes) == ["A", "B"]
    assert sum(n.opens for n in chart.nodes) == sum(n.closes for n in chart.nodes)


def test_a_company_of_another_organization_has_no_org_chart(team):
    _, me, _, _ = team
    assert company_org_chart(member=me, company_id=f.CompanyFactory().pk) is None


def test_the_person_search_finds_names_with_punctuation_either_way(team):
    org, me, _, _ = team
    oneil = f.PersonFactory(organization=org, full_name="Mary O'Neil", normalized_name="mary oneil")
    hyphen = f.PersonFactory(organization=org, full_name="Jean-Luc Picard", normalized_name="jean-luc picard")
    for q, who in (("O'Neil", oneil), ("oneil", oneil), ("jean-luc", hyphen)):
        assert [r.person for r in person_list(member=me, filters=PersonFilters(q=q)).rows] == [who], q


def test_the_person_list_orders_my_ties_by_strength_or_latest_contact(team):
    org, me, ann, _ = team
    now = timezone.now()
    weak = f.PersonFactory(organization=org, full_name="A Weak")
    strong = f.PersonFactory(organization=org, full_name="B Strong")
    fresh = f.PersonFactory(organization=org, full_name="C Fresh")
    f.TieFactory(member=me, person=weak, strength=0.2, last_interaction=now - timedelta(days=1))
    f.TieFactory(
        member=me,
        person=strong,
        strength=0.3,
        strength_override=0.9,
        last_interaction=now - timedelta(days=90),
    )
    f.TieFactory(member=me, person=fresh, strength=0.5, last_interaction=now)
    f.TieFactory(member=ann, person=f.PersonFactory(organization=org, full_name="D Anns"), strength=1.0)

    def names(sort: str) -> list[str]:
        return [r.person.full_name for r in person_list(member=me, filters=PersonFilters(sort=sort)).rows]

    assert names("strength") == ["B Strong", "C Fresh", "A Weak"]
    assert names("recent") == ["C Fresh", "A Weak", "B Strong"]
