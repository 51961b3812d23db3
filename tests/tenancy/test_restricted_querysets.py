"""Restricted querysets by structure: a tenant read runs only through visible_to(member).

Three parts: every tenant model is built so (a rule, a restricted default manager, an explicitly
named unrestricted one); the guard refuses every way of running an unrestricted read; and the
source tree uses the unrestricted paths only where a service, the graph loader, tenancy itself or
the demo builder needs them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import Count

from revere.contacts.models import Company, Person, PersonEmail
from revere.network.models import Tie
from revere.tenancy import visibility
from revere.tenancy.models import OrgScoped
from revere.tenancy.restricted import RestrictedManager, UnrestrictedManager, UnrestrictedQuery
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
REVERE = ROOT / "revere"

#: Where the unrestricted paths may appear, and why. Everything else reads through visible_to.
ALLOWED: dict[str, str] = {
    "revere/tenancy/": "the rules themselves, sign-in (the middleware, the CLI's --as), the admin's operator",
    "revere/*/services.py": "services: writes, and the reads a write needs",
    "revere/*/services/": "services split into a package",
    "revere/ingest/service/": "the import service",
    "revere/ingest/merge/": "merging duplicates: moves every row that points at a record",
    "revere/contacts/editing.py": "the person and company editing services",
    "revere/network/graph/": "the graph loader split into a package",
    "revere/network/snapshots.py": "the snapshot service (every member's metrics)",
    "revere/*/tasks.py": "background tasks, which call services",
    "revere/ingest/backup.py": "a whole organization's backup and restore",
    "revere/demo/": "the demo builder",
}

#: The names that reach rows without a member's rules.
UNRESTRICTED_NAMES = {"unrestricted", "_default_manager", "_base_manager", "manager_for", "internal_reads"}


def _allowed(rel: str) -> bool:
    parts = rel.split("/")
    for pattern in ALLOWED:
        pat = pattern.rstrip("/").split("/")
        if pattern.endswith("/"):
            if len(parts) > len(pat) and all(p == "*" or p == q for p, q in zip(pat, parts, strict=False)):
                return True
        elif len(parts) == len(pat) and all(p == "*" or p == q for p, q in zip(pat, parts, strict=True)):
            return True
    return False


def _uses(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in UNRESTRICTED_NAMES:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.Name) and node.id in UNRESTRICTED_NAMES:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.alias) and node.name in UNRESTRICTED_NAMES:
            found.append((getattr(node, "lineno", 0), node.name))
        elif isinstance(node, ast.Attribute) and node.attr == "cursor":
            found.append((node.lineno, "raw SQL cursor"))
    return found


def test_every_tenant_model_names_its_rule_and_has_both_managers():
    tenant = [m for m in apps.get_models() if issubclass(m, OrgScoped)]
    assert len(tenant) >= 20
    for model in tenant:
        assert isinstance(getattr(model, "visible_by", None), visibility.Rule), model
        assert isinstance(model._default_manager, RestrictedManager), model
        assert model._default_manager is model.objects, model
        assert isinstance(model.unrestricted, UnrestrictedManager), model


def test_no_unrestricted_read_outside_services_tenancy_the_graph_loader_and_the_demo():
    offenders = []
    for path in sorted(REVERE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel or _allowed(rel):
            continue
        offenders += [f"{rel}:{line} uses {name}" for line, name in _uses(path)]
    assert not offenders, (
        "Reads for a member go through Model.objects.visible_to(member); the unrestricted paths "
        "belong to services (see ALLOWED in this test):\n" + "\n".join(offenders)
    )


def test_the_allow_list_names_only_paths_that_exist():
    for pattern in ALLOWED:
        if "*" in pattern:
            continue
        assert (ROOT / pattern).exists() or pattern.endswith("graph/") or pattern.endswith("services/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "run",
    [
        pytest.param(lambda qs: list(qs), id="iterate"),
        pytest.param(lambda qs: qs.count(), id="count"),
        pytest.param(lambda qs: qs.exists(), id="exists"),
        pytest.param(lambda qs: qs.first(), id="first"),
        pytest.param(lambda qs: qs.get(pk=1), id="get"),
        pytest.param(lambda qs: qs.aggregate(n=Count("id")), id="aggregate"),
        pytest.param(lambda qs: qs.update(title="x"), id="update"),
        pytest.param(lambda qs: qs.delete(), id="delete"),
        pytest.param(lambda qs: list(qs.iterator()), id="iterator"),
        pytest.param(lambda qs: list(qs.values_list("id", flat=True)), id="values_list"),
        pytest.param(lambda qs: qs.in_bulk([1]), id="in_bulk"),
        pytest.param(lambda qs: bool(qs), id="bool"),
    ],
)
def test_a_tenant_query_without_visible_to_does_not_run(run):
    f.PersonFactory()
    with pytest.raises(UnrestrictedQuery):
        run(Person.objects.filter(full_name__isnull=False))


@pytest.mark.django_db
def test_related_managers_are_restricted_too():
    tie = f.TieFactory()
    with pytest.raises(UnrestrictedQuery):
        list(tie.person.ties.all())
    assert list(tie.person.ties.visible_to(tie.member)) == [tie]


@pytest.mark.django_db
def test_visible_to_keeps_to_the_member_s_organization_and_rule():
    mine, theirs = f.MemberFactory(), f.MemberFactory()
    my_person = f.PersonFactory(organization=mine.organization)
    f.PersonFactory(organization=theirs.organization)
    assert set(Person.objects.visible_to(mine).filter(pk=my_person.pk)) == {my_person}
    assert not Person.objects.visible_to(mine).filter(organization=theirs.organization).exists()
    assert not Company.objects.visible_to(mine).filter(organization=theirs.organization).exists()
    their_tie = f.TieFactory(member=theirs)
    assert not Tie.objects.visible_to(mine).filter(pk=their_tie.pk).exists()


@pytest.mark.django_db
def test_in_organization_belongs_to_the_unrestricted_manager_only():
    person = f.PersonFactory()
    with pytest.raises(UnrestrictedQuery):
        Person.objects.all().in_organization(person.organization_id)
    assert list(Person.unrestricted.in_organization(person.organization_id)) == [person]


@pytest.mark.django_db
def test_an_empty_queryset_needs_no_member():
    assert list(PersonEmail.unrestricted.none()) == []
