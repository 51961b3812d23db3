"""What an export holds: exactly what the acting member may see (revere/tenancy/visibility.py).

Companies, persons and links are the organization's shared map. Ties: the member's own in full
(strength, class, since, notes); a teammate's team-visible tie as its band and class, never its
notes; a teammate's private tie not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from revere.contacts.models import Company, Person, PersonEmail, PersonPhone
from revere.network.models import Link, Tie, Visibility
from revere.tenancy.models import Member
from revere.tenancy.visibility import (
    selector,
)

# A teammate's tie shows as a band; graphs weigh it by the band's middle.
BAND_WEIGHT = {"strong": 0.8, "medium": 0.45, "weak": 0.19, "dormant": 0.04}


@dataclass
class ExportData:
    organization: str
    exported_by: str
    companies: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)


@selector
def export_network(*, member: Member) -> ExportData:
    """Everything the member may export, as plain dicts (a fixed number of queries)."""
    from revere.network.services import strength_band

    data = ExportData(organization=member.organization.name, exported_by=member.person.full_name)
    companies = {
        c["id"]: c
        for c in Company.objects.visible_to(member)
        .values("id", "name", "industry", "size_band", "region", "status")
        .order_by("id")
    }
    data.companies = list(companies.values())
    emails: dict[int, list[str]] = {}
    for pid, email in (
        PersonEmail.objects.visible_to(member).order_by("-is_primary", "id").values_list("person_id", "email")
    ):
        emails.setdefault(pid, []).append(email)
    phones: dict[int, list[str]] = {}
    for pid, e164 in PersonPhone.objects.visible_to(member).order_by("id").values_list("person_id", "e164"):
        phones.setdefault(pid, []).append(e164)
    fields = (
        "id",
        "full_name",
        "first_name",
        "last_name",
        "company_id",
        "title",
        "function",
        "location",
        "region",
        "linkedin_url",
        "reports_to_id",
    )
    for p in Person.objects.visible_to(member).values(*fields).order_by("id"):
        company = companies.get(p["company_id"]) if p["company_id"] else None
        p["company"] = company["name"] if company else ""
        p["industry"] = company["industry"] if company else ""
        p["emails"] = emails.get(p["id"], [])
        p["phones"] = phones.get(p["id"], [])
        data.persons.append(p)
    member_names = dict(Member.objects.visible_to(member).values_list("id", "person__full_name"))
    data.members = [
        {"id": mid, "person_id": pid, "name": member_names.get(mid, "")}
        for mid, pid in Member.objects.visible_to(member).values_list("id", "person_id")
    ]
    ties = Tie.objects.visible_to(member).filter(
        Q(member_id=member.pk) | Q(visibility=Visibility.TEAM), is_active=True
    )
    tie_fields = (
        "id",
        "member_id",
        "ego_id",
        "person_id",
        "strength",
        "strength_override",
        "network_class",
        "network_class_override",
        "visibility",
        "since",
        "notes",
    )
    for t in ties.values(*tie_fields).order_by("id"):
        strength = t["strength_override"] if t["strength_override"] is not None else t["strength"]
        own = t["member_id"] == member.pk
        data.ties.append(
            {
                "member": member_names.get(t["member_id"], ""),
                "member_id": t["member_id"],
                "ego_id": t["ego_id"],
                "person_id": t["person_id"],
                "own": own,
                "network_class": t["network_class_override"] or t["network_class"],
                "band": strength_band(strength),
                "strength": round(strength, 4) if own else None,
                "since": t["since"].isoformat() if own and t["since"] else None,
                "notes": t["notes"] if own else None,
            }
        )
    for link in Link.objects.visible_to(member).values("a_id", "b_id", "weight", "source").order_by("id"):
        data.links.append(link)
    return data


def tie_weight(tie: dict[str, Any]) -> float:
    return float(tie["strength"]) if tie["strength"] is not None else BAND_WEIGHT.get(tie["band"], 0.1)
