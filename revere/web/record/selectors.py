"""Reads of the record pieces: the people typeahead."""

from __future__ import annotations

from dataclasses import dataclass

from revere.network.models import Tie
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector
from revere.web.contacts.selectors import person_search

PICKS_SHOWN = 8


@dataclass(frozen=True)
class Pick:
    person_id: int
    name: str
    detail: str  # title and company
    why: str  # "your contact", "colleague", ""


@selector
def person_pick(
    *, member: Member, q: str, exclude: list[int] | None = None, limit: int = PICKS_SHOWN
) -> list[Pick]:
    """Persons the member may see whose name, title or e-mail matches ``q``: the member's contacts
    first, then colleagues (members of the organization), then everyone else; never the member.

    Three queries: the matches (at most 60), the member's ties among them, the members among them.
    """
    q = q.strip()
    if len(q) < 2:
        return []
    skip = {member.person_id, *(exclude or [])}
    found = [p for p in person_search(member=member, q=q, limit=60) if p.pk not in skip]
    if not found:
        return []
    ids = [p.pk for p in found]
    mine = set(
        Tie.objects.visible_to(member)
        .filter(member_id=member.pk, person_id__in=ids, is_active=True)
        .values_list("person_id", flat=True)
    )
    colleagues = set(
        Member.objects.visible_to(member).filter(person_id__in=ids).values_list("person_id", flat=True)
    )

    def rank(p: object) -> int:
        pk = p.pk  # type: ignore[attr-defined]
        return 0 if pk in mine else 1 if pk in colleagues else 2

    found.sort(key=rank)
    picks = []
    for p in found[: max(1, min(limit, 20))]:
        company = p.company.name if p.company else ""
        detail = " · ".join(x for x in (p.title, company) if x)
        why = "your contact" if p.pk in mine else "colleague" if p.pk in colleagues else ""
        picks.append(Pick(person_id=p.pk, name=p.full_name, detail=detail, why=why))
    return picks
