"""Writes on deals: the only code that creates deals, moves their stage and writes their history,
team and buying roles (issue 9; docs/playbook.md, "Deals").

Every function is keyword-only and atomic, checks that the acting member may change the deal, and
raises :class:`DealRefused` (a :class:`~django.core.exceptions.ValidationError` or
:class:`~django.core.exceptions.PermissionDenied` with a sentence a seller reads) before anything
is written. :func:`deal_move_stage` is the only writer of ``Deal.stage`` and of
:class:`~revere.deals.models.DealStageChange`; the importer calls it too (``checks=False``: the
other system's stage is the record, the move is marked with its source).

Who may change a deal: its owner, a member of its deal team, a manager whose teams include the
owner, and the organization's admins. Seeing a deal (a teammate's, say) is not enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from revere.contacts.models import Company, CompanyStatus, Person
from revere.deals.models import (
    OPEN_STAGES,
    BuyingRole,
    BuyingRoleKind,
    Deal,
    DealStageChange,
    Stage,
    Stance,
)
from revere.deals.playbook import exit_check_messages
from revere.network.models import Tie
from revere.network.services.strength import ties_classify
from revere.tenancy.models import Member, Organization, Role
from revere.tenancy.services import organization_graph_changed
from revere.tenancy.visibility import member_scope_ids

__all__ = [
    "CLOSED_STAGES",
    "DealMoveRefused",
    "Move",
    "buying_role_remove",
    "buying_role_set",
    "deal_create",
    "deal_move_stage",
    "deal_stage_import",
    "deal_team_add",
    "deal_team_remove",
    "deal_team_set",
    "deal_update",
    "may_edit",
    "stage_order",
]

CLOSED_STAGES = (Stage.WON, Stage.LOST)
STAGE_LABELS = dict(Stage.choices)
MAX_NAME = 255
MAX_REASON = 2000


class DealMoveRefused(ValidationError):
    """A stage move that is not made, with why; ``needs_reason``: it is made once a reason is given."""

    def __init__(self, message: str, *, needs_reason: bool = False, failed: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.text = message
        self.needs_reason = needs_reason
        self.failed = list(failed)


@dataclass
class Move:
    change: DealStageChange
    failed: list[str] = field(default_factory=list)  # exit checks that failed (then flagged)

    @property
    def flagged(self) -> bool:
        return bool(self.failed)


def stage_order(stage: str) -> int:
    """Position of a stage on the way to a win: 0..3 for the open stages, 4 for won (lost: -1)."""
    if stage == Stage.WON:
        return 4
    if stage == Stage.LOST:
        return -1
    return OPEN_STAGES.index(stage)  # type: ignore[arg-type]


# ---- who may change a deal ---------------------------------------------------------------------


def may_edit(member: Member, deal: Deal) -> bool:
    """The owner, the deal team, a manager of the owner's team, or an admin of the organization."""
    if deal.organization_id != member.organization_id:
        return False
    if member.role == Role.ADMIN or deal.owner_id == member.pk:
        return True
    if member.role == Role.MANAGER and deal.owner_id in member_scope_ids(member):
        return True
    through = Deal.team.through
    return bool(through.objects.filter(deal_id=deal.pk, member_id=member.pk).exists())


def _require_edit(member: Member, deal: Deal) -> None:
    if not may_edit(member, deal):
        raise PermissionDenied("Only the deal's owner, its deal team and their managers change this deal.")


def _owner(member: Member, owner: Member | None) -> Member:
    if owner is None:
        return member
    if owner.organization_id != member.organization_id or not owner.is_active:
        raise ValidationError("No such colleague to own the deal.")
    if owner.pk != member.pk and member.role == Role.SELLER and owner.team_id != member.team_id:
        raise ValidationError("A seller gives deals only to colleagues of their own team.")
    if owner.pk != member.pk and member.role == Role.MANAGER and owner.pk not in member_scope_ids(member):
        raise ValidationError("A manager gives deals only to members of the teams they manage.")
    return owner


def _company(member: Member, company: Company) -> Company:
    if company.organization_id != member.organization_id:
        raise ValidationError("No such company.")
    return company


def _expertise(tags: Iterable[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        t = " ".join(str(tag).split())[:80]
        if t and t.lower() not in {o.lower() for o in out}:
            out.append(t)
    return out[:50]


def _amount(value: Decimal | int | float | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError as e:
        raise ValidationError("An amount is a number, e.g. 25000.") from e
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError("An amount is a number from 0 to 999,999,999,999.99.")
    return amount.quantize(Decimal("0.01"))


def _currency(value: str) -> str:
    c = str(value or "USD").strip().upper()
    if len(c) != 3 or not c.isalpha():
        raise ValidationError("A currency is three letters, e.g. USD or EUR.")
    return c


def _name(value: str) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise ValidationError("A deal needs a name.")
    return name[:MAX_NAME]


def _class_changed(deal: Deal) -> None:
    """The deal's company may change class (DESIGN.md §1): an open deal makes a company of no status
    a prospect, a won deal makes it a customer (as an import does); the ties to its people are
    classified again and the graph re-reads the company."""
    company = Company.unrestricted.filter(pk=deal.company_id, organization_id=deal.organization_id)
    if deal.stage == Stage.WON:
        company.filter(status__in=[CompanyStatus.OTHER, CompanyStatus.PROSPECT]).update(
            status=CompanyStatus.CUSTOMER
        )
    elif deal.stage in OPEN_STAGES:
        company.filter(status=CompanyStatus.OTHER).update(status=CompanyStatus.PROSPECT)
    ties = Tie.unrestricted.filter(organization_id=deal.organization_id, person__company_id=deal.company_id)
    ties_classify(
        organization=Organization.objects.get(pk=deal.organization_id),
        tie_ids=list(ties.values_list("pk", flat=True)),
    )
    organization_graph_changed(organization_id=deal.organization_id, companies=[deal.company_id])


# ---- create and update -------------------------------------------------------------------------


@transaction.atomic
def deal_create(
    *,
    member: Member,
    name: str,
    company: Company,
    owner: Member | None = None,
    amount: Decimal | int | float | str | None = None,
    currency: str = "USD",
    expected_close: date | None = None,
    needed_expertise: Iterable[str] = (),
    stage: str = Stage.IDENTIFY,
    external_id: str = "",
    team: Iterable[Member] = (),
    source: str = "app",
    now: datetime | None = None,
    imported: bool = False,
) -> Deal:
    """A new deal at ``stage`` (stage 1 by default), its first history entry, and its team.

    ``imported``: written by an import, whose file names the owner (any active member of the
    organization, whatever the importing member's team) and which classifies the companies'
    ties once for the whole file.
    """
    now = now or timezone.now()
    if stage not in Stage.values:
        raise ValidationError(f"No stage {stage!r}.")
    if imported and owner is not None and owner.organization_id != member.organization_id:
        raise ValidationError("No such colleague to own the deal.")
    deal = Deal.unrestricted.create(
        organization_id=member.organization_id,
        name=_name(name),
        company=_company(member, company),
        owner=owner if imported and owner is not None else _owner(member, owner),
        stage=stage,
        amount=_amount(amount),
        currency=_currency(currency),
        expected_close=expected_close,
        needed_expertise=_expertise(needed_expertise),
        external_id=str(external_id or "")[:255],
        created_at=now,
        closed_at=now if stage in CLOSED_STAGES else None,
    )
    _history(deal, "", stage, by=member, at=now, source=source)
    mates = [m for m in team if m.pk != deal.owner_id]
    for m in mates:
        if m.organization_id != member.organization_id:
            raise ValidationError("No such colleague.")
    if mates:
        deal.team.add(*mates)
    if not imported:
        _class_changed(deal)
    return deal


#: Fields deal_update writes, with their cleaners.
_UPDATABLE: dict[str, Callable[[Any], Any]] = {
    "name": _name,
    "amount": _amount,
    "currency": _currency,
    "expected_close": lambda v: v,
    "needed_expertise": lambda v: _expertise(v or ()),
}


@transaction.atomic
def deal_update(*, member: Member, deal: Deal, **fields: Any) -> list[str]:
    """Change a deal's fields (not its stage: :func:`deal_move_stage`); returns the fields changed."""
    _require_edit(member, deal)
    if "stage" in fields:
        raise ValidationError("A deal's stage changes only by a move.")
    changed: list[str] = []
    for key, value in fields.items():
        if key == "company":
            company = _company(member, value)
            if company.pk != deal.company_id:
                old = deal.company_id
                deal.company = company
                changed.append("company")
                organization_graph_changed(organization_id=deal.organization_id, companies=[old])
            continue
        if key == "owner":
            owner = _owner(member, value)
            if owner.pk != deal.owner_id:
                deal.owner = owner
                changed.append("owner")
            continue
        if key not in _UPDATABLE:
            raise ValidationError(f"A deal has no field {key!r} to change.")
        clean = _UPDATABLE[key](value)
        if getattr(deal, key) != clean:
            setattr(deal, key, clean)
            changed.append(key)
    if changed:
        deal.save(update_fields=changed)
        if "company" in changed:
            _class_changed(deal)
    return changed


# ---- the stage ---------------------------------------------------------------------------------


def _history(
    deal: Deal,
    from_stage: str,
    to_stage: str,
    *,
    by: Member | None,
    at: datetime,
    source: str,
    reason: str = "",
    failed: Sequence[str] = (),
) -> DealStageChange:
    """The one writer of DealStageChange rows (a deal's creation, its moves, an import's stage)."""
    return DealStageChange.unrestricted.create(
        organization_id=deal.organization_id,
        deal=deal,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_at=at,
        changed_by=by,
        reason=reason,
        flagged=bool(failed),
        failed_checks=list(failed),
        reopened=from_stage in CLOSED_STAGES and to_stage in OPEN_STAGES,
        source=source,
    )


def deal_stage_import(
    *, member: Member, deal: Deal, to_stage: str, now: datetime, source: str = "import"
) -> bool:
    """An import's stage for an imported deal: the other system's stage is the record (no check, no
    refusal but an unknown stage); written with its history entry. True when the stage changed."""
    if to_stage not in Stage.values:
        raise ValidationError(f"No stage {to_stage!r}.")
    if deal.organization_id != member.organization_id:
        raise ValidationError("No such deal.")
    if deal.stage == to_stage:
        return False
    _history(
        deal, deal.stage, to_stage, by=member, at=now, source=source, reason="stage in the imported file"
    )
    deal.stage = to_stage
    deal.closed_at = now if to_stage in CLOSED_STAGES else None
    deal.save(update_fields=["stage", "closed_at"])
    return True


def _refuse_illegal(deal: Deal, to_stage: str, reason: str) -> None:
    if to_stage not in Stage.values:
        raise DealMoveRefused(f"There is no stage {to_stage!r}.")
    if to_stage == deal.stage:
        raise DealMoveRefused(f"The deal is already in {STAGE_LABELS[to_stage]}.")
    if deal.stage in CLOSED_STAGES and to_stage in CLOSED_STAGES:
        raise DealMoveRefused(
            f"The deal is {STAGE_LABELS[deal.stage].lower()}: reopen it to an open stage before "
            f"marking it {STAGE_LABELS[to_stage].lower()}."
        )
    if to_stage in CLOSED_STAGES and not reason:
        raise DealMoveRefused(
            f"Say why the deal is {STAGE_LABELS[to_stage].lower()}: a reason is needed.", needs_reason=True
        )


def _leaving(from_stage: str, to_stage: str) -> list[str]:
    """The open stages a move forward leaves (the current one and any it skips)."""
    if to_stage == Stage.LOST or from_stage in CLOSED_STAGES:
        return []
    lo, hi = stage_order(from_stage), stage_order(to_stage)
    return [s.value for s in OPEN_STAGES[lo:hi]] if hi > lo else []


@transaction.atomic
def deal_move_stage(
    *,
    member: Member,
    deal: Deal,
    to_stage: str,
    reason: str = "",
    checks: bool = True,
    source: str = "app",
    now: datetime | None = None,
) -> Move:
    """Move ``deal`` to ``to_stage``, the only writer of the stage and its history.

    Refused (:class:`DealMoveRefused`, nothing written): an unknown stage, the stage it is in,
    won to lost or back without reopening, won or lost without a reason, and a move forward past
    a failing exit check without a reason (``needs_reason``). Made past a failing check with a
    reason, the move is ``flagged`` with the checks' messages. A closed deal moved to an open
    stage is reopened (recorded, ``closed_at`` cleared).
    """
    _require_edit(member, deal)
    reason = " ".join(str(reason or "").split())[:MAX_REASON]
    given = deal
    deal = Deal.unrestricted.select_for_update().get(pk=deal.pk, organization_id=member.organization_id)
    to_stage = str(to_stage)
    _refuse_illegal(deal, to_stage, reason)
    failed: list[str] = []
    if checks:
        for stage in _leaving(deal.stage, to_stage):
            failed.extend(exit_check_messages(member, deal, stage))
    if failed and not reason:
        raise DealMoveRefused(
            "The exit checks fail: " + " ".join(failed) + " Give a reason to move it anyway.",
            needs_reason=True,
            failed=failed,
        )
    now = now or timezone.now()
    from_stage = deal.stage
    change = _history(
        deal, from_stage, to_stage, by=member, at=now, source=source, reason=reason, failed=failed
    )
    deal.stage = to_stage
    deal.closed_at = now if to_stage in CLOSED_STAGES else None
    deal.save(update_fields=["stage", "closed_at"])
    given.stage, given.closed_at = deal.stage, deal.closed_at
    if (from_stage in OPEN_STAGES) != (to_stage in OPEN_STAGES) or Stage.WON in (from_stage, to_stage):
        _class_changed(deal)
    return Move(change=change, failed=failed)


# ---- the deal team -----------------------------------------------------------------------------


def _colleague(member: Member, teammate: Member) -> Member:
    if teammate.organization_id != member.organization_id or not teammate.is_active:
        raise ValidationError("No such colleague.")
    return teammate


@transaction.atomic
def deal_team_add(*, member: Member, deal: Deal, teammate: Member) -> bool:
    """Put a colleague on the deal team (True when added; the owner is always on it)."""
    _require_edit(member, deal)
    teammate = _colleague(member, teammate)
    if (
        teammate.pk == deal.owner_id
        or deal.team.through.objects.filter(deal_id=deal.pk, member_id=teammate.pk).exists()
    ):
        return False
    deal.team.add(teammate)
    return True


@transaction.atomic
def deal_team_remove(*, member: Member, deal: Deal, teammate: Member) -> bool:
    """Take a colleague off the deal team (True when removed)."""
    _require_edit(member, deal)
    if teammate.organization_id != member.organization_id:
        raise ValidationError("No such colleague.")
    removed, _ = deal.team.through.objects.filter(deal_id=deal.pk, member_id=teammate.pk).delete()
    return bool(removed)


@transaction.atomic
def deal_team_set(*, member: Member, deal: Deal, teammates: Iterable[Member]) -> list[int]:
    """Make the deal team exactly ``teammates`` (and the owner): accepting a proposed solution team."""
    _require_edit(member, deal)
    wanted = {_colleague(member, t).pk: t for t in teammates if t.pk != deal.owner_id}
    through = deal.team.through
    through.objects.filter(deal_id=deal.pk).exclude(member_id__in=list(wanted)).delete()
    have = set(through.objects.filter(deal_id=deal.pk).values_list("member_id", flat=True))
    new = [t for pk, t in wanted.items() if pk not in have]
    if new:
        deal.team.add(*new)
    return sorted(wanted)


# ---- buying roles ------------------------------------------------------------------------------


def _buyer(member: Member, deal: Deal, person: Person) -> Person:
    if person.organization_id != member.organization_id:
        raise ValidationError("No such person.")
    own = Member.unrestricted.filter(pk=member.pk).values_list("organization__own_company_id", flat=True)
    if person.company_id is not None and person.company_id in set(own):
        raise ValidationError("A colleague of the own company holds no buying role.")
    return person


@transaction.atomic
def buying_role_set(
    *, member: Member, deal: Deal, person: Person, role: str, stance: str = Stance.NEUTRAL
) -> BuyingRole:
    """Give ``person`` the buying ``role`` on the deal with ``stance`` (a second call changes the stance)."""
    _require_edit(member, deal)
    if role not in BuyingRoleKind.values:
        raise ValidationError(f"No buying role {role!r}.")
    if stance not in Stance.values:
        raise ValidationError(f"No stance {stance!r}.")
    person = _buyer(member, deal, person)
    row = BuyingRole.unrestricted.filter(
        organization_id=deal.organization_id, deal=deal, person=person, role=role
    ).first()
    if row is None:
        row = BuyingRole.unrestricted.create(
            organization_id=deal.organization_id, deal=deal, person=person, role=role, stance=stance
        )
    elif row.stance != stance:
        row.stance = stance
        row.save(update_fields=["stance"])
    return row


@transaction.atomic
def buying_role_remove(*, member: Member, deal: Deal, person: Person, role: str | None = None) -> int:
    """Remove the person's buying ``role`` on the deal (every role when None); returns how many."""
    _require_edit(member, deal)
    rows = BuyingRole.unrestricted.filter(
        organization_id=deal.organization_id, deal=deal, person_id=person.pk
    )
    if role is not None:
        rows = rows.filter(role=role)
    removed, _ = rows.delete()
    return int(removed)
