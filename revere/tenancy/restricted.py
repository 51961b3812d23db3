"""Restricted querysets: every tenant read starts from what the acting member may see.

Every tenant model (:class:`~revere.tenancy.models.OrgScoped`) has two managers:

``Model.objects``
    The default manager, *restricted*. Its querysets must be narrowed with
    ``.visible_to(member)`` before they are evaluated; evaluating one that was not (iterating,
    ``count()``, ``exists()``, ``get()``, ``aggregate()``, ``update()``, ``delete()``...) raises
    :class:`UnrestrictedQuery`. ``visible_to`` applies the organization of the member and the
    model's rule from :mod:`revere.tenancy.visibility` (``Model.visible_by``). Related managers
    (``person.ties``, ``deal.team``) derive from it, so they are restricted too:
    ``person.ties.visible_to(member)``.

``Model.unrestricted``
    An explicitly named manager for services, bulk writes, the graph loader, backup and the
    demo builder. It sees every organization's rows; ``in_organization(id)`` narrows it to one.
    A test (``tests/tenancy/test_restricted_querysets.py``) fails when it is used anywhere else.

This is NetBox's ``RestrictedQuerySet`` made strict: a page or endpoint written tomorrow cannot
leak by forgetting a filter, because the unfiltered query does not run.

Django itself reads through the default manager in a few places that are not reads for a member
(uniqueness and constraint validation of a form). Those run inside :func:`internal_reads`, which
lets restricted querysets evaluate for the duration; nothing outside tenancy may use it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

if TYPE_CHECKING:
    from revere.tenancy.models import Member

M = TypeVar("M", bound=models.Model)

# The three states of a tenant queryset.
_UNCHECKED = "unchecked"  # from ``objects``: must be narrowed with visible_to before it runs
_VISIBLE = "visible"  # narrowed to what one member may see
_UNRESTRICTED = "unrestricted"  # from ``unrestricted``: a service's deliberate org-wide read

_internal = contextvars.ContextVar("revere_internal_reads", default=False)


class UnrestrictedQuery(RuntimeError):
    """A restricted queryset was evaluated without ``visible_to(member)``."""


@contextmanager
def internal_reads() -> Iterator[None]:
    """Let restricted querysets run for Django's own validation reads (uniqueness, constraints)."""
    token = _internal.set(True)
    try:
        yield
    finally:
        _internal.reset(token)


def manager_for(model: type[models.Model]) -> models.Manager[Any]:
    """A model's manager for an organization-wide service read: ``unrestricted`` where it has one."""
    manager = getattr(model, "unrestricted", None)
    return manager if isinstance(manager, UnrestrictedManager) else model._default_manager


def operator_view(qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The platform operator's view in the admin (a superuser in no organization): every row."""
    if isinstance(qs, TenantQuerySet):
        qs = qs.all()
        qs._tenant_state = _UNRESTRICTED
    return qs


class TenantQuerySet(models.QuerySet[M]):
    """A tenant model's queryset: restricted until :meth:`visible_to`, or deliberately unrestricted."""

    _tenant_state: str = _UNCHECKED
    _visible_member_id: int | None = None

    def _clone(self) -> Any:
        clone = super()._clone()  # type: ignore[misc]
        clone._tenant_state = self._tenant_state
        clone._visible_member_id = self._visible_member_id
        return clone

    # -- narrowing -------------------------------------------------------------------------

    def visible_to(self, member: Member) -> TenantQuerySet[M]:
        """The rows of the member's organization that the model's rule lets the member see."""
        rule = getattr(self.model, "visible_by", None)
        if rule is None:
            raise TypeError(f"{self.model.__name__} has no visibility rule (visible_by)")
        qs = self.filter(organization_id=member.organization_id)
        condition = rule.condition(member, self.model)
        if condition is not None:
            qs = qs.filter(condition)
        qs._tenant_state = _VISIBLE
        qs._visible_member_id = member.pk
        return qs

    def in_organization(self, organization_id: int) -> TenantQuerySet[M]:
        """Unrestricted managers only: the organization's rows, for services and bulk writes."""
        if self._tenant_state == _UNCHECKED:
            raise UnrestrictedQuery(
                f"{self.model.__name__}.objects.in_organization(): a read for a member goes through "
                "visible_to(member); services use Model.unrestricted"
            )
        return self.filter(organization_id=organization_id)

    @property
    def is_restricted(self) -> bool:
        """True once narrowed to one member's view."""
        return self._tenant_state == _VISIBLE

    # -- the guard -------------------------------------------------------------------------

    def _guard(self) -> None:
        if self._tenant_state == _UNCHECKED and not _internal.get() and not self.query.is_empty():
            raise UnrestrictedQuery(
                f"a {self.model.__name__} query ran without visible_to(member): "
                f"use {self.model.__name__}.objects.visible_to(member) (or, in a service, "
                f"{self.model.__name__}.unrestricted)"
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:  # type: ignore[has-type]
            self._guard()
        super()._fetch_all()  # type: ignore[misc]

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._guard()
        return super().iterator(chunk_size=chunk_size)

    def count(self) -> int:
        if self._result_cache is None:  # type: ignore[has-type]
            self._guard()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:  # type: ignore[has-type]
            self._guard()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._guard()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._guard()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._guard()
        return super().delete()

    def explain(self, *, format: Any = None, **options: Any) -> str:
        self._guard()
        return super().explain(format=format, **options)


class RestrictedManager(models.Manager[M]):
    """``Model.objects``: querysets that run only after ``visible_to(member)``."""

    # Related managers (person.ties, deal.team) subclass the default manager: restricted too.
    use_in_migrations = False

    def get_queryset(self) -> TenantQuerySet[M]:
        return TenantQuerySet(self.model, using=self._db, hints=self._hints)  # type: ignore[attr-defined]

    def visible_to(self, member: Member) -> TenantQuerySet[M]:
        return self.get_queryset().visible_to(member)


class UnrestrictedManager(models.Manager[M]):
    """``Model.unrestricted``: every organization's rows, for services and bulk writes."""

    def get_queryset(self) -> TenantQuerySet[M]:
        qs: TenantQuerySet[M] = TenantQuerySet(self.model, using=self._db, hints=self._hints)  # type: ignore[attr-defined]
        qs._tenant_state = _UNRESTRICTED
        return qs

    def in_organization(self, organization_id: int) -> TenantQuerySet[M]:
        return self.get_queryset().in_organization(organization_id)

    def visible_to(self, member: Member) -> TenantQuerySet[M]:
        return self.get_queryset().visible_to(member)
