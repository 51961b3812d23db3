"""The credit rules as plain computation: points, the won-deal share, no double credit, caps, closed months."""

from datetime import date
from decimal import Decimal

import pytest

from revere.levers.ledger import Act, Rules, credit_month, ledger, parse_month, totals

pytestmark = pytest.mark.unit

RULES = Rules(
    introduction=Decimal("50"), reference=Decimal("100"), assist=Decimal("25"), won_share=Decimal("0.01")
)
JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)


def intro(pk, on, *, won=False, amount="100000", member=1, person=7, beneficiary=2, made=True):
    return Act(
        member_id=member,
        kind="introduction",
        evidence=f"introduction/{pk}",
        identity=(beneficiary, person),
        occurred_on=on,
        counts=made,
        contribution_id=pk,
        deal_id=99,
        deal_amount=Decimal(amount),
        won_share_applies=won,
    )


def test_an_introduction_that_led_to_a_won_deal_earns_its_points_and_the_share_once_only():
    acts = [intro(1, date(2025, 1, 10), won=True), intro(2, date(2025, 1, 20), won=True)]  # asked twice
    first, second = credit_month(acts, JAN, RULES)
    assert (first.points, first.share, first.amount, first.credit) == (
        Decimal("50.00"),
        Decimal("1000.00"),
        Decimal("100000.00"),
        Decimal("1050.00"),
    )
    assert second.credit == 0 and second.note == "the same act was credited already"
    later = credit_month([*acts, intro(3, date(2025, 2, 3), won=True)], FEB, RULES)
    assert [e.credit for e in later] == [0]  # the same act in a later month is still the same act


def test_an_introduction_not_made_or_whose_deal_is_not_won_earns_no_share():
    pending, open_deal = intro(1, date(2025, 1, 5), made=False), intro(2, date(2025, 1, 6), person=8)
    a, b = credit_month([pending, open_deal], JAN, RULES)
    assert (a.credit, a.note) == (0, "not made")
    assert (b.points, b.share, b.credit) == (Decimal("50.00"), 0, Decimal("50.00"))


def test_the_cap_limits_a_members_month_in_the_order_of_the_acts():
    capped = Rules(
        introduction=Decimal("50"), reference=Decimal("100"), assist=Decimal("25"), cap=Decimal("120")
    )
    acts = [intro(k, date(2025, 1, k), person=k) for k in range(1, 5)]
    entries = credit_month(acts, JAN, capped)
    assert [e.credit for e in entries] == [Decimal("50.00"), Decimal("50.00"), Decimal("20.00"), 0]
    assert entries[2].note == "capped at 120.00 a month"
    assert totals(entries)["total"] == Decimal("120.00")
    other = credit_month([*acts, intro(9, date(2025, 1, 9), member=3)], JAN, capped)
    assert other[-1].credit == Decimal("50.00")  # the cap is per member


def test_a_closed_month_does_not_change_and_a_later_win_goes_to_the_next_open_month():
    act = intro(1, date(2025, 1, 10))
    live = ledger([act], current_rules=RULES, closed={}, today=date(2025, 3, 15))
    assert [(m, [e.credit for e in es]) for m, es in live.items()] == [(JAN, [Decimal("50.00")])]
    closed = {JAN: (RULES, live[JAN])}
    won = intro(1, date(2025, 1, 10), won=True)  # the deal is won in March
    richer = Rules(introduction=Decimal("80"), reference=Decimal("100"), assist=Decimal("25"))
    after = ledger([won], current_rules=richer, closed=closed, today=date(2025, 3, 15))
    assert after[JAN] == live[JAN]  # stored, unchanged
    [adj] = after[FEB]  # the first open month after January
    assert (adj.credit, adj.adjusts, adj.evidence) == (Decimal("1000.00"), JAN, "introduction/1")
    assert adj.note == "adjusts 2025-01: 50.00 credited, 1050.00 due"  # January's own rules, not the new 80
    assert MAR not in after
    closed[FEB] = (richer, after[FEB])
    again = ledger([won], current_rules=richer, closed=closed, today=date(2025, 3, 15))
    assert list(again) == [JAN, FEB]  # nothing more to adjust


def test_a_deleted_act_of_a_closed_month_is_taken_back_in_the_next_open_month():
    act = intro(1, date(2025, 1, 10))
    closed = {JAN: (RULES, ledger([act], current_rules=RULES, closed={}, today=FEB)[JAN])}
    after = ledger([], current_rules=RULES, closed=closed, today=FEB)
    assert [e.credit for e in after[FEB]] == [Decimal("-50.00")]


def test_assists_count_once_their_deal_is_won():
    def assist(won):
        return Act(
            member_id=4,
            kind="assist",
            evidence="deal-team/99",
            identity=(99,),
            occurred_on=date(2025, 1, 3),
            counts=won,
            deal_id=99,
        )

    assert credit_month([assist(False)], JAN, RULES)[0].note == "deal not won (yet)"
    assert credit_month([assist(True)], JAN, RULES)[0].credit == Decimal("25.00")


def test_months_are_written_yyyy_mm():
    assert parse_month("2025-03") == MAR
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month("March")
    assert Rules.from_json(RULES.as_json()) == RULES
