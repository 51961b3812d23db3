"""What a coaching goal measures, and which network and measure each stage of the sale leans on.

The stage a seller's deals stall in names the network that serves that stage (DESIGN.md §1, after
Üstüner and Godes 2006) and the one measure a plan works on there (docs/levers.md §3).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from revere.deals.models import Stage
from revere.network.models import NetworkClass
from revere.network.selectors import DIVERSITY_DIMENSION

#: The network that serves each open stage.
STAGE_NETWORK: dict[str, str] = {
    Stage.IDENTIFY: NetworkClass.MARKET,
    Stage.BUY_IN: NetworkClass.PROSPECT,
    Stage.SOLUTION: NetworkClass.INTERNAL,
    Stage.CLOSE: NetworkClass.CUSTOMER,
}

#: The measure a plan raises on that network when the seller's deals stall in its stage, and why.
STAGE_MEASURE: dict[str, tuple[str, str]] = {
    NetworkClass.MARKET: ("effective_size", "more contacts who bring news the others don't"),
    NetworkClass.PROSPECT: (
        "mean_strength",
        "warmer ties inside the buyers, to get meetings and an honest read",
    ),
    NetworkClass.INTERNAL: ("density", "colleagues who know each other build the solution faster"),
    NetworkClass.CUSTOMER: ("mean_strength", "strong ties to customers who will take a prospect's call"),
}

#: Measures whose goal is to go down (every other one goes up).
LOWER_IS_BETTER = frozenset({"constraint"})

METRIC_LABELS = {
    "size": "size",
    "effective_size": "effective size",
    "reach": "two-step reach",
    "density": "density",
    "constraint": "constraint",
    "mean_strength": "mean strength",
    "diversity": "diversity",
}


def metric_value(metrics: Mapping[str, Any], metric: str, dimension: str = "") -> float | None:
    """One measure from a network's figures (a snapshot's ``metrics`` or ``NetworkMetrics.as_dict()``).

    >>> metric_value({"size": 12, "diversity": {"company": 0.5}}, "diversity", "company")
    0.5
    >>> metric_value({"constraint": None}, "constraint") is None
    True
    """
    value = (metrics.get("diversity") or {}).get(dimension) if metric == "diversity" else metrics.get(metric)
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def dimension_for(network: str, metric: str) -> str:
    return DIVERSITY_DIMENSION[network] if metric == "diversity" else ""
