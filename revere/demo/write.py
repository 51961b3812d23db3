"""Write a generated demo world to the tables: bulk inserts with keys taken up front.

``demo_create`` (build.py) generates the world, then calls these three inside its transaction:
people first (companies, persons, users, teams, members), then the network (ties, interactions,
links) and the deals with what hangs on them (references, contributions, targets). Each returns
or takes the first key of every table, so rows can refer to rows written before them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from revere.contacts.models import Company, CompanyDomain, Person, PersonEmail
from revere.deals.models import BuyingRole, Deal, DealStageChange, Reference, ReferenceUse
from revere.demo import vocab
from revere.demo.activity import KINDS
from revere.demo.bulk import Const, insert, insert_m2m, next_id, sql_dates, sql_datetimes
from revere.demo.extras import TARGETS
from revere.demo.links import SOURCES
from revere.demo.world import STATUSES, World, normalized_names
from revere.levers.models import Contribution
from revere.network.models import Interaction, InteractionParticipant, Link, Tie
from revere.playbook.models import Target
from revere.tenancy.models import Member, Organization, Team


def write_people(w: World, org: Organization) -> dict[str, int]:
    ids = {"company": next_id(Company), "person": next_id(Person), "user": next_id(get_user_model())}
    ids |= {"team": next_id(Team), "member": next_id(Member)}
    n_c = w.c_count.size
    c_ids = ids["company"] + np.arange(n_c)
    insert(
        Company,
        {
            "id": c_ids,
            "organization_id": Const(org.pk),
            "name": w.c_name,
            "normalized_name": w.c_norm,
            "industry": [w.industries[i] if c else "Software" for c, i in enumerate(w.c_industry.tolist())],
            "size_band": w.c_band,
            "region": [vocab.REGIONS[r][0] for r in w.c_region.tolist()],
            "status": [STATUSES[s] for s in w.c_status.tolist()],
            "parent_id": [ids["company"] + p if p >= 0 else None for p in w.c_parent.tolist()],
        },
    )
    Organization.objects.filter(pk=org.pk).update(own_company_id=int(c_ids[0]))
    org.own_company_id = int(c_ids[0])
    insert(CompanyDomain, {"organization_id": Const(org.pk), "company_id": c_ids, "domain": w.c_domain})

    n = w.n_persons
    p_ids = ids["person"] + np.arange(n)
    insert(
        Person,
        {
            "id": p_ids,
            "organization_id": Const(org.pk),
            "first_name": w.p_first,
            "last_name": w.p_last,
            "full_name": [f"{f} {la}" for f, la in zip(w.p_first, w.p_last, strict=True)],
            "normalized_name": normalized_names(w),
            "company_id": c_ids[w.p_company],
            "title": w.p_title,
            "function": w.p_function,
            "seniority": np.array(("executive", "director", "manager", "senior", "staff"))[w.p_seniority],
            "reports_to_id": [ids["person"] + r if r >= 0 else None for r in w.p_reports_to.tolist()],
            "expertise": w.p_expertise,
            "location": w.p_location,
            "region": [vocab.REGIONS[r][0] for r in w.c_region[w.p_company].tolist()],
        },
    )
    has_email = np.flatnonzero(np.array([bool(e) for e in w.p_email]))
    insert(
        PersonEmail,
        {
            "organization_id": Const(org.pk),
            "person_id": p_ids[has_email],
            "email": [w.p_email[i] for i in has_email.tolist()],
            "is_primary": [True] * has_email.size,
        },
    )

    # Users and members: one password hash for all (hashing is slow on purpose; it is a demo).
    members = w.members
    password = make_password(vocab.PASSWORD)
    insert(
        get_user_model(),
        {
            "id": [ids["user"] + k for k in range(len(members))],
            "username": [m.email for m in members],
            "email": [m.email for m in members],
            "first_name": [w.p_first[m.person] for m in members],
            "last_name": [w.p_last[m.person] for m in members],
            "password": [password] * len(members),
            "is_staff": [m.role == "admin" for m in members],
            "is_active": [True] * len(members),
            "is_superuser": [False] * len(members),
        },
    )
    insert(
        Team,
        {
            "id": [ids["team"] + t for t in range(len(w.team_names))],
            "organization_id": Const(org.pk),
            "name": w.team_names,
        },
    )
    insert(
        Member,
        {
            "id": [ids["member"] + k for k in range(len(members))],
            "organization_id": Const(org.pk),
            "user_id": [ids["user"] + k for k in range(len(members))],
            "person_id": [int(p_ids[m.person]) for m in members],
            "role": [m.role for m in members],
            "team_id": [ids["team"] + m.team if m.team >= 0 else None for m in members],
            "is_active": [True] * len(members),
        },
    )
    insert_m2m(
        Team.managers.through,
        "team_id",
        "member_id",
        [(ids["team"] + m.team, ids["member"] + k) for k, m in enumerate(members) if m.role == "manager"],
    )
    return ids


def write_network(w: World, org: Organization, ids: dict[str, int], ties, acts, links) -> None:  # type: ignore[no-untyped-def]
    pid, mid = ids["person"], ids["member"]
    ego = np.array([m.person for m in w.members])
    rng = w.rng
    n_t = ties.member.size
    notes_pool = (
        "",
        "Met at a community dinner",
        "Prefers calls to e-mail",
        "Knows the CFO well",
        "Former colleague",
    )
    notes = np.array(notes_pool)[np.where(rng.random(n_t) < 0.06, rng.integers(1, len(notes_pool), n_t), 0)]
    cadence = np.where(rng.random(n_t) < 0.1, rng.choice([30, 60, 90], size=n_t), 0)
    insert(
        Tie,
        {
            "organization_id": Const(org.pk),
            "member_id": mid + ties.member,
            "ego_id": pid + ego[ties.member],
            "person_id": pid + ties.person,
            "strength": np.zeros(n_t),
            "visibility": np.where(ties.private, "private", "team"),
            "since": sql_dates(ties.since),
            "cadence_days": [int(c) or None for c in cadence.tolist()],
            "notes": notes,
        },
    )
    n_i = acts.member.size
    i_base = next_id(Interaction)
    insert(
        Interaction,
        {
            "id": i_base + np.arange(n_i),
            "organization_id": Const(org.pk),
            "kind": np.array(KINDS)[acts.kind],
            "occurred_at": sql_datetimes(acts.when),
            "subject": acts.subject,
            "member_id": mid + acts.member,
            "outbound": acts.outbound,
            "audience": acts.audience,
        },
    )
    insert(
        InteractionParticipant,
        {
            "organization_id": Const(org.pk),
            "interaction_id": i_base + acts.part_interaction,
            "person_id": pid + acts.part_person,
            "role": acts.part_role,
        },
    )
    seen = np.where(links.last_seen > 0, links.last_seen, w.now)
    insert(
        Link,
        {
            "organization_id": Const(org.pk),
            "a_id": pid + links.a,
            "b_id": pid + links.b,
            "weight": np.round(links.weight, 4),
            "source": np.array(SOURCES)[links.source],
            "last_seen": sql_datetimes(seen),
        },
    )


def write_deals(w: World, org: Organization, ids: dict[str, int], book, refs, contributions) -> None:  # type: ignore[no-untyped-def]
    pid, mid, cid = ids["person"], ids["member"], ids["company"]
    deals = book.deals
    n_d = len(deals)
    d_base = next_id(Deal)
    insert(
        Deal,
        {
            "id": [d_base + k for k in range(n_d)],
            "organization_id": Const(org.pk),
            "name": [f"{w.c_name[d.company]} – {d.product}" for d in deals],
            "company_id": [cid + d.company for d in deals],
            "owner_id": [mid + d.owner for d in deals],
            "stage": [d.stage for d in deals],
            "amount": [d.amount for d in deals],
            "expected_close": [
                sql_dates(np.array([d.expected_close]))[0] if d.expected_close else None for d in deals
            ],
            "needed_expertise": [d.needs for d in deals],
            "created_at": sql_datetimes(np.array([d.created for d in deals])),
            "closed_at": [sql_datetimes(np.array([d.closed]))[0] if d.closed else None for d in deals],
        },
    )
    team_pairs = sorted({(d_base + k, mid + m) for k, d in enumerate(deals) for m in [d.owner, *d.team]})
    insert_m2m(Deal.team.through, "deal_id", "member_id", team_pairs)
    history = [(k, h) for k, d in enumerate(deals) for h in d.history]
    insert(
        DealStageChange,
        {
            "organization_id": Const(org.pk),
            "deal_id": [d_base + k for k, _ in history],
            "from_stage": [h[0] for _, h in history],
            "to_stage": [h[1] for _, h in history],
            "changed_at": sql_datetimes(np.array([h[2] for _, h in history])),
            "changed_by_id": [mid + deals[k].owner for k, _ in history],
        },
    )
    roles = [(k, r) for k, d in enumerate(deals) for r in d.roles]
    insert(
        BuyingRole,
        {
            "organization_id": Const(org.pk),
            "deal_id": [d_base + k for k, _ in roles],
            "person_id": [pid + r[0] for _, r in roles],
            "role": [r[1] for _, r in roles],
            "stance": [r[2] for _, r in roles],
        },
    )
    n_r = len(refs.person)
    r_base = next_id(Reference)
    insert(
        Reference,
        {
            "id": [r_base + k for k in range(n_r)],
            "organization_id": Const(org.pk),
            "person_id": [pid + p for p in refs.person],
            "consent": refs.consent,
            "terms": refs.terms,
            # "At most one call a quarter": one use per 90 days; the others the default, one per 30.
            "per_days": [90 if "quarter" in t else 30 for t in refs.terms],
            "satisfaction": refs.satisfaction,
            "since": sql_dates(np.array(refs.since)) if n_r else [],
        },
    )
    uses = refs.uses
    insert(
        ReferenceUse,
        {
            "organization_id": Const(org.pk),
            "reference_id": [r_base + u[0] for u in uses],
            "deal_id": [d_base + u[1] for u in uses],
            "member_id": [mid + u[2] for u in uses],
            "used_on": sql_dates(np.array([u[3] for u in uses])) if uses else [],
            "notes": [u[4] for u in uses],
        },
    )
    rows = contributions.rows
    insert(
        Contribution,
        {
            "organization_id": Const(org.pk),
            "member_id": [mid + r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "status": [r[2] for r in rows],
            "deal_id": [d_base + r[3] if r[3] is not None else None for r in rows],
            "person_id": [pid + r[4] if r[4] is not None else None for r in rows],
            "beneficiary_id": [mid + r[5] if r[5] is not None else None for r in rows],
            "occurred_at": sql_datetimes(np.array([r[6] for r in rows])) if rows else [],
            "credit": [r[7] for r in rows],
        },
    )
    target_rows: list[tuple[Any, ...]] = [(None, cls, *values) for cls, values in TARGETS.items()]
    # The first team aims higher on its market network: a lead-generation team.
    target_rows.append((ids["team"], "market", 130, 0.12, None, 0.12, None, 0.75))
    insert(
        Target,
        {
            "organization_id": Const(org.pk),
            "team_id": [t[0] for t in target_rows],
            "network_class": [t[1] for t in target_rows],
            "min_size": [t[2] for t in target_rows],
            "max_density": [t[3] for t in target_rows],
            "min_density": [t[4] for t in target_rows],
            "max_constraint": [t[5] for t in target_rows],
            "min_strength": [t[6] for t in target_rows],
            "min_diversity": [t[7] for t in target_rows],
        },
    )
