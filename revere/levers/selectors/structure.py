"""The structure lever: solution teams for any skills or deal, and cross-functional teams.

The team is formed by :func:`revere.analytics.teams.solution_team`, the algorithm of the deal
playbook's stage 3 (Lappas, Liu and Terzi 2009 with Kargar and An's sum of distances on
−ln strength), over the whole own company: every colleague is a candidate, a skill's holders are the
colleagues with that expertise tag, and a cross-functional team has one slot per function. For a
deal, the skills are its needed expertise and its owner is on the team.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from revere.analytics.teams import Team, solution_team
from revere.contacts.models import Person
from revere.deals.models import Deal
from revere.network.graph import network_graph
from revere.tenancy.models import Member
from revere.tenancy.visibility import selector

__all__ = ["Proposal", "team_proposal"]


@dataclass(frozen=True)
class Colleague:
    person_id: int
    name: str
    title: str
    function: str
    skills: list[str]  # of the ones asked for


@dataclass(frozen=True)
class Proposal:
    slots: list[str]  # the skills (or functions) asked for
    kind: str  # "skills", "deal" or "functions"
    deal: tuple[int, str] | None
    members: list[Colleague]
    assignment: list[tuple[str, str]]  # slot -> colleague name
    missing: list[str]
    density: float
    mean_strength: float | None
    weighted_density: float
    weakest: tuple[str, str, float] | None  # the pair to bring together first, and their tie
    exact: bool
    ratio: float
    connected: bool
    holders: dict[str, int] = field(default_factory=dict)  # colleagues holding each slot


def _tags(value: object) -> set[str]:
    return {str(x).strip().lower() for x in value} if isinstance(value, list) else set()


@selector
def team_proposal(
    *,
    member: Member,
    skills: Sequence[str] = (),
    deal_id: int | None = None,
    cross_functional: bool = False,
) -> Proposal | None:
    """The proposed team for ``skills``, for a deal, or one colleague per function (None: nothing asked)."""
    required: list[int] = []
    deal = None
    if deal_id is not None:
        deal = (
            Deal.objects.visible_to(member)
            .select_related("owner")
            .filter(pk=deal_id)
            .values_list("id", "name", "needed_expertise", "owner__person_id")
            .first()
        )
        if deal is None:
            raise LookupError("No such deal.")
        skills = [str(s) for s in (deal[2] or []) if str(s).strip()]
        required = [deal[3]]
    own = member.organization.own_company_id
    rows = list(
        Person.objects.visible_to(member)
        .filter(company_id=own)
        .values_list("id", "full_name", "title", "function", "expertise")
    )
    if cross_functional:
        slots = sorted({r[3] for r in rows if r[3]})
        holders = {s: [r[0] for r in rows if r[3] == s] for s in slots}
        kind = "functions"
    else:
        slots = list(dict.fromkeys(skills))
        if not slots:
            return None
        wanted = {s.lower(): s for s in slots}
        holders = {s: [] for s in slots}
        for r in rows:
            for t in _tags(r[4]) & set(wanted):
                holders[wanted[t]].append(r[0])
        kind = "deal" if deal else "skills"
    ng = network_graph(member=member)
    people = np.array(sorted({r[0] for r in rows} | set(required)), dtype=np.int64)
    sub = ng.graph.subgraph(people[ng.graph.index_of(people) >= 0])
    team: Team = solution_team(sub, holders, required=required)
    info = {r[0]: r for r in rows}
    lower = {s.lower() for s in slots}

    def colleague(pid: int) -> Colleague:
        r = info.get(pid, (pid, "", "", "", []))
        asked = [t for t in slots if t.lower() in _tags(r[4])] if not cross_functional else [r[3]]
        return Colleague(pid, r[1], r[2], r[3], [t for t in asked if t and t.lower() in lower])

    c = team.cohesion
    weakest = None
    if c.weakest is not None and len(team.members) > 1:
        a, b = c.weakest.pair
        weakest = (info.get(a, (a, ""))[1], info.get(b, (b, ""))[1], c.weakest.direct)
    return Proposal(
        slots=slots,
        kind=kind,
        deal=(deal[0], deal[1]) if deal else None,
        members=[colleague(p) for p in team.members],
        assignment=[(s, info.get(p, (p, ""))[1]) for s, p in team.assignment.items()],
        missing=list(team.missing),
        density=c.density,
        mean_strength=None if math.isnan(c.mean_strength) else c.mean_strength,
        weighted_density=c.weighted_density,
        weakest=weakest,
        exact=team.exact,
        ratio=team.ratio,
        connected=team.connected,
        holders={s: len(h) for s, h in holders.items()},
    )
