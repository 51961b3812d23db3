"""Reads on companies: the list, suggestions, the org chart with roles, stance and ties."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from revere.contacts.identity import normalize_company_name
from revere.contacts.models import Company, CompanyDomain, Person
from revere.deals.models import OPEN_STAGES, BuyingRole, Deal
from revere.network.models import Tie
from revere.tenancy.ids import valid_id
from revere.tenancy.models import Member
from revere.tenancy.visibility import (
    TieView,
    selector,
)
from revere.web.contacts.selectors.common import (
    PER_PAGE,
    Page,
    RoleRow,
    paginate,
    tie_views,
)

# --------------------------------------------------------------------------------------------
# Companies


@dataclass(frozen=True)
class CompanyFilters:
    q: str = ""
    status: str = ""
    industry: str = ""
    region: str = ""


@dataclass(frozen=True)
class CompanyRow:
    company: Company
    people: int
    open_deals: int  # open deals the member may see
    my_ties: int
    team_ties: int


def _company_queryset(member: Member, f: CompanyFilters) -> QuerySet[Company]:
    qs = Company.objects.visible_to(member)
    q = f.q.strip()
    if q:
        domains = CompanyDomain.objects.visible_to(member).filter(domain__icontains=q)
        qs = qs.filter(
            Q(normalized_name__icontains=normalize_company_name(q) or q.lower())
            | Q(name__icontains=q)
            | Q(pk__in=domains.values("company_id"))
        )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.industry:
        qs = qs.filter(industry=f.industry)
    if f.region:
        qs = qs.filter(region=f.region)
    return qs


@selector
def company_list(
    *, member: Member, filters: CompanyFilters | None = None, page: int = 1, per_page: int = PER_PAGE
) -> Page[CompanyRow]:
    """One page of the organization's companies by name, with head counts, open deals and ties.

    Five queries: the count, the page, then people, open deals and ties for the page's companies.
    """
    f = filters or CompanyFilters()
    qs = _company_queryset(member, f).order_by("normalized_name", "id")
    companies, number, per_page, count = paginate(
        qs, page=page, per_page=per_page, one_pass=bool(f.q.strip())
    )
    ids = [c.pk for c in companies]
    people: dict[int, int] = {}
    deals: dict[int, int] = {}
    mine: dict[int, int] = defaultdict(int)
    team: dict[int, int] = defaultdict(int)
    if ids:
        people = dict(
            Person.objects.visible_to(member)
            .filter(company_id__in=ids)
            .order_by()
            .values("company_id")
            .annotate(n=Count("id"))
            .values_list("company_id", "n")
        )
        deals = dict(
            Deal.objects.visible_to(member)
            .filter(company_id__in=ids, stage__in=OPEN_STAGES)
            .order_by()
            .values("company_id")
            .annotate(n=Count("id", distinct=True))
            .values_list("company_id", "n")
        )
        tie_rows = (
            Tie.objects.visible_to(member)
            .filter(
                person_id__in=Person.objects.visible_to(member).filter(company_id__in=ids).values("pk"),
                is_active=True,
            )
            .values_list("person__company_id", "member_id")
        )
        for company_id, member_id in tie_rows:
            if member_id == member.pk:
                mine[company_id] += 1
            else:
                team[company_id] += 1
    rows = [
        CompanyRow(
            company=c,
            people=people.get(c.pk, 0),
            open_deals=deals.get(c.pk, 0),
            my_ties=mine.get(c.pk, 0),
            team_ties=team.get(c.pk, 0),
        )
        for c in companies
    ]
    return Page(rows=rows, number=number, per_page=per_page, count=count)


@selector
def company_search(*, member: Member, q: str, limit: int = 20) -> list[Company]:
    """Companies whose name or domain matches ``q``, by name, for suggestions. One query."""
    if not q.strip():
        return []
    qs = _company_queryset(member, CompanyFilters(q=q)).order_by("normalized_name", "id")
    return list(qs[: max(1, min(limit, 100))])


@selector
def company_get(*, member: Member, company_id: int) -> Company | None:
    if not valid_id(company_id):
        return None
    return (
        Company.objects.visible_to(member)
        .select_related("parent")
        .prefetch_related(Prefetch("domains", queryset=CompanyDomain.objects.visible_to(member)))
        .filter(pk=company_id)
        .first()
    )


@selector
def company_facets(*, member: Member) -> dict[str, list[str]]:
    """The distinct industries and regions among the organization's companies, for filters."""
    qs = Company.objects.visible_to(member).order_by()
    industries = sorted(i for i in qs.values_list("industry", flat=True).distinct() if i)
    regions = sorted(r for r in qs.values_list("region", flat=True).distinct() if r)
    return {"industries": industries, "regions": regions}


@dataclass
class OrgNode:
    """A person in the org chart, with their place in the tree (pre-order, nested-list markers)."""

    person: Person
    depth: int
    roles: list[RoleRow]
    ties: list[TieView]
    opens: bool = False  # has reports: the template opens a nested list after this node
    closes: int = 0  # how many nested lists end after this node
    below: int = 0  # everyone who reports to this person, directly or not

    @property
    def close_range(self) -> range:
        return range(self.closes)


@dataclass
class OrgChart:
    company: Company
    nodes: list[OrgNode]
    people: int
    open_deals: list[Any]
    tied_people: int  # persons at the company someone in scope (or the member) is tied to
    roles_people: int  # persons with a buying role on an open deal


@selector
def company_org_chart(*, member: Member, company_id: int) -> OrgChart | None:
    """The company's people as a tree along reports-to, with buying roles, stance and ties.

    Roots are the people whose manager is unknown or works elsewhere; a cycle left by bad data is
    broken where it is met. Buying roles and stance come from the open deals the member may see.
    Five queries whatever the size of the company.
    """
    company = company_get(member=member, company_id=company_id)
    if company is None:
        return None
    people = list(
        Person.objects.visible_to(member)
        .filter(company=company)
        .only("id", "full_name", "title", "function", "seniority", "reports_to_id", "company_id")
        .order_by("full_name", "id")
    )
    open_deals = list(
        Deal.objects.visible_to(member)
        .filter(company=company, stage__in=OPEN_STAGES)
        .select_related("owner__person")
    )
    roles: dict[int, list[RoleRow]] = defaultdict(list)
    for r in (
        BuyingRole.objects.visible_to(member)
        .filter(deal__in=[d.pk for d in open_deals])
        .select_related("deal")
        .order_by("deal__name", "role")
    ):
        roles[r.person_id].append(
            RoleRow(
                deal_id=r.deal_id,
                deal_name=r.deal.name,
                role=r.role,
                role_label=r.get_role_display(),
                stance=r.stance,
                stance_label=r.get_stance_display(),
            )
        )
    ties: dict[int, list[TieView]] = defaultdict(list)
    at_company = Person.objects.visible_to(member).filter(company_id=company.pk).values("pk")
    for view in tie_views(
        member, Tie.objects.visible_to(member).filter(person_id__in=at_company, is_active=True)
    ):
        ties[view.person_id].append(view)

    by_id = {p.pk: p for p in people}
    children: dict[int, list[Person]] = defaultdict(list)
    roots: list[Person] = []
    for p in people:
        if p.reports_to_id in by_id and p.reports_to_id != p.pk:
            children[p.reports_to_id].append(p)
        else:
            roots.append(p)
    nodes: list[OrgNode] = []
    placed: set[int] = set()

    def walk(start: Person) -> None:
        # Iterative pre-order: deep charts do not hit Python's recursion limit.
        stack: list[tuple[Person, int]] = [(start, 0)]
        while stack:
            p, depth = stack.pop()
            if p.pk in placed:
                continue
            placed.add(p.pk)
            nodes.append(OrgNode(person=p, depth=depth, roles=roles.get(p.pk, []), ties=ties.get(p.pk, [])))
            for child in reversed(children.get(p.pk, [])):
                stack.append((child, depth + 1))

    for root in roots:
        walk(root)
    for p in people:  # only people caught in a reports-to cycle remain
        if p.pk not in placed:
            walk(p)
    open_above: list[OrgNode] = []  # the current node's chain of managers, in pre-order
    for i, node in enumerate(nodes):
        next_depth = nodes[i + 1].depth if i + 1 < len(nodes) else 0
        node.opens = next_depth > node.depth
        node.closes = max(0, node.depth - next_depth)
        while open_above and open_above[-1].depth >= node.depth:
            open_above.pop()
        for manager in open_above:
            manager.below += 1
        open_above.append(node)
    return OrgChart(
        company=company,
        nodes=nodes,
        people=len(people),
        open_deals=open_deals,
        tied_people=sum(1 for p in people if p.pk in ties),
        roles_people=sum(1 for p in people if p.pk in roles),
    )
