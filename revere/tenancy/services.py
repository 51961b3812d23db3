"""Writes on organizations, teams and members, and the record of what changed in the network."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, router, transaction

from revere.tenancy.models import GraphChange, Organization

#: A change naming more ids than this is recorded as ``full`` (the graph is rebuilt, not patched).
MAX_CHANGE_IDS = 20_000


def _next_version(organization_id: int) -> int | None:
    """Raise the organization's data version by one and return it (one UPDATE ... RETURNING, which
    holds the organization row's lock until the transaction ends: versions commit in order)."""
    connection = connections[router.db_for_write(Organization)]
    table = connection.ops.quote_name(Organization._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET data_version = data_version + 1 WHERE id = %s RETURNING data_version",
            [organization_id],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def organization_graph_changed(
    *,
    organization_id: int,
    ties: Iterable[int] = (),
    links: Iterable[tuple[int, int]] = (),
    persons: Iterable[int] = (),
    companies: Iterable[int] = (),
    full: bool = False,
) -> None:
    """Record what a write changed in the network, in the write's transaction.

    Say *what* changed, by id — ties (by id), links (by the pair of person ids, either order),
    persons, companies — not how: the graph cache re-reads those rows and patches itself
    (revere/network/graph). A person named here has everything about them re-read (their fields,
    their ties and links), so a merge names both persons. Nothing named: nothing recorded.
    ``full=True`` (or more than :data:`MAX_CHANGE_IDS` ids): unknown what, the graph is rebuilt
    in the background.
    """
    tie_ids = sorted({int(t) for t in ties})
    pairs = sorted({(min(int(a), int(b)), max(int(a), int(b))) for a, b in links if int(a) != int(b)})
    person_ids = sorted({int(p) for p in persons})
    company_ids = sorted({int(c) for c in companies})
    named = len(tie_ids) + len(pairs) + len(person_ids) + len(company_ids)
    if not named and not full:
        return
    full = full or named > MAX_CHANGE_IDS
    ids: dict[str, list[object]] = {}
    if not full:
        for key, values in (
            ("ties", tie_ids),
            ("links", [list(p) for p in pairs]),
            ("persons", person_ids),
            ("companies", company_ids),
        ):
            if values:
                ids[key] = list(values)
    with transaction.atomic(using=router.db_for_write(GraphChange)):
        version = _next_version(organization_id)
        if version is None:
            return
        GraphChange.unrestricted.create(organization_id=organization_id, version=version, full=full, ids=ids)


def organization_bump_data_version(*, organization_id: int) -> None:
    """Mark the organization's network as changed, unknown what: the graph is rebuilt in the background.

    Prefer :func:`organization_graph_changed` with the ids the write touched (the graph then patches
    itself at once); this stays for writes too large or too tangled to name (an import, a restore).
    """
    organization_graph_changed(organization_id=organization_id, full=True)
