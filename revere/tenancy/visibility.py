"""Who may see what. The one home of Revere's visibility rules; every selector uses these.

The rules (DESIGN.md §2, issue #2):

* Nothing crosses organizations, ever: every queryset here starts from the acting member's
  organization.
* Companies, persons and the links among persons are the organization's shared map: every
  member sees all of them.
* A member's *scope* is the set of members whose work they may see: a seller sees their own
  team, a manager the teams they manage (and their own), an admin the whole organization.
* Ties: a member sees their own ties in full (exact strength, private notes). Of a member in
  scope, a team-visible tie shows its strength band and network class, never the notes. Of a
  private tie in scope only that its owner can help ("ask <teammate>"): no strength, no class.
* Deals: owned by a member in scope, or with the acting member on the deal team.
* Interactions, contributions and snapshots: the acting member's own, and those of members in
  scope for managers and admins (a seller does not read a teammate's mailbox).
* Targets: the organization's and those of teams in scope. References: the organization's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from revere.tenancy.models import Member

F = TypeVar("F", bound=Callable[..., Any])

# Every read of tenant data registers here, so that the visibility matrix test covers them all.
SELECTORS: dict[str, Callable[..., Any]] = {}


def selector(fn: F) -> F:
    """Register a selector (a read that takes ``member=``) for the visibility matrix test."""
    SELECTORS[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


class TieAccess(StrEnum):
    FULL = "full"  # own tie: strength, notes, everything
    BAND = "band"  # a teammate's team-visible tie: band and class, never notes
    ASK = "ask"  # a teammate's private tie: only "ask <teammate>"


@dataclass(frozen=True)
class TieView:
    """A tie as the acting member may see it."""

    tie_id: int
    member_id: int
    member_name: str
    person_id: int
    access: TieAccess
    band: str | None
    network_class: str | None
    strength: float | None
    notes: str | None


def members_in_scope(member: Member) -> QuerySet[Member]:
    from revere.tenancy.models import Member, Role

    qs = Member.objects.filter(organization_id=member.organization_id)
    if member.role == Role.ADMIN:
        return qs
    if member.role == Role.MANAGER:
        return qs.filter(
            Q(team__managers=member) | Q(team_id=member.team_id, team__isnull=False) | Q(pk=member.pk)
        ).distinct()
    if member.team_id is None:
        return qs.filter(pk=member.pk)
    return qs.filter(team_id=member.team_id)


def member_scope_ids(member: Member) -> set[int]:
    return set(members_in_scope(member).values_list("id", flat=True))


def organization_filter(model: Any, member: Member) -> QuerySet[Any]:
    return model.objects.filter(organization_id=member.organization_id)


def companies_visible(member: Member) -> QuerySet[Any]:
    from revere.contacts.models import Company

    return organization_filter(Company, member)


def persons_visible(member: Member) -> QuerySet[Any]:
    from revere.contacts.models import Person

    return organization_filter(Person, member)


def links_visible(member: Member) -> QuerySet[Any]:
    from revere.network.models import Link

    return organization_filter(Link, member)


def teams_visible(member: Member) -> QuerySet[Any]:
    from revere.tenancy.models import Role, Team

    qs = organization_filter(Team, member)
    if member.role == Role.ADMIN:
        return qs
    if member.role == Role.MANAGER:
        return qs.filter(Q(managers=member) | Q(pk=member.team_id)).distinct()
    return qs.filter(pk=member.team_id)


def ties_visible(member: Member) -> QuerySet[Any]:
    """Ties the member may see at least as "ask": own ties and all ties of members in scope.

    Use :func:`tie_view` to turn each into what may be shown.
    """
    from revere.network.models import Tie

    return organization_filter(Tie, member).filter(
        Q(member_id=member.pk) | Q(member__in=members_in_scope(member))
    )


def tie_detail_visible(member: Member) -> QuerySet[Any]:
    """Ties whose strength and class the member may see: own, and team-visible ones in scope."""
    from revere.network.models import Visibility

    return ties_visible(member).filter(Q(member_id=member.pk) | Q(visibility=Visibility.TEAM))


def tie_access(member: Member, *, owner_id: int, visibility: str) -> TieAccess:
    from revere.network.models import Visibility

    if owner_id == member.pk:
        return TieAccess.FULL
    if visibility == Visibility.TEAM:
        return TieAccess.BAND
    return TieAccess.ASK


def tie_view(member: Member, tie: Any, *, band: str, member_name: str) -> TieView:
    access = tie_access(member, owner_id=tie.member_id, visibility=tie.visibility)
    full = access is TieAccess.FULL
    return TieView(
        tie_id=tie.pk,
        member_id=tie.member_id,
        member_name=member_name,
        person_id=tie.person_id,
        access=access,
        band=band if access is not TieAccess.ASK else None,
        network_class=(tie.network_class_override or tie.network_class)
        if access is not TieAccess.ASK
        else None,
        strength=tie.effective_strength if full else None,
        notes=tie.notes if full else None,
    )


def deals_visible(member: Member) -> QuerySet[Any]:
    from revere.deals.models import Deal

    return (
        organization_filter(Deal, member)
        .filter(Q(owner__in=members_in_scope(member)) | Q(team=member))
        .distinct()
    )


def _own_or_scope(member: Member, model: Any, field: str = "member") -> QuerySet[Any]:
    from revere.tenancy.models import Role

    qs = organization_filter(model, member)
    if member.role == Role.SELLER:
        return qs.filter(**{f"{field}_id": member.pk})
    return qs.filter(**{f"{field}__in": members_in_scope(member)})


def interactions_visible(member: Member) -> QuerySet[Any]:
    from revere.network.models import Interaction

    return _own_or_scope(member, Interaction)


def contributions_visible(member: Member) -> QuerySet[Any]:
    from revere.levers.models import Contribution

    return _own_or_scope(member, Contribution)


def snapshots_visible(member: Member) -> QuerySet[Any]:
    from revere.network.models import Snapshot

    return _own_or_scope(member, Snapshot)


def references_visible(member: Member) -> QuerySet[Any]:
    from revere.deals.models import Reference

    return organization_filter(Reference, member)


def targets_visible(member: Member) -> QuerySet[Any]:
    from revere.playbook.models import Target

    return organization_filter(Target, member).filter(
        Q(team__isnull=True) | Q(team__in=teams_visible(member))
    )
