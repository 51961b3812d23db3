"""Routes into a company: the best route to each buying role, and the company's brokers.

Brokers are persons outside the company linked to the most of its people (members excluded: what
links them to the company are their own ties, shown through routes instead). Their roles are
Gould and Fernandez's (1989), counted by :func:`revere.analytics.brokerage.brokerage` over the
brokers' neighbourhoods (members outside the member's scope left out), with three groups: the organization's
own company, the company being approached, and everyone else (third parties).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from revere.analytics.brokerage import ROLES, brokerage
from revere.contacts.models import Company, Person, Seniority
from revere.network.finder.routes import Route, routes_to
from revere.network.finder.search import Sources, sources_for
from revere.network.graph import NetworkGraph, network_graph
from revere.tenancy.models import Member, Organization
from revere.tenancy.visibility import selector

MAX_INTERMEDIARIES = 3


@dataclass(frozen=True)
class Broker:
    person_id: int
    name: str
    title: str
    company: str
    reach: int  # people at the company linked to the broker
    roles: dict[str, float]
    route: Route | None


@dataclass(frozen=True)
class TargetRoute:
    person_id: int
    name: str
    title: str
    roles: list[str]
    route: Route | None


@dataclass(frozen=True)
class CompanyRoutes:
    company: Company
    people: int
    targets: list[TargetRoute]
    brokers: list[Broker]
    by_buying_role: bool


_SENIORITY_ORDER = {
    Seniority.EXECUTIVE: 0,
    Seniority.DIRECTOR: 1,
    Seniority.MANAGER: 2,
    Seniority.SENIOR: 3,
    Seniority.STAFF: 4,
}


def _brokers(
    ng: NetworkGraph, src: Sources, company: Company, *, max_brokers: int
) -> tuple[list[int], dict[int, int], dict[int, dict[str, float]]]:
    graph = ng.graph
    codes = graph.attrs["company"]
    if company.pk not in codes.categories:
        return [], {}, {}
    code = codes.categories.index(company.pk)
    inside = np.flatnonzero(codes.codes == code)
    counts = np.bincount(graph.gather(inside)[1], minlength=graph.n)
    counts[inside] = 0
    members = graph.index_of(list(src.members))
    counts[members[members >= 0]] = 0  # members, those outside the scope among them, never brokers
    top = np.argsort(-counts, kind="stable")[:max_brokers]
    top = top[counts[top] > 0]
    if len(top) == 0:
        return [], {}, {}
    own_id = Organization.objects.filter(pk=company.organization_id).values_list("own_company_id", flat=True)
    own = codes.categories.index(own_id[0]) if own_id and own_id[0] in codes.categories else -2
    hood = np.unique(np.concatenate([top, graph.gather(top)[1]]))
    outside = graph.index_of(list(src.outside))
    hood = np.setdiff1d(hood, outside[outside >= 0])  # their ties are not the member's to count
    sub = graph.subgraph(graph.ids[hood])
    sub_codes = codes.codes[hood]
    groups = np.where(sub_codes == code, 1, np.where(sub_codes == own, 0, 2))
    result = brokerage(sub, groups)
    position = {int(x): i for i, x in enumerate(hood.tolist())}
    ids = [int(graph.ids[b]) for b in top]
    roles = {
        int(graph.ids[b]): {name: float(result.counts[position[int(b)], r]) for r, name in enumerate(ROLES)}
        for b in top
    }
    return ids, {int(graph.ids[b]): int(counts[b]) for b in top}, roles


#: Buying roles at a company as the caller gives them: person id -> (rank, role labels); the
#: lower the rank the more the role matters (the deals layer ranks economic buyer first).
RolesAt = Mapping[int, tuple[int, Sequence[str]]]


@selector
def company_routes(
    *,
    member: Member,
    company_id: int,
    roles: RolesAt | None = None,
    max_intermediaries: int = MAX_INTERMEDIARIES,
    from_team: bool = True,
    max_targets: int = 15,
    max_brokers: int = 8,
) -> CompanyRoutes:
    """The best route to each person with a buying role at the company (``roles``, from the deals
    the member may see: :func:`revere.deals.buying_roles.company_routes_by_role`; else to its
    most senior people), and its brokers with their Gould–Fernandez roles."""
    company = Company.objects.visible_to(member).get(pk=company_id)
    roles = roles or {}
    people = Person.objects.visible_to(member).filter(company_id=company_id)
    n_people = people.count()
    by_role = bool(roles)
    if by_role:
        chosen = list(people.filter(pk__in=list(roles)))
        chosen.sort(key=lambda p: (roles[p.pk][0], p.full_name))
    else:
        chosen = sorted(people[:500], key=lambda p: (_SENIORITY_ORDER.get(p.seniority, 9), p.full_name))
    chosen = chosen[:max_targets]

    ng = network_graph(member=member)
    src = sources_for(member, from_team=from_team)
    broker_ids, reach, role_counts = _brokers(ng, src, company, max_brokers=max_brokers)
    routes = routes_to(
        member, ng, src, [p.pk for p in chosen] + broker_ids, k=1, max_intermediaries=max_intermediaries
    )
    targets = [
        TargetRoute(
            person_id=p.pk,
            name=p.full_name,
            title=p.title,
            roles=list(roles[p.pk][1]) if p.pk in roles else [],
            route=next(iter(routes.get(p.pk, [])), None),
        )
        for p in chosen
    ]
    info = {
        p.pk: p for p in Person.objects.visible_to(member).filter(pk__in=broker_ids).select_related("company")
    }
    brokers = [
        Broker(
            person_id=b,
            name=info[b].full_name,
            title=info[b].title,
            company=info[b].company.name if info[b].company else "",
            reach=reach[b],
            roles=role_counts.get(b, {}),
            route=next(iter(routes.get(b, [])), None),
        )
        for b in broker_ids
        if b in info
    ]
    return CompanyRoutes(
        company=company, people=n_people, targets=targets, brokers=brokers, by_buying_role=by_role
    )
