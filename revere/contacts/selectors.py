"""Reads on persons and companies: the lists, a person's page, a company's org chart.

Every function here starts from revere.tenancy.visibility and is registered with ``@selector``,
so the visibility-matrix test calls it for members of two organizations. Lists return one page of
rows in a fixed number of queries whatever the size of the organization (count, rows, and one
query per side table for the rows on the page): the list pages' query budgets test that.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import Count, Q, QuerySet, Window

from revere.contacts.identity import normalize_company_name, normalize_person_name
from revere.contacts.models import Company, CompanyDomain, Person, PersonEmail, PersonMerge
from revere.deals.models import OPEN_STAGES, BuyingRole
from revere.network.models import InteractionParticipant, Link, StrengthBand
from revere.tenancy.models import Member
from revere.tenancy.visibility import (
    TieAccess,
    TieView,
    companies_visible,
    deals_visible,
    interactions_visible,
    links_visible,
    organization_filter,
    persons_visible,
    selector,
    tie_view,
    ties_visible,
)

T = TypeVar("T")

PER_PAGE = 50
MAX_PER_PAGE = 200

# Lower bounds of the strength bands (tie strength is 0..1). A tie whose strength is below the
# weak bound has gone dormant: no recent interaction keeps it alive.
BAND_FLOORS: tuple[tuple[str, float], ...] = (
    (StrengthBand.STRONG, 0.6),
    (StrengthBand.MEDIUM, 0.3),
    (StrengthBand.WEAK, 0.1),
)


def strength_band(strength: float) -> str:
    """The band of a strength: strong (>= 0.6), medium (>= 0.3), weak (>= 0.1), else dormant."""
    for band, floor in BAND_FLOORS:
        if strength >= floor:
            return str(band)
    return str(StrengthBand.DORMANT)


def _tie_views(member: Member, ties: QuerySet[Any]) -> list[TieView]:
    """Each tie as the member may see it, own tie first, then by teammate's name."""
    views = [
        tie_view(member, t, band=strength_band(t.effective_strength), member_name=t.member.person.full_name)
        for t in ties.select_related("member__person")
    ]
    views.sort(key=lambda v: (v.access is not TieAccess.FULL, v.member_name.lower()))
    return views


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, where it sits and how many rows there are in all."""

    rows: list[T]
    number: int
    per_page: int
    count: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return 0 if self.count == 0 else (self.number - 1) * self.per_page + 1

    @property
    def end_index(self) -> int:
        return min(self.count, self.number * self.per_page)


def _paginate(
    qs: QuerySet[Any], *, page: int, per_page: int, one_pass: bool = False
) -> tuple[list[Any], int, int, int]:
    """A page of ``qs`` and the total: ``(rows, page number, per page, count)``.

    ``one_pass`` reads the total beside the rows (``COUNT(*) OVER ()``): for a text search, whose
    every match must be read anyway, that is one scan instead of two. Without a search, the page
    is read by walking the ordering index and stopping early, and a separate COUNT is cheaper.
    A page past the end is clamped to the last page.
    """
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    if one_pass:
        start = (page - 1) * per_page
        rows = list(qs.annotate(_total=Window(Count("pk")))[start : start + per_page])
        if rows:
            return rows, page, per_page, rows[0]._total
    count = qs.count()
    number = min(page, max(1, -(-count // per_page)))
    start = (number - 1) * per_page
    return list(qs[start : start + per_page]), number, per_page, count


# --------------------------------------------------------------------------------------------
# Persons


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""  # a part of the name, title or an e-mail address
    company_id: int | None = None
    status: str = ""  # the company's status (prospect, customer, ...)
    industry: str = ""
    tied: str = ""  # "me": persons I have a tie to; "team": anyone in my scope has one
    network_class: str = ""  # the class of my own tie


@dataclass(frozen=True)
class PersonRow:
    person: Person
    my_tie: TieView | None
    team_ties: int  # ties of other members in my scope (any visibility)


def _person_queryset(member: Member, f: PersonFilters) -> QuerySet[Person]:
    qs = persons_visible(member)
    q = f.q.strip()
    if q:
        # Normalized names and e-mails are stored in lower case: a plain (case-sensitive) LIKE on
        # them is about three times cheaper on PostgreSQL than icontains's UPPER(...) LIKE.
        emails = PersonEmail.objects.filter(organization_id=member.organization_id, email__contains=q.lower())
        qs = qs.filter(
            Q(normalized_name__contains=normalize_person_name(q) or q.lower())
            | (Q(normalized_name="") & Q(full_name__icontains=q))
            | Q(title__icontains=q)
            | Q(pk__in=emails.values("person_id"))
        )
    if f.company_id:
        qs = qs.filter(company_id=f.company_id)
    if f.status:
        qs = qs.filter(company__status=f.status)
    if f.industry:
        qs = qs.filter(company__industry=f.industry)
    if f.tied == "me" or f.network_class:
        mine = ties_visible(member).filter(member_id=member.pk, is_active=True)
        if f.network_class:
            mine = mine.filter(
                Q(network_class_override=f.network_class)
                | Q(network_class_override="", network_class=f.network_class)
            )
        qs = qs.filter(pk__in=mine.values("person_id"))
    elif f.tied == "team":
        qs = qs.filter(pk__in=ties_visible(member).filter(is_active=True).values("person_id"))
    return qs


@selector
def person_list(
    *, member: Member, filters: PersonFilters | None = None, page: int = 1, per_page: int = PER_PAGE
) -> Page[PersonRow]:
    """One page of the persons the member may see, by name, with the member's tie and the team's.

    Three queries: the count, the page of persons with their companies, the ties to them.
    """
    f = filters or PersonFilters()
    qs = _person_queryset(member, f).select_related("company").order_by("normalized_name", "id")
    persons, number, per_page, count = _paginate(qs, page=page, per_page=per_page, one_pass=bool(f.q.strip()))
    mine: dict[int, TieView] = {}
    team: dict[int, int] = defaultdict(int)
    if persons:
        ties = ties_visible(member).filter(person_id__in=[p.pk for p in persons], is_active=True)
        for t in ties.only(
            "id",
            "member_id",
            "person_id",
            "strength",
            "strength_override",
            "visibility",
            "network_class",
            "network_class_override",
            "notes",
        ):
            if t.member_id == member.pk:
                mine[t.person_id] = tie_view(
                    member, t, band=strength_band(t.effective_strength), member_name=member.person.full_name
                )
            else:
                team[t.person_id] += 1
    rows = [PersonRow(person=p, my_tie=mine.get(p.pk), team_ties=team.get(p.pk, 0)) for p in persons]
    return Page(rows=rows, number=number, per_page=per_page, count=count)


@selector
def person_search(*, member: Member, q: str, limit: int = 20) -> list[Person]:
    """Persons whose name, title or e-mail matches ``q``, for pickers (merge, reports-to). One query."""
    if not q.strip():
        return []
    qs = _person_queryset(member, PersonFilters(q=q)).select_related("company")
    return list(qs.order_by("normalized_name", "id")[: max(1, min(limit, 100))])


@selector
def person_get(*, member: Member, person_id: int) -> Person | None:
    """The person if the member may see them (same organization), with company and manager."""
    return persons_visible(member).select_related("company", "reports_to").filter(pk=person_id).first()


@dataclass(frozen=True)
class LinkRow:
    """Someone the person knows: how (source) and how well (weight)."""

    other: Person
    source: str
    source_label: str
    weight: float
    last_seen: Any


@dataclass(frozen=True)
class InteractionRow:
    id: int
    kind: str
    kind_label: str
    occurred_at: Any
    subject: str
    member_name: str | None
    others: list[str]


@dataclass(frozen=True)
class RoleRow:
    deal_id: int
    deal_name: str
    role: str
    role_label: str
    stance: str
    stance_label: str


@dataclass(frozen=True)
class MergeRow:
    id: int
    merged_name: str
    kind_label: str
    merged_at: Any
    merged_by: str | None


@dataclass
class PersonDetail:
    person: Person
    emails: list[str]
    phones: list[tuple[str, str]]
    reports: list[Person]
    ties: list[TieView]
    interactions: list[InteractionRow]
    interactions_total: int
    links: list[LinkRow]
    links_total: int
    buying_roles: list[RoleRow] = field(default_factory=list)
    merges: list[MergeRow] = field(default_factory=list)  # merged into this person, not undone


INTERACTIONS_SHOWN = 25
LINKS_SHOWN = 100


@selector
def person_detail(*, member: Member, person_id: int) -> PersonDetail | None:
    """Everything the member may see about one person; None outside the member's organization.

    About ten queries whatever the person's number of links and interactions.
    """
    person = person_get(member=member, person_id=person_id)
    if person is None:
        return None
    emails = list(person.emails.order_by("-is_primary", "email").values_list("email", flat=True))
    phones = [(p.e164, p.label) for p in person.phones.order_by("e164")]
    # "pk in (an indexed lookup)": the plan is the index on reports_to whatever the statistics say
    # (SQLite without ANALYZE would otherwise scan the organization's persons).
    reports = list(
        persons_visible(member)
        .filter(pk__in=Person.objects.filter(reports_to_id=person.pk).values("pk"))
        .select_related("company")
        .order_by("full_name")
    )
    ties = _tie_views(member, ties_visible(member).filter(person=person, is_active=True))

    seen = interactions_visible(member).filter(
        pk__in=InteractionParticipant.objects.filter(person_id=person.pk).values("interaction_id")
    )
    interactions_total = seen.count()
    shown = list(seen.select_related("member__person").order_by("-occurred_at", "-id")[:INTERACTIONS_SHOWN])
    others: dict[int, list[str]] = defaultdict(list)
    if shown:
        parts = (
            InteractionParticipant.objects.filter(
                organization_id=member.organization_id, interaction_id__in=[i.pk for i in shown]
            )
            .exclude(person=person)
            .values_list("interaction_id", "person__full_name")
            .order_by("person__full_name")
        )
        for iid, name in parts:
            others[iid].append(name)
    interactions = [
        InteractionRow(
            id=i.pk,
            kind=i.kind,
            kind_label=i.get_kind_display(),
            occurred_at=i.occurred_at,
            subject=i.subject,
            member_name=i.member.person.full_name if i.member else None,
            others=others.get(i.pk, []),
        )
        for i in shown
    ]

    # Links are stored once per pair (a < b): the person's are those on either side, read side by
    # side through the indexes on a and on b, never by an OR the planner may turn into a scan.
    links_total = 0
    candidates: list[Any] = []
    for side in ("a_id", "b_id"):
        side_qs = links_visible(member).filter(pk__in=Link.objects.filter(**{side: person.pk}).values("pk"))
        links_total += side_qs.count()
        candidates += side_qs.select_related("a__company", "b__company").order_by("-weight", "id")[
            :LINKS_SHOWN
        ]
    candidates.sort(key=lambda link: (-link.weight, link.pk))
    link_rows = []
    for link in candidates[:LINKS_SHOWN]:
        other = link.b if link.a_id == person.pk else link.a
        link_rows.append(
            LinkRow(
                other=other,
                source=link.source,
                source_label=link.get_source_display(),
                weight=link.weight,
                last_seen=link.last_seen,
            )
        )

    roles = BuyingRole.objects.filter(
        organization_id=member.organization_id, person=person, deal__in=deals_visible(member)
    ).select_related("deal")
    role_rows = [
        RoleRow(
            deal_id=r.deal_id,
            deal_name=r.deal.name,
            role=r.role,
            role_label=r.get_role_display(),
            stance=r.stance,
            stance_label=r.get_stance_display(),
        )
        for r in roles.order_by("deal__name", "role")
    ]
    return PersonDetail(
        person=person,
        emails=emails,
        phones=phones,
        reports=reports,
        ties=ties,
        interactions=interactions,
        interactions_total=interactions_total,
        links=link_rows,
        links_total=links_total,
        buying_roles=role_rows,
        merges=[
            MergeRow(
                id=m.pk,
                merged_name=m.merged_name,
                kind_label=m.get_kind_display(),
                merged_at=m.merged_at,
                merged_by=m.merged_by.person.full_name if m.merged_by else None,
            )
            # Only what the page shows: a merge's snapshot holds the merged person's rows in full.
            for m in organization_filter(PersonMerge, member)
            .filter(kept=person, undone_at__isnull=True)
            .select_related("merged_by__person")
            .only("id", "merged_name", "kind", "merged_at", "merged_by__person__full_name")
            .order_by("-merged_at", "-id")[:20]
        ],
    )


@selector
def person_merge_get(*, member: Member, merge_id: int) -> PersonMerge | None:
    """A merge recorded in the member's organization (to undo it), or None."""
    return organization_filter(PersonMerge, member).select_related("kept").filter(pk=merge_id).first()


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
    qs = companies_visible(member)
    q = f.q.strip()
    if q:
        domains = CompanyDomain.objects.filter(organization_id=member.organization_id, domain__icontains=q)
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
    companies, number, per_page, count = _paginate(
        qs, page=page, per_page=per_page, one_pass=bool(f.q.strip())
    )
    ids = [c.pk for c in companies]
    people: dict[int, int] = {}
    deals: dict[int, int] = {}
    mine: dict[int, int] = defaultdict(int)
    team: dict[int, int] = defaultdict(int)
    if ids:
        people = dict(
            persons_visible(member)
            .filter(company_id__in=ids)
            .order_by()
            .values("company_id")
            .annotate(n=Count("id"))
            .values_list("company_id", "n")
        )
        deals = dict(
            deals_visible(member)
            .filter(company_id__in=ids, stage__in=OPEN_STAGES)
            .order_by()
            .values("company_id")
            .annotate(n=Count("id", distinct=True))
            .values_list("company_id", "n")
        )
        tie_rows = (
            ties_visible(member)
            .filter(person_id__in=Person.objects.filter(company_id__in=ids).values("pk"), is_active=True)
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
    return (
        companies_visible(member)
        .select_related("parent")
        .prefetch_related("domains")
        .filter(pk=company_id)
        .first()
    )


@selector
def company_facets(*, member: Member) -> dict[str, list[str]]:
    """The distinct industries and regions among the organization's companies, for filters."""
    qs = companies_visible(member).order_by()
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
        persons_visible(member)
        .filter(company=company)
        .only("id", "full_name", "title", "function", "seniority", "reports_to_id", "company_id")
        .order_by("full_name", "id")
    )
    open_deals = list(
        deals_visible(member).filter(company=company, stage__in=OPEN_STAGES).select_related("owner__person")
    )
    roles: dict[int, list[RoleRow]] = defaultdict(list)
    for r in (
        BuyingRole.objects.filter(organization_id=member.organization_id, deal__in=[d.pk for d in open_deals])
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
    at_company = Person.objects.filter(company_id=company.pk).values("pk")
    for view in _tie_views(member, ties_visible(member).filter(person_id__in=at_company, is_active=True)):
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
    for i, node in enumerate(nodes):
        next_depth = nodes[i + 1].depth if i + 1 < len(nodes) else 0
        node.opens = next_depth > node.depth
        node.closes = max(0, node.depth - next_depth)
    return OrgChart(
        company=company,
        nodes=nodes,
        people=len(people),
        open_deals=open_deals,
        tied_people=sum(1 for p in people if p.pk in ties),
        roles_people=sum(1 for p in people if p.pk in roles),
    )
