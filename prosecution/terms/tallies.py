"""Keeping the dashboard's tallies (prosecution/models/tallies.py) equal to a count of the terms.

Every service that changes a term (prosecution/terms/engine.py) reports what the term was and what
it is now (`Facts`, or None before an opening and after a deletion) to `record`, inside its
transaction. `record` turns the reports into a difference per tally row and applies it with one
upsert per tally, `INSERT ... ON CONFLICT ... DO UPDATE SET n = n + excluded.n ... RETURNING` (the
rows as one JSON document on PostgreSQL, as VALUES on SQLite, 3.35 or later). Two transactions
changing the same row queue on its lock and
each adds its own difference, so no count is lost; the rows of one upsert are locked in the order of
their keys, and each transaction writes each tally once, so two writers never wait for each other
in a circle. A transaction that changes terms more than once (a service calling another, a caller
changing several terms) wraps the changes in `collecting()`, which writes them once at its end.

`rebuild` counts the tallies afresh from the term table (the migration, the benchmark's seed, a
repair) and `differences` compares them with such a count (the tests; `manage.py
rebuild_term_tallies --check`).
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, Protocol

from django.db import connection, transaction
from django.db.models import Count, Model, Q, QuerySet, Value
from django.db.models.functions import Concat, Length, Substr

from prosecution.models import ACTIVE_STATES, Term, TermState
from prosecution.models.tallies import (
    COUNTS_ACTIVE,
    COUNTS_LATE,
    COUNTS_OPEN,
    ActiveTermsByKind,
    ActiveTermsByPerson,
    LateTermsByDay,
    OpenTermsByKindAndDay,
    OpenTermsByPersonAndDay,
    Tally,
)

UPSERT_ROWS = 500  # rows per INSERT: 2,500 parameters, far below either database's limit


class Facts(NamedTuple):
    """What the tallies know of a term (the names of its fields)."""

    office_path: str
    kind: str
    responsible_id: int | None
    state: str
    is_classified: bool
    due_date: date
    met_on: date | None


FIELDS = Facts._fields  # of Term: what a query must load for facts()


def facts(term: Term) -> Facts:
    return Facts(
        term.office_path,
        term.kind,
        term.responsible_id,
        term.state,
        term.is_classified,
        term.due_date,
        term.met_on,
    )


def _is_active(term: Facts) -> bool:
    return term.state in ACTIVE_STATES


def _is_open(term: Facts) -> bool:
    return term.state == TermState.OPEN


def _is_late(term: Facts) -> bool:
    # The trend's definition (legal_statistics.selectors.missed_per_week): missed, or met after
    # the due date (a missed term met later stays late).
    return term.state == TermState.MISSED or (
        term.state == TermState.MET and term.met_on is not None and term.met_on > term.due_date
    )


@dataclass(frozen=True)
class Counting:
    """Which terms a tally counts, and under which key."""

    model: type[Tally]
    counts: Callable[[Facts], bool]  # whether the tally counts a term in this state
    where: Q  # the same, as a condition on the term table

    @property
    def key(self) -> tuple[str, ...]:
        return self.model.KEY  # columns named as the attributes of Facts and Term

    def key_of(self, term: Facts) -> tuple:
        return tuple(getattr(term, column) for column in self.key)

    @property
    def conflict(self) -> str:
        """The unique index of the key (prosecution.models.tallies._key), as ON CONFLICT names
        it."""
        columns = (
            "(COALESCE(responsible_id, 0))" if c == "responsible_id" else c for c in self.key
        )
        return f"({', '.join(columns)})"


TALLIES = (
    Counting(ActiveTermsByKind, _is_active, COUNTS_ACTIVE),
    Counting(ActiveTermsByPerson, _is_active, COUNTS_ACTIVE),
    Counting(OpenTermsByKindAndDay, _is_open, COUNTS_OPEN),
    Counting(OpenTermsByPersonAndDay, _is_open, COUNTS_OPEN),
    Counting(LateTermsByDay, _is_late, COUNTS_LATE),
)


class TallyOutOfStep(RuntimeError):
    """A tally would count a record it never counted in: it disagrees with the records (a change
    made behind the services' back). `manage.py rebuild_term_tallies` repairs the dashboard's,
    `manage.py rebuild_report_tallies` the reports' (write_counts writes both)."""


Change = tuple[Facts | None, Facts | None]

# The differences of the changes reported inside `collecting()`, not yet written.
_pending: ContextVar[list[Counter] | None] = ContextVar("tally_pending", default=None)


@contextlib.contextmanager
def collecting() -> Iterator[None]:
    """Write the changes reported inside the block once, at its end (a service calling another
    service, such as an extension opening the term to tell the applicant): one upsert per tally
    and transaction keeps the order of the row locks. Use inside the transaction."""
    if _pending.get() is not None:
        yield  # an outer block writes
        return
    pending: list[Counter[tuple[Any, ...]]] = [Counter() for _ in TALLIES]
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _write(pending)


def record(changes: Iterable[Change]) -> None:
    """Count the changes of terms, each (before, after), in the tallies. Call inside the
    transaction that changes the terms, after the change."""
    pending = _pending.get()
    deltas = pending if pending is not None else [Counter() for _ in TALLIES]
    for before, after in changes:
        for tally, delta in zip(TALLIES, deltas, strict=True):
            if before is not None and tally.counts(before):
                delta[tally.key_of(before)] -= 1
            if after is not None and tally.counts(after):
                delta[tally.key_of(after)] += 1
    if pending is None:
        _write(deltas)


def record_change(before: Facts, term: Term) -> None:
    record([(before, facts(term))])


def _sort_key(key: tuple) -> tuple:
    # None (nobody) sorts first; the order only has to be the same in every transaction.
    return tuple((value is not None, value) for value in key)


def _write(deltas: list[Counter]) -> None:
    for tally, delta in zip(TALLIES, deltas, strict=True):
        write_counts(tally, delta)


class Counted(Protocol):
    """A table of counts by key that write_counts adds differences to: the terms' tallies, and the
    reports' (legal_statistics/reports/tallies.py). `conflict` names its unique index of the key,
    as ON CONFLICT does."""

    @property
    def model(self) -> type[Model]: ...

    @property
    def key(self) -> tuple[str, ...]: ...

    @property
    def conflict(self) -> str: ...


def write_counts(tally: Counted, delta: Counter) -> None:
    """Add `delta` ({key: difference}) to the counts of `tally`, in one upsert, the rows locked in
    the order of their keys; a row that reaches 0 is deleted, one that would fall below 0 raises
    TallyOutOfStep (and the transaction is rolled back)."""
    rows = sorted(((k, n) for k, n in delta.items() if n), key=lambda row: _sort_key(row[0]))
    if not rows:
        return
    if connection.vendor == "postgresql":
        _upsert(tally, *_as_json(tally, rows))
        return
    for start in range(0, len(rows), UPSERT_ROWS):
        batch = rows[start : start + UPSERT_ROWS]
        values = ", ".join(["(" + ", ".join(["%s"] * (len(tally.key) + 1)) + ")"] * len(batch))
        _upsert(tally, f"VALUES {values}", [value for key, n in batch for value in (*key, n)])


def _as_json(tally: Counted, rows: list[tuple[tuple, int]]) -> tuple[str, list]:
    """PostgreSQL: the rows as one JSON parameter, read back in their order. The driver quotes
    values in Python, one by one: thousands of them (a chunk of the sweep) cost more than the
    upsert itself."""
    columns = (*tally.key, "n")
    fields = {f.attname: f for f in tally.model._meta.concrete_fields}
    typed = ", ".join(f"{name} {fields[name].db_type(connection)}" for name in columns)
    document = [dict(zip(columns, (*key, n), strict=True)) for key, n in rows]
    source = f"SELECT * FROM jsonb_to_recordset(%s::jsonb) AS r({typed})"  # noqa: S608
    return source, [json.dumps(document, default=date.isoformat)]


def _upsert(tally: Counted, source: str, params: list) -> None:
    # Names of tables and columns come from the models; every value is a parameter.
    table = tally.model._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join((*tally.key, 'n'))}) {source} "
        f"ON CONFLICT {tally.conflict} DO UPDATE SET n = {table}.n + excluded.n RETURNING id, n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = cursor.fetchall()
        if any(n < 0 for _, n in counts):
            raise TallyOutOfStep(f"{table}: a count fell below zero")
        emptied = [pk for pk, n in counts if n == 0]
        if emptied:
            # Only rows this transaction holds locked: a concurrent writer of the same key waits
            # for the commit, then inserts the row afresh.
            ids = ", ".join(["%s"] * len(emptied))
            cursor.execute(f"DELETE FROM {table} WHERE n = 0 AND id IN ({ids})", emptied)  # noqa: S608


def mismatches(rows: Iterable[tuple], counted: Mapping[tuple, int]) -> dict[tuple, tuple[int, int]]:
    """The keys where a tally's `rows` ((*key, n) as kept) and a count afresh differ: {key: (kept,
    counted)}; a key missing on either side counts 0 (the terms' and the reports' differences)."""
    kept = {tuple(row[:-1]): row[-1] for row in rows}
    return {
        key: (kept.get(key, 0), counted.get(key, 0))
        for key in kept.keys() | counted.keys()
        if kept.get(key, 0) != counted.get(key, 0)
    }


# --- Changes made in bulk ------------------------------------------------------------------------


def move_paths(old_prefix: str, new_prefix: str) -> None:
    """An office moved with everything below it (prosecution.offices.services.move_office): its
    counts move with its terms. The new paths have no rows yet (no office was there)."""
    for tally in TALLIES:
        tally.model._default_manager.filter(office_path__startswith=old_prefix).update(
            office_path=Concat(
                Value(new_prefix),
                Substr("office_path", len(old_prefix) + 1, Length("office_path")),
            )
        )


def forget_person(user_id: int) -> None:
    """A user is being deleted: Term.responsible's SET_NULL gives their terms to nobody, and
    their counts go to nobody too. Runs inside the deletion's transaction."""
    for tally in TALLIES:
        if "responsible_id" not in tally.key:
            continue
        at = tally.key.index("responsible_id")
        delta: Counter[tuple[Any, ...]] = Counter()
        # A tally keyed by person has the column; the abstract Tally, all mypy sees, has not.
        mine = tally.model._default_manager.filter(responsible_id=user_id)  # type: ignore[misc]
        for *key, n in mine.values_list(*tally.key, "n"):
            delta[tuple(key)] -= n
            delta[(*key[:at], None, *key[at + 1 :])] += n
        write_counts(tally, delta)


# --- Counting afresh -----------------------------------------------------------------------------


def _recount(tally: Counting) -> QuerySet[Term, tuple[Any, ...]]:
    """The tally's rows as counted from the term table: (*key, n)."""
    return (
        Term.objects.filter(tally.where)
        .order_by()
        .values_list(*tally.key)
        .annotate(n=Count("id"))
        .values_list(*tally.key, "n")
    )


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Count every tally afresh from the term table. Returns the rows of each tally.

    On PostgreSQL the tallies are locked first (SHARE ROW EXCLUSIVE: readers go on, every
    upsert waits): a change of a term committed before the lock is in the count; one that is
    not has not written its difference yet and adds it after the commit."""
    written = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for tally in TALLIES:
                table = tally.model._meta.db_table
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        for tally in TALLIES:
            table = tally.model._meta.db_table
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (a model's table)
            sql, params = _recount(tally).query.sql_with_params()
            cursor.execute(f"INSERT INTO {table} ({', '.join((*tally.key, 'n'))}) {sql}", params)
            written[table] = cursor.rowcount
    return written


def differences() -> dict[str, dict[tuple, tuple[int, int]]]:
    """Rows where a tally and a fresh count of the terms differ: {table: {key: (tally, count)}}.
    Empty when every tally is right."""
    found = {}
    for tally in TALLIES:
        rows = tally.model._default_manager.values_list(*tally.key, "n")
        counted = {tuple(row[:-1]): row[-1] for row in _recount(tally)}
        wrong = mismatches(rows, counted)
        if wrong:
            found[tally.model._meta.db_table] = wrong
    return found
