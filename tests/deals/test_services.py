"""The deal services on the real database: the stage moves (legal, illegal, history, reopen, exit
checks), the deal team, buying roles, who may change a deal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from revere.contacts.models import CompanyStatus
from revere.deals.models import BuyingRole, Deal, DealStageChange, ReferenceUse, Stage, StageRules
from revere.deals.services import (
    DealMoveRefused,
    buying_role_remove,
    buying_role_set,
    deal_create,
    deal_move_stage,
    deal_team_add,
    deal_team_remove,
    deal_team_set,
    deal_update,
)
from revere.network.graph import organization_graph
from revere.tenancy.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    org = f.OrganizationFactory()
    east = f.TeamFactory(organization=org, name="East")
    west = f.TeamFactory(organization=org, name="West")
    seller = f.MemberFactory(organization=org, team=east, person__full_name="Sam Seller")
    mate = f.MemberFactory(organization=org, team=east, person__full_name="Maya Mate")
    other = f.MemberFactory(organization=org, team=west, person__full_name="Olga Other")
    boss = f.MemberFactory(organization=org, team=None, role=Role.MANAGER, person__full_name="Mona Boss")
    east.managers.add(boss)
    acme = f.CompanyFactory(organization=org, name="Acme Freight")
    cfo = f.PersonFactory(organization=org, company=acme, full_name="Frank Money", function="Finance")
    cto = f.PersonFactory(organization=org, company=acme, full_name="Tina Tech", function="IT")
    ops = f.PersonFactory(organization=org, company=acme, full_name="Omar Ops", function="Operations")
    # Nobody turns the exit checks off: they are what the tests below meet or fail.
    return type("W", (), locals())


def _deal(w, **kw):
    return deal_create(member=w.seller, name="Acme fleet", company=w.acme, amount="120000", **kw)


def test_create_records_the_first_stage_and_makes_the_company_a_prospect(w):
    deal = _deal(w)
    assert deal.stage == Stage.IDENTIFY and deal.owner == w.seller and deal.amount == Decimal("120000.00")
    (first,) = DealStageChange.unrestricted.filter(deal=deal)
    assert (first.from_stage, first.to_stage, first.changed_by_id) == ("", Stage.IDENTIFY, w.seller.pk)
    g = organization_graph(organization_id=w.org.pk)
    klass = g.graph.attrs["network_class"]
    at = g.graph.index_of([w.cfo.pk])[0]
    assert klass.categories[klass.codes[at]] == "prospect"


def test_create_refuses_bad_input_and_writes_nothing(w):
    other_org = f.OrganizationFactory()
    foreign = f.CompanyFactory(organization=other_org)
    for kwargs, text in [
        ({"name": " ", "company": w.acme}, "needs a name"),
        ({"name": "x", "company": foreign}, "No such company"),
        ({"name": "x", "company": w.acme, "amount": "-5"}, "amount"),
        ({"name": "x", "company": w.acme, "currency": "EURO"}, "three letters"),
        ({"name": "x", "company": w.acme, "owner": w.other}, "own team"),
        ({"name": "x", "company": w.acme, "stage": "nowhere"}, "No stage"),
    ]:
        with pytest.raises(ValidationError, match=text):
            deal_create(member=w.seller, **kwargs)
    assert not Deal.unrestricted.filter(organization=w.org).exists()


def test_an_illegal_move_is_refused_with_a_message_and_nothing_written(w):
    deal = _deal(w)
    for to, reason, text in [
        (Stage.IDENTIFY, "", "already in"),
        ("stage9", "", "no stage"),
        (Stage.WON, "", "reason is needed"),
        (Stage.LOST, "", "reason is needed"),
    ]:
        with pytest.raises(DealMoveRefused, match=text):
            deal_move_stage(member=w.seller, deal=deal, to_stage=to, reason=reason)
    deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.LOST, reason="budget frozen")
    deal.refresh_from_db()
    with pytest.raises(DealMoveRefused, match="reopen it"):
        deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.WON, reason="changed their mind")
    assert DealStageChange.unrestricted.filter(deal=deal).count() == 2
    deal.refresh_from_db()
    assert deal.stage == Stage.LOST and deal.closed_at is not None


def test_a_move_forward_past_failing_checks_needs_a_reason_and_is_flagged(w):
    deal = _deal(w)
    deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.BUY_IN)  # stage 1 has no exit check
    with pytest.raises(DealMoveRefused) as refused:
        deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.SOLUTION)
    assert refused.value.needs_reason
    assert any("0 buyer threads" in m for m in refused.value.failed)
    assert any("economic buyer" in m for m in refused.value.failed)
    assert Deal.unrestricted.get(pk=deal.pk).stage == Stage.BUY_IN
    move = deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.SOLUTION, reason="CFO meeting booked")
    assert move.flagged and move.change.flagged and move.change.failed_checks == move.failed
    assert move.change.reason == "CFO meeting booked"


def test_a_move_whose_checks_pass_needs_no_reason(w):
    deal = _deal(w)
    deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.BUY_IN)
    f.TieFactory(member=w.seller, person=w.cfo, strength=0.7)
    f.TieFactory(member=w.mate, person=w.cto, strength=0.5)
    deal_team_add(member=w.seller, deal=deal, teammate=w.mate)
    buying_role_set(member=w.seller, deal=deal, person=w.cfo, role="economic_buyer")
    buying_role_set(member=w.seller, deal=deal, person=w.cto, role="technical_evaluator", stance="supporter")
    move = deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.SOLUTION)
    assert not move.flagged and move.change.reason == ""


def test_skipping_stages_runs_the_checks_of_every_stage_left(w):
    deal = _deal(w, needed_expertise=["telematics"])
    with pytest.raises(DealMoveRefused) as refused:
        deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.WON, reason="")
    assert "reason" in refused.value.text
    move = deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.WON, reason="signed at the fair")
    text = " ".join(move.failed)
    assert "buyer thread" in text and "telematics" in text and "reference" in text


def test_reopening_is_recorded_and_the_history_is_in_order(w):
    deal = _deal(w)
    deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.LOST, reason="went with a rival")
    deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.BUY_IN, reason="the rival failed")
    deal.refresh_from_db()
    assert deal.stage == Stage.BUY_IN and deal.closed_at is None
    history = list(DealStageChange.unrestricted.filter(deal=deal).order_by("changed_at", "pk"))
    assert [(h.from_stage, h.to_stage, h.reopened) for h in history] == [
        ("", Stage.IDENTIFY, False),
        (Stage.IDENTIFY, Stage.LOST, False),
        (Stage.LOST, Stage.BUY_IN, True),
    ]


def test_a_move_backward_runs_no_check(w):
    deal = _deal(w)
    deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.CLOSE, reason="fast track")
    move = deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.BUY_IN)
    assert not move.flagged


def test_rules_an_admin_edits_change_the_checks(w):
    deal = _deal(w)
    deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.BUY_IN)
    f.TieFactory(member=w.seller, person=w.cfo, strength=0.7)
    buying_role_set(member=w.seller, deal=deal, person=w.cfo, role="economic_buyer")
    with pytest.raises(DealMoveRefused):
        deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.SOLUTION)
    StageRules.unrestricted.create(organization=w.org, buy_in_min_threads=1, buy_in_min_roles=1)
    assert not deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.SOLUTION).flagged


def test_leaving_close_needs_a_reference_requested_for_the_deal(w):
    deal = _deal(w)
    deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.CLOSE, reason="skip")
    with pytest.raises(DealMoveRefused) as refused:
        deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.WON, reason="")
    customer = f.CompanyFactory(organization=w.org, status=CompanyStatus.CUSTOMER)
    ref = f.ReferenceFactory(organization=w.org, person=f.PersonFactory(organization=w.org, company=customer))
    ReferenceUse.unrestricted.create(
        organization=w.org, reference=ref, deal=deal, member=w.seller, used_on=deal.created_at.date()
    )
    move = deal_move_stage(member=w.seller, deal=deal, to_stage=Stage.WON, reason="signed")
    assert not move.flagged, move.failed
    assert refused.value.needs_reason


def test_who_may_change_a_deal(w):
    deal = _deal(w)
    for outsider in (w.mate, w.other):  # a teammate sees the deal but is not on it
        with pytest.raises(PermissionDenied):
            deal_move_stage(member=outsider, deal=deal, to_stage=Stage.LOST, reason="x")
        with pytest.raises(PermissionDenied):
            deal_update(member=outsider, deal=deal, amount="1")
    deal_team_add(member=w.seller, deal=deal, teammate=w.mate)
    assert deal_update(member=w.mate, deal=deal, amount="90000") == ["amount"]
    assert deal_update(member=w.boss, deal=deal, name="Acme fleet v2") == ["name"]
    other_org_admin = f.MemberFactory(role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        deal_move_stage(member=other_org_admin, deal=deal, to_stage=Stage.LOST, reason="x")


def test_update_counts_only_real_changes_and_never_the_stage(w):
    deal = _deal(w)
    assert deal_update(member=w.seller, deal=deal, amount="120000", name="Acme fleet") == []
    assert deal_update(member=w.seller, deal=deal, needed_expertise=["SAP", "sap", " telematics "]) == [
        "needed_expertise"
    ]
    assert Deal.unrestricted.get(pk=deal.pk).needed_expertise == ["SAP", "telematics"]
    with pytest.raises(ValidationError, match="only by a move"):
        deal_update(member=w.seller, deal=deal, stage=Stage.WON)


def test_team_and_buying_roles(w):
    deal = _deal(w)
    assert deal_team_add(member=w.seller, deal=deal, teammate=w.mate)
    assert not deal_team_add(member=w.seller, deal=deal, teammate=w.mate)
    assert not deal_team_add(member=w.seller, deal=deal, teammate=w.seller)  # the owner is on it
    assert deal_team_set(member=w.seller, deal=deal, teammates=[w.other]) == [w.other.pk]
    assert set(deal.team.through.objects.filter(deal_id=deal.pk).values_list("member_id", flat=True)) == {
        w.other.pk
    }
    assert deal_team_remove(member=w.seller, deal=deal, teammate=w.other)
    row = buying_role_set(member=w.seller, deal=deal, person=w.cfo, role="economic_buyer")
    again = buying_role_set(
        member=w.seller, deal=deal, person=w.cfo, role="economic_buyer", stance="opponent"
    )
    assert row.pk == again.pk and again.stance == "opponent"
    with pytest.raises(ValidationError, match="own company"):
        buying_role_set(member=w.seller, deal=deal, person=w.mate.person, role="user")
    with pytest.raises(ValidationError, match="No buying role"):
        buying_role_set(member=w.seller, deal=deal, person=w.cfo, role="king")
    assert buying_role_remove(member=w.seller, deal=deal, person=w.cfo) == 1
    assert not BuyingRole.unrestricted.filter(deal=deal).exists()
