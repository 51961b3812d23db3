"""What the contact selectors share: pages of rows, strength bands, ties as the member sees them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Count, QuerySet, Window

from revere.network.models import StrengthBand
from revere.tenancy.models import Member
from revere.tenancy.visibility import (
    TieAccess,
    TieView,
    tie_view,
)

T = TypeVar("T")

PER_PAGE = 50
MAX_PER_PAGE = 200

# Lower bounds of the strength bands (tie strength is 0..1). A tie whose strength is below the
# weak bound has gone dormant: no recent interaction keeps it alive.
BAND_FLOORS: tuple[tuple[str, float], ...] = (
    (StrengthBand.STRONG, 0.6),
    (StrengthBand.MEDIUM, 0.3),
    (StrengthBand.WEAK, 0.1),
)


MAX_PAGE = 10**6


def strength_band(strength: float) -> str:
    """The band of a strength: strong (>= 0.6), medium (>= 0.3), weak (>= 0.1), else dormant."""
    for band, floor in BAND_FLOORS:
        if strength >= floor:
            return str(band)
    return str(StrengthBand.DORMANT)


def tie_views(member: Member, ties: QuerySet[Any] | list[Any]) -> list[TieView]:
    """Each tie as the member may see it, own tie first, then by teammate's name."""
    rows = ties.select_related("member__person") if isinstance(ties, QuerySet) else ties
    views = [
        tie_view(member, t, band=strength_band(t.effective_strength), member_name=t.member.person.full_name)
        for t in rows
    ]
    views.sort(key=lambda v: (v.access is not TieAccess.FULL, v.member_name.lower()))
    return views


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, where it sits and how many rows there are in all."""

    rows: list[T]
    number: int
    per_page: int
    count: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return 0 if self.count == 0 else (self.number - 1) * self.per_page + 1

    @property
    def end_index(self) -> int:
        return min(self.count, self.number * self.per_page)


def paginate(
    qs: QuerySet[Any], *, page: int, per_page: int, one_pass: bool = False
) -> tuple[list[Any], int, int, int]:
    """A page of ``qs`` and the total: ``(rows, page number, per page, count)``.

    ``one_pass`` reads the total beside the rows (``COUNT(*) OVER ()``): for a text search, whose
    every match must be read anyway, that is one scan instead of two. Without a search, the page
    is read by walking the ordering index and stopping early, and a separate COUNT is cheaper.
    A page past the end is clamped to the last page.
    """
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, min(page, MAX_PAGE))
    if one_pass:
        start = (page - 1) * per_page
        rows = list(qs.annotate(_total=Window(Count("pk")))[start : start + per_page])
        if rows:
            return rows, page, per_page, rows[0]._total
    count = qs.count()
    number = min(page, max(1, -(-count // per_page)))
    start = (number - 1) * per_page
    return list(qs[start : start + per_page]), number, per_page, count


@dataclass(frozen=True)
class RoleRow:
    deal_id: int
    deal_name: str
    role: str
    role_label: str
    stance: str
    stance_label: str
