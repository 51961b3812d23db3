"""Deals and buying roles of an import, and the company status that follows from them.

A deal is known again by its external id (``<format>:<key>``): a re-import changes its stage,
amount or expected close, with the stage change in its history. A deal's company must be in the
import or known from an earlier one; its owner is the member with the owner's e-mail, else the
importing member. A company with a won deal becomes a customer, one with an open deal a prospect.

Buying roles are written after every file's deals, so a contacts file finds the deals of a deals file
given with it in either order. A contact's own (stated) role on a deal wins over the influencer that
a deal's association with the contact gives: an associated contact without a stated role and with no
role yet on the deal is an influencer; a stated role takes the place of such an influencer row.
A contact imported before, in a file of its own, is found by its source record, which keeps the roles
it stated (stated_roles.py): a deals file imported later gives it those roles instead of influencer.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Q

from revere.contacts.identity import normalize_email
from revere.contacts.models import Company, CompanyStatus, PersonEmail
from revere.deals.models import OPEN_STAGES, BuyingRole, BuyingRoleKind, Deal, Stage
from revere.deals.services import deal_create, deal_stage_import
from revere.ingest.records import DealRecord, ReadResult
from revere.ingest.service.companies import company_by_key
from revere.ingest.service.merges_open import source_key
from revere.ingest.service.report import Action, ReportRow
from revere.ingest.service.stated_roles import StoredContact, remember
from revere.ingest.service.stated_roles import kind as _kind
from revere.tenancy.models import Member

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun

CLOSED = {Stage.WON, Stage.LOST}


def _members_by_email(organization_id: int) -> dict[str, Member]:
    out: dict[str, Member] = {}
    for m in Member.unrestricted.filter(organization_id=organization_id).select_related("user"):
        if m.user.email:
            out[normalize_email(m.user.email)] = m
    persons = {m.person_id: m for m in out.values()}
    for m in Member.unrestricted.filter(organization_id=organization_id):
        persons.setdefault(m.person_id, m)
    for person_id, email in PersonEmail.unrestricted.filter(person_id__in=list(persons)).values_list(
        "person_id", "email"
    ):
        out.setdefault(email, persons[person_id])
    return out


def _amount(rec: DealRecord) -> Decimal | None:
    if rec.amount is None:
        return None
    try:
        return Decimal(str(rec.amount)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def deals_and_roles(run: ImportRun, results: list[tuple[str, ReadResult]]) -> None:
    """Every file's deals, then every file's buying roles: a contacts file finds the deals of a deals
    file given with it, whichever comes first. A contact's stated role on a deal (a buying role record)
    wins over the generic influencer its association with the deal gives (a deal's contact keys)."""
    remember(run, results)
    stated: dict[tuple[str, str, str], set[str]] = {}
    for _, result in results:
        for role in result.buying_roles:
            stated.setdefault((result.format, role.deal_key, role.person_key), set()).add(_kind(role.role))
    touched: set[int] = set()
    members: dict[str, Member] | None = None
    for file, result in results:
        if result.deals:
            members = members if members is not None else _members_by_email(run.org_id)
            touched |= _deals(run, file, result, members, stated)
    for file, result in results:
        _buying_roles(run, file, result, stated)
    if touched:
        company_status_from_deals(run, touched)


def _deals(
    run: ImportRun,
    file: str,
    result: ReadResult,
    members: dict[str, Member],
    stated: dict[tuple[str, str, str], set[str]],
) -> set[int]:
    ns = result.format
    touched: set[int] = set()
    for rec in result.deals:
        run.tick()
        note = partial(run.report.add, file=file, line=rec.line, kind="deal")
        company = company_by_key(run, ns, rec.company_key)
        if company is None or company.pk is None:
            note(action="skipped", label=rec.name, reason="no known company for this deal")
            continue
        stage = rec.stage if rec.stage in Stage.values else Stage.IDENTIFY
        owner = members.get(normalize_email(rec.owner_email)) if rec.owner_email else None
        owner = owner or run.member
        external_id = f"{ns}:{rec.key}"[:255]
        amount = _amount(rec)
        deal = Deal.unrestricted.filter(organization_id=run.org_id, external_id=external_id).first()
        if deal is None:
            try:
                deal = deal_create(
                    member=run.member,
                    name=(rec.name or rec.key)[:255] or "Deal",
                    company=Company.unrestricted.only("id", "organization_id").get(pk=company.pk),
                    owner=owner,
                    stage=stage,
                    amount=amount,
                    expected_close=rec.expected_close,
                    external_id=external_id,
                    source="import",
                    now=run.now,
                    imported=True,
                )
            except ValidationError as exc:
                note(action="skipped", label=rec.name or rec.key, reason=" ".join(exc.messages))
                continue
            reason = f"stage {Stage(stage).label}" + (
                f" (from {rec.source_stage!r})" if rec.source_stage else ""
            )
            note(action="created", label=deal.name, reason=reason, object_id=deal.pk)
        else:
            changes = []
            if deal_stage_import(member=run.member, deal=deal, to_stage=stage, now=run.now):
                changes.append("stage")
            if amount is not None and deal.amount != amount:
                deal.amount = amount
                changes.append("amount")
            if rec.expected_close and deal.expected_close != rec.expected_close:
                deal.expected_close = rec.expected_close
                changes.append("expected close")
            if changes:
                deal.save()
                reason = "changed: " + ", ".join(changes)
                note(action="updated", label=deal.name, reason=reason, object_id=deal.pk)
            else:
                reason = "already imported, nothing changed"
                note(action="skipped", label=deal.name, reason=reason, object_id=deal.pk)
        touched.add(company.pk)
        _associated(run, ns, rec, deal, stated)
        for ckey in rec.contact_keys:
            if (ns, ckey) not in run.person_keys and (ns, ckey) in run.stored_contacts:
                _stored_contact(run, note, rec, deal, run.stored_contacts[(ns, ckey)])
    return touched


def _buying_roles(
    run: ImportRun, file: str, result: ReadResult, stated: dict[tuple[str, str, str], set[str]]
) -> None:
    ns = result.format
    for role in result.buying_roles:
        run.tick()
        note = partial(run.report.add, file=file, line=role.line, kind="buying_role")
        deal = Deal.unrestricted.filter(
            organization_id=run.org_id, external_id=f"{ns}:{role.deal_key}"
        ).first()
        person = run.person_keys.get((ns, role.person_key))
        if deal is None or person is None or person.pk is None:
            label = f"{role.person_key} on {role.deal_key}"
            reason = "its deal or person is not in the import"
            if person is not None and person.pk is not None:
                reason = "its deal is not imported yet; kept with the contact for a later deals file"
            note(action="skipped", label=label, reason=reason)
            continue
        kind = _kind(role.role)
        keep_generic = BuyingRoleKind.INFLUENCER in stated[(ns, role.deal_key, role.person_key)]
        row, action = _stated_role(run, deal, person.pk, kind, keep_generic=keep_generic)
        _role_through_shadow(run, (ns, role.person_key), row if action == "created" else None, deal.pk, kind)
        reasons = {
            "created": "",
            "updated": "instead of the generic influencer",
            "skipped": "already imported",
        }
        label = f"{person.full_name}: {BuyingRoleKind(kind).label} on {deal.name}"
        note(action=action, label=label, reason=reasons[action], object_id=row.pk)


def _associated(
    run: ImportRun, ns: str, rec: DealRecord, deal: Deal, stated: dict[tuple[str, str, str], set[str]]
) -> None:
    """A contact associated with the deal without a role of its own: influencer, unless it has a role."""
    for ckey in rec.contact_keys:
        person = run.person_keys.get((ns, ckey))
        if person is None or person.pk is None or (ns, rec.key, ckey) in stated:
            continue  # a role stated in this import is written with the buying roles
        row = None
        if not BuyingRole.unrestricted.filter(deal=deal, person_id=person.pk).exists():
            row = BuyingRole.unrestricted.create(
                organization_id=run.org_id, deal=deal, person_id=person.pk, role=BuyingRoleKind.INFLUENCER
            )
        _role_through_shadow(run, (ns, ckey), row, deal.pk, BuyingRoleKind.INFLUENCER)


def _stored_contact(
    run: ImportRun, note: partial[ReportRow], rec: DealRecord, deal: Deal, c: StoredContact
) -> None:
    """A contact an earlier import brought: the roles it stated on the deal, else influencer if it has none."""
    shadow = run.shadow_by_match.get(source_key(c.source, c.external_id))
    tags = shadow.tags if shadow is not None and shadow.entry.pk == c.person_id else ()
    kinds = c.roles.get(rec.key, [])
    if not kinds:
        row = None
        if not BuyingRole.unrestricted.filter(deal=deal, person_id=c.person_id).exists():
            row = BuyingRole.unrestricted.create(
                organization_id=run.org_id, deal=deal, person_id=c.person_id, role=BuyingRoleKind.INFLUENCER
            )
        for number in tags:
            run.shadows[number].roles.append(
                [row.pk if row is not None else None, deal.pk, BuyingRoleKind.INFLUENCER]
            )
        return
    person = run.index.persons_by_pk.get(c.person_id)
    name = person.full_name if person is not None else c.external_id
    reasons = {
        "created": "stated in an earlier import",
        "updated": "stated in an earlier import, instead of the generic influencer",
        "skipped": "already imported",
    }
    for kind in kinds:
        row, action = _stated_role(
            run, deal, c.person_id, kind, keep_generic=BuyingRoleKind.INFLUENCER in kinds
        )
        for number in tags:
            run.shadows[number].roles.append([row.pk if action == "created" else None, deal.pk, kind])
        label = f"{name}: {BuyingRoleKind(kind).label} on {deal.name}"
        note(kind="buying_role", action=action, label=label, reason=reasons[action], object_id=row.pk)


def _stated_role(
    run: ImportRun, deal: Deal, person_id: int, kind: str, *, keep_generic: bool
) -> tuple[BuyingRole, Action]:
    """The person's stated role on the deal; it replaces an influencer row an association gave before."""
    rows = BuyingRole.unrestricted.filter(organization_id=run.org_id, deal=deal, person_id=person_id)
    row = rows.filter(role=kind).first()
    generic = None
    if not keep_generic and kind != BuyingRoleKind.INFLUENCER:
        generic = rows.filter(role=BuyingRoleKind.INFLUENCER).first()
    if row is None and generic is not None:
        generic.role = kind  # the same row: its stance stays
        generic.save(update_fields=["role"])
        return generic, "updated"
    if row is None:
        return BuyingRole.unrestricted.create(
            organization_id=run.org_id, deal=deal, person_id=person_id, role=kind
        ), "created"
    if generic is not None:
        generic.delete()  # left beside the stated role by an import before this rule
        return row, "updated"
    return row, "skipped"


def _role_through_shadow(
    run: ImportRun, key: tuple[str, str], row: BuyingRole | None, deal_id: int, role: str
) -> None:
    """A buying role given through a merged record's key: moved on undo (or, found already there, copied)."""
    shadow = run.shadow_by_key.get(key)
    for number in shadow.tags if shadow is not None else ():
        run.shadows[number].roles.append([row.pk if row is not None else None, deal_id, role])


def company_status_from_deals(run: ImportRun, company_ids: set[int]) -> None:
    """A company of the import with a won deal is a customer; with an open one, a prospect."""
    won = set(
        Deal.unrestricted.filter(company_id__in=company_ids, stage=Stage.WON).values_list(
            "company_id", flat=True
        )
    )
    open_ = set(
        Deal.unrestricted.filter(company_id__in=company_ids, stage__in=OPEN_STAGES).values_list(
            "company_id", flat=True
        )
    )
    base = Company.unrestricted.filter(organization_id=run.org_id, status=CompanyStatus.OTHER)
    base.filter(pk__in=won).update(status=CompanyStatus.CUSTOMER)
    base.filter(Q(pk__in=open_ - won)).update(status=CompanyStatus.PROSPECT)
