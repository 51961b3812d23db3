"""Tie strength from interactions: recency, frequency, channel, reciprocity and audience.

A tie's strength is a number in [0, 1] computed from the interactions between a member and a
person. Granovetter (1973) defines the strength of a tie as "a (probably linear) combination of
the amount of time, the emotional intensity, the intimacy (mutual confiding), and the
reciprocal services which characterize the tie"; Marsden and Campbell (1984), measuring tie
strength on survey data, find *closeness* the best indicator and warn that *frequency* and
*duration* are contaminated by context (co-workers see each other often without being close).
Revere can only observe interactions, so it estimates the tie from them:

.. math::

    c_i = w_{k_i} \\; a(n_i) \\; r_i \\; 2^{-t_i / H}

    s = 1 - \\exp\\bigl(-\\textstyle\\sum_i c_i / K\\bigr)

for the interactions :math:`i` of the tie, where

* :math:`w_k` is the channel weight of the interaction's kind (:data:`CHANNEL_WEIGHTS`: a
  meeting says more about closeness than a call, a call more than a message, a large event
  least): the intensity and intimacy of Granovetter's definition;
* :math:`a(n) = 1 / \\sqrt{\\max(n - 1, 1)}` for an audience of :math:`n` people including the
  member (:func:`audience_factors`): a mail to thirty people, or through a mailing list, says
  little about any one pair of them;
* :math:`r_i` is 1 for meetings, calls and events, and for messages (e-mail, chat) with an
  exchange in the other direction within :data:`ANSWER_WINDOW_DAYS` (an answer, or what they
  answer); a one-way message counts :data:`UNANSWERED_WEIGHT` (:func:`answered_flags`):
  Granovetter's reciprocity;
* :math:`t_i` is the interaction's age in days and :math:`H` the half-life
  :data:`HALF_LIFE_DAYS` (:func:`recency_factors`): ties decay when not maintained;
* the sum is the tie's recency-weighted *frequency*, and the saturating transform with scale
  :data:`SATURATION` gives it diminishing returns, so that the hundredth e-mail to a co-worker
  adds almost nothing (Marsden and Campbell's warning about frequency).

The strength falls into one of four bands (:func:`strength_bands`) by :data:`BAND_THRESHOLDS`.
``docs/strength.md`` gives the constants' reasons and worked examples.

References
----------
M. S. Granovetter, "The Strength of Weak Ties", American Journal of Sociology 78(6), 1973.
P. V. Marsden and K. E. Campbell, "Measuring Tie Strength", Social Forces 63(2), 1984.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Interaction kinds, in the order of their integer codes (see :func:`kind_codes`).
KINDS: tuple[str, ...] = ("meeting", "call", "email", "message", "event")

#: Weight of one interaction by channel: meeting > call > e-mail = message > event.
CHANNEL_WEIGHTS: dict[str, float] = {
    "meeting": 1.0,
    "call": 0.7,
    "email": 0.4,
    "message": 0.4,
    "event": 0.25,
}

#: Kinds that are two-way by nature: they need no answer to count in full.
TWO_WAY_KINDS: frozenset[str] = frozenset({"meeting", "call", "event"})

#: Days after which an interaction counts half as much.
HALF_LIFE_DAYS: float = 180.0

#: Scale of the saturating transform: a recency-weighted sum of K gives 1 - 1/e = 0.63.
SATURATION: float = 4.0

#: Weight of a message that got no answer in the other direction.
UNANSWERED_WEIGHT: float = 0.2

#: A message counts as answered when the other side wrote (or met, or called) within this many days.
ANSWER_WINDOW_DAYS: float = 14.0

#: Lower bounds of the bands, strongest first; below the last bound a tie is dormant.
BAND_THRESHOLDS: tuple[tuple[str, float], ...] = (("strong", 0.6), ("medium", 0.3), ("weak", 0.08))
DORMANT: str = "dormant"

_CHANNEL_BY_CODE: NDArray[np.float64] = np.array([CHANNEL_WEIGHTS[k] for k in KINDS], dtype=np.float64)
_TWO_WAY_BY_CODE: NDArray[np.bool_] = np.array([k in TWO_WAY_KINDS for k in KINDS], dtype=bool)


def kind_codes(kinds: Sequence[str]) -> NDArray[np.int8]:
    """Integer codes (positions in :data:`KINDS`) of interaction kinds.

    Parameters
    ----------
    kinds : sequence of str
        Kinds among :data:`KINDS`.

    Returns
    -------
    ndarray of int8

    Raises
    ------
    ValueError
        On a kind that is not in :data:`KINDS`.

    Examples
    --------
    >>> kind_codes(["meeting", "email", "event"]).tolist()
    [0, 2, 4]
    """
    index = {k: i for i, k in enumerate(KINDS)}
    try:
        return np.fromiter((index[k] for k in kinds), dtype=np.int8, count=len(kinds))
    except KeyError as exc:
        raise ValueError(f"unknown interaction kind {exc.args[0]!r}; expected one of {KINDS}") from None


def channel_weights(codes: ArrayLike) -> NDArray[np.float64]:
    """Channel weight :math:`w_k` of each interaction from its kind code.

    Examples
    --------
    >>> channel_weights(kind_codes(["meeting", "call", "message", "event"])).tolist()
    [1.0, 0.7, 0.4, 0.25]
    """
    return _CHANNEL_BY_CODE[np.asarray(codes, dtype=np.intp)]


def two_way(codes: ArrayLike) -> NDArray[np.bool_]:
    """Whether each interaction's kind is two-way by nature (meeting, call, event).

    Examples
    --------
    >>> two_way(kind_codes(["meeting", "email"])).tolist()
    [True, False]
    """
    return _TWO_WAY_BY_CODE[np.asarray(codes, dtype=np.intp)]


def recency_factors(age_days: ArrayLike, half_life: float = HALF_LIFE_DAYS) -> NDArray[np.float64]:
    """Exponential decay :math:`2^{-t/H}`; ages below zero (future dates) count as zero.

    Examples
    --------
    >>> recency_factors([0, 180, 360]).tolist()
    [1.0, 0.5, 0.25]
    >>> recency_factors([-5.0]).tolist()
    [1.0]
    """
    age = np.maximum(np.asarray(age_days, dtype=np.float64), 0.0)
    return np.exp2(-age / half_life)


def audience_factors(audience: ArrayLike) -> NDArray[np.float64]:
    """:math:`1/\\sqrt{\\max(n-1, 1)}` for an audience of n people, the member included.

    A one-to-one exchange (n = 2) counts in full; a meeting of five others half; a mail to
    thirty people about a fifth.

    Examples
    --------
    >>> audience_factors([1, 2, 5, 101]).round(3).tolist()
    [1.0, 1.0, 0.5, 0.1]
    """
    n = np.asarray(audience, dtype=np.float64)
    return 1.0 / np.sqrt(np.maximum(n - 1.0, 1.0))


def answered_flags(
    tie_index: ArrayLike,
    age_days: ArrayLike,
    outbound: ArrayLike,
    codes: ArrayLike,
    window_days: float = ANSWER_WINDOW_DAYS,
) -> NDArray[np.bool_]:
    """Whether each interaction counts as reciprocated (:math:`r_i = 1`).

    Meetings, calls and events are two-way and always count. A message (e-mail, chat) counts
    when, on the same tie and within ``window_days`` of it (before or after), there is a message
    in the other direction or a two-way interaction: it answered something or got an answer, so
    both messages of an exchange count in full. A message with nothing from the other side
    around it counts little: a seller's cold e-mails, a vendor's newsletter the member never
    answers.

    Parameters
    ----------
    tie_index : array_like of int
        The tie each interaction belongs to (any non-negative integer key).
    age_days : array_like of float
        Age of each interaction in days (larger is older).
    outbound : array_like of bool
        True when the member started the interaction (sent the message).
    codes : array_like of int
        Kind codes (:func:`kind_codes`).
    window_days : float
        How long an answer may take.

    Returns
    -------
    ndarray of bool

    Examples
    --------
    Tie 0: an e-mail out 20 days ago answered 18 days ago; tie 1: an e-mail out with no answer;
    tie 2: an e-mail followed by a call three days later; tie 3: an e-mail in, answered a
    month later (too late).

    >>> codes = kind_codes(["email", "email", "email", "email", "call", "email", "email"])
    >>> ties, ages = [0, 0, 1, 2, 2, 3, 3], [20, 18, 20, 10, 7, 60, 30]
    >>> outbound = [True, False, True, True, True, False, True]
    >>> answered_flags(ties, ages, outbound, codes).tolist()
    [True, True, False, True, True, False, False]
    """
    tie = np.asarray(tie_index, dtype=np.int64)
    age = np.asarray(age_days, dtype=np.float64)
    out = np.asarray(outbound, dtype=bool)
    both = two_way(codes)
    result = both.copy()
    if tie.size == 0:
        return result
    # Time runs forward: t = -age. Key = tie * span + t puts each tie on its own stretch of the line.
    t = -age
    span = float(np.ptp(t)) + 2.0 * window_days + 1.0
    key = tie.astype(np.float64) * span + (t - t.min())
    for direction in (True, False):
        asking = (~both) & (out == direction)
        if not asking.any():
            continue
        # Answers to a message in this direction: messages the other way, and two-way interactions.
        answers = np.sort(key[both | (out != direction)])
        if answers.size == 0:
            continue
        # The nearest answer on the same tie, after (pos) or before (pos - 1) the message.
        asked = key[asking]
        pos = np.searchsorted(answers, asked, side="left")
        after = np.where(pos < answers.size, answers[np.minimum(pos, answers.size - 1)] - asked, np.inf)
        before = np.where(pos > 0, asked - answers[np.maximum(pos - 1, 0)], np.inf)
        gap = np.minimum(after, before)
        result[asking] = gap <= window_days
    return result


def interaction_weights(
    age_days: ArrayLike,
    codes: ArrayLike,
    audience: ArrayLike,
    answered: ArrayLike,
    *,
    half_life: float = HALF_LIFE_DAYS,
) -> NDArray[np.float64]:
    """Contribution :math:`c_i = w_k \\, a(n) \\, r \\, 2^{-t/H}` of each interaction.

    Examples
    --------
    A one-to-one meeting today, an answered e-mail half a year ago, an unanswered one today:

    >>> codes = kind_codes(["meeting", "email", "email"])
    >>> interaction_weights([0, 180, 0], codes, [2, 2, 2], [True, True, False]).round(3).tolist()
    [1.0, 0.2, 0.08]
    """
    reciprocity = np.where(np.asarray(answered, dtype=bool), 1.0, UNANSWERED_WEIGHT)
    return (
        channel_weights(codes)
        * audience_factors(audience)
        * reciprocity
        * recency_factors(age_days, half_life)
    )


def saturate(total: ArrayLike, scale: float = SATURATION) -> NDArray[np.float64]:
    """Map a recency-weighted frequency onto [0, 1): :math:`1 - e^{-x/K}`.

    Examples
    --------
    >>> saturate([0.0, 4.0, 40.0]).round(3).tolist()
    [0.0, 0.632, 1.0]
    """
    x = np.maximum(np.asarray(total, dtype=np.float64), 0.0)
    return -np.expm1(-x / scale)


def tie_strengths(
    tie_index: ArrayLike,
    age_days: ArrayLike,
    codes: ArrayLike,
    audience: ArrayLike,
    outbound: ArrayLike,
    *,
    n_ties: int,
    half_life: float = HALF_LIFE_DAYS,
    scale: float = SATURATION,
) -> NDArray[np.float64]:
    """Strength in [0, 1] of every tie from the arrays of its interactions.

    Parameters
    ----------
    tie_index : array_like of int
        For each interaction row, the tie it belongs to, in ``range(n_ties)``. An interaction
        with several of the member's contacts appears once per tie.
    age_days : array_like of float
        Age of the interaction in days at the moment of computation.
    codes : array_like of int
        Kind codes (:func:`kind_codes`).
    audience : array_like of int
        People on the interaction, the member included (2 for one-to-one).
    outbound : array_like of bool
        True when the member started it.
    n_ties : int
        Number of ties; ties without interactions get strength 0.
    half_life, scale : float
        :data:`HALF_LIFE_DAYS` and :data:`SATURATION` by default.

    Returns
    -------
    ndarray of float64, shape (n_ties,)
        Values in [0, 1].

    Examples
    --------
    Tie 0 meets monthly for a year; tie 1 got three unanswered e-mails last week; tie 2 met
    once, two years ago; tie 3 has no interactions.

    >>> ages = [30.0 * m for m in range(12)] + [7, 8, 9] + [730]
    >>> ties = [0] * 12 + [1] * 3 + [2]
    >>> codes = kind_codes(["meeting"] * 12 + ["email"] * 3 + ["meeting"])
    >>> s = tie_strengths(ties, ages, codes, [2] * 16, [True] * 16, n_ties=4)
    >>> s.round(3).tolist()
    [0.821, 0.057, 0.015, 0.0]
    >>> strength_bands(s).tolist()
    ['strong', 'dormant', 'dormant', 'dormant']
    """
    tie = np.asarray(tie_index, dtype=np.int64)
    codes_arr = np.asarray(codes, dtype=np.int8)
    answered = answered_flags(tie, age_days, outbound, codes_arr)
    weights = interaction_weights(age_days, codes_arr, audience, answered, half_life=half_life)
    totals = np.bincount(tie, weights=weights, minlength=n_ties) if tie.size else np.zeros(n_ties)
    return np.clip(saturate(totals, scale), 0.0, 1.0)


def strength_bands(values: ArrayLike) -> NDArray[np.str_]:
    """Band of each strength: strong, medium, weak or dormant (:data:`BAND_THRESHOLDS`).

    Examples
    --------
    >>> strength_bands([1.0, 0.6, 0.59, 0.3, 0.08, 0.0]).tolist()
    ['strong', 'strong', 'medium', 'medium', 'weak', 'dormant']
    """
    v = np.asarray(values, dtype=np.float64)
    names = np.array([DORMANT] + [name for name, _ in reversed(BAND_THRESHOLDS)])
    bounds = np.array([bound for _, bound in reversed(BAND_THRESHOLDS)])
    return names[np.searchsorted(bounds, v, side="right")]


def strength_band(value: float) -> str:
    """Band of one strength value.

    Examples
    --------
    >>> strength_band(0.45)
    'medium'
    """
    for name, bound in BAND_THRESHOLDS:
        if value >= bound:
            return name
    return DORMANT
