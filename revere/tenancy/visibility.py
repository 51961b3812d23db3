"""Who may see what. The one home of Revere's visibility rules.

Every tenant model names its rule as ``visible_by`` (one of the rule objects below), and its
default manager is restricted (:mod:`revere.tenancy.restricted`): a read for a member is
``Model.objects.visible_to(member)``, which applies the organization and this rule, and nothing
else runs. Rules are written here in terms of field names and tenancy's own models, never by
importing a higher layer's models (import-linter enforces the layers).

The rules (DESIGN.md §2, issue #2):

* Nothing crosses organizations, ever: ``visible_to`` always filters on the member's organization.
* Companies, persons and the links among persons are the organization's shared map: every
  member sees all of them (:data:`SHARED`).
* A member's *scope* is the set of members whose work they may see: a seller sees their own
  team, a manager the teams they manage (and their own), an admin the whole organization.
* Ties (:data:`TIES`): a member sees their own ties in full (exact strength, private notes). Of a
  member in scope, a team-visible tie shows its strength band and network class, never the
  notes. Of a private tie in scope only that its owner can help ("ask <teammate>"): no
  strength, no class (:func:`tie_view`).
* Deals (:class:`Deals`): owned by a member in scope, or with the acting member on the deal team.
  Rows that belong to a deal (history, buying roles) follow their deal (:class:`Through`).
* Interactions, contributions and snapshots (:class:`OwnOrScope`): the acting member's own, and
  those of members in scope for managers and admins (a seller does not read a teammate's mailbox).
* Targets (:class:`TeamOrOrganization`): the organization's and those of teams in scope.
  References and their uses: the organization's (a reference's fatigue counts every use).
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


class Visibility:
    """A tie's visibility to the owner's scope (the values of ``Tie.visibility``)."""

    TEAM = "team"
    PRIVATE = "private"


# ---- scope ---------------------------------------------------------------------------------


def members_in_scope(member: Member) -> QuerySet[Member]:
    """The members whose work ``member`` may see (their team, managed teams, or everyone)."""
    from revere.tenancy.models import Member, Role

    qs = Member.unrestricted.filter(organization_id=member.organization_id)
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


def own_or_scope_ids(member: Member) -> set[int]:
    """The members whose :class:`OwnOrScope` rows (their interactions, snapshots, statements,
    coaching plans) ``member`` sees: a seller only their own; a manager or admin every member in scope.
    """
    from revere.tenancy.models import Role

    return {member.pk} if member.role == Role.SELLER else member_scope_ids(member)


def teams_in_scope(member: Member) -> QuerySet[Any]:
    """The teams whose targets and work ``member`` may see."""
    from revere.tenancy.models import Role, Team

    qs = Team.unrestricted.filter(organization_id=member.organization_id)
    if member.role == Role.ADMIN:
        return qs
    if member.role == Role.MANAGER:
        return qs.filter(Q(managers=member) | Q(pk=member.team_id)).distinct()
    return qs.filter(pk=member.team_id)


def _scope_ids_subquery(member: Member) -> QuerySet[Any]:
    return members_in_scope(member).values("pk")


# ---- the rules -----------------------------------------------------------------------------


class Rule:
    """What a member may see of a model, beyond the member's organization."""

    summary = ""

    def condition(self, member: Member, model: Any) -> Q | None:
        """The filter to apply after the organization's (None: the whole organization)."""
        raise NotImplementedError


class Shared(Rule):
    """The organization's shared map: every member sees every row."""

    summary = "every member of the organization"

    def condition(self, member: Member, model: Any) -> Q | None:
        return None


class Ties(Rule):
    """Own ties, and every tie of a member in scope (what may be shown: :func:`tie_view`)."""

    summary = "own ties and ties of members in scope (shown through tie_view)"

    def condition(self, member: Member, model: Any) -> Q | None:
        return Q(member_id=member.pk) | Q(member_id__in=_scope_ids_subquery(member))


class OwnOrScope(Rule):
    """A seller's own rows; a manager's or admin's, those of every member in scope.

    ``fields`` name the member keys that make a row one's own (a contribution is the
    contributor's and its beneficiary's).
    """

    def __init__(self, *fields: str) -> None:
        self.fields = fields or ("member",)
        self.summary = f"own ({' or '.join(self.fields)}); managers and admins: members in scope"

    def condition(self, member: Member, model: Any) -> Q | None:
        from revere.tenancy.models import Role

        q = Q()
        for field in self.fields:
            q |= Q(**{f"{field}_id": member.pk})
        if member.role != Role.SELLER:
            q |= Q(**{f"{self.fields[0]}_id__in": _scope_ids_subquery(member)})
        return q


class OwnOnly(Rule):
    """Only the member's own rows (an import job is its member's)."""

    def __init__(self, field: str = "member") -> None:
        self.field = field
        self.summary = f"own ({field}) only"

    def condition(self, member: Member, model: Any) -> Q | None:
        return Q(**{f"{self.field}_id": member.pk})


class Deals(Rule):
    """Deals owned by a member in scope, or with the acting member on the deal team."""

    summary = "owned by a member in scope, or with the member on the deal team"

    def __init__(self, owner: str = "owner", team: str = "team") -> None:
        self.owner = owner
        self.team = team

    def condition(self, member: Member, model: Any) -> Q | None:
        through = model._meta.get_field(self.team).remote_field.through
        on_team = through.objects.filter(member_id=member.pk).values(f"{model._meta.model_name}_id")
        return Q(**{f"{self.owner}_id__in": _scope_ids_subquery(member)}) | Q(pk__in=on_team)


class Through(Rule):
    """Rows that belong to another tenant row follow that row's rule (a buying role its deal's)."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.summary = f"as its {field}"

    def condition(self, member: Member, model: Any) -> Q | None:
        related = model._meta.get_field(self.field).related_model
        return Q(**{f"{self.field}_id__in": related.objects.visible_to(member).values("pk")})


class Teams(Rule):
    """Teams in scope: an admin's all, a manager's managed and own, a seller's own."""

    summary = "admin: all; manager: managed and own team; seller: own team"

    def condition(self, member: Member, model: Any) -> Q | None:
        return Q(pk__in=teams_in_scope(member).values("pk"))


class TeamOrOrganization(Rule):
    """The organization's rows (no team) and those of teams in scope (targets)."""

    def __init__(self, field: str = "team") -> None:
        self.field = field
        self.summary = f"organization-wide, or {field} in scope"

    def condition(self, member: Member, model: Any) -> Q | None:
        return Q(**{f"{self.field}__isnull": True}) | Q(
            **{f"{self.field}_id__in": teams_in_scope(member).values("pk")}
        )


SHARED = Shared()
TIES = Ties()
DEALS = Deals()
TEAMS = Teams()


# ---- what a tie shows ----------------------------------------------------------------------


def tie_detail_condition(member: Member) -> Q:
    """Of visible ties, those whose strength and class may be shown: own, and team-visible ones."""
    return Q(member_id=member.pk) | Q(visibility=Visibility.TEAM)


def tie_access(member: Member, *, owner_id: int, visibility: str) -> TieAccess:
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
