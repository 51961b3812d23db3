"""How much one shared interaction says about two people knowing each other (pure arithmetic).

Every interaction two persons share adds ``inc`` to the weight of their link with
``w = 1 - (1 - w)(1 - inc)``, so weights saturate below 1 (docs/import.md). ``inc`` is 0.5 for a
meeting, an event or a call, 0.3 for an e-mail or a message, scaled by ``min(1, 3 / audience)`` (three
people in a room know each other; thirty on a thread barely do) and by 0.25 through a mailing list;
an audience above :data:`MAX_LINK_AUDIENCE` links nobody. The import and the interaction log use the
same rule, so a meeting logged by hand weighs what an imported one does.
"""

from __future__ import annotations

#: An interaction with more people than this (the member included) makes no pairwise links.
MAX_LINK_AUDIENCE = 25

#: Kinds where the participants were together (the link's source is "met together").
TOGETHER_KINDS = ("meeting", "event", "call")


def link_increment(*, kind: str, audience: int, via_list: bool) -> float:
    """What one shared interaction adds to a link's weight.

    >>> link_increment(kind="meeting", audience=3, via_list=False)
    0.5
    >>> round(link_increment(kind="email", audience=6, via_list=False), 3)
    0.15
    """
    base = 0.5 if kind in TOGETHER_KINDS else 0.3
    inc = base * min(1.0, 3.0 / max(audience, 1))
    return inc * (0.25 if via_list else 1.0)


def link_weight_add(weight: float, inc: float) -> float:
    """A link's weight after one more shared interaction: ``1 - (1 - w)(1 - inc)``, at most 1.

    >>> link_weight_add(0.5, 0.5)
    0.75
    """
    return min(1.0, 1.0 - (1.0 - weight) * (1.0 - inc))
