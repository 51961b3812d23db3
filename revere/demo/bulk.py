"""Fast bulk inserts with ids chosen up front: executemany on SQLite, COPY on PostgreSQL.

The ORM's ``bulk_create`` builds a model instance per row; for a million rows that alone takes
longer than the insert. Here rows are columns of plain values (numpy arrays or lists), ids are
assigned by the caller (so rows can point at each other before anything is written), and the
database's sequences are moved past them afterwards. Fields the caller leaves out get their
model default, ``auto_now`` fields the current time: new fields added to a model later still
insert correctly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, models

from revere.tenancy.restricted import manager_for

Column = Sequence[Any] | np.ndarray
_BATCH = 50_000


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of a table (ids the demo assigns start here)."""
    value = manager_for(model).aggregate(m=models.Max("pk"))["m"]
    return int(value or 0) + 1


def sql_datetimes(seconds: np.ndarray) -> list[str]:
    """UTC epoch seconds as the database's datetime text: ``YYYY-MM-DD HH:MM:SS`` (naive UTC, what
    Django stores on SQLite, so that text comparisons order correctly) or with ``+00:00`` on PostgreSQL."""
    stamps = np.asarray(seconds, dtype=np.float64).astype("datetime64[s]")
    text = np.datetime_as_string(stamps, unit="s").astype("<U19")
    if connection.vendor == "postgresql":
        return np.char.add(text, "+00:00").tolist()
    codes = text.view(np.uint32).reshape(-1, 19).copy()
    codes[:, 10] = ord(" ")  # "T" -> " "
    return codes.view("<U19").ravel().tolist()


def sql_dates(seconds: np.ndarray) -> list[str]:
    days = np.asarray(seconds, dtype=np.float64).astype("datetime64[s]").astype("datetime64[D]")
    text = np.datetime_as_string(days, unit="D")
    return text.tolist()


def _constant(field: models.Field, now: datetime) -> Any:
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        return now
    if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
        return now.date()
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return lambda v: v if isinstance(v, str) or v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: v if isinstance(v, str) or v is None else ops.adapt_datefield_value(v)
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v)
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    return lambda v: v


def _plain(values: Column) -> list[Any]:
    if isinstance(values, np.ndarray):
        return values.tolist()  # numpy scalars become Python ints, floats, bools, str
    return list(values)


@dataclass(frozen=True)
class Const:
    """The same value in every row (written once into the statement on SQLite, not bound per row)."""

    value: Any


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("'", "''").replace("%", "%%")  # %% : Django's cursor reads %s markers
    return f"'{text}'"


def insert(
    model: type[models.Model], columns: dict[str, Column | Const], *, now: datetime | None = None
) -> int:
    """Insert rows given as columns (field name -> values, or :class:`Const`); returns the number of rows.

    Pass ``id`` to choose the primary keys (then call :func:`reset_sequences`). Foreign keys are
    given by their attribute (``company_id``). Values are plain Python or numpy; datetimes may be
    given already as text (:func:`sql_datetimes`).
    """
    now = now or datetime.now(tz=UTC)
    lengths = {len(v) for v in columns.values() if not isinstance(v, Const)}
    if len(lengths) != 1:
        raise ValueError(f"{model.__name__}: columns of different lengths {lengths}")
    n = lengths.pop()
    if n == 0:
        return 0
    names: list[str] = []
    data: list[tuple[Column, Callable[[Any], Any] | None]] = []  # (values, adapter or None)
    constants: list[tuple[str, Any]] = []
    for field in model._meta.concrete_fields:
        key = field.attname if field.attname in columns else field.name
        column = str(field.column)
        given = columns.get(key)
        if isinstance(given, Const):
            constants.append((column, _adapter(field)(given.value)))
        elif given is not None:
            first = given[0]
            needs_adapting = isinstance(field, models.JSONField | models.DecimalField) or (
                isinstance(field, models.DateField) and not isinstance(first, str)
            )
            data.append((given, _adapter(field) if needs_adapting else None))
            names.append(column)
        elif not field.primary_key:
            constants.append((column, _adapter(field)(_constant(field, now))))
    table = model._meta.db_table
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in [*names, *(c for c, _ in constants)])

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        # Batch by batch, so that a few million rows never sit in memory as Python tuples at once.
        for start in range(0, n, _BATCH):
            parts = []
            for values, adapt in data:
                chunk = _plain(values[start : start + _BATCH])
                parts.append([adapt(v) for v in chunk] if adapt else chunk)
            yield list(zip(*parts, strict=True))

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            fixed = tuple(v for _, v in constants)
            raw = cursor.cursor  # psycopg's own cursor: COPY is the fast path
            with raw.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy:
                for rows in batches():
                    for row in rows:
                        copy.write_row(row + fixed)
        else:
            marks = ", ".join(["%s"] * len(names) + [_literal(v) for _, v in constants])
            sql = f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})"
            for rows in batches():
                cursor.executemany(sql, rows)
    return n


def insert_m2m(through: type[models.Model], left: str, right: str, pairs: Sequence[tuple[int, int]]) -> int:
    """Rows of an auto-created many-to-many table (``deal_id``, ``member_id`` ...)."""
    if not pairs:
        return 0
    return insert(through, {left: [p[0] for p in pairs], right: [p[1] for p in pairs]})


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids assigned here (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def as_date(seconds: float) -> date:
    return datetime.fromtimestamp(seconds, tz=UTC).date()


@contextmanager
def bulk_mode(models_: Sequence[type[models.Model]]) -> Iterator[None]:
    """Inside a transaction, make the tables cheap to fill, and restore them after.

    * SQLite: a big page cache, and the tables' indexes dropped during the inserts and rebuilt
      after (one sort per index instead of a million random B-tree inserts). SQLite keeps each
      index's ``CREATE INDEX`` text in ``sqlite_master``.
    * PostgreSQL: the tables' foreign keys and plain indexes dropped, then added back. Django's
      foreign keys are ``DEFERRABLE INITIALLY DEFERRED``: kept, they queue one check per row and
      key that runs at commit (millions of index probes for the large demo); added back, each is
      validated by one join. Unique constraints stay: they are checked as rows arrive. The
      tables are locked (ACCESS EXCLUSIVE) until the transaction ends.

    DDL is transactional on both, so a failure rolls the drops back too.
    """
    tables = [m._meta.db_table for m in models_]
    restore: list[str] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -1000000")  # about 1 GB, in pages of the default size
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks})",
                tables,
            )
            for name, sql in cursor.fetchall():
                cursor.execute(f"DROP INDEX {quote(name)}")
                restore.append(sql)
            restore.append(f"PRAGMA cache_size = {int(cache_size)}")  # after the rebuilds, which use it
        elif connection.vendor == "postgresql":
            # ALTER TABLE refuses tables with deferred checks pending: run those now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
                [tables],
            )
            for table, name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
                restore.append(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = ANY(%s::regclass[]) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [tables],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {quote(name)}")
                restore.insert(0, definition)  # indexes first: the foreign keys' validation uses them
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in restore:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
