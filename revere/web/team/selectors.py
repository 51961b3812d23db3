"""The team view with each seller's scorecard, and the gaps a coaching plan is proposed from.

The levers compute the team's figures (:func:`revere.levers.selectors.team.team_view`); the playbook
the scorecard (:func:`revere.playbook.scorecard.score_network` against the targets of each seller's
team). A coaching plan's gaps are the scorecard's, measured on the seller's whole network as the
snapshots that chart its progress are; its suggested actions are the scorecard's advice for each
measure (docs/levers.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from revere.analytics.coaching import Gap
from revere.levers.selectors.team import TeamView, team_view
from revere.network.selectors import member_snapshot_metrics
from revere.playbook.scorecard import ACTIONS, NetworkScore, score_network
from revere.playbook.selectors import targets_effective
from revere.playbook.targets import TargetValues
from revere.tenancy.models import Member, Team
from revere.tenancy.visibility import selector

__all__ = ["TeamPage", "coaching_gaps", "team_page"]

#: The scorecard's measures as coaching metrics.
MEASURE_METRIC = {
    "min_size": "size",
    "min_density": "density",
    "max_density": "density",
    "max_constraint": "constraint",
    "min_strength": "mean_strength",
    "min_diversity": "diversity",
}


@dataclass(frozen=True)
class TeamPage:
    view: TeamView
    scores: dict[int, dict[str, NetworkScore]]  # seller's member id -> network -> score

    def as_dict(self) -> dict[str, Any]:
        out = self.view.as_dict()
        for row in out["sellers"]:
            row["scorecard"] = {cls: s.as_dict() for cls, s in self.scores[row["member_id"]].items()}
        return out


def _targets(
    member: Member, team_id: int | None, cache: dict[int | None, dict[str, TargetValues]]
) -> dict[str, TargetValues]:
    if team_id not in cache:
        team = Team.objects.visible_to(member).filter(pk=team_id).first() if team_id else None
        cache[team_id] = (
            targets_effective(member=member, team=team) if team else targets_effective(member=member)
        )
    return cache[team_id]


@selector
def team_page(*, member: Member, team: Team | None = None) -> TeamPage:
    """The team view, and every seller's four networks scored against their team's targets."""
    view = team_view(member=member, team=team)
    team_of = dict(
        Member.objects.visible_to(member)
        .filter(pk__in=[r.member_id for r in view.sellers])
        .values_list("id", "team_id")
    )
    cache: dict[int | None, dict[str, TargetValues]] = {}
    scores = {
        r.member_id: {
            cls: score_network(m, _targets(member, team_of.get(r.member_id), cache)[cls])
            for cls, m in r.networks.items()
        }
        for r in view.sellers
    }
    return TeamPage(view=view, scores=scores)


@dataclass(frozen=True)
class CoachingInput:
    gaps: list[Gap]
    actions: dict[tuple[str, str], list[str]]


@selector
def coaching_gaps(*, member: Member, subject: Member) -> CoachingInput:
    """The gaps of ``subject``'s whole network against their team's targets, and the advice per measure."""
    metrics = member_snapshot_metrics(member=member, subject=subject)
    team = Team.objects.visible_to(member).filter(pk=subject.team_id).first() if subject.team_id else None
    targets = targets_effective(member=member, team=team) if team else targets_effective(member=member)
    gaps: list[Gap] = []
    for cls, m in metrics.items():
        for line in score_network(m, targets[cls]).gaps:
            if line.actual is None:
                continue
            gaps.append(
                Gap(cls, MEASURE_METRIC[line.measure], float(line.actual), float(line.target), line.at_least)
            )
    actions: dict[tuple[str, str], list[str]] = {}
    for cls, by_measure in ACTIONS.items():
        for measure, text in by_measure.items():
            key = (str(cls), MEASURE_METRIC[measure])
            if "{gap}" in text:
                size = metrics[str(cls)].size
                text = text.format(gap=max(int(targets[str(cls)].min_size) - size, 5))
            actions.setdefault(key, []).append(text)
    for cls in metrics:
        # The stall goal of the market network is its effective size: the same advice as its size.
        actions.setdefault((cls, "effective_size"), list(actions.get((cls, "size"), [])))
    return CoachingInput(gaps=gaps, actions=actions)
