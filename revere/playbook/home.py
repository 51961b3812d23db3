"""The home page's headline figures: the member's ties per network and open deals per stage."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from revere.deals.models import OPEN_STAGES, Deal, Stage
from revere.network.models import NetworkClass, Tie
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector


@dataclass(frozen=True)
class HomeFigures:
    ties_per_class: dict[str, int]
    open_deals_per_stage: dict[str, int]

    @property
    def total_ties(self) -> int:
        return sum(self.ties_per_class.values())

    @property
    def total_open_deals(self) -> int:
        return sum(self.open_deals_per_stage.values())


@selector
def member_home_figures(*, member: Member) -> HomeFigures:
    """The member's own active ties per network class and their open deals per stage (two queries)."""
    ties = Tie.objects.visible_to(member).filter(member_id=member.pk, is_active=True)
    per_class = {c.value: 0 for c in NetworkClass}
    rows = ties.values("network_class", "network_class_override").annotate(n=Count("id"))
    for row in rows:
        per_class[row["network_class_override"] or row["network_class"]] += row["n"]
    deals = Deal.objects.visible_to(member).filter(Q(owner=member) | Q(team=member), stage__in=OPEN_STAGES)
    per_stage = {s.value: 0 for s in OPEN_STAGES}
    for row in deals.order_by().values("stage").annotate(n=Count("id", distinct=True)):
        per_stage[row["stage"]] = row["n"]
    return HomeFigures(ties_per_class=per_class, open_deals_per_stage=per_stage)


STAGE_LABELS = {s.value: s.label for s in Stage}
