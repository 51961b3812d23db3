"""The ledger through the database: acts from contributions and deal teams, rules, closing months, statements."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from revere.deals.models import Stage
from revere.levers.ledger import month_of, next_month
from revere.levers.models import Contribution, LedgerEntry
from revere.levers.selectors.ledger import ledger_export, ledger_overview, ledger_statement
from revere.levers.services import introduction_mark_made, introduction_request
from revere.levers.services.ledger import credit_rules_set, period_close
from revere.tenancy.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

THIS = month_of(timezone.localdate())
LAST = month_of(date.fromordinal(THIS.toordinal() - 1))
BEFORE = month_of(date.fromordinal(LAST.toordinal() - 1))


def at(month: date, day: int = 10) -> datetime:
    return datetime(month.year, month.month, day, 12, tzinfo=UTC)


@pytest.fixture
def org():
    o = f.OrganizationFactory()
    alpha, beta = f.TeamFactory(organization=o), f.TeamFactory(organization=o)
    w = {
        "org": o,
        "asker": f.MemberFactory(organization=o, team=alpha),
        "introducer": f.MemberFactory(organization=o, team=alpha),
        "other": f.MemberFactory(organization=o, team=beta),
        "manager": f.MemberFactory(organization=o, role=Role.MANAGER),
        "admin": f.MemberFactory(organization=o, role=Role.ADMIN),
    }
    alpha.managers.add(w["manager"])
    buyer = f.CompanyFactory(organization=o, status="prospect")
    w["buyer"] = f.PersonFactory(organization=o, company=buyer)
    w["deal"] = f.DealFactory(owner=w["asker"], company=buyer, amount=Decimal("200000"), stage=Stage.BUY_IN)
    return w


def _introduce(w, month, person=None):
    c = introduction_request(
        member=w["asker"],
        introducer=w["introducer"],
        person_id=(person or w["buyer"]).pk,
        deal_id=w["deal"].pk,
    )
    introduction_mark_made(member=w["introducer"], contribution_id=c.pk)
    Contribution.unrestricted.filter(pk=c.pk).update(occurred_at=at(month))
    return c


def _win(deal):
    type(deal).unrestricted.filter(pk=deal.pk).update(stage=Stage.WON, closed_at=timezone.now())


def test_an_introduction_that_led_to_a_won_deal_is_credited_by_the_rules_and_once_only(org):
    first = _introduce(org, LAST)
    again = _introduce(org, LAST)  # asked and made a second time: the same act
    _win(org["deal"])
    s = ledger_statement(member=org["introducer"], month=LAST)
    credits = {line.entry.evidence: line.entry for line in s.lines}
    e = credits[f"introduction/{first.pk}"]
    assert (e.points, e.share, e.amount, e.credit) == (
        Decimal("50.00"),
        Decimal("2000.00"),
        Decimal("200000.00"),
        Decimal("2050.00"),
    )
    assert credits[f"introduction/{again.pk}"].credit == 0
    assert s.totals["total"] == Decimal("2050.00")


def test_the_rules_an_admin_sets_apply_and_only_an_admin_sets_them(org):
    _introduce(org, LAST)
    with pytest.raises(PermissionDenied):
        credit_rules_set(member=org["manager"], values={})
    values = {"introduction_points": "10", "reference_points": "5", "assist_points": "1", "won_share": "0.05"}
    credit_rules_set(member=org["admin"], values={**values, "cap_per_period": ""})
    _win(org["deal"])
    assert ledger_statement(member=org["introducer"], month=LAST).totals["total"] == Decimal("10010.00")
    credit_rules_set(member=org["admin"], values={**values, "cap_per_period": "500"})
    line = ledger_statement(member=org["introducer"], month=LAST).lines[0]
    assert (line.entry.credit, line.entry.note) == (Decimal("500.00"), "capped at 500.00 a month")
    with pytest.raises(ValidationError):
        credit_rules_set(member=org["admin"], values={**values, "won_share": "1.5"})
    with pytest.raises(ValidationError):
        credit_rules_set(member=org["admin"], values={**values, "assist_points": "lots"})


def test_a_closed_period_does_not_change_and_a_later_win_goes_to_the_next_month_as_an_adjustment(org):
    c = _introduce(org, BEFORE)
    period_close(member=org["admin"], month=BEFORE)
    stored = list(LedgerEntry.unrestricted.filter(period__month=BEFORE).values_list("credit", flat=True))
    assert stored == [Decimal("50.00")]
    credit_rules_set(
        member=org["admin"],
        values={
            "introduction_points": "999",
            "reference_points": "1",
            "assist_points": "1",
            "won_share": "0.01",
        },
    )
    _win(org["deal"])
    before = ledger_statement(member=org["introducer"], month=BEFORE)
    assert before.closed and [line.entry.credit for line in before.lines] == [Decimal("50.00")]
    [adjustment] = ledger_statement(member=org["introducer"], month=LAST).lines
    assert adjustment.entry.evidence == f"introduction/{c.pk}" and adjustment.entry.adjusts == BEFORE
    assert adjustment.entry.credit == Decimal("2000.00")  # the share, under the closed month's rules
    period_close(member=org["admin"], month=LAST)
    assert ledger_statement(member=org["introducer"], month=THIS).lines == []  # adjusted once only
    with pytest.raises(ValidationError, match="closed already"):
        period_close(member=org["admin"], month=LAST)
    with pytest.raises(ValidationError, match="has not ended"):
        period_close(member=org["admin"], month=THIS)
    with pytest.raises(PermissionDenied):
        period_close(member=org["manager"], month=BEFORE)


def test_each_member_of_a_won_deals_team_but_its_owner_gets_an_assist(org):
    org["deal"].team.add(org["introducer"], org["asker"])
    assert ledger_statement(member=org["introducer"]).lines == []
    _win(org["deal"])
    [line] = ledger_statement(member=org["introducer"], month=THIS).lines
    assert (line.entry.kind, line.entry.evidence, line.entry.credit) == (
        "assist",
        f"deal-team/{org['deal'].pk}",
        Decimal("25.00"),
    )
    assert ledger_statement(member=org["asker"], month=THIS).lines == []  # the owner


def test_a_recorded_assist_and_the_deal_team_are_one_act(org):
    org["deal"].team.add(org["introducer"])
    f.ContributionFactory(
        member=org["introducer"], kind="assist", deal=org["deal"], occurred_at=at(LAST), status="made"
    )
    _win(org["deal"])
    credited = [
        line.entry.credit
        for m in (LAST, THIS)
        for line in ledger_statement(member=org["introducer"], month=m).lines
    ]
    assert sorted(credited) == [Decimal("0"), Decimal("25.00")]


def test_a_seller_sees_only_their_own_statements_and_a_manager_their_teams(org):
    _introduce(org, LAST)
    with pytest.raises(LookupError):
        ledger_statement(member=org["asker"], subject=org["introducer"], month=LAST)
    with pytest.raises(LookupError):
        ledger_statement(member=org["manager"], subject=org["other"], month=LAST)
    assert ledger_statement(member=org["manager"], subject=org["introducer"], month=LAST).lines
    assert [r["member_id"] for r in ledger_overview(member=org["asker"], month=LAST).members] == []
    assert [r["member_id"] for r in ledger_overview(member=org["manager"], month=LAST).members] == [
        org["introducer"].pk
    ]
    stranger = f.MemberFactory(role=Role.ADMIN)
    with pytest.raises(LookupError):
        ledger_statement(member=stranger, subject=org["introducer"], month=LAST)
    assert ledger_export(member=stranger) == []


def test_the_export_has_what_an_incentive_tool_takes(org):
    c = _introduce(org, LAST)
    _win(org["deal"])
    [row] = ledger_export(member=org["admin"], month=LAST)
    assert row["member"] == org["introducer"].user.email
    assert (row["period"], row["kind"], row["evidence_id"], row["deal"]) == (
        f"{LAST:%Y-%m}",
        "introduction",
        f"introduction/{c.pk}",
        org["deal"].pk,
    )
    assert (row["amount"], row["credit"]) == ("200000.00", "2050.00")
    assert row["deal_name"] == org["deal"].name
    assert next_month(LAST) == THIS


def test_a_deal_the_viewer_may_not_see_is_named_by_number_only(org):
    deal = f.DealFactory(owner=org["other"], company=org["buyer"].company, name="Beta secret deal")
    c = introduction_request(
        member=org["other"], introducer=org["introducer"], person_id=org["buyer"].pk, deal_id=deal.pk
    )
    introduction_mark_made(member=org["introducer"], contribution_id=c.pk)
    [line] = ledger_statement(member=org["manager"], subject=org["introducer"]).lines
    assert line.deal_name == f"Deal #{deal.pk} (not yours to see)"
    assert (
        ledger_statement(member=org["admin"], subject=org["introducer"]).lines[0].deal_name
        == "Beta secret deal"
    )
