"""What makes a company a customer or a prospect beyond its status: conditions registered from above.

DESIGN.md §1 classes a tie by its person's company: the own company is internal; a company with a
won deal (or status ``customer``) is a customer; one with an open deal (or status ``prospect``)
a prospect; everything else market. Deals live in a higher layer than the network (import-linter's
layers), so the deals app registers its part of the rule here when Django starts
(``revere.deals.apps``), as conditions on ``Company`` rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

#: network class -> conditions on Company that put its people in that class (besides the status).
_COMPANY_CONDITIONS: dict[str, list[Callable[[], Q]]] = {"customer": [], "prospect": []}


def company_class_condition_register(network_class: str, condition: Callable[[], Q]) -> None:
    """Add a condition on Company rows that puts their people in ``network_class``."""
    conditions = _COMPANY_CONDITIONS[network_class]
    if condition not in conditions:
        conditions.append(condition)


def company_class_condition(network_class: str) -> Q:
    """The registered conditions for ``network_class``, or-ed (an empty Q matches nothing here)."""
    q = Q(pk__in=[])
    for condition in _COMPANY_CONDITIONS[network_class]:
        q |= condition()
    return q
