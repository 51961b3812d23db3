"""The middleman finder's page: routes to a person or into a company, with the buying roles of the
deals the member may see (deals) and the introductions asked and made (levers).

The search itself is the network's (:mod:`revere.network.finder`); this composes it with the
layers above, which is why it sits in revere.web.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from revere.contacts.models import Company, Person
from revere.deals.buying_roles import company_routes_by_role
from revere.levers.models import Contribution
from revere.levers.selectors.introductions import introductions_open
from revere.network.finder import (
    DEFAULT_K,
    MAX_INTERMEDIARIES,
    CompanyRoutes,
    Route,
    paths_to_person,
    resolve_company,
    resolve_person,
)
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector


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
            page.company_routes = company_routes_by_role(
                member=member,
                company_id=page.company.pk,
                max_intermediaries=max_intermediaries,
                from_team=from_team,
            )
        elif not page.company_candidates:
            page.message = f"No company matches “{company}”."
    return page
