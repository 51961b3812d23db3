"""The visibility matrix: two organizations; seller, manager, admin; every selector that exists.

Part one pins the rules of revere/tenancy/visibility.py row by row. Part two calls every function
registered with ``@selector`` as every member of org A, and with org B's objects as arguments,
and proves that nothing of org B and nothing outside the member's scope comes back.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

import revere
from revere.contacts.models import Company, Person
from revere.deals.models import Deal, Reference
from revere.levers.models import Contribution
from revere.network.models import Interaction, Link, Snapshot, Tie
from revere.playbook.models import Target
from revere.tenancy import visibility as v
from revere.tenancy.models import Team
from tests.tenancy.world import OrgWorld, build_world

pytestmark = pytest.mark.django_db

ROLES = ["seller", "teammate", "other_seller", "manager", "admin"]


@pytest.fixture
def world() -> tuple[OrgWorld, OrgWorld]:
    return build_world()


def ids(qs: QuerySet) -> set[int]:
    return set(qs.values_list("id", flat=True))


def keyed(d: dict[str, Any], *keys: str) -> set[int]:
    return {d[k].pk for k in keys}


# Expected rows per acting member of org A, by the keys of tests/tenancy/world.py.
EXPECTED: dict[str, dict[str, tuple[str, ...]]] = {
    "members_in_scope": {
        "seller": ("seller", "teammate"),
        "teammate": ("seller", "teammate"),
        "other_seller": ("other_seller",),
        "manager": ("manager", "seller", "teammate"),
        "admin": ("seller", "teammate", "other_seller", "manager", "admin"),
    },
    "ties_visible": {
        "seller": ("seller_p1_team", "seller_p3_private", "teammate_p2_team", "teammate_p4_private"),
        "teammate": ("seller_p1_team", "seller_p3_private", "teammate_p2_team", "teammate_p4_private"),
        "other_seller": ("other_p1_team", "other_p2_private"),
        "manager": (
            "manager_p3_team",
            "seller_p1_team",
            "seller_p3_private",
            "teammate_p2_team",
            "teammate_p4_private",
        ),
        "admin": (
            "seller_p1_team",
            "seller_p3_private",
            "teammate_p2_team",
            "teammate_p4_private",
            "other_p1_team",
            "other_p2_private",
            "manager_p3_team",
        ),
    },
    "tie_detail_visible": {
        "seller": ("seller_p1_team", "seller_p3_private", "teammate_p2_team"),
        "teammate": ("seller_p1_team", "teammate_p2_team", "teammate_p4_private"),
        "other_seller": ("other_p1_team", "other_p2_private"),
        "manager": ("manager_p3_team", "seller_p1_team", "teammate_p2_team"),
        "admin": ("seller_p1_team", "teammate_p2_team", "other_p1_team", "manager_p3_team"),
    },
    "deals_visible": {
        "seller": ("seller", "teammate", "shared"),
        "teammate": ("seller", "teammate"),
        "other_seller": ("other_seller", "shared"),
        "manager": ("manager", "seller", "teammate"),
        "admin": ("seller", "teammate", "other_seller", "manager", "shared"),
    },
    "interactions_visible": {
        "seller": ("seller",),
        "teammate": ("teammate",),
        "other_seller": ("other_seller",),
        "manager": ("manager", "seller", "teammate"),
        "admin": ("seller", "teammate", "other_seller", "manager"),
    },
    "contributions_visible": {
        "seller": ("seller",),
        "teammate": ("teammate",),
        "other_seller": ("other_seller",),
        "manager": ("manager", "seller", "teammate"),
        "admin": ("seller", "teammate", "other_seller", "manager"),
    },
    "snapshots_visible": {
        "seller": ("seller",),
        "teammate": ("teammate",),
        "other_seller": ("other_seller",),
        "manager": ("manager", "seller", "teammate"),
        "admin": ("seller", "teammate", "other_seller", "manager"),
    },
    "targets_visible": {
        "seller": ("org", "alpha"),
        "teammate": ("org", "alpha"),
        "other_seller": ("org", "beta"),
        "manager": ("org", "alpha"),
        "admin": ("org", "alpha", "beta"),
    },
    "teams_visible": {
        "seller": ("alpha",),
        "teammate": ("alpha",),
        "other_seller": ("beta",),
        "manager": ("alpha",),
        "admin": ("alpha", "beta"),
    },
}

QUERIES = {
    "members_in_scope": v.members_in_scope,
    "ties_visible": lambda m: Tie.objects.visible_to(m),
    "tie_detail_visible": lambda m: Tie.objects.visible_to(m).filter(v.tie_detail_condition(m)),
    "deals_visible": lambda m: Deal.objects.visible_to(m),
    "interactions_visible": lambda m: Interaction.objects.visible_to(m),
    "contributions_visible": lambda m: Contribution.objects.visible_to(m),
    "snapshots_visible": lambda m: Snapshot.objects.visible_to(m),
    "targets_visible": lambda m: Target.objects.visible_to(m),
    "teams_visible": lambda m: Team.objects.visible_to(m),
    "companies_visible": lambda m: Company.objects.visible_to(m),
    "persons_visible": lambda m: Person.objects.visible_to(m),
    "links_visible": lambda m: Link.objects.visible_to(m),
    "references_visible": lambda m: Reference.objects.visible_to(m),
}

WORLD_ATTR = {
    "members_in_scope": "members",
    "ties_visible": "ties",
    "tie_detail_visible": "ties",
    "deals_visible": "deals",
    "interactions_visible": "interactions",
    "contributions_visible": "contributions",
    "snapshots_visible": "snapshots",
    "targets_visible": "targets",
    "teams_visible": "teams",
}

ORG_WIDE = {
    "companies_visible": "companies",
    "persons_visible": "persons",
    "links_visible": "links",
    "references_visible": "references",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_each_rule_returns_exactly_the_rows_the_role_may_see(world, rule, role):
    a, _b = world
    member = a.members[role]
    got = ids(QUERIES[rule](member))
    rows = getattr(a, WORLD_ATTR[rule])
    assert got == keyed(rows, *EXPECTED[rule][role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", sorted(ORG_WIDE))
def test_the_shared_map_is_the_whole_organization_and_only_it(world, rule, role):
    a, b = world
    got = ids(QUERIES[rule](a.members[role]))
    own_rows = getattr(a, ORG_WIDE[rule])
    other_rows = getattr(b, ORG_WIDE[rule])
    assert {r.pk for r in own_rows.values()} <= got
    assert not got & {r.pk for r in other_rows.values()}


@pytest.mark.parametrize("role", ROLES)
def test_tie_views_show_notes_only_to_the_owner_and_private_ties_only_as_ask(world, role):
    a, _b = world
    member = a.members[role]
    for tie in Tie.objects.visible_to(member):
        view = v.tie_view(member, tie, band="strong", member_name="x")
        if tie.member_id == member.pk:
            assert view.access is v.TieAccess.FULL
            assert view.notes == tie.notes and view.strength == pytest.approx(0.7)
        elif tie.visibility == "team":
            assert view.access is v.TieAccess.BAND
            assert view.notes is None and view.strength is None and view.band == "strong"
        else:
            assert view.access is v.TieAccess.ASK
            assert view.notes is None and view.strength is None and view.band is None
            assert view.network_class is None


# ---- part two: every registered selector ------------------------------------------------------


def import_all_revere_modules() -> None:
    """Import every module of revere so that every @selector is registered."""
    for info in pkgutil.walk_packages(revere.__path__, prefix="revere."):
        name = info.name
        if ".migrations" in name or ".management" in name or name.endswith(".cli"):
            continue
        importlib.import_module(name)


def flatten(obj: Any, depth: int = 0, out: list[str] | None = None) -> list[str]:
    """Every piece of text reachable from a selector's result (model fields, dataclasses, dicts)."""
    out = [] if out is None else out
    if depth > 8 or len(out) > 200_000:
        return out
    if obj is None or isinstance(obj, bool | int | float | Decimal):
        return out
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, Model):
        for fld in obj._meta.concrete_fields:
            value = getattr(obj, fld.attname, None)
            if isinstance(value, str | list | dict):
                flatten(value, depth + 1, out)
        out.append(str(obj))
    elif isinstance(obj, QuerySet):
        for row in obj[:5000]:
            flatten(row, depth + 1, out)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for fld in dataclasses.fields(obj):
            flatten(getattr(obj, fld.name), depth + 1, out)
    elif isinstance(obj, dict):
        for k, val in obj.items():
            flatten(k, depth + 1, out)
            flatten(val, depth + 1, out)
    elif isinstance(obj, list | tuple | set | frozenset):
        for item in obj:
            flatten(item, depth + 1, out)
    elif hasattr(obj, "__dict__") and not inspect.isroutine(obj) and not isinstance(obj, type):
        for val in vars(obj).values():
            flatten(val, depth + 1, out)
    return out


def forbidden_tokens(w: OrgWorld, role: str) -> list[str]:
    """Text that ``role`` of org A must never receive from any selector."""
    tokens = ["ORGB"]
    others = [k for k in ("seller", "teammate", "other_seller", "manager", "admin") if k != role]
    tokens += [f"ORGA-note-of-{k}-" for k in others]
    scope = set(EXPECTED["members_in_scope"][role])
    if role not in ("manager", "admin"):
        scope = {role}
    outside = [k for k in ("seller", "teammate", "other_seller", "manager") if k not in scope]
    tokens += [f"ORGA meeting of {k}" for k in outside]
    tokens += [f"ORGA contribution of {k}" for k in outside]
    tokens += [f"ORGA plan of {k}" for k in outside]
    tokens += [f"ORGA import of {k}" for k in ("seller", "teammate", "other_seller", "manager") if k != role]
    deal_scope = set(EXPECTED["deals_visible"][role])
    tokens += [
        f"ORGA deal of {k}" for k in ("seller", "teammate", "other_seller", "manager") if k not in deal_scope
    ]
    return tokens


class UnknownArgument(Exception):
    """The matrix cannot fill a selector's argument: a test bug to fix, never a refusal."""


# How to fill a selector's required arguments; ``obj`` is the world whose objects are passed.
def argument(name: str, annotation: str, obj: OrgWorld) -> Any:
    wants_id = name.endswith("_id") or name.endswith("_ids") or "int" in annotation
    base = name.removesuffix("_ids").removesuffix("_id")
    table: dict[str, Any] = {
        "person": obj.persons["p1"],
        "to": obj.persons["p1"],
        "target": obj.persons["p1"],
        "target_person": obj.persons["p1"],
        "company": obj.companies["acme"],
        "target_company": obj.companies["acme"],
        "deal": obj.deals["seller"],
        "tie": obj.ties["seller_p1_team"],
        "team": obj.teams["alpha"],
        "other": obj.members["teammate"],
        "teammate": obj.members["teammate"],
        "member_person": obj.members["seller"].person,
        "persons": [obj.persons["p1"], obj.persons["p2"]],
        "person_a": obj.persons["p1"],
        "person_b": obj.persons["p2"],
        "job": obj.import_jobs["seller"],
        "import_job": obj.import_jobs["seller"],
        "merge": obj.merges["p1"],
        "candidate": obj.candidates["p3p4"],
        "plan": obj.plans["seller"],
        "subject": obj.members["teammate"],
    }
    simple = {"q": "", "query": "", "search": "", "network_class": "market", "k": 5, "page": 1, "text": ""}
    if name in simple:
        return simple[name]
    if name == "emails":  # every address of the world's organization, sign-in e-mails included
        from revere.contacts.models import PersonEmail

        addresses = PersonEmail.unrestricted.filter(organization=obj.org).values_list("email", flat=True)
        return [*addresses, *(m.user.email for m in obj.members.values())]
    if base not in table:
        raise UnknownArgument(
            f"the visibility matrix does not know how to fill argument {name!r}; teach it in "
            "tests/tenancy/test_visibility_matrix.py:argument()"
        )
    value = table[base]
    if wants_id:
        return [x.pk for x in value] if isinstance(value, list) else value.pk
    return value


def call_selector(fn: Any, member: Any, obj: OrgWorld) -> Any:
    kwargs: dict[str, Any] = {}
    for name, param in inspect.signature(fn).parameters.items():
        if name == "member":
            kwargs[name] = member
        elif param.default is inspect.Parameter.empty and param.kind in (
            param.KEYWORD_ONLY,
            param.POSITIONAL_OR_KEYWORD,
        ):
            kwargs[name] = argument(name, str(param.annotation), obj)
    return fn(**kwargs)


REFUSALS = (Http404, ObjectDoesNotExist, PermissionDenied, LookupError, ValueError)


def test_every_selector_is_registered_and_takes_the_acting_member():
    import_all_revere_modules()
    assert v.SELECTORS, "no selector registered"
    for name, fn in v.SELECTORS.items():
        assert "member" in inspect.signature(fn).parameters, f"{name} does not take the acting member"


@pytest.mark.parametrize("role", ROLES)
def test_no_selector_leaks_across_organizations_or_outside_the_members_scope(world, role):
    import_all_revere_modules()
    a, b = world
    member = a.members[role]
    tokens = forbidden_tokens(a, role)
    answered_own: set[str] = set()
    for name, fn in sorted(v.SELECTORS.items()):
        for source in (a, b):  # own objects as arguments, then org B's objects as a probe
            try:
                result = call_selector(fn, member, source)
            except REFUSALS:
                continue  # refusing an object outside the member's reach is the right answer
            if source is a:
                answered_own.add(name)
            text = "\n".join(flatten(result))
            leaked = [t for t in tokens if t in text]
            assert not leaked, (
                f"{name} as {role} (arguments from {'own' if source is a else 'other'} org) leaked {leaked}"
            )


@pytest.mark.parametrize("role", ROLES)
def test_own_or_scope_members_are_oneself_for_a_seller_and_the_scope_for_a_manager_or_admin(world, role):
    a, _b = world
    member = a.members[role]
    expected = (
        {member.pk}
        if role in ("seller", "teammate", "other_seller")
        else keyed(a.members, *EXPECTED["members_in_scope"][role])
    )
    assert v.own_or_scope_ids(member) == expected
