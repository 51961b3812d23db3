"""A seller's network of realistic shape and size, built in bulk (for query budgets and the bench).

Market contacts fall in circles (industry communities) that are dense inside and sparse between;
prospect and customer contacts sit at their companies, linked along the org chart; internal contacts
are colleagues at the own company; beyond them, acquaintances give the network its two-step reach.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from revere.contacts.models import Company, CompanyStatus, Person
from revere.network.models import Link, NetworkClass, Tie
from revere.tenancy.models import Member
from revere.tenancy.services import organization_bump_data_version

INDUSTRIES = ["Software", "Chemicals", "Banking", "Retail", "Logistics", "Energy", "Health", "Telecom"]
REGIONS = ["EMEA", "Americas", "APAC"]
FUNCTIONS = ["Sales", "Pre-sales", "Product", "Delivery", "Legal", "Finance", "Marketing", "Support"]


def build_seller_network(member: Member, *, contacts: int = 5000, seed: int = 1) -> dict[str, int]:
    """Give ``member`` about ``contacts`` ties (60% market, 16% prospect, 8% internal, 16% customer)."""
    rng = random.Random(seed)
    org = member.organization
    now = timezone.now()
    shares = {NetworkClass.MARKET: 0.60, NetworkClass.PROSPECT: 0.16, NetworkClass.INTERNAL: 0.08}
    counts = {cls: int(contacts * s) for cls, s in shares.items()}
    counts[NetworkClass.CUSTOMER] = contacts - sum(counts.values())

    def companies(n: int, status: str, tag: str) -> list[Company]:
        rows = [
            Company(
                organization=org,
                name=f"{tag} {k}",
                normalized_name=f"{tag.lower()} {k} {member.pk}",
                industry=rng.choice(INDUSTRIES),
                region=rng.choice(REGIONS),
                status=status,
            )
            for k in range(n)
        ]
        return Company.unrestricted.bulk_create(rows)

    market_cos = companies(max(counts[NetworkClass.MARKET] // 4, 1), CompanyStatus.OTHER, "Peer")
    prospect_cos = companies(max(counts[NetworkClass.PROSPECT] // 10, 1), CompanyStatus.PROSPECT, "Prospect")
    customer_cos = companies(max(counts[NetworkClass.CUSTOMER] // 8, 1), CompanyStatus.CUSTOMER, "Customer")
    outsider_cos = companies(max(contacts // 10, 1), CompanyStatus.OTHER, "Elsewhere")

    people: list[Person] = []
    classes: list[str] = []
    for cls, n in counts.items():
        for k in range(n):
            if cls == NetworkClass.INTERNAL:
                company = org.own_company
            elif cls == NetworkClass.PROSPECT:
                company = prospect_cos[k % len(prospect_cos)]
            elif cls == NetworkClass.CUSTOMER:
                company = customer_cos[k % len(customer_cos)]
            else:
                company = rng.choice(market_cos)
            name = f"{cls.title()} Contact {k} of {member.pk}"
            people.append(
                Person(
                    organization=org,
                    full_name=name,
                    normalized_name=name.lower(),
                    company=company,
                    function=rng.choice(FUNCTIONS),
                    region=rng.choice(REGIONS),
                )
            )
            classes.append(cls)
    people = Person.unrestricted.bulk_create(people, batch_size=2000)
    outsiders = Person.unrestricted.bulk_create(
        [
            Person(
                organization=org,
                full_name=f"Acquaintance {k} of {member.pk}",
                normalized_name=f"acquaintance {k} of {member.pk}",
                company=rng.choice(outsider_cos),
            )
            for k in range(contacts)
        ],
        batch_size=2000,
    )

    ties = []
    for p, cls in zip(people, classes, strict=True):
        strength = min(1.0, max(0.0, rng.betavariate(1.6, 2.6)))
        last = now - timedelta(days=rng.randint(0, 400)) if rng.random() < 0.9 else None
        ties.append(
            Tie(
                organization=org,
                member=member,
                ego_id=member.person_id,
                person=p,
                strength=strength,
                network_class=cls,
                last_interaction=last,
            )
        )
    Tie.unrestricted.bulk_create(ties, batch_size=2000)

    pairs: set[tuple[int, int]] = set()
    by_class: dict[str, list[int]] = {}
    for p, cls in zip(people, classes, strict=True):
        by_class.setdefault(cls, []).append(p.pk)
    # Market circles of 20, density 0.3 inside, a few bridges between them.
    market = by_class[NetworkClass.MARKET]
    for start in range(0, len(market), 20):
        circle = market[start : start + 20]
        for i, a in enumerate(circle):
            for b in circle[i + 1 :]:
                if rng.random() < 0.3:
                    pairs.add((min(a, b), max(a, b)))
    for _ in range(len(market) // 10):
        a, b = rng.sample(market, 2)
        pairs.add((min(a, b), max(a, b)))
    # Colleagues and people at the same buyer know each other well.
    for cls in (NetworkClass.PROSPECT, NetworkClass.CUSTOMER, NetworkClass.INTERNAL):
        ids = by_class[cls]
        for a in ids:
            for b in rng.sample(ids, min(4, len(ids))):
                if a != b:
                    pairs.add((min(a, b), max(a, b)))
    # Acquaintances beyond: two-step reach.
    everyone = [p.pk for p in people]
    for o in outsiders:
        for a in rng.sample(everyone, 2):
            pairs.add((min(a, o.pk), max(a, o.pk)))
    Link.unrestricted.bulk_create(
        [Link(organization=org, a_id=a, b_id=b, weight=round(rng.uniform(0.1, 1.0), 3)) for a, b in pairs],
        batch_size=5000,
    )
    organization_bump_data_version(organization_id=org.pk)
    return {"contacts": len(people), "acquaintances": len(outsiders), "links": len(pairs)}
