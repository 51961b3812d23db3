"""The one place that turns the database into a TieGraph (ARCHITECTURE.md, convention 4), and keeps
it live under writes.

* :mod:`.build`: a fresh build from the database (four plain SELECTs read in chunks into numpy).
* :mod:`.state`: :class:`NetworkGraph` and the derivations a build and a patch share.
* :mod:`.patch`: a cached graph patched with what the writes recorded (tenancy.GraphChange).
* :mod:`.snapshot`: the graph as memory-mapped ``.npy`` files, one copy per machine.
* :mod:`.loader`: the process cache, single flight, and the worker's rebuild.

The graph's edges are ties (the member's own Person to the alter, weight = effective strength) and
links (person to person, weight = link weight). When a pair has both (two colleagues who are members
and linked on the org chart, say) the edge keeps the larger weight, so every weight stays in (0, 1]
(path scores are products of strengths).

Node attributes, as :class:`Categorical` codes: ``company`` (Company id), ``industry``, ``function``,
``region`` (the person's, else the company's) and ``network_class``: the class the organization's ties
give the person (their effective class; a person in several members' networks takes the class of the
tie read last, ties in member then id order), else the company-status rule of DESIGN.md §1 (own
company: internal, customer, prospect, everything else market).

The graph holds every tie of the organization, private ones included: it is an internal structure.
Whatever is shown to a member goes through a selector that applies :mod:`revere.tenancy.visibility`
(:func:`network_graph` and the selectors in :mod:`revere.network.selectors`). The design and its
figures: docs/scaling.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from revere.network.graph.loader import organization_graph, organization_graph_clear, snapshot_refresh
from revere.network.graph.state import CLASS_CODES, CLASSES, NetworkGraph
from revere.tenancy.visibility import selector

if TYPE_CHECKING:
    from revere.tenancy.models import Member

__all__ = [
    "CLASSES",
    "CLASS_CODES",
    "NetworkGraph",
    "network_graph",
    "organization_graph",
    "organization_graph_clear",
    "snapshot_refresh",
]


@selector
def network_graph(*, member: Member) -> NetworkGraph:
    """The acting member's organization's graph: persons and links are the organization's shared map.

    Tie edges include teammates' private ties; a caller that shows a path or an edge through another
    member's tie must apply :func:`revere.tenancy.visibility.tie_access` to it (``ask <teammate>``).
    """
    return organization_graph(organization_id=member.organization_id)
