"""What every API router shares: the acting member behind a request."""

from django.http import HttpRequest
from ninja.errors import HttpError

from revere.tenancy.models import Member


def acting_member(request: HttpRequest) -> Member:
    """The member behind the request; a user who is no member of any organization gets 403."""
    member = getattr(request, "member", None)
    if member is None:
        raise HttpError(403, "You are not a member of an organization.")
    return member
