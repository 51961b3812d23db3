"""Deals and buying roles of an import, and the company status that follows from them.

A deal is known again by its external id (``<format>:<key>``): a re-import changes its stage,
amount or expected close, with the stage change in its history. A deal's company must be in the
import or known from an earlier one; its owner is the member with the owner's e-mail, else the
importing member. A company with a won deal becomes a customer, one with an open deal a prospect.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial
from typing import TYPE_CHECKING

from django.db.models import Q

from revere.contacts.identity import normalize_email
from revere.contacts.models import Company, CompanyStatus, PersonEmail
from revere.deals.models import OPEN_STAGES, BuyingRole, BuyingRoleKind, Deal, DealStageChange, Stage
from revere.ingest.records import DealRecord, ReadResult
from revere.ingest.service.companies import company_by_key
from revere.tenancy.models import Member

if TYPE_CHECKING:
    from revere.ingest.service.run import ImportRun

CLOSED = {Stage.WON, Stage.LOST}


def _members_by_email(organization_id: int) -> dict[str, Member]:
    out: dict[str, Member] = {}
    for m in Member.objects.filter(organization_id=organization_id).select_related("user"):
        if m.user.email:
            out[normalize_email(m.user.email)] = m
    persons = {m.person_id: m for m in out.values()}
    for m in Member.objects.filter(organization_id=organization_id):
        persons.setdefault(m.person_id, m)
    for person_id, email in PersonEmail.objects.filter(person_id__in=list(persons)).values_list(
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


def deals(run: ImportRun, file: str, result: ReadResult) -> None:
    if not result.deals and not result.buying_roles:
        return
    ns = result.format
    members = _members_by_email(run.org_id)
    touched: set[int] = set()
    deal_by_key: dict[str, Deal] = {}
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
        deal = Deal.objects.filter(organization_id=run.org_id, external_id=external_id).first()
        closed_at = run.now if stage in CLOSED else None
        if deal is None:
            deal = Deal.objects.create(
                organization_id=run.org_id,
                name=(rec.name or rec.key)[:255],
                company_id=company.pk,
                owner=owner,
                stage=stage,
                amount=amount,
                expected_close=rec.expected_close,
                external_id=external_id,
                created_at=run.now,
                closed_at=closed_at,
            )
            _stage_change(run, deal, "", stage)
            reason = f"stage {Stage(stage).label}" + (
                f" (from {rec.source_stage!r})" if rec.source_stage else ""
            )
            note(action="created", label=deal.name, reason=reason, object_id=deal.pk)
        else:
            changes = []
            if deal.stage != stage:
                _stage_change(run, deal, deal.stage, stage)
                deal.stage = stage
                deal.closed_at = closed_at
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
        deal_by_key[rec.key] = deal
        touched.add(company.pk)
        for ckey in rec.contact_keys:
            person = run.person_keys.get((ns, ckey))
            if person is not None and person.pk is not None:
                row, created = BuyingRole.objects.get_or_create(
                    organization_id=run.org_id,
                    deal=deal,
                    person_id=person.pk,
                    defaults={"role": BuyingRoleKind.INFLUENCER},
                )
                _role_through_shadow(
                    run, (ns, ckey), row if created else None, deal.pk, BuyingRoleKind.INFLUENCER
                )
    for role in result.buying_roles:
        run.tick()
        note = partial(run.report.add, file=file, line=role.line, kind="buying_role")
        deal_or_none = (
            deal_by_key.get(role.deal_key)
            or Deal.objects.filter(organization_id=run.org_id, external_id=f"{ns}:{role.deal_key}").first()
        )
        person = run.person_keys.get((ns, role.person_key))
        if deal_or_none is None or person is None or person.pk is None:
            label = f"{role.person_key} on {role.deal_key}"
            note(action="skipped", label=label, reason="its deal or person is not in the import")
            continue
        kind = role.role if role.role in BuyingRoleKind.values else BuyingRoleKind.INFLUENCER
        row, created = BuyingRole.objects.get_or_create(
            organization_id=run.org_id, deal=deal_or_none, person_id=person.pk, role=kind
        )
        _role_through_shadow(run, (ns, role.person_key), row if created else None, deal_or_none.pk, kind)
        note(
            action="created" if created else "skipped",
            label=f"{person.full_name}: {BuyingRoleKind(kind).label} on {deal_or_none.name}",
            reason="" if created else "already imported",
        )
    company_status_from_deals(run, touched)


def _role_through_shadow(
    run: ImportRun, key: tuple[str, str], row: BuyingRole | None, deal_id: int, role: str
) -> None:
    """A buying role given through a merged record's key: moved on undo (or, found already there, copied)."""
    shadow = run.shadow_by_key.get(key)
    for number in shadow.tags if shadow is not None else ():
        run.shadows[number].roles.append([row.pk if row is not None else None, deal_id, role])


def _stage_change(run: ImportRun, deal: Deal, from_stage: str, to_stage: str) -> None:
    DealStageChange.objects.create(
        organization_id=run.org_id,
        deal=deal,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_at=run.now,
        changed_by=run.member,
    )


def company_status_from_deals(run: ImportRun, company_ids: set[int]) -> None:
    """A company of the import with a won deal is a customer; with an open one, a prospect."""
    won = set(
        Deal.objects.filter(company_id__in=company_ids, stage=Stage.WON).values_list("company_id", flat=True)
    )
    open_ = set(
        Deal.objects.filter(company_id__in=company_ids, stage__in=OPEN_STAGES).values_list(
            "company_id", flat=True
        )
    )
    base = Company.objects.filter(organization_id=run.org_id, status=CompanyStatus.OTHER)
    base.filter(pk__in=won).update(status=CompanyStatus.CUSTOMER)
    base.filter(Q(pk__in=open_ - won)).update(status=CompanyStatus.PROSPECT)
