"""The tie-strength formula (revere.analytics.strength): pure, no database."""

from __future__ import annotations

import numpy as np
import pytest

from revere.analytics import strength as s

pytestmark = pytest.mark.unit


def one_tie(kinds, ages, *, audience=None, outbound=None):
    n = len(kinds)
    return float(
        s.tie_strengths(
            [0] * n,
            ages,
            s.kind_codes(kinds),
            audience or [2] * n,
            outbound if outbound is not None else [True] * n,
            n_ties=1,
        )[0]
    )


def test_strength_is_zero_without_interactions_and_stays_within_zero_and_one():
    rng = np.random.default_rng(7)
    n = 5_000
    values = s.tie_strengths(
        rng.integers(0, 300, n),
        rng.uniform(-10, 900, n),
        rng.integers(0, len(s.KINDS), n),
        rng.integers(1, 500, n),
        rng.random(n) < 0.5,
        n_ties=400,
    )
    assert values.shape == (400,)
    assert values.min() >= 0.0 and values.max() <= 1.0
    assert (values[300:] == 0).all()


def test_recent_interactions_count_more_than_old_ones():
    assert one_tie(["meeting"] * 3, [5, 10, 15]) > one_tie(["meeting"] * 3, [400, 410, 420])


def test_a_meeting_counts_more_than_a_call_and_a_call_more_than_an_email_and_an_email_more_than_an_event():
    codes = s.kind_codes(["meeting", "call", "email", "event"])
    values = s.interaction_weights([3] * 4, codes, [2] * 4, [True] * 4).tolist()
    assert values == sorted(values, reverse=True)
    assert len(set(values)) == 4
    assert one_tie(["meeting"], [3]) > one_tie(["call"], [3])


def test_frequency_saturates_with_diminishing_returns():
    ten, twenty, forty = (one_tie(["meeting"] * n, [1] * n) for n in (10, 20, 40))
    assert ten < twenty < forty < 1.0
    assert (forty - twenty) < (twenty - ten)


def test_one_way_messages_count_little_against_answered_ones():
    cold = one_tie(["email"] * 4, [1, 8, 15, 22], outbound=[True] * 4)
    answered = one_tie(["email"] * 4, [1, 2, 15, 16], outbound=[True, False, True, False])
    assert answered > 3 * cold


def test_a_mail_to_thirty_people_says_little_about_any_one_of_them():
    alone = one_tie(["email", "email"], [1, 2], outbound=[True, False])
    crowd = one_tie(["email", "email"], [1, 2], audience=[31, 31], outbound=[True, False])
    assert crowd < alone / 4


def test_a_call_after_an_email_answers_it_and_answers_are_found_only_on_the_same_tie():
    codes = s.kind_codes(["email", "call", "email", "email"])
    flags = s.answered_flags([0, 0, 1, 2], [10, 8, 10, 9], [True, True, True, False], codes)
    assert flags.tolist() == [True, True, False, False]


def test_a_late_answer_outside_the_window_does_not_count():
    codes = s.kind_codes(["email", "email"])
    assert s.answered_flags([0, 0], [40, 40 - s.ANSWER_WINDOW_DAYS - 1], [True, False], codes).tolist() == [
        False,
        False,
    ]


def test_bands_follow_the_documented_thresholds():
    assert s.strength_band(0.95) == "strong"
    assert s.strength_band(0.6) == "strong"
    assert s.strength_band(0.45) == "medium"
    assert s.strength_band(0.1) == "weak"
    assert s.strength_band(0.01) == "dormant"
    values = np.linspace(0, 1, 101)
    assert s.strength_bands(values).tolist() == [s.strength_band(v) for v in values]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown interaction kind 'fax'"):
        s.kind_codes(["meeting", "fax"])


def test_monthly_meetings_for_a_year_make_a_strong_tie_and_a_meeting_two_years_ago_a_dormant_one():
    assert s.strength_band(one_tie(["meeting"] * 12, [30 * m for m in range(12)])) == "strong"
    assert s.strength_band(one_tie(["meeting"], [730])) == "dormant"
