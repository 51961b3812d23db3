"""The contacts API: list, search, read and update persons and companies; a company's org chart.

Each endpoint validates, calls one selector or service and serializes; another organization's id
is a 404, an invalid change a 422 with the reasons.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from revere.contacts.editing import company_create, company_update, person_update
from revere.contacts.models import Company, Person, PersonMerge
from revere.ingest.merge import person_merge, person_merge_undo
from revere.network.api import my_tie_out
from revere.network.services import contact_add
from revere.tenancy.api import acting_member
from revere.tenancy.visibility import TieView
from revere.web.contacts import selectors
from revere.web.contacts.schemas import (
    CompanyIn,
    CompanyOut,
    CompanyPageOut,
    MergeIn,
    MergeOut,
    OrgChartOut,
    PersonCreatedOut,
    PersonCreateIn,
    PersonDetailOut,
    PersonIn,
    PersonOut,
    PersonPageOut,
)

router = Router(tags=["contacts"])


class PersonQuery(Schema):
    q: str = ""
    company: int | None = None
    status: str = ""
    industry: str = ""
    tied: str = ""
    network_class: str = ""
    sort: str = ""
    page: int = 1
    per_page: int = selectors.PER_PAGE


class CompanyQuery(Schema):
    q: str = ""
    status: str = ""
    industry: str = ""
    region: str = ""
    page: int = 1
    per_page: int = selectors.PER_PAGE


def _unprocessable(e: ValidationError) -> HttpError:
    if hasattr(e, "error_dict"):
        text = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in e.message_dict.items())
    else:
        text = " ".join(e.messages)
    return HttpError(422, text)


def _tie(v: TieView) -> dict[str, Any]:
    return {
        "member_id": v.member_id,
        "member_name": v.member_name,
        "access": v.access.value,
        "band": v.band,
        "network_class": v.network_class,
        "strength": v.strength,
        "notes": v.notes,
    }


def _company_ref(c: Company | None) -> dict[str, Any] | None:
    return None if c is None else {"id": c.pk, "name": c.name, "status": c.status}


def _person_ref(p: Person) -> dict[str, Any]:
    return {"id": p.pk, "full_name": p.full_name, "title": p.title}


def _person(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "full_name": p.full_name,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "title": p.title,
        "function": p.function,
        "seniority": p.seniority,
        "company": _company_ref(p.company),
        "reports_to_id": p.reports_to_id,
        "location": p.location,
        "region": p.region,
        "linkedin_url": p.linkedin_url,
        "expertise": list(p.expertise or []),
    }


def _company(c: Company) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "industry": c.industry,
        "size_band": c.size_band,
        "region": c.region,
        "status": c.status,
        "parent_id": c.parent_id,
        "domains": sorted(d.domain for d in c.domains.all()),
    }


@router.get("/persons", response=PersonPageOut, summary="Search and filter persons, a page at a time")
def list_persons(request: HttpRequest, query: Query[PersonQuery]) -> dict[str, Any]:
    member = acting_member(request)
    filters = selectors.PersonFilters(
        q=query.q,
        company_id=query.company,
        status=query.status,
        industry=query.industry,
        tied=query.tied,
        network_class=query.network_class,
        sort=query.sort,
    )
    page = selectors.person_list(member=member, filters=filters, page=query.page, per_page=query.per_page)
    return {
        "count": page.count,
        "page": page.number,
        "per_page": page.per_page,
        "num_pages": page.num_pages,
        "items": [
            {
                "id": r.person.pk,
                "full_name": r.person.full_name,
                "title": r.person.title,
                "company": _company_ref(r.person.company),
                "my_tie": _tie(r.my_tie) if r.my_tie else None,
                "team_ties": r.team_ties,
            }
            for r in page.rows
        ],
    }


@router.get("/persons/{person_id}", response=PersonDetailOut, summary="A person as the member may see them")
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    from revere.web.contacts.views import finder_url

    d = selectors.person_detail(member=acting_member(request), person_id=person_id)
    if d is None:
        raise HttpError(404, "No such person.")
    p = d.person
    return {
        **_person(p),
        "emails": d.emails,
        "phones": [number for number, _label in d.phones],
        "reports_to": _person_ref(p.reports_to) if p.reports_to else None,
        "reports": [_person_ref(r) for r in d.reports],
        "ties": [_tie(t) for t in d.ties],
        "links": [
            {
                "person": _person_ref(lk.other),
                "company": lk.other.company.name if lk.other.company else None,
                "source": lk.source,
                "weight": lk.weight,
                "last_seen": lk.last_seen,
            }
            for lk in d.links
        ],
        "links_total": d.links_total,
        "interactions": [
            {
                "id": i.id,
                "kind": i.kind,
                "occurred_at": i.occurred_at,
                "subject": i.subject,
                "member_name": i.member_name,
                "others": i.others,
            }
            for i in d.interactions
        ],
        "interactions_total": d.interactions_total,
        "buying_roles": [
            {"deal_id": r.deal_id, "deal_name": r.deal_name, "role": r.role, "stance": r.stance}
            for r in d.buying_roles
        ],
        "paths_in": finder_url(p.pk),
    }


def _person_changes(member: Any, payload: PersonIn) -> tuple[dict[str, Any], Any, Any]:
    """The payload's fields as person_update takes them: ids resolved inside the organization."""
    data = payload.dict(exclude_unset=True)
    emails, phones = data.pop("emails", None), data.pop("phones", None)
    if "company_id" in data:
        cid = data.pop("company_id")
        data["company"] = None if cid is None else selectors.company_get(member=member, company_id=cid)
        if cid is not None and data["company"] is None:
            raise HttpError(422, "company_id: no such company in your organization.")
    if "reports_to_id" in data:
        mid = data.pop("reports_to_id")
        data["reports_to"] = None if mid is None else selectors.person_get(member=member, person_id=mid)
        if mid is not None and data["reports_to"] is None:
            raise HttpError(422, "reports_to_id: no such person in your organization.")
    for key in (
        "first_name",
        "last_name",
        "full_name",
        "title",
        "function",
        "seniority",
        "location",
        "region",
        "linkedin_url",
    ):
        if key in data and data[key] is None:
            data[key] = ""
    if data.get("expertise") is None:
        data.pop("expertise", None)
    return data, emails, phones


@router.post(
    "/persons",
    response={201: PersonCreatedOut},
    summary="Add a person, and with `tie` my tie to them (they join my network at once)",
)
def create_person(request: HttpRequest, payload: PersonCreateIn) -> Status:
    member = acting_member(request)
    tie_in = payload.tie
    data, emails, phones = _person_changes(
        member, PersonIn(**payload.dict(exclude_unset=True, exclude={"tie"}))
    )
    try:
        person, tie = contact_add(
            member=member,
            data=data,
            emails=emails,
            phones=phones,
            tie=None if tie_in is None else tie_in.dict(),
        )
    except ValidationError as e:
        raise _unprocessable(e) from e
    return Status(201, {**_person(person), "tie": None if tie is None else my_tie_out(tie)})


@router.patch(
    "/persons/{person_id}", response=PersonOut, summary="Change a person's fields, e-mails or phones"
)
def update_person(request: HttpRequest, person_id: int, payload: PersonIn) -> dict[str, Any]:
    member = acting_member(request)
    person = selectors.person_get(member=member, person_id=person_id)
    if person is None:
        raise HttpError(404, "No such person.")
    data, emails, phones = _person_changes(member, payload)
    try:
        person = person_update(person=person, data=data, emails=emails, phones=phones)
    except ValidationError as e:
        raise _unprocessable(e) from e
    return _person(person)


@router.get("/companies", response=CompanyPageOut, summary="Search and filter companies, a page at a time")
def list_companies(request: HttpRequest, query: Query[CompanyQuery]) -> dict[str, Any]:
    filters = selectors.CompanyFilters(
        q=query.q, status=query.status, industry=query.industry, region=query.region
    )
    page = selectors.company_list(
        member=acting_member(request), filters=filters, page=query.page, per_page=query.per_page
    )
    return {
        "count": page.count,
        "page": page.number,
        "per_page": page.per_page,
        "num_pages": page.num_pages,
        "items": [
            {
                "id": r.company.pk,
                "name": r.company.name,
                "status": r.company.status,
                "industry": r.company.industry,
                "region": r.company.region,
                "people": r.people,
                "open_deals": r.open_deals,
                "my_ties": r.my_ties,
                "team_ties": r.team_ties,
            }
            for r in page.rows
        ],
    }


@router.get("/companies/{company_id}", response=CompanyOut, summary="A company")
def get_company(request: HttpRequest, company_id: int) -> dict[str, Any]:
    company = selectors.company_get(member=acting_member(request), company_id=company_id)
    if company is None:
        raise HttpError(404, "No such company.")
    return _company(company)


@router.get(
    "/companies/{company_id}/org-chart",
    response=OrgChartOut,
    summary="The company's people along reports-to, with buying roles, stance and ties",
)
def get_org_chart(request: HttpRequest, company_id: int) -> dict[str, Any]:
    chart = selectors.company_org_chart(member=acting_member(request), company_id=company_id)
    if chart is None:
        raise HttpError(404, "No such company.")
    return {
        "company": _company_ref(chart.company),
        "people": chart.people,
        "tied_people": chart.tied_people,
        "roles_people": chart.roles_people,
        "nodes": [
            {
                "id": n.person.pk,
                "full_name": n.person.full_name,
                "title": n.person.title,
                "reports_to_id": n.person.reports_to_id,
                "depth": n.depth,
                "roles": [
                    {"deal_id": r.deal_id, "deal_name": r.deal_name, "role": r.role, "stance": r.stance}
                    for r in n.roles
                ],
                "ties": [_tie(t) for t in n.ties],
            }
            for n in chart.nodes
        ],
    }


def _company_changes(member: Any, payload: CompanyIn) -> tuple[dict[str, Any], Any]:
    data = payload.dict(exclude_unset=True)
    domains = data.pop("domains", None)
    if "parent_id" in data:
        pid = data.pop("parent_id")
        data["parent"] = None if pid is None else selectors.company_get(member=member, company_id=pid)
        if pid is not None and data["parent"] is None:
            raise HttpError(422, "parent_id: no such company in your organization.")
    for key in ("name", "industry", "size_band", "region", "status"):
        if key in data and data[key] is None:
            data[key] = ""
    return data, domains


@router.post("/companies", response={201: CompanyOut}, summary="Add a company")
def create_company(request: HttpRequest, payload: CompanyIn) -> Status:
    member = acting_member(request)
    data, domains = _company_changes(member, payload)
    try:
        company = company_create(organization_id=member.organization_id, data=data, domains=domains)
    except ValidationError as e:
        raise _unprocessable(e) from e
    return Status(201, _company(selectors.company_get(member=member, company_id=company.pk)))  # type: ignore[arg-type]


@router.patch("/companies/{company_id}", response=CompanyOut, summary="Change a company's fields or domains")
def update_company(request: HttpRequest, company_id: int, payload: CompanyIn) -> dict[str, Any]:
    member = acting_member(request)
    company = selectors.company_get(member=member, company_id=company_id)
    if company is None:
        raise HttpError(404, "No such company.")
    data, domains = _company_changes(member, payload)
    try:
        company_update(company=company, data=data, domains=domains)
    except ValidationError as e:
        raise _unprocessable(e) from e
    return _company(selectors.company_get(member=member, company_id=company_id))  # type: ignore[arg-type]


def _merge(m: PersonMerge) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kept": _person_ref(m.kept),
        "merged_person_id": m.merged_person_id,
        "merged_name": m.merged_name,
        "merged_at": m.merged_at,
        "undone_at": m.undone_at,
    }


@router.post("/merges", response={201: MergeOut}, summary="Merge a duplicate person into another")
def merge_persons(request: HttpRequest, payload: MergeIn) -> Status:
    member = acting_member(request)
    keep = selectors.person_get(member=member, person_id=payload.keep_id)
    other = selectors.person_get(member=member, person_id=payload.merge_id)
    if keep is None or other is None:
        raise HttpError(404, "No such person.")
    try:
        merge = person_merge(keep=keep, other=other, member=member, reason="merged through the API")
    except ValidationError as e:
        raise _unprocessable(e) from e
    return Status(201, _merge(merge))


@router.post(
    "/merges/{merge_id}/undo", response=MergeOut, summary="Undo a merge: the merged person comes back"
)
def undo_merge(request: HttpRequest, merge_id: int) -> dict[str, Any]:
    member = acting_member(request)
    merge = selectors.person_merge_get(member=member, merge_id=merge_id)
    if merge is None:
        raise HttpError(404, "No such merge.")
    try:
        person_merge_undo(merge=merge, member=member)
    except ValidationError as e:
        raise _unprocessable(e) from e
    merge.refresh_from_db()
    return _merge(merge)
