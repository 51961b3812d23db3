"""The scorecard: "Do I have enough connections?", network by network, against the targets.

Each targeted measure becomes a line with the member's figure, the target, whether it is met, and
what to do about a gap. The measures: size (at least), density (at least or at most), constraint
(at most), mean tie strength (at least), diversity (Blau's index over the network's dimension, at
least; :data:`revere.playbook.targets.DIVERSITY_DIMENSION`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from revere.network.models import NetworkClass
from revere.playbook.readings import Metrics
from revere.playbook.targets import DIVERSITY_DIMENSION, REASONS, TargetValues

LABELS = {
    "min_size": "Size",
    "min_density": "Density",
    "max_density": "Density",
    "max_constraint": "Constraint",
    "min_strength": "Mean strength",
    "min_diversity": "Diversity",
}

ACTIONS: dict[str, dict[str, str]] = {
    NetworkClass.MARKET: {
        "min_size": "Add {gap} market contacts: industry events, associations, analysts, partners; ask the "
        "people you know whom else you should know at other companies.",
        "max_density": "Your market contacts know each other too well. Meet people outside these circles: "
        "other industries, regions, associations.",
        "max_constraint": "Too much overlap. Invest in the contacts who bridge to circles you don't reach "
        "(see Invest) and let redundant ties rest (see Let go).",
        "min_diversity": "Too many contacts at the same few companies: widen to other companies.",
    },
    NetworkClass.PROSPECT: {
        "min_size": "Add {gap} contacts inside your buyers: map each open deal's buying roles and ask your "
        "champion for introductions (Middleman finder).",
        "min_strength": "Warm up prospect ties: meetings count more than e-mails; the keep-in-touch queue "
        "lists who is due.",
        "min_density": "Your buyer contacts don't know each other: find who connects them (org charts).",
        "max_constraint": "You depend on a few gatekeepers: find other ways in.",
        "min_diversity": "Spread your prospect contacts over more buyers.",
    },
    NetworkClass.INTERNAL: {
        "min_size": "Get to know {gap} more colleagues, above all in functions you don't reach yet.",
        "min_density": "Bring your colleagues together before a deal needs them: joint account reviews, "
        "solution workshops.",
        "min_strength": "Spend time with the experts you rely on before you need them.",
        "min_diversity": "Reach beyond your own function: product, pre-sales, delivery, legal, finance.",
        "max_constraint": "You reach the company through too few people: meet experts directly.",
    },
    NetworkClass.CUSTOMER: {
        "min_size": "Stay in touch with {gap} more people at customers: each is a potential reference.",
        "min_strength": "Turn customer ties into strong ones: business reviews, check-ins after delivery.",
        "min_diversity": "Find references in more industries, so every prospect can meet a customer like them.",
        "min_density": "Your customer contacts don't know each other: user groups and events connect them.",
        "max_constraint": "You rely on too few champions at your customers: widen the circle.",
    },
}


@dataclass(frozen=True)
class ScoreLine:
    measure: str  # a field of Target
    label: str
    actual: float | None
    target: float
    at_least: bool  # True: the figure must be >= target; False: <= target
    met: bool | None  # None: not measurable yet (too few contacts)
    action: str  # what to do about a gap ("" when met)
    reason: str  # why the target is what it is

    @property
    def status(self) -> str:
        return "n/a" if self.met is None else ("ok" if self.met else "gap")

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "label": self.label,
            "actual": self.actual,
            "target": self.target,
            "at_least": self.at_least,
            "status": self.status,
            "action": self.action,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class NetworkScore:
    network_class: str
    lines: tuple[ScoreLine, ...]
    target_source: str

    @property
    def gaps(self) -> tuple[ScoreLine, ...]:
        return tuple(line for line in self.lines if line.met is False)

    @property
    def enough(self) -> bool:
        return not self.gaps

    @property
    def verdict(self) -> str:
        if not self.lines:
            return "No targets set"
        n = len(self.gaps)
        return "On target" if n == 0 else f"{n} gap{'s' if n != 1 else ''}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "network_class": self.network_class,
            "verdict": self.verdict,
            "enough": self.enough,
            "target_source": self.target_source,
            "lines": [line.as_dict() for line in self.lines],
        }


def _actual(m: Metrics, measure: str) -> float | None:
    if measure == "min_size":
        return float(m.size)
    if measure in ("min_density", "max_density"):
        return m.density
    if measure == "max_constraint":
        return m.constraint
    if measure == "min_strength":
        return m.mean_strength
    if measure == "min_diversity":
        return m.diversity.get(DIVERSITY_DIMENSION[m.network_class])
    raise KeyError(measure)


def score_network(m: Metrics, target: TargetValues) -> NetworkScore:
    """Compare one network's metrics with its targets."""
    lines = []
    for measure in (
        "min_size",
        "min_density",
        "max_density",
        "max_constraint",
        "min_strength",
        "min_diversity",
    ):
        goal = getattr(target, measure)
        if goal is None or (measure == "min_size" and goal == 0):
            continue
        actual = _actual(m, measure)
        at_least = measure.startswith("min_")
        met: bool | None
        if actual is None or (isinstance(actual, float) and math.isnan(actual)):
            met = None
        else:
            met = actual >= goal if at_least else actual <= goal
        gap = max(int(goal) - m.size, 0) if measure == "min_size" else 0
        action = "" if met is not False else ACTIONS[m.network_class].get(measure, "").format(gap=gap)
        lines.append(
            ScoreLine(
                measure=measure,
                label=LABELS[measure],
                actual=actual,
                target=float(goal),
                at_least=at_least,
                met=met,
                action=action,
                reason=REASONS.get(m.network_class, {}).get(measure, ""),
            )
        )
    return NetworkScore(network_class=m.network_class, lines=tuple(lines), target_source=target.source)


def scorecard(metrics: Mapping[str, Metrics], targets: Mapping[str, TargetValues]) -> dict[str, NetworkScore]:
    """The four networks' scores, in the order of ``metrics``."""
    return {cls: score_network(m, targets[cls]) for cls, m in metrics.items()}
