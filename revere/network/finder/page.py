"""The finder's reads for the page, the API and the command: routes to a person, targets resolved
from text, open introductions."""

from __future__ import annotations

from dataclasses import dataclass, field

from revere.contacts.models import Company, Person, PersonEmail
from revere.levers.models import Contribution, ContributionKind, ContributionStatus
from revere.network.finder.company import CompanyRoutes, company_routes
from revere.network.finder.routes import Route, routes_to
from revere.network.finder.search import sources_for
from revere.network.graph import network_graph
from revere.tenancy.models import Member
from revere.tenancy.visibility import companies_visible, persons_visible, selector

DEFAULT_K = 5
MAX_INTERMEDIARIES = 3
MAX_K = 20


@dataclass
class FinderPage:
    target: Person | None = None
    company: Company | None = None
    candidates: list[Person] = field(default_factory=list)
    company_candidates: list[Company] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    company_routes: CompanyRoutes | None = None
    introductions: dict[str, list[Contribution]] = field(default_factory=dict)
    message: str = ""


@selector
def paths_to_person(
    *,
    member: Member,
    person_id: int,
    k: int = DEFAULT_K,
    max_intermediaries: int = MAX_INTERMEDIARIES,
    from_team: bool = True,
) -> list[Route]:
    """The k best routes from the member (and their team) to a person of their organization."""
    if not persons_visible(member).filter(pk=person_id).exists():
        raise Person.DoesNotExist("No such person in your organization.")
    k = max(1, min(int(k), MAX_K))
    ng = network_graph(member=member)
    src = sources_for(member, from_team=from_team)
    return routes_to(member, ng, src, [person_id], k=k, max_intermediaries=max_intermediaries)[person_id]


@selector
def introductions_open(*, member: Member) -> dict[str, list[Contribution]]:
    """Pending introductions the member asked for, and those asked of them."""
    qs = (
        Contribution.objects.filter(
            organization_id=member.organization_id,
            kind=ContributionKind.INTRODUCTION,
            status=ContributionStatus.PENDING,
        )
        .select_related("member__person", "beneficiary__person", "person__company")
        .order_by("-occurred_at")
    )
    return {
        "asked": list(qs.filter(beneficiary=member)[:50]),
        "of_me": list(qs.filter(member=member)[:50]),
    }


def resolve_person(member: Member, text: str) -> tuple[Person | None, list[Person]]:
    text = text.strip()
    people = persons_visible(member).select_related("company")
    if not text:
        return None, []
    if text.isdigit():
        return people.filter(pk=int(text)).first(), []
    if "@" in text:
        ids = PersonEmail.objects.filter(organization_id=member.organization_id, email=text.lower()).values(
            "person_id"
        )
        return people.filter(pk__in=ids).first(), []
    matches = list(people.filter(full_name__icontains=text).order_by("full_name")[:20])
    exact = [p for p in matches if p.full_name.lower() == text.lower()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0], []
    return None, matches


def resolve_company(member: Member, text: str) -> tuple[Company | None, list[Company]]:
    text = text.strip()
    if not text:
        return None, []
    companies = companies_visible(member)
    if text.isdigit():
        return companies.filter(pk=int(text)).first(), []
    matches = list(companies.filter(name__icontains=text).order_by("name")[:20])
    exact = [c for c in matches if c.name.lower() == text.lower()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0], []
    return None, matches


@selector
def finder_page(
    *,
    member: Member,
    to: str = "",
    company: str = "",
    k: int = DEFAULT_K,
    max_intermediaries: int = MAX_INTERMEDIARIES,
    from_team: bool = True,
) -> FinderPage:
    """Everything the finder page shows: the target resolved from text, its routes, open introductions."""
    page = FinderPage(introductions=introductions_open(member=member))
    if to:
        page.target, page.candidates = resolve_person(member, to)
        if page.target is not None:
            page.routes = paths_to_person(
                member=member,
                person_id=page.target.pk,
                k=k,
                max_intermediaries=max_intermediaries,
                from_team=from_team,
            )
            if not page.routes:
                page.message = f"No route with at most {max_intermediaries} intermediaries reaches {page.target.full_name}."
        elif not page.candidates:
            page.message = f"Nobody in your organization's network matches “{to}”."
    elif company:
        page.company, page.company_candidates = resolve_company(member, company)
        if page.company is not None:
            page.company_routes = company_routes(
                member=member,
                company_id=page.company.pk,
                max_intermediaries=max_intermediaries,
                from_team=from_team,
            )
        elif not page.company_candidates:
            page.message = f"No company matches “{company}”."
    return page
