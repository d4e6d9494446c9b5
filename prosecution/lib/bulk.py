"""Writing many rows of a model at once: the morning sweep writes a hundred thousand notices and
tens of thousands of term events at a million terms (bench/README.md).

On PostgreSQL, bulk_create builds a model instance per row and sends every value as a parameter of
its own, which psycopg's client-side binding (Django's default) splits out of the SQL and quotes in
Python: for the sweep's notices that cost three times the insert itself. `insert` sends the rows as
one JSON document, which PostgreSQL reads with jsonb_to_recordset, and fills what the rows leave
out with the model's defaults. Elsewhere it is bulk_create.
"""

from __future__ import annotations

import collections
import functools
import json
import uuid
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone


def insert(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, ignore_conflicts: bool = False
) -> None:
    """Insert `rows` (dicts of field attnames to values, the same keys in each; the primary key
    is left to the database). With `ignore_conflicts`, a row that breaks a unique constraint is
    skipped, as bulk_create's."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model._default_manager.bulk_create(
            objects, ignore_conflicts=ignore_conflicts, batch_size=1000
        )
        return
    given = list(rows[0])
    fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    others = [f for name, f in fields.items() if name not in given]
    # A default made per row (a uuid4) is made here, per row; the others are the same for every
    # row, and an auto_now(_add) time is now, as Django's save would make it.
    per_row = [f for f in others if f.has_default() and callable(f.default)]
    shared = [f for f in others if f not in per_row]
    if per_row:
        rows = [{**row, **{f.attname: f.get_default() for f in per_row}} for row in rows]
    sent = [fields[name] for name in given] + per_row
    now = timezone.now()
    values = [now if getattr(f, "auto_now_add", False) else f.get_default() for f in shared]
    quote = connection.ops.quote_name  # TermEvent has a column named "on"
    typed = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in sent)
    columns = ", ".join(quote(f.column) for f in [*sent, *shared])
    selected = ", ".join([*(quote(f.column) for f in sent), *["%s"] * len(shared)])
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {selected} "  # noqa: S608
        f"FROM jsonb_to_recordset(%s::jsonb) AS source({typed})"
    )
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    document = [{f.column: row[f.attname] for f in sent} for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, json.dumps(document, default=_json)])


def _json(value: object) -> str:
    """Dates and UUIDs as PostgreSQL reads them; anything else is refused, as by JSONField."""
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def claim(
    queryset: models.QuerySet[Any], *, limit: int, fields: Collection[str], **changes: Any
) -> list[Any]:
    """Claim up to `limit` rows of `queryset` (in its order) that no other transaction holds, set
    `changes` on them and return them with `fields` loaded (as they are after the change), in one
    statement: UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING. Two sweeps
    at once claim different rows (SQLite, which has no row locks, serializes writers). One
    statement, where a SELECT FOR UPDATE and an UPDATE of the ids it found wrote every row twice
    and sent the ids back as thousands of parameters.

    The rows come back as named tuples (`pk` and the fields' attnames: `office_id`, not
    `office`), sorted by pk, not as model instances: the sweep claims ~90,000 terms at a million,
    and building a model instance for each cost more than the UPDATE of the reminders."""
    model: type[models.Model] = queryset.model
    quote = connection.ops.quote_name
    opts = model._meta
    chosen = queryset.select_for_update(skip_locked=True).values("pk")[:limit]
    subquery, params = chosen.query.sql_with_params()
    setting = ", ".join(f"{quote(_column(model, name).column)} = %s" for name in changes)
    # Named by name or attname ("office" or "office_id"), each once.
    loaded = list(dict.fromkeys([opts.pk, *(_column(model, name) for name in fields)]))
    returned = ", ".join(quote(field.column) for field in loaded)
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    sql = (
        f"UPDATE {table} SET {setting} WHERE {pk} IN ({subquery}) "  # noqa: S608
        f"RETURNING {returned}"
    )
    row_type = _row_type(model, tuple(field.attname for field in loaded[1:]))
    # What the database gives back as Python values, as a queryset would (SQLite returns dates
    # as text and UUIDs as hex; PostgreSQL needs none of this).
    convert = []
    for index, field in enumerate(loaded):
        column = field.get_col(opts.db_table)
        # Field.get_db_converters is Django's own, which django-stubs does not declare (the Col's
        # would not do: for a foreign key they add the target field's).
        own = field.get_db_converters(connection)  # type: ignore[attr-defined]
        converters = connection.ops.get_db_converters(column) + own
        if converters:
            convert.append((index, column, converters))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(_db_value(model, n, v) for n, v in changes.items()), *params])
        rows = cursor.fetchall()
    if convert:
        rows = [list(row) for row in rows]
        for row in rows:
            for index, column, converters in convert:
                for converter in converters:
                    row[index] = converter(row[index], column, connection)
    return sorted(map(row_type._make, rows), key=lambda row: row.pk)


def _column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A column of `model` by name or attname: `changes` and `fields` never name the reverse side
    of a relation or a generic foreign key, which get_field could also return."""
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def _db_value(model: type[models.Model], name: str, value: object) -> Any:
    return _column(model, name).get_db_prep_save(value, connection)


@functools.cache
def _row_type(model: type[models.Model], attnames: tuple[str, ...]) -> Any:
    return collections.namedtuple(f"Claimed{model.__name__}", ["pk", *attnames])
