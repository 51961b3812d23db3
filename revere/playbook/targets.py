"""What "enough connections" means, network by network: the default targets and their reasons.

The defaults follow the shape each stage of the sale needs (DESIGN.md §1, after Üstüner and Godes,
"Better Sales Networks", HBR 2006): the market network large, sparse and diverse; the prospect
network threaded into every buyer; the internal network cohesive and strong; the customer network
strongly tied. An admin overrides them for the organization or for any team, a manager for the teams
they manage (``Target`` rows; :func:`targets_refusal` is the rule); a measure left empty on a row has no
target. docs/playbook.md explains every figure.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from revere.network.models import NetworkClass
from revere.network.selectors import DIVERSITY_DIMENSION
from revere.tenancy.models import Member, Role, Team
from revere.tenancy.visibility import selector

__all__ = [
    "DEFAULT_TARGETS",
    "DIVERSITY_DIMENSION",
    "MEASURES",
    "REASONS",
    "TargetValues",
    "target_from_row",
    "target_teams_editable",
    "targets_refusal",
]

MEASURES = ("min_size", "min_density", "max_density", "max_constraint", "min_strength", "min_diversity")


@dataclass(frozen=True)
class TargetValues:
    """One network's targets; ``None`` means the measure is not targeted."""

    min_size: int = 0
    min_density: float | None = None
    max_density: float | None = None
    max_constraint: float | None = None
    min_strength: float | None = None
    min_diversity: float | None = None
    source: str = "default"  # "default", "organization" or "team"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


DEFAULT_TARGETS: dict[str, TargetValues] = {
    # Stage 1: hear early of opportunities. Many contacts who do not know each other (low
    # density, constraint at most 0.15, i.e. as if about seven fully separate contacts or more:
    # the constraint of n equal, unconnected contacts is 1/n), across many companies.
    NetworkClass.MARKET: TargetValues(min_size=40, max_density=0.15, max_constraint=0.15, min_diversity=0.7),
    # Stage 2: inside every buyer, more than one thread, and ties warm enough to ask for a meeting.
    NetworkClass.PROSPECT: TargetValues(min_size=12, min_strength=0.35),
    # Stage 3: experts found across functions, and a team that knows and trusts each other.
    NetworkClass.INTERNAL: TargetValues(min_size=12, min_density=0.2, min_strength=0.45, min_diversity=0.5),
    # Stage 4: references come from strong ties with customers, in more than one industry.
    NetworkClass.CUSTOMER: TargetValues(min_size=6, min_strength=0.55, min_diversity=0.3),
}

REASONS: dict[str, dict[str, str]] = {
    NetworkClass.MARKET: {
        "min_size": "Opportunities are heard of through many contacts; forty is a floor for a full-time seller.",
        "max_density": "When your market contacts know each other they tell you the same news; keep density low.",
        "max_constraint": "Constraint measures how much your contacts overlap (Burt); 0.15 is about seven "
        "fully separate contacts' worth of independent information.",
        "min_diversity": "Contacts spread over many companies hear of different opportunities (Blau's index over companies).",
    },
    NetworkClass.PROSPECT: {
        "min_size": "Reaching the buyer's economic buyer, decision makers and evaluators takes several threads per deal.",
        "min_strength": "Weak ties inside a buyer do not get you a meeting or an honest read of the politics.",
    },
    NetworkClass.INTERNAL: {
        "min_size": "Solutions need experts from several functions: product, pre-sales, delivery, legal, finance.",
        "min_density": "The solution team must coordinate: colleagues who know each other work together faster.",
        "min_strength": "Experts help sellers they trust: internal ties should be warm.",
        "min_diversity": "Experts sit in different functions (Blau's index over functions).",
    },
    NetworkClass.CUSTOMER: {
        "min_size": "You need a few references to choose from, so as not to wear out any one of them.",
        "min_strength": "Only a strong tie will take a prospect's call and speak well of you.",
        "min_diversity": "References convince most when they resemble the buyer: cover more than one industry.",
    },
}


def target_from_row(row: object, *, source: str) -> TargetValues:
    """A ``Target`` row (or a ``values()`` dict) as ``TargetValues``."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return TargetValues(
        min_size=int(get("min_size") or 0),
        min_density=get("min_density"),
        max_density=get("max_density"),
        max_constraint=get("max_constraint"),
        min_strength=get("min_strength"),
        min_diversity=get("min_diversity"),
        source=source,
    )


#: Why a member who sets no targets at all is refused (the targets page's 403).
NOT_YOURS = "Only an admin, or a team's manager, sets targets."


@selector
def target_teams_editable(*, member: Member) -> list[Team]:
    """The teams whose targets ``member`` sets: an admin every team of the organization, a manager the
    teams they manage (not a team they merely belong to), a seller none."""
    if member.role == Role.ADMIN:
        return list(Team.objects.visible_to(member).order_by("name", "pk"))
    if member.role == Role.MANAGER:
        return list(Team.objects.visible_to(member).filter(managers=member).order_by("name", "pk"))
    return []


def targets_refusal(member: Member, team: Team | None) -> str | None:
    """Why ``member`` may not set the targets of ``team`` (``None``: the organization's), or None if they may.

    Admins set the organization's targets and any team's; a manager those of the teams they manage.
    """
    if team is not None and team.organization_id != member.organization_id:
        return "That team belongs to another organization."
    if member.role == Role.ADMIN:
        return None
    if member.role != Role.MANAGER:
        return NOT_YOURS
    if team is None:
        return "Only an admin sets the organization's targets; a manager sets those of the teams they manage."
    if team.pk not in {t.pk for t in target_teams_editable(member=member)}:
        return f"You do not manage {team.name}: its manager or an admin sets its targets."
    return None
