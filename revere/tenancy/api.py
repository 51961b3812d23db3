from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from revere.tenancy.models import Member
from revere.tenancy.schemas import MeOut
from revere.tenancy.selectors import member_home_figures

router = Router(tags=["me"])


def acting_member(request: HttpRequest) -> Member:
    """The member behind the request; a user who is no member of any organization gets 403."""
    member = getattr(request, "member", None)
    if member is None:
        raise HttpError(403, "You are not a member of an organization.")
    return member


@router.get("/me", response=MeOut, summary="The signed-in member and their figures")
def me(request: HttpRequest) -> dict:
    member = acting_member(request)
    figures = member_home_figures(member=member)
    return {
        "id": member.pk,
        "name": member.person.full_name,
        "email": member.user.email,
        "role": member.role,
        "organization": member.organization.name,
        "team": member.team.name if member.team else None,
        "ties_per_class": figures.ties_per_class,
        "open_deals_per_stage": figures.open_deals_per_stage,
    }
