"""The middleman finder: introduction routes from the member (or their team) to a person or a company.

A route's score is the product of the tie strengths along it (DESIGN.md §3); the k best simple
routes with at most ``max_intermediaries`` people in between, with distinct first hops, come from
:func:`revere.analytics.paths.best_paths` on the organization's cached graph
(:func:`revere.network.graph.network_graph`). Nothing here searches paths itself.

* :mod:`.search`: who routes start from (the member, and with ``from_team`` every other member in
  their scope) and who may never be on them (members outside the scope: their ties are not the
  member's to see), and the search.
* :mod:`.routes`: each hop described from the rows the member may see; a teammate's private tie
  shows only as "ask <teammate>".
* :mod:`.company`: the best route to each buying role of a company, and its brokers with their
  Gould–Fernandez roles.
* :mod:`.page`: routes to a person and targets resolved from text. The page, which adds the
  buying roles of deals and the introductions, is :mod:`revere.web.finder`.
"""

from revere.network.finder.company import Broker, CompanyRoutes, TargetRoute, company_routes
from revere.network.finder.page import (
    DEFAULT_K,
    MAX_INTERMEDIARIES,
    MAX_K,
    paths_to_person,
    resolve_company,
    resolve_person,
)
from revere.network.finder.routes import Hop, Route

__all__ = [
    "DEFAULT_K",
    "MAX_INTERMEDIARIES",
    "MAX_K",
    "Broker",
    "CompanyRoutes",
    "Hop",
    "Route",
    "TargetRoute",
    "company_routes",
    "paths_to_person",
    "resolve_company",
    "resolve_person",
]
