"""Reads of buying roles for the pages below the deal page: who holds which role at a company."""

from __future__ import annotations

from revere.deals.models import BuyingRole, BuyingRoleKind, Deal
from revere.network.finder.company import MAX_INTERMEDIARIES, CompanyRoutes, RolesAt, company_routes
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector

#: Buying roles in the order they matter for reaching a buyer (economic buyer first).
ROLE_RANK = {r.value: k for k, r in enumerate(BuyingRoleKind)}
ROLE_LABELS = dict(BuyingRoleKind.choices)


@selector
def buying_roles_at_company(*, member: Member, company_id: int) -> RolesAt:
    """Person id -> (rank of their most important role, role labels), on the deals the member may see."""
    deals = Deal.objects.visible_to(member).filter(company_id=company_id)
    roles: dict[int, list[str]] = {}
    for person_id, role in (
        BuyingRole.objects.visible_to(member)
        .filter(deal__in=deals)
        .order_by("person_id", "role")
        .values_list("person_id", "role")
        .distinct()
    ):
        roles.setdefault(person_id, []).append(role)
    return {
        person_id: (min(ROLE_RANK.get(r, 99) for r in kinds), [ROLE_LABELS.get(r, r) for r in kinds])
        for person_id, kinds in roles.items()
    }


@selector
def company_routes_by_role(
    *,
    member: Member,
    company_id: int,
    max_intermediaries: int = MAX_INTERMEDIARIES,
    from_team: bool = True,
) -> CompanyRoutes:
    """The finder's routes into a company, aimed at the buying roles of the deals the member may see."""
    return company_routes(
        member=member,
        company_id=company_id,
        roles=buying_roles_at_company(member=member, company_id=company_id),
        max_intermediaries=max_intermediaries,
        from_team=from_team,
    )
