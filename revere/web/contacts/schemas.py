"""The contacts API's shapes: what comes in (``...In``) and what goes out (``...Out``)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from revere.network.schemas import MyTieIn, MyTieOut


class CompanyRefOut(Schema):
    id: int
    name: str
    status: str


class PersonRefOut(Schema):
    id: int
    full_name: str
    title: str


class PersonTieOut(Schema):
    """A tie as the acting member may see it: ``full`` (own), ``band`` (teammate's) or ``ask``."""

    member_id: int
    member_name: str
    access: str
    band: str | None
    network_class: str | None
    strength: float | None
    notes: str | None


class PersonOut(Schema):
    id: int
    full_name: str
    first_name: str
    last_name: str
    title: str
    function: str
    seniority: str
    company: CompanyRefOut | None
    reports_to_id: int | None
    location: str
    region: str
    linkedin_url: str
    expertise: list[str]


class PersonRowOut(Schema):
    id: int
    full_name: str
    title: str
    company: CompanyRefOut | None
    my_tie: PersonTieOut | None
    team_ties: int


class PersonPageOut(Schema):
    count: int
    page: int
    per_page: int
    num_pages: int
    items: list[PersonRowOut]


class LinkOut(Schema):
    person: PersonRefOut
    company: str | None
    source: str
    weight: float
    last_seen: datetime | None


class InteractionOut(Schema):
    id: int
    kind: str
    occurred_at: datetime
    subject: str
    member_name: str | None
    others: list[str]


class BuyingRoleOut(Schema):
    deal_id: int
    deal_name: str
    role: str
    stance: str


class PersonDetailOut(PersonOut):
    emails: list[str]
    phones: list[str]
    reports_to: PersonRefOut | None
    reports: list[PersonRefOut]
    ties: list[PersonTieOut]
    links: list[LinkOut]
    links_total: int
    interactions: list[InteractionOut]
    interactions_total: int
    buying_roles: list[BuyingRoleOut]
    paths_in: str | None


class PersonIn(Schema):
    """Fields to change; those left out stay as they are. Lists replace the person's own."""

    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    company_id: int | None = None
    title: str | None = None
    function: str | None = None
    seniority: str | None = None
    reports_to_id: int | None = None
    location: str | None = None
    region: str | None = None
    linkedin_url: str | None = None
    expertise: list[str] | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None


class PersonCreateIn(PersonIn):
    """A new person; with ``tie``, my tie to them in the same transaction (how I know them, how well)."""

    tie: MyTieIn | None = None


class PersonCreatedOut(PersonOut):
    tie: MyTieOut | None = None


class CompanyOut(Schema):
    id: int
    name: str
    industry: str
    size_band: str
    region: str
    status: str
    parent_id: int | None
    domains: list[str]


class CompanyRowOut(Schema):
    id: int
    name: str
    status: str
    industry: str
    region: str
    people: int
    open_deals: int
    my_ties: int
    team_ties: int


class CompanyPageOut(Schema):
    count: int
    page: int
    per_page: int
    num_pages: int
    items: list[CompanyRowOut]


class OrgNodeOut(Schema):
    id: int
    full_name: str
    title: str
    reports_to_id: int | None
    depth: int
    roles: list[BuyingRoleOut]
    ties: list[PersonTieOut]


class OrgChartOut(Schema):
    company: CompanyRefOut
    people: int
    tied_people: int
    roles_people: int
    nodes: list[OrgNodeOut]


class CompanyIn(Schema):
    name: str | None = None
    industry: str | None = None
    size_band: str | None = None
    region: str | None = None
    status: str | None = None
    parent_id: int | None = None
    domains: list[str] | None = None


class MergeIn(Schema):
    """Merge ``merge_id`` into ``keep_id``: the second person's rows move to the first, who stays."""

    keep_id: int
    merge_id: int


class MergeOut(Schema):
    id: int
    kept: PersonRefOut
    merged_person_id: int | None
    merged_name: str
    merged_at: datetime
    undone_at: datetime | None
