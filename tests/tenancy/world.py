"""Two organizations with every role and every kind of row: the world of the visibility matrix.

Org B's rows all carry the token ``ORGB`` in their names, and every tie note carries its owner's
key, so a leak shows up in the text of whatever a selector returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from revere.contacts.models import MergeCandidate, PersonMerge
from revere.ingest.models import ImportJob
from revere.levers.models import CoachingPlan
from revere.network.models import InteractionParticipant, Visibility
from revere.tenancy.models import Role
from tests import factories as f


@dataclass
class OrgWorld:
    org: Any
    members: dict[str, Any] = field(default_factory=dict)  # seller, teammate, other_seller, manager, admin
    ties: dict[str, Any] = field(default_factory=dict)
    persons: dict[str, Any] = field(default_factory=dict)
    companies: dict[str, Any] = field(default_factory=dict)
    deals: dict[str, Any] = field(default_factory=dict)
    interactions: dict[str, Any] = field(default_factory=dict)
    contributions: dict[str, Any] = field(default_factory=dict)
    snapshots: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, Any] = field(default_factory=dict)
    teams: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)
    references: dict[str, Any] = field(default_factory=dict)
    import_jobs: dict[str, Any] = field(default_factory=dict)
    merges: dict[str, Any] = field(default_factory=dict)
    candidates: dict[str, Any] = field(default_factory=dict)
    plans: dict[str, Any] = field(default_factory=dict)


def build_org(tag: str) -> OrgWorld:
    org = f.OrganizationFactory(name=f"{tag} Corp", slug=f"{tag.lower()}-corp")
    w = OrgWorld(org=org)
    w.teams["alpha"] = f.TeamFactory(organization=org, name=f"{tag} Alpha")
    w.teams["beta"] = f.TeamFactory(organization=org, name=f"{tag} Beta")
    mk = lambda role, team, key: f.MemberFactory(  # noqa: E731
        organization=org,
        role=role,
        team=team,
        user__username=f"{key}@{tag.lower()}.test",
        person__full_name=f"{tag} {key}",
    )
    w.members["seller"] = mk(Role.SELLER, w.teams["alpha"], "seller")
    w.members["teammate"] = mk(Role.SELLER, w.teams["alpha"], "teammate")
    w.members["other_seller"] = mk(Role.SELLER, w.teams["beta"], "otherseller")
    w.members["manager"] = mk(Role.MANAGER, None, "manager")
    w.teams["alpha"].managers.add(w.members["manager"])
    w.members["admin"] = mk(Role.ADMIN, None, "admin")

    w.companies["acme"] = f.CompanyFactory(organization=org, name=f"{tag} Acme", status="prospect")
    w.companies["globex"] = f.CompanyFactory(organization=org, name=f"{tag} Globex", status="customer")
    for key, company in (("p1", "acme"), ("p2", "acme"), ("p3", "globex"), ("p4", "globex")):
        w.persons[key] = f.PersonFactory(
            organization=org, company=w.companies[company], full_name=f"{tag} person {key}"
        )
    w.links["p1p2"] = f.LinkFactory(organization=org, a=w.persons["p1"], b=w.persons["p2"])

    def tie(owner: str, person: str, visibility: str) -> Any:
        m = w.members[owner]
        return f.TieFactory(
            member=m,
            person=w.persons[person],
            visibility=visibility,
            strength=0.7,
            notes=f"{tag}-note-of-{owner}-{person}",
        )

    w.ties["seller_p1_team"] = tie("seller", "p1", Visibility.TEAM)
    w.ties["seller_p3_private"] = tie("seller", "p3", Visibility.PRIVATE)
    w.ties["teammate_p2_team"] = tie("teammate", "p2", Visibility.TEAM)
    w.ties["teammate_p4_private"] = tie("teammate", "p4", Visibility.PRIVATE)
    w.ties["other_p1_team"] = tie("other_seller", "p1", Visibility.TEAM)
    w.ties["other_p2_private"] = tie("other_seller", "p2", Visibility.PRIVATE)
    w.ties["manager_p3_team"] = tie("manager", "p3", Visibility.TEAM)

    for key in ("seller", "teammate", "other_seller", "manager"):
        m = w.members[key]
        w.deals[key] = f.DealFactory(owner=m, company=w.companies["acme"], name=f"{tag} deal of {key}")
        inter = f.InteractionFactory(member=m, subject=f"{tag} meeting of {key}")
        InteractionParticipant.unrestricted.create(
            organization=org, interaction=inter, person=w.persons["p1"]
        )
        w.interactions[key] = inter
        w.contributions[key] = f.ContributionFactory(member=m, notes=f"{tag} contribution of {key}")
        w.snapshots[key] = f.SnapshotFactory(member=m)
        w.plans[key] = CoachingPlan.objects.create(
            organization=org,
            member=m,
            starts_on=timezone.now().date(),
            ends_on=timezone.now().date(),
            notes=f"{tag} plan of {key}",
        )
    # The seller works on the other team's deal too: deal-team membership makes it visible.
    w.deals["shared"] = f.DealFactory(
        owner=w.members["other_seller"], company=w.companies["globex"], name=f"{tag} shared deal"
    )
    w.deals["shared"].team.add(w.members["seller"])
    w.targets["org"] = f.TargetFactory(organization=org)
    w.targets["alpha"] = f.TargetFactory(organization=org, team=w.teams["alpha"], network_class="customer")
    w.targets["beta"] = f.TargetFactory(organization=org, team=w.teams["beta"], network_class="internal")
    w.references["p3"] = f.ReferenceFactory(
        organization=org, person=w.persons["p3"], since=timezone.now().date()
    )
    for key in ("seller", "teammate", "other_seller", "manager"):
        w.import_jobs[key] = ImportJob.unrestricted.create(
            organization=org, member=w.members[key], files=[{"name": f"{tag} import of {key}.csv", "size": 1}]
        )
    w.merges["p1"] = PersonMerge.unrestricted.create(
        organization=org,
        kept=w.persons["p1"],
        merged_name=f"{tag} merged duplicate",
        merged_by=w.members["seller"],
    )
    lo, hi = sorted([w.persons["p3"], w.persons["p4"]], key=lambda p: p.pk)
    w.candidates["p3p4"] = MergeCandidate.unrestricted.create(
        organization=org, person_a=lo, person_b=hi, score=91.0, reason=f"{tag} similar names"
    )
    return w


def build_world() -> tuple[OrgWorld, OrgWorld]:
    return build_org("ORGA"), build_org("ORGB")
