"""Fast bulk inserts for large imports: one ``executemany`` per table, primary keys assigned up front.

Django's ``bulk_create`` builds a model instance and prepares every value through its field for
each row; at 100,000 contacts that alone takes longer than the whole import may (docs/import.md,
bench/bench_import.py). Here the columns are converted once per column type and the rows go to
the database as tuples. Keys are taken before inserting: on PostgreSQL from the table's identity
sequence, on SQLite after both max(id) and the AUTOINCREMENT counter (an import holds SQLite's write lock: transactions begin
IMMEDIATE in settings, so no other writer can take the same numbers).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

from revere.ingest.service.index import CompanyEntry, PersonEntry
from revere.tenancy.restricted import manager_for

CHUNK = 5000
BATCH = 2000  # rows per statement of Django's bulk_create and bulk_update


Converter = Callable[[Any], Any]


def _converter(field: models.Field[Any, Any]) -> Converter | None:
    """How to turn a Python value into a database value for this column; None = as it is."""
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(field, models.DateTimeField | models.DateField | models.DecimalField | models.UUIDField):
        memo: dict[Any, Any] = {}  # an import stamps thousands of rows with the same instant

        def convert(v: Any) -> Any:
            if v not in memo:
                memo[v] = field.get_db_prep_save(v, connection)
            return memo[v]

        return convert
    return None


def reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """n fresh primary keys for ``model``'s table."""
    if n <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
        top = int(cursor.fetchone()[0])
        # AUTOINCREMENT never reuses a deleted row's key (an undo may bring that row back).
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(top, int(row[0]) if row else 0) + 1
    return list(range(start, start + n))


def _columns(
    model: type[models.Model], fields: Sequence[str]
) -> tuple[list[str], list[tuple[int, Converter]]]:
    """The quoted column names of ``fields``, and the converter of each position that needs one."""
    cols: list[Any] = [model._meta.get_field(f) for f in fields]
    names = [connection.ops.quote_name(str(c.column)) for c in cols]
    needs = [(i, fn) for i, fn in enumerate(_converter(c) for c in cols) if fn is not None]
    return names, needs


def _prepared(rows: Sequence[Sequence[Any]], needs: list[tuple[int, Converter]]) -> list[list[Any]]:
    """The rows as lists of database values."""
    if not needs:
        return [list(r) for r in rows]
    prepared = []
    for row in rows:
        values = list(row)
        for i, fn in needs:
            values[i] = fn(values[i])
        prepared.append(values)
    return prepared


def _execute_chunks(sql: str, rows: Sequence[Sequence[Any]], needs: list[tuple[int, Converter]]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, _prepared(rows[start : start + CHUNK], needs))


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT the rows (values in ``fields`` order, attnames like ``person_id``) in chunks."""
    if not rows:
        return
    names, needs = _columns(model, fields)
    marks = ", ".join(["%s"] * len(names))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(names)}) VALUES ({marks})"
    )
    _execute_chunks(sql, rows, needs)


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """UPDATE by primary key: each row holds the ``fields`` values, then the id."""
    if not rows:
        return
    names, needs = _columns(model, fields)
    sets = ", ".join(f"{name} = %s" for name in names)
    sql = f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {sets} WHERE id = %s"
    _execute_chunks(sql, rows, needs)


def entries_update(model: type[models.Model], entries: Iterable[CompanyEntry | PersonEntry]) -> None:
    """Write the changed fields (``entry.dirty``) of entries already in the database, then forget them.

    A field that holds a company entry is written as that company's key.
    """
    dirty = [e for e in entries if e.dirty]
    if not dirty:
        return
    fields = sorted({f for e in dirty for f in e.dirty})
    attnames = {c.name: c.attname for c in model._meta.concrete_fields}
    by_pk = {e.pk: e for e in dirty}
    objs = list(manager_for(model).filter(pk__in=list(by_pk)).only(*fields))
    for obj in objs:
        entry = by_pk[obj.pk]
        for f in fields:
            value = getattr(entry, f)
            setattr(obj, attnames[f], value.pk if isinstance(value, CompanyEntry) else value)
    manager_for(model).bulk_update(objs, fields, batch_size=BATCH)
    for e in dirty:
        e.dirty.clear()
