"""Backup and restore of a whole organization: every tenant table, its users and members, exactly.

The backup is JSON: ``{"revere_backup": 1, "organization": slug, "models": [...], "objects": [...]}``
with Django's serialization of every row (primary keys kept, many-to-many included). A restore
goes into a database without that organization, or replaces it (``replace=True``), in one
transaction; primary keys are kept, so a backup, wipe and restore gives identical tables.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from revere.tenancy.models import Member, Organization
from revere.tenancy.restricted import internal_reads, manager_for

FORMAT_VERSION = 1


class ExactJSONEncoder(DjangoJSONEncoder):
    """Datetimes with their microseconds (Django's encoder keeps milliseconds only)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.isoformat()
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class RestoreRefused(Exception):
    """The backup cannot be restored here; the message says why."""


def tenant_models() -> list[type[models.Model]]:
    """Every model with an ``organization`` key to Organization, in app registry order."""
    out = []
    for model in apps.get_models():
        try:
            field = model._meta.get_field("organization")
        except Exception:
            continue
        if getattr(field, "related_model", None) is Organization:
            out.append(model)
    return out


def backup_models() -> list[type[models.Model]]:
    return [Organization, get_user_model(), *tenant_models()]


def _rows(model: type[models.Model], organization: Organization) -> models.QuerySet[Any]:
    if model is Organization:
        return Organization.objects.filter(pk=organization.pk)
    if model is get_user_model():
        return get_user_model().objects.filter(member__organization=organization)
    return manager_for(model).filter(organization=organization)


def organization_backup(*, organization: Organization) -> dict[str, Any]:
    objects: list[dict[str, Any]] = []
    for model in backup_models():
        qs = _rows(model, organization).order_by("pk")
        with internal_reads():  # many-to-many values are read through the related managers
            objects.extend(json.loads(serializers.serialize("json", qs, cls=ExactJSONEncoder)))
    return {
        "revere_backup": FORMAT_VERSION,
        "organization": organization.slug,
        "models": [m._meta.label_lower for m in backup_models()],
        "objects": objects,
    }


def organization_backup_json(*, organization: Organization) -> str:
    return json.dumps(organization_backup(organization=organization), cls=DjangoJSONEncoder)


def organization_wipe(*, organization: Organization) -> None:
    """Delete an organization, every tenant row and its members' users."""
    with transaction.atomic():
        user_ids = list(
            Member.unrestricted.filter(organization=organization).values_list("user_id", flat=True)
        )
        # Many-to-many rows first (Team.managers, Deal.team), then the tables, dependants first:
        # PROTECT keys (deals -> company, member -> person) would refuse a cascading delete.
        for model in tenant_models():
            for m2m in model._meta.local_many_to_many:
                through: Any = m2m.remote_field.through  # type: ignore[attr-defined]
                if through is not None and through._meta.auto_created:
                    column = m2m.m2m_field_name()
                    through._base_manager.filter(**{f"{column}__organization": organization}).delete()
        for model in reversed(tenant_models()):
            manager_for(model).filter(organization=organization)._raw_delete(model._default_manager.db)  # type: ignore[attr-defined]
        Organization.objects.filter(pk=organization.pk)._raw_delete(Organization.objects.db)  # type: ignore[attr-defined]
        get_user_model().objects.filter(pk__in=user_ids).delete()


@transaction.atomic
def organization_restore(*, data: dict[str, Any] | str, replace: bool = False) -> Organization:
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise RestoreRefused(f"This is not a Revere backup (not JSON: {exc}).") from exc
    if not isinstance(data, dict) or data.get("revere_backup") != FORMAT_VERSION:
        raise RestoreRefused("This is not a Revere backup (or one of an unknown version).")
    slug = data["organization"]
    existing = Organization.objects.filter(slug=slug).first()
    if existing is not None:
        if not replace:
            raise RestoreRefused(f"Organization {slug!r} exists; restore with --replace to overwrite it.")
        organization_wipe(organization=existing)
    known = {m._meta.label_lower for m in backup_models()}
    unknown = {o["model"] for o in data["objects"]} - known
    if unknown:
        raise RestoreRefused(
            f"The backup holds tables this version does not know: {', '.join(sorted(unknown))}."
        )
    user_model = get_user_model()
    users = [o for o in data["objects"] if o["model"] == user_model._meta.label_lower]
    taken = user_model.objects.filter(username__in=[u["fields"]["username"] for u in users]).values_list(
        "username", flat=True
    )
    if taken:
        raise RestoreRefused(f"Users exist already with these usernames: {', '.join(sorted(taken))}.")
    with connection.constraint_checks_disabled(), internal_reads():  # m2m set() reads the related managers
        for obj in serializers.deserialize("json", json.dumps(data["objects"])):
            obj.save()
    connection.check_constraints()
    _reset_sequences()
    return Organization.objects.get(slug=slug)


def _reset_sequences() -> None:
    sql = connection.ops.sequence_reset_sql(no_style(), backup_models())
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


def organization_dump(*, organization: Organization) -> dict[str, list[dict[str, Any]]]:
    """Every row of the organization per table, for comparing two states (tests, checks)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for obj in organization_backup(organization=organization)["objects"]:
        out.setdefault(obj["model"], []).append({"pk": obj["pk"], **obj["fields"]})
    return out
