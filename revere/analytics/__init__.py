"""Revere's pure network analytics: numpy and scipy only, never Django or another revere module.

Everything Revere says about a network is computed here, from a :class:`~revere.analytics.graph.TieGraph`.
Definitions, conventions and references are in each module's docstrings and in ``docs/metrics.md``.
"""

from .graph import TieGraph

__all__ = ["TieGraph"]
