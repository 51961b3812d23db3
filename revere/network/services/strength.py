"""Writes on ties: strength from interactions, network class from companies and deals, overrides.

Tie strength follows from the member's interactions (:mod:`revere.analytics.strength`, the
formula and its constants; ``docs/strength.md``). The network class follows from the person's
company (DESIGN.md §1):

1. **internal**: the company is the organization's own company (``Organization.own_company``, or
   any company with status ``own``, e.g. a subsidiary);
2. **customer**: the company has a won deal or status ``customer``;
3. **prospect**: the company has an open deal (stages 1 to 4) or status ``prospect``;
4. **market**: everything else, persons without a company included.

The first rule that matches wins. Customer comes before prospect on purpose: a customer with a
new open deal (an upsell) is still a customer, and what the seller needs from those people is
what a customer network gives (references, trust), not cold prospecting. A manual override
(``network_class_override``, ``strength_override``) always wins over the computed value and is
never touched by a recompute.

Large recomputations run off the request as a task (:mod:`revere.network.tasks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from revere.analytics import strength as strength_formula
from revere.contacts.models import Company, CompanyStatus
from revere.network.classes import company_class_condition
from revere.network.models import InteractionParticipant, NetworkClass, Tie
from revere.tenancy.models import Member, Organization
from revere.tenancy.services import organization_graph_changed

_BATCH = 20_000
_SECONDS_PER_DAY = 86_400.0


def strength_band(value: float) -> str:
    """The band of a strength: ``strong``, ``medium``, ``weak`` or ``dormant``.

    Thresholds: :data:`revere.analytics.strength.BAND_THRESHOLDS` (0.6, 0.3, 0.08).
    """
    return strength_formula.strength_band(value)


def _ties_update(rows: Sequence[tuple[float, Any, int]]) -> None:
    """Write ``(strength, last_interaction, id)`` rows: executemany on SQLite (fast there), and on
    PostgreSQL one ``UPDATE ... FROM (VALUES ...)`` per batch (one round trip, not one per row)."""
    table = connection.ops.quote_name(Tie._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            for start in range(0, len(rows), _BATCH):
                cursor.executemany(
                    f"UPDATE {table} SET strength = %s, last_interaction = %s WHERE id = %s",
                    rows[start : start + _BATCH],
                )
            return
        for start in range(0, len(rows), 5_000):
            batch = rows[start : start + 5_000]
            values = ", ".join(
                ["(%s::double precision, %s::timestamptz, %s::bigint)"] + ["(%s, %s, %s)"] * (len(batch) - 1)
            )
            cursor.execute(
                f"UPDATE {table} AS t SET strength = v.s, last_interaction = v.l "
                f"FROM (VALUES {values}) AS v(s, l, id) WHERE t.id = v.id",
                [value for row in batch for value in row],
            )


def _fetch_raw(query: Any) -> list[tuple[Any, ...]]:
    """Run a values_list query without Django's per-value converters (the datetime parsing alone
    costs more than the rest of the recompute at a million rows); :func:`_epoch_seconds` reads
    the raw datetimes."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _epoch_seconds(values: list[Any]) -> np.ndarray:
    """UTC epoch seconds of raw datetimes: aware ``datetime`` (PostgreSQL) or naive-UTC text (SQLite)."""
    if not values:
        return np.zeros(0)
    if isinstance(values[0], str):
        return np.array(values, dtype="datetime64[us]").astype(np.int64) / 1e6
    return np.fromiter(
        ((v if v.tzinfo else v.replace(tzinfo=UTC)).timestamp() for v in values),
        dtype=np.float64,
        count=len(values),
    )


def _member_persons(*, organization: Organization, member_ids: Iterable[int] | None) -> dict[int, int]:
    members = Member.unrestricted.filter(organization=organization)
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    return dict(members.values_list("id", "person_id"))


@transaction.atomic
def tie_strengths_recompute(
    *, organization: Organization, member_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Recompute the strength and last interaction of the members' ties from their interactions.

    Reads every interaction participation of the members (those the member's own records
    produced: ``Interaction.member``) in one query, computes the strengths with
    :func:`revere.analytics.strength.tie_strengths` at ``now``, and writes the ties whose values
    changed. A member's interaction with a person they have no tie to creates the tie (since the
    first interaction, team-visible; its class is set by :func:`ties_classify`). A tie without
    interactions gets strength 0 (dormant): a value someone states belongs in the override.

    Parameters
    ----------
    organization : Organization
    member_ids : iterable of int, optional
        Only these members' ties; all members of the organization by default.
    now : datetime, optional
        The moment the ages are measured from; the current time by default.

    Returns
    -------
    int
        The number of ties written (created or changed).
    """
    now = now or timezone.now()
    persons_of = _member_persons(organization=organization, member_ids=member_ids)
    if not persons_of:
        return 0
    participations = InteractionParticipant.unrestricted.filter(
        organization=organization, interaction__member_id__in=list(persons_of)
    )
    occurred = "interaction__occurred_at"
    if connection.vendor == "sqlite":
        # As text: SQLite's driver would otherwise parse every datetime into a Python object.
        participations = participations.annotate(occurred_text=Cast(occurred, output_field=CharField()))
        occurred = "occurred_text"
    query = participations.values_list(
        "interaction__member_id",
        "person_id",
        occurred,
        "interaction__kind",
        "interaction__audience",
        "interaction__outbound",
    )
    columns = list(zip(*_fetch_raw(query), strict=True)) or [()] * 6
    member_arr = np.array(columns[0], dtype=np.int64)
    person_arr = np.array(columns[1], dtype=np.int64)
    # The member's own person is the ego, not an alter.
    member_ids_sorted = np.array(sorted(persons_of), dtype=np.int64)
    ego_sorted = np.array([persons_of[m] for m in member_ids_sorted.tolist()], dtype=np.int64)
    keep = person_arr != ego_sorted[np.searchsorted(member_ids_sorted, member_arr)]
    member_arr, person_arr = member_arr[keep], person_arr[keep]
    stamp = _epoch_seconds(list(columns[2]))[keep]
    codes = strength_formula.kind_codes(columns[3])[keep]
    audience = np.array(columns[4], dtype=np.int64)[keep]
    outbound = np.array(columns[5], dtype=bool)[keep]
    n_rows = int(keep.sum())

    ties = list(
        Tie.unrestricted.filter(organization=organization, member_id__in=list(persons_of)).values_list(
            "id", "member_id", "person_id", "strength", "last_interaction"
        )
    )

    # One key per (member, person) pair; the existing ties first, then pairs seen only in interactions.
    tie_member = np.fromiter((t[1] for t in ties), dtype=np.int64, count=len(ties))
    tie_person = np.fromiter((t[2] for t in ties), dtype=np.int64, count=len(ties))
    width = int(max(person_arr.max(initial=0), tie_person.max(initial=0))) + 1
    tie_keys = tie_member * width + tie_person
    row_keys = member_arr * width + person_arr
    new_keys = np.setdiff1d(np.unique(row_keys), tie_keys)
    all_keys = np.concatenate([tie_keys, new_keys])
    order = np.argsort(all_keys, kind="stable")
    tie_index = order[np.searchsorted(all_keys, row_keys, sorter=order)]
    n_ties = all_keys.size

    age_days = (now.timestamp() - stamp) / _SECONDS_PER_DAY
    values = strength_formula.tie_strengths(tie_index, age_days, codes, audience, outbound, n_ties=n_ties)
    last = np.full(n_ties, -np.inf)
    first = np.full(n_ties, np.inf)
    if n_rows:
        np.maximum.at(last, tie_index, stamp)
        np.minimum.at(first, tie_index, stamp)

    def as_datetime(seconds: float) -> datetime | None:
        return None if not np.isfinite(seconds) else datetime.fromtimestamp(seconds, tz=UTC)

    written = 0
    updates: list[tuple[Any, ...]] = []
    adapt = connection.ops.adapt_datetimefield_value
    for i, (tie_id, _member_id, _person_id, old_strength, old_last) in enumerate(ties):
        new_strength = float(values[i])
        new_last = as_datetime(float(last[i])) or old_last
        if abs(new_strength - old_strength) > 1e-9 or new_last != old_last:
            updates.append((new_strength, adapt(new_last), tie_id))
    if updates:
        _ties_update(updates)
        written += len(updates)

    created: list[Tie] = []
    if new_keys.size:
        for j, key in enumerate(new_keys.tolist(), start=len(ties)):
            member_id, person_id = divmod(key, width)
            created.append(
                Tie(
                    organization=organization,
                    member_id=member_id,
                    ego_id=persons_of[member_id],
                    person_id=person_id,
                    strength=float(values[j]),
                    last_interaction=as_datetime(float(last[j])),
                    since=as_datetime(float(first[j])).date(),  # type: ignore[union-attr]
                )
            )
        Tie.unrestricted.bulk_create(created, batch_size=2_000)
        written += len(created)
    if written:
        organization_graph_changed(
            organization_id=organization.pk,
            ties=[row[2] for row in updates] + [t.pk for t in created],
        )
    return written


def _class_rules(organization: Organization) -> list[tuple[str, Q]]:
    """The classification rules, first match wins (see the module docstring)."""
    own = Company.unrestricted.filter(organization=organization).filter(
        Q(pk=organization.own_company_id) | Q(status=CompanyStatus.OWN)
    )
    customers = Company.unrestricted.filter(organization=organization).filter(
        Q(status=CompanyStatus.CUSTOMER) | company_class_condition(NetworkClass.CUSTOMER)
    )
    prospects = Company.unrestricted.filter(organization=organization).filter(
        Q(status=CompanyStatus.PROSPECT) | company_class_condition(NetworkClass.PROSPECT)
    )
    return [
        (NetworkClass.INTERNAL, Q(person__company_id__in=own.values("pk"))),
        (NetworkClass.CUSTOMER, Q(person__company_id__in=customers.values("pk"))),
        (NetworkClass.PROSPECT, Q(person__company_id__in=prospects.values("pk"))),
        (NetworkClass.MARKET, Q()),
    ]


@transaction.atomic
def ties_classify(
    *,
    organization: Organization,
    member_ids: Iterable[int] | None = None,
    tie_ids: Iterable[int] | None = None,
) -> int:
    """Set each tie's computed network class from its person's company (rules: module docstring).

    One UPDATE per class, each touching only the ties whose class changes; the overrides are
    left alone (``Tie.effective_class`` reads them first). ``tie_ids``: only those ties (a tie
    the member just added).

    Returns
    -------
    int
        The number of ties whose computed class changed.
    """
    ties = Tie.unrestricted.filter(organization=organization)
    if member_ids is not None:
        ties = ties.filter(member_id__in=list(member_ids))
    if tie_ids is not None:
        ties = ties.filter(pk__in=list(tie_ids))
    changed: list[int] = []
    matched = Q()
    for network_class, rule in _class_rules(organization):
        # Rules are exclusive by order: a tie matched by an earlier rule is never matched again.
        selected = ties.filter(rule).exclude(matched) if matched else ties.filter(rule)
        ids = list(selected.exclude(network_class=network_class).values_list("pk", flat=True))
        if ids:
            Tie.unrestricted.filter(pk__in=ids).update(network_class=network_class)
            changed += ids
        matched |= rule
    if changed:
        organization_graph_changed(organization_id=organization.pk, ties=changed)
    return len(changed)


@transaction.atomic
def network_recompute(
    *, organization: Organization, member_ids: Iterable[int] | None = None
) -> dict[str, int]:
    """Recompute tie strengths, then network classes (new ties need a class), for the members.

    Returns
    -------
    dict
        ``{"ties_written": ..., "classes_changed": ...}`` (JSON-ready, for the task result).
    """
    ids = None if member_ids is None else list(member_ids)
    written = tie_strengths_recompute(organization=organization, member_ids=ids)
    changed = ties_classify(organization=organization, member_ids=ids)
    return {"ties_written": written, "classes_changed": changed}


def tie_set_strength_override(*, tie: Tie, value: float | None) -> Tie:
    """Set (or, with ``None``, clear) the member's own value for a tie's strength, in (0, 1]."""
    if value is not None and not (0.0 < float(value) <= 1.0):
        raise ValidationError({"strength_override": "A strength must be greater than 0 and at most 1."})
    tie.strength_override = None if value is None else float(value)
    tie.save(update_fields=["strength_override"])
    organization_graph_changed(organization_id=tie.organization_id, ties=[tie.pk])
    return tie


def tie_set_class_override(*, tie: Tie, network_class: str | None) -> Tie:
    """Set (or, with ``None`` or ``""``, clear) the member's own network class for a tie."""
    value = network_class or ""
    if value and value not in NetworkClass.values:
        raise ValidationError({"network_class_override": f"Unknown network class {value!r}."})
    tie.network_class_override = value
    tie.save(update_fields=["network_class_override"])
    organization_graph_changed(organization_id=tie.organization_id, ties=[tie.pk])
    return tie
