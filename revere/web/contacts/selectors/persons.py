"""Reads on persons: the list and its search, a person's page, merges into them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from revere.contacts.identity import normalize_person_name
from revere.contacts.models import MergeCandidate, Person, PersonEmail, PersonMerge, PersonPhone
from revere.deals.models import BuyingRole, Deal
from revere.network.models import Interaction, InteractionParticipant, Link, LinkSource, Tie
from revere.tenancy.ids import valid_id
from revere.tenancy.models import Member, Role
from revere.tenancy.visibility import (
    TieView,
    selector,
    tie_view,
)
from revere.web.contacts.selectors.common import (
    PER_PAGE,
    Page,
    RoleRow,
    paginate,
    strength_band,
    tie_views,
)

# --------------------------------------------------------------------------------------------
# Persons


SORTS_BY_MY_TIE = ("strength", "recent")


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""  # a part of the name, title or an e-mail address
    company_id: int | None = None
    status: str = ""  # the company's status (prospect, customer, ...)
    industry: str = ""
    tied: str = ""  # "me": persons I have a tie to; "team": anyone in my scope has one
    network_class: str = ""  # the class of my own tie
    sort: str = ""  # "" by name; "strength": my strongest ties first; "recent": my latest contact first


@dataclass(frozen=True)
class PersonRow:
    person: Person
    my_tie: TieView | None
    team_ties: int  # ties of other members in my scope (any visibility)


def _person_queryset(member: Member, f: PersonFilters) -> QuerySet[Person]:
    qs = Person.objects.visible_to(member)
    q = f.q.strip()
    if q:
        # Normalized names and e-mails are stored in lower case: a plain (case-sensitive) LIKE on
        # them is about three times cheaper on PostgreSQL than icontains's UPPER(...) LIKE.
        emails = PersonEmail.objects.visible_to(member).filter(email__contains=q.lower())
        names = {normalize_person_name(q), q.lower()} - {""}  # "o'neil" is stored "oneil"; keep both
        by_name = Q()
        for name in sorted(names):
            by_name |= Q(normalized_name__contains=name)
        qs = qs.filter(
            by_name
            | (Q(normalized_name="") & Q(full_name__icontains=q))
            | Q(title__icontains=q)
            | Q(pk__in=emails.values("person_id"))
        )
    if f.company_id is not None:
        qs = qs.filter(company_id=f.company_id) if valid_id(f.company_id) else qs.none()
    if f.status:
        qs = qs.filter(company__status=f.status)
    if f.industry:
        qs = qs.filter(company__industry=f.industry)
    if f.tied == "me" or f.network_class or f.sort in SORTS_BY_MY_TIE:
        mine = Tie.objects.visible_to(member).filter(member_id=member.pk, is_active=True)
        if f.network_class:
            mine = mine.filter(
                Q(network_class_override=f.network_class)
                | Q(network_class_override="", network_class=f.network_class)
            )
        qs = qs.filter(pk__in=mine.values("person_id"))
    elif f.tied == "team":
        qs = qs.filter(pk__in=Tie.objects.visible_to(member).filter(is_active=True).values("person_id"))
    return qs


@selector
def person_list(
    *, member: Member, filters: PersonFilters | None = None, page: int = 1, per_page: int = PER_PAGE
) -> Page[PersonRow]:
    """One page of the persons the member may see, by name, with the member's tie and the team's.

    Three queries: the count, the page of persons with their companies, the ties to them.
    """
    f = filters or PersonFilters()
    qs = _person_queryset(member, f).select_related("company")
    if f.sort in SORTS_BY_MY_TIE:
        # Sorting by my tie lists only persons I am tied to; the key is read from my tie per row.
        my_tie = Tie.objects.visible_to(member).filter(member_id=member.pk, person_id=OuterRef("pk"))
        key = (
            my_tie.annotate(k=Coalesce("strength_override", "strength")).values("k")
            if f.sort == "strength"
            else my_tie.values("last_interaction")
        )
        qs = qs.annotate(sort_key=Subquery(key[:1])).order_by(
            F("sort_key").desc(nulls_last=True), "normalized_name", "id"
        )
        one_pass = True  # every tied person is read to sort them anyway
    else:
        qs = qs.order_by("normalized_name", "id")
        one_pass = bool(f.q.strip())
    persons, number, per_page, count = paginate(qs, page=page, per_page=per_page, one_pass=one_pass)
    mine: dict[int, TieView] = {}
    team: dict[int, int] = defaultdict(int)
    if persons:
        ties = Tie.objects.visible_to(member).filter(person_id__in=[p.pk for p in persons], is_active=True)
        for t in ties.only(
            "id",
            "member_id",
            "person_id",
            "strength",
            "strength_override",
            "visibility",
            "network_class",
            "network_class_override",
            "notes",
        ):
            if t.member_id == member.pk:
                mine[t.person_id] = tie_view(
                    member, t, band=strength_band(t.effective_strength), member_name=member.person.full_name
                )
            else:
                team[t.person_id] += 1
    rows = [PersonRow(person=p, my_tie=mine.get(p.pk), team_ties=team.get(p.pk, 0)) for p in persons]
    return Page(rows=rows, number=number, per_page=per_page, count=count)


@selector
def person_search(*, member: Member, q: str, limit: int = 20) -> list[Person]:
    """Persons whose name, title or e-mail matches ``q``, for pickers (merge, reports-to). One query."""
    if not q.strip():
        return []
    qs = _person_queryset(member, PersonFilters(q=q)).select_related("company")
    return list(qs.order_by("normalized_name", "id")[: max(1, min(limit, 100))])


@selector
def person_get(*, member: Member, person_id: int) -> Person | None:
    """The person if the member may see them (same organization), with company and manager."""
    if not valid_id(person_id):
        return None
    return (
        Person.objects.visible_to(member).select_related("company", "reports_to").filter(pk=person_id).first()
    )


@dataclass(frozen=True)
class LinkRow:
    """Someone the person knows: how (source) and how well (weight)."""

    other: Person
    source: str
    source_label: str
    weight: float
    last_seen: Any
    can_undo: bool = False  # a link the acting member stated (or any stated link, for an admin)


@dataclass(frozen=True)
class InteractionRow:
    id: int
    kind: str
    kind_label: str
    occurred_at: Any
    subject: str
    member_name: str | None
    others: list[str]


@dataclass(frozen=True)
class MergeRow:
    id: int
    merged_name: str
    kind_label: str
    merged_at: Any
    merged_by: str | None


@dataclass(frozen=True)
class OwnTie:
    """What only the tie's owner sees beyond its view: since when, last contact, cadence."""

    since: Any
    last_interaction: Any
    cadence_days: int | None
    visibility: str
    strength: float = 0.0  # computed from interactions
    strength_override: float | None = None
    network_class: str = ""  # effective
    network_class_override: str = ""
    notes: str = ""


@dataclass
class PersonDetail:
    person: Person
    emails: list[str]
    phones: list[tuple[str, str]]
    reports: list[Person]
    ties: list[TieView]
    interactions: list[InteractionRow]
    interactions_total: int
    links: list[LinkRow]
    links_total: int
    buying_roles: list[RoleRow] = field(default_factory=list)
    merges: list[MergeRow] = field(default_factory=list)  # merged into this person, not undone
    own_tie: OwnTie | None = None  # the acting member's own tie, in full
    maybe_same: list[tuple[Person, float, str]] = field(default_factory=list)  # open duplicate candidates


INTERACTIONS_SHOWN = 25
LINKS_SHOWN = 100


@selector
def person_detail(*, member: Member, person_id: int) -> PersonDetail | None:
    """Everything the member may see about one person; None outside the member's organization.

    About ten queries whatever the person's number of links and interactions.
    """
    person = person_get(member=member, person_id=person_id)
    if person is None:
        return None
    emails = list(
        PersonEmail.objects.visible_to(member)
        .filter(person=person)
        .order_by("-is_primary", "email")
        .values_list("email", flat=True)
    )
    phones = [
        (p.e164, p.label)
        for p in PersonPhone.objects.visible_to(member).filter(person=person).order_by("e164")
    ]
    # "pk in (an indexed lookup)": the plan is the index on reports_to whatever the statistics say
    # (SQLite without ANALYZE would otherwise scan the organization's persons).
    reports = list(
        Person.objects.visible_to(member)
        .filter(pk__in=Person.objects.visible_to(member).filter(reports_to_id=person.pk).values("pk"))
        .select_related("company")
        .order_by("full_name")
    )
    tie_rows = list(
        Tie.objects.visible_to(member).filter(person=person, is_active=True).select_related("member__person")
    )
    ties = tie_views(member, tie_rows)
    own = next((t for t in tie_rows if t.member_id == member.pk), None)

    seen = Interaction.objects.visible_to(member).filter(
        pk__in=InteractionParticipant.objects.visible_to(member)
        .filter(person_id=person.pk)
        .values("interaction_id")
    )
    interactions_total = seen.count()
    shown = list(seen.select_related("member__person").order_by("-occurred_at", "-id")[:INTERACTIONS_SHOWN])
    others: dict[int, list[str]] = defaultdict(list)
    if shown:
        parts = (
            InteractionParticipant.objects.visible_to(member)
            .filter(interaction_id__in=[i.pk for i in shown])
            .exclude(person=person)
            .values_list("interaction_id", "person__full_name")
            .order_by("person__full_name")
        )
        for iid, name in parts:
            others[iid].append(name)
    interactions = [
        InteractionRow(
            id=i.pk,
            kind=i.kind,
            kind_label=i.get_kind_display(),
            occurred_at=i.occurred_at,
            subject=i.subject,
            member_name=i.member.person.full_name if i.member else None,
            others=others.get(i.pk, []),
        )
        for i in shown
    ]

    # Links are stored once per pair (a < b): the person's are those on either side, read side by
    # side through the indexes on a and on b, never by an OR the planner may turn into a scan.
    links_total = 0
    candidates: list[Any] = []
    for side in ("a_id", "b_id"):
        side_qs = Link.objects.visible_to(member).filter(
            pk__in=Link.objects.visible_to(member).filter(**{side: person.pk}).values("pk")
        )
        links_total += side_qs.count()
        candidates += side_qs.select_related("a__company", "b__company").order_by("-weight", "id")[
            :LINKS_SHOWN
        ]
    candidates.sort(key=lambda link: (-link.weight, link.pk))
    link_rows = []
    for link in candidates[:LINKS_SHOWN]:
        other = link.b if link.a_id == person.pk else link.a
        link_rows.append(
            LinkRow(
                other=other,
                source=link.source,
                source_label=link.get_source_display(),
                weight=link.weight,
                last_seen=link.last_seen,
                can_undo=link.source == LinkSource.STATED
                and (link.stated_by_id == member.pk or member.role == Role.ADMIN),
            )
        )

    roles = (
        BuyingRole.objects.visible_to(member)
        .filter(person=person, deal__in=Deal.objects.visible_to(member))
        .select_related("deal")
    )
    role_rows = [
        RoleRow(
            deal_id=r.deal_id,
            deal_name=r.deal.name,
            role=r.role,
            role_label=r.get_role_display(),
            stance=r.stance,
            stance_label=r.get_stance_display(),
        )
        for r in roles.order_by("deal__name", "role")
    ]
    return PersonDetail(
        person=person,
        emails=emails,
        phones=phones,
        reports=reports,
        ties=ties,
        interactions=interactions,
        interactions_total=interactions_total,
        links=link_rows,
        links_total=links_total,
        buying_roles=role_rows,
        maybe_same=[
            (c.person_b if c.person_a_id == person.pk else c.person_a, c.score, c.reason)
            for c in MergeCandidate.objects.visible_to(member)
            .filter(Q(person_a=person) | Q(person_b=person), status=MergeCandidate.Status.OPEN)
            .select_related("person_a__company", "person_b__company")
            .order_by("-score", "id")[:10]
        ],
        own_tie=None
        if own is None
        else OwnTie(
            since=own.since,
            last_interaction=own.last_interaction,
            cadence_days=own.cadence_days,
            visibility=own.visibility,
            strength=own.strength,
            strength_override=own.strength_override,
            network_class=own.effective_class,
            network_class_override=own.network_class_override,
            notes=own.notes,
        ),
        merges=[
            MergeRow(
                id=m.pk,
                merged_name=m.merged_name,
                kind_label=m.get_kind_display(),
                merged_at=m.merged_at,
                merged_by=m.merged_by.person.full_name if m.merged_by else None,
            )
            # Only what the page shows: a merge's snapshot holds the merged person's rows in full.
            for m in PersonMerge.objects.visible_to(member)
            .filter(kept=person, undone_at__isnull=True)
            .select_related("merged_by__person")
            .only("id", "merged_name", "kind", "merged_at", "merged_by__person__full_name")
            .order_by("-merged_at", "-id")[:20]
        ],
    )


@selector
def person_merge_get(*, member: Member, merge_id: int) -> PersonMerge | None:
    """A merge recorded in the member's organization (to undo it), or None."""
    if not valid_id(merge_id):
        return None
    return PersonMerge.objects.visible_to(member).select_related("kept").filter(pk=merge_id).first()
