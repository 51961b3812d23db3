r"""Lead-generation candidates: sellers whose market networks are large, sparse and diverse, but fading.

Üstüner and Godes (2006) describe sellers who are good at building large, diverse networks of weak ties
and less good at keeping them: they hear of opportunities early, and lose them in the later stages, where
strong ties to buyers and colleagues count. A manager can give them a dedicated lead-generation role.

From each seller's market network (figures of :mod:`revere.analytics.ego` and
:mod:`revere.analytics.holes`):

* **large**: size :math:`k \ge` ``min_size``;
* **sparse**: density :math:`\le` ``max_density`` and Burt's constraint :math:`\le` ``max_constraint``;
* **non-redundant**: efficiency (effective size over size) :math:`\ge` ``min_efficiency``;
* **diverse**: Blau's index over companies :math:`\ge` ``min_diversity`` (Blau 1977);
* **fading**: the share of market ties that are fading (the caller says which: in Revere, not strong and
  without contact for longer than the market network's keep-in-touch cadence) :math:`\ge`
  ``min_fading_share``.

A seller meeting all five is a **candidate**. Everyone is scored

.. math::

    \text{score} = \text{effective size} \times \text{diversity} \times \text{fading share}

(the number of non-redundant contacts, discounted when they sit at few companies, times how little of it
the seller maintains); candidates come first, each group by score, then by id. Undefined figures
(a network of fewer than two contacts has no density) fail their check and score 0.

References
----------
T. Üstüner and D. Godes, "Better Sales Networks", *Harvard Business Review* 84(7-8), 2006.
R. S. Burt, *Structural Holes*, Harvard University Press, 1992.
M. Granovetter, "The Strength of Weak Ties", *American Journal of Sociology* 78(6), 1973.
P. M. Blau, *Inequality and Heterogeneity*, Free Press, 1977.

Examples
--------
>>> ranked = lead_generation(
...     ids=[1, 2], size=[80, 8], effective_size=[70.0, 2.0], density=[0.03, 0.8],
...     constraint=[0.02, 0.5], diversity=[0.9, 0.3], fading=[50, 1])
>>> [(c.ego, c.candidate, round(c.score, 1)) for c in ranked]
[(1, True, 39.4), (2, False, 0.1)]
>>> ranked[1].failed
('size', 'density', 'constraint', 'efficiency', 'diversity', 'fading')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CHECKS", "LeadGenCandidate", "LeadGenRules", "lead_generation"]

#: The checks, in the order they are reported.
CHECKS = ("size", "density", "constraint", "efficiency", "diversity", "fading")


@dataclass(frozen=True)
class LeadGenRules:
    """Thresholds of the five conditions (the market targets' defaults, and fading at 40%)."""

    min_size: int = 40
    max_density: float = 0.15
    max_constraint: float = 0.15
    min_efficiency: float = 0.75
    min_diversity: float = 0.7
    min_fading_share: float = 0.4


@dataclass(frozen=True)
class LeadGenCandidate:
    """One seller's market figures, the checks failed, the score, and whether they are a candidate."""

    ego: int
    size: int
    effective_size: float
    efficiency: float
    density: float
    constraint: float
    diversity: float
    fading: int
    fading_share: float
    score: float
    failed: tuple[str, ...]

    @property
    def candidate(self) -> bool:
        return not self.failed


#: Figures per seller; ``None`` (or NaN) where undefined.
Figures = npt.ArrayLike | Sequence[float | None]


def _f(values: Figures, n: int) -> npt.NDArray[np.float64]:
    arr = np.asarray(
        [np.nan if v is None else v for v in np.asarray(values, dtype=object).ravel()], dtype=np.float64
    )
    if arr.shape != (n,):
        raise ValueError(f"expected {n} values, got {arr.size}")
    return arr


def lead_generation(
    *,
    ids: npt.ArrayLike,
    size: Figures,
    effective_size: Figures,
    density: Figures,
    constraint: Figures,
    diversity: Figures,
    fading: Figures,
    rules: LeadGenRules | None = None,
) -> list[LeadGenCandidate]:
    """Rank sellers for a lead-generation role from their market networks' figures (aligned arrays).

    ``None`` or NaN is an undefined figure. ``fading`` counts each seller's fading market ties.
    """
    r = rules or LeadGenRules()
    who = np.asarray(ids, dtype=np.int64).ravel()
    n = len(who)
    k = _f(size, n)
    eff, dens, cons, div = (_f(v, n) for v in (effective_size, density, constraint, diversity))
    fad = _f(fading, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        efficiency = np.where(k > 0, eff / k, np.nan)
        share = np.where(k > 0, fad / k, np.nan)
    checks = {
        "size": k >= r.min_size,
        "density": dens <= r.max_density,
        "constraint": cons <= r.max_constraint,
        "efficiency": efficiency >= r.min_efficiency,
        "diversity": div >= r.min_diversity,
        "fading": share >= r.min_fading_share,
    }
    score = np.nan_to_num(eff * div * share, nan=0.0)
    out = []
    for i in range(n):
        failed = tuple(name for name in CHECKS if not bool(checks[name][i]))
        out.append(
            LeadGenCandidate(
                ego=int(who[i]),
                size=int(k[i]),
                effective_size=float(eff[i]),
                efficiency=float(efficiency[i]),
                density=float(dens[i]),
                constraint=float(cons[i]),
                diversity=float(div[i]),
                fading=int(fad[i]) if not math.isnan(fad[i]) else 0,
                fading_share=float(share[i]),
                score=float(score[i]),
                failed=failed,
            )
        )
    out.sort(key=lambda c: (not c.candidate, -c.score, c.ego))
    return out
