"""Every tenant table can be distributed on the organization (docs/scaling.md): it carries the
organization column, and every index and unique constraint it declares leads with it.

Citus distributes a table on one column and requires every unique constraint to include it (each
shard enforces uniqueness on its own rows); an index that leads with the organization serves the
queries every page makes (one organization's rows) on a single server as well as on a shard. The
check reads the database's own catalogue (introspection), so a migration written by hand is held to
it too.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from revere.tenancy.models import OrgScoped

pytestmark = pytest.mark.django_db


def tenant_models():
    return [m for m in apps.get_models() if issubclass(m, OrgScoped) and not m._meta.proxy]


def _constraints(model):
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, model._meta.db_table)


#: One-to-one keys: unique on their own column, which already names the organization's row. Citus
#: needs them as (organization, column) too; listed in docs/scaling.md as a step of that migration.
ONE_TO_ONE = {
    ("tenancy.Member", "user_id"),
    ("tenancy.Member", "person_id"),
    ("deals.Reference", "person_id"),
    ("contacts.DomainPlacement", "person_id"),
}


def _fk_index(model, columns):
    """Django's own index on one foreign key column: for joins and cascades, not for the pages' reads."""
    if len(columns) != 1:
        return False
    field = next((f for f in model._meta.concrete_fields if f.column == columns[0]), None)
    return field is not None and field.is_relation and field.db_index


def test_every_tenant_model_has_a_non_null_organization_column():
    for model in tenant_models():
        field = model._meta.get_field("organization")
        assert field.column == "organization_id" and not field.null, model._meta.label


def test_every_index_and_unique_constraint_of_a_tenant_table_leads_with_the_organization():
    offenders = []
    for model in tenant_models():
        for name, c in _constraints(model).items():
            columns = c["columns"]
            if c["primary_key"] or c.get("foreign_key") or c.get("check") or not columns:
                continue
            if not (c["unique"] or c["index"]):
                continue
            if not c["unique"] and _fk_index(model, columns):
                continue
            if c["unique"] and len(columns) == 1 and (model._meta.label, columns[0]) in ONE_TO_ONE:
                continue
            if columns[0] != "organization_id":
                offenders.append(f"{model._meta.label} {name} {columns}")
    assert offenders == [], "\n".join(offenders)


def test_the_check_sees_the_indexes_it_reads():
    from revere.network.models import Tie

    columns = [c["columns"] for c in _constraints(Tie).values() if c["index"] or c["unique"]]
    assert ["organization_id", "member_id", "network_class"] in columns
