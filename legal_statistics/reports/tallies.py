"""A report's figures counted ahead, by office and month (issue 17: the republic's annual report
within a second at a million appeals; bench/bench_reports.py has the figures).

What is counted. For each record, each figure and each month, whether the record meets the
figure's condition for that month (Figure.condition, the condition its list is made of): a
FigureTally row holds how many records of an office do. A figure of a report kept here ranges over
its anchor's dates (every figure has an anchor), so that a record meets it in a period of whole
months exactly when it meets it in one of the months: the tally of a period is the sum of its
months, less the records counted in two of them. Those are the FigureRepeat rows: for a record
that meets a figure in the months m1 < m2 < ... (an appeal extended in March and again in May),
one row for each two that follow each other. In a period of whole months, the months a record meets
a figure in are a run of that list: k months, and k - 1 of the rows lie within the period (both
months in it), so the record is counted k - (k - 1) = once, as its list has it once.

When it is counted. Every change of a record, or of a row that a figure reads (its events, its
terms), refreshes the record (`refresh`, from post_save and post_delete of the report's
Report.tallied_by, in the transaction of the change): what the record meets now is compared with
what it was counted for (TalliedRecord, read under its row's lock, so that two transactions
refreshing one record add their differences one after the other), and the difference is added
to the tallies by the upsert of the terms' tallies (prosecution/terms/tallies.py write_counts). A
refresh is idempotent: a second one, or one after a change behind the signals' back, counts only
what differs.

When it is read (`reading`). Only for periods of whole months, for a reader who sees the whole
office below the one asked (grants do not matter inside one's own scope; the classified records'
counts are kept apart, and read only by those cleared to see them), and once the report's
tallies were counted from all its records (TalliesBuilt: the migration for an empty database,
`manage.py rebuild_report_tallies` after an upgrade). Any other question (dates that cut a
month, a report whose tallies were not counted yet) is counted from the records, as before; the
figure's list is always the records themselves, so every page's "figure equals list" test checks
the tallies too.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model, Q, QuerySet, Sum
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from legal_statistics.models import FigureRepeat, FigureTally, TalliedRecord, TalliesBuilt
from legal_statistics.reports.periods import Period
from prosecution.models import Office, Term
from prosecution.offices.access import OfficeScope, Reader, is_classifiable, staff_profile
from prosecution.terms.tallies import mismatches, write_counts

if TYPE_CHECKING:
    from legal_statistics.reports.figures import Cells, Figure, Report

# Every date a record can have: a figure's condition for it is "ever".
EVER = Period(date(1970, 1, 1), date(2999, 12, 31), "ever")
CHUNK = 5000  # records measured at once by rebuild


@dataclass(frozen=True)
class Source:
    """A model whose rows, saved or deleted, may change what a report counts of a record: the
    record itself, or rows it owns (its events, its terms). `record` gives the record's id from a
    row, or None for a row no figure reads (a term of a check, an event of a kind not counted)."""

    model: type[Model]
    record: Callable[[Any], int | None]


def itself(model: type[Model]) -> Source:
    """The record: any change of it."""
    return Source(model, lambda record: record.pk)


def events_counted(model: type[Model], record: str, figures: Sequence[Figure]) -> Source:
    """A record's events of the kinds the figures' facets name (`events__kind`): an event of
    another kind changes nothing counted. `record` names the event's field of the record's id."""
    kinds = frozenset(v for f in figures for name, v in f.facet if name == "events__kind")

    def of(event: Any) -> int | None:
        return getattr(event, record) if event.kind in kinds else None

    return Source(model, of)


def terms_counted(model: type[Model], kinds: Iterable[str]) -> Source:
    """A record's statutory terms of `kinds` (prosecution.models.Term, a generic relation)."""
    kinds = frozenset(kinds)

    def of(term: Any) -> int | None:
        if term.kind not in kinds:
            return None
        record_type = ContentType.objects.get_for_model(model).pk
        return term.subject_id if term.subject_type_id == record_type else None

    return Source(Term, of)


@dataclass(frozen=True)
class _Table:
    """A tally table as write_counts (prosecution/terms/tallies.py) adds to it."""

    model: type[Model]

    @property
    def key(self) -> tuple[str, ...]:
        return self.model.KEY  # type: ignore[attr-defined]

    @property
    def conflict(self) -> str:
        return f"({', '.join(self.key)})"


TALLY = _Table(FigureTally)
REPEATS = _Table(FigureRepeat)

Months = dict[str, list[str]]  # figure key: the months ("2026-03") it counts a record in, in order


class Counted(NamedTuple):
    """What the tallies count of one record: where it is, and the months of each figure."""

    office_path: str
    is_classified: bool
    months: Months


# --- What a record meets -------------------------------------------------------------------------


def _month(value: date | datetime) -> str:
    if isinstance(value, datetime):  # a moment: its day in the offices' time zone (Period.moments)
        value = timezone.localtime(value).date()
    return f"{value.year:04d}-{value.month:02d}"


def measure(report: Report, records: QuerySet) -> dict[int, Counted]:
    """For each of `records` (all of the report's model, whatever the scope): its office path,
    whether it is classified, and the months each figure counts it in. Figures that are an anchor
    and a facet are read together, one query per anchor (as Report.counts groups them); each
    other figure in a query of its own, of the very condition its list is made of."""
    secrecy = ["is_classified"] if is_classifiable(report.model) else []
    columns = ["pk", report.office_field, *secrecy]
    found: dict[int, tuple[str, bool, defaultdict[str, set[str]]]] = {
        pk: (path, any(classified), defaultdict(set))  # (), or (is_classified,)
        for pk, path, *classified in records.order_by().values_list(*columns)
    }
    if not found:
        return {}
    grouped: dict[Any, list[Figure]] = {}
    for figure in report.figures:
        if figure.grouped:
            grouped.setdefault(figure.anchor, []).append(figure)
        else:
            assert figure.anchor is not None, f"{report.key}/{figure.key}: a tally needs an anchor"
            rows = (
                records.filter(figure.condition(EVER))
                .order_by()
                .values_list("pk", figure.anchor.path)
            )
            for pk, at in rows:
                found[pk][2][figure.key].add(_month(at))
    for anchor, figures in grouped.items():
        fields = sorted({name for figure in figures for name, _ in figure.facet})
        # One filter(): through a relation, the values read the rows the filter joined (each row
        # an event, or a term, in range), as Figure.condition speaks of one row.
        rows = (
            records.filter(anchor.within(EVER)).order_by().values_list("pk", anchor.path, *fields)
        )
        for pk, at, *values in rows:
            facts = dict(zip(fields, values, strict=True))
            for figure in figures:
                if all(facts[name] == value for name, value in figure.facet):
                    found[pk][2][figure.key].add(_month(at))
    return {
        pk: Counted(path, classified, {key: sorted(ms) for key, ms in sorted(figures.items())})
        for pk, (path, classified, figures) in found.items()
    }


def _count(tally: Counter, repeats: Counter, report: str, record: Counted, sign: int) -> None:
    path, classified, months = record
    for figure, counted in months.items():
        for month in counted:
            tally[report, figure, path, classified, _first_day(month)] += sign
        for first, second in itertools.pairwise(counted):
            repeats[report, figure, path, classified, _first_day(first), _first_day(second)] += sign


def _kept(row: TalliedRecord) -> Counted:
    return Counted(row.office_path, row.is_classified, row.months)


def _first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


# --- Keeping them --------------------------------------------------------------------------------


@transaction.atomic
def refresh(report: Report, pks: Iterable[int]) -> None:
    """Count the records `pks` of `report` as they are now (module docstring); a record that is
    gone is counted out."""
    pks = sorted(set(pks))
    # A record never counted yet has a row of nothing first, so that two transactions refreshing
    # it wait for each other on that row's lock (as for any other), not fail on its key.
    TalliedRecord.objects.bulk_create(
        [TalliedRecord(report=report.key, record_id=pk, office_path="") for pk in pks],
        ignore_conflicts=True,
    )
    kept = TalliedRecord.objects.select_for_update().filter(report=report.key, record_id__in=pks)
    now = measure(report, report.model._default_manager.filter(pk__in=pks))
    tally: Counter = Counter()
    repeats: Counter = Counter()
    changed, gone = [], []
    for old in kept.order_by("record_id"):
        new = now.get(old.record_id)
        if new is None:
            gone.append(old.pk)
        elif _kept(old) == new:
            continue
        _count(tally, repeats, report.key, _kept(old), -1)
        if new is not None:
            _count(tally, repeats, report.key, new, +1)
            old.office_path, old.is_classified, old.months = new
            changed.append(old)
    TalliedRecord.objects.filter(pk__in=gone).delete()
    TalliedRecord.objects.bulk_update(changed, ["office_path", "is_classified", "months"])
    write_counts(TALLY, tally)
    write_counts(REPEATS, repeats)


def connect(reports: Iterable[Report]) -> None:
    """Refresh a record whenever one of its report's sources is saved or deleted (AppConfig
    .ready)."""
    for report in reports:
        for source in report.tallied_by:

            def changed(instance: Model, report: Report = report, source: Source = source, **_):
                pk = source.record(instance)
                if pk is not None:
                    refresh(report, [pk])

            uid = f"report-tallies:{report.key}:{source.model._meta.label}"
            post_save.connect(changed, sender=source.model, weak=False, dispatch_uid=uid)
            post_delete.connect(changed, sender=source.model, weak=False, dispatch_uid=uid)


def _afresh(report: Report) -> Iterator[tuple[dict[int, Counted], Counter, Counter]]:
    """Every record of the report measured, CHUNK at a time by id: (records, tally, repeats)."""
    ids = report.model._default_manager.order_by("pk").values_list("pk", flat=True)
    last = None
    while True:
        chunk = list((ids if last is None else ids.filter(pk__gt=last))[:CHUNK])
        if not chunk:
            return
        last = chunk[-1]
        records = report.model._default_manager.filter(pk__gte=chunk[0], pk__lte=last)
        measured = measure(report, records)
        tally: Counter = Counter()
        repeats: Counter = Counter()
        for record in measured.values():
            _count(tally, repeats, report.key, record, +1)
        yield measured, tally, repeats


@transaction.atomic
def rebuild(report: Report, progress: Callable[[int], None] | None = None) -> int:
    """Count the report's tallies afresh from all its records, and mark them built. Returns the
    records counted; `progress` hears the count after each chunk.

    On PostgreSQL the records' rows are locked first (EXCLUSIVE: readers go on, a refresh waits):
    a change committed before the lock is in the count, one not committed yet refreshes its
    record after this commits, against the rows written here."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (TalliedRecord, FigureTally, FigureRepeat):
                cursor.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")
    for model in (TalliedRecord, FigureTally, FigureRepeat):
        model._default_manager.filter(report=report.key).delete()
    tally: Counter = Counter()
    repeats: Counter = Counter()
    counted = 0
    for measured, chunk_tally, chunk_repeats in _afresh(report):
        TalliedRecord.objects.bulk_create(
            TalliedRecord(
                report=report.key,
                record_id=pk,
                office_path=record.office_path,
                is_classified=record.is_classified,
                months=record.months,
            )
            for pk, record in measured.items()
        )
        tally.update(chunk_tally)
        repeats.update(chunk_repeats)
        counted += len(measured)
        if progress is not None:
            progress(counted)
    for table, counts in ((TALLY, tally), (REPEATS, repeats)):
        table.model._default_manager.bulk_create(
            (
                table.model(**dict(zip(table.key, key, strict=True)), n=n)
                for key, n in counts.items()
            ),
            batch_size=CHUNK,
        )
    TalliesBuilt.objects.update_or_create(report=report.key)
    return counted


def differences(report: Report) -> dict[str, dict[tuple, tuple[int, int]]]:
    """Where the report's tallies and a count afresh of its records differ: {table: {key: (kept,
    counted)}}; empty when they agree (the tests; `rebuild_report_tallies --check`)."""
    tally: Counter = Counter()
    repeats: Counter = Counter()
    for _measured, chunk_tally, chunk_repeats in _afresh(report):
        tally.update(chunk_tally)
        repeats.update(chunk_repeats)
    found = {}
    for table, counted in ((TALLY, tally), (REPEATS, repeats)):
        rows = table.model._default_manager.filter(report=report.key).values_list(*table.key, "n")
        wrong = mismatches(rows, counted)
        if wrong:
            found[table.model._meta.db_table] = wrong
    return found


# --- Reading them --------------------------------------------------------------------------------


def reading(report: Report, reader: Reader, office: Office, periods: Sequence[Period]) -> Q | None:
    """The tally rows that give what counting the records would for `reader` (module docstring):
    all of them, or the unclassified ones for a reader not cleared to see classified records (as
    prosecution/offices/access.py visible_to scopes the records); None where the tallies cannot
    answer."""
    if not report.tallied_by or not all(period.whole_months for period in periods):
        return None
    if isinstance(reader, OfficeScope):
        scope, cleared = reader.office.path, False  # what it builds is read by everyone
    else:
        profile = staff_profile(reader)
        if profile is None:
            return None
        scope, cleared = profile.office.path, profile.clearance_valid()
    if not office.path.startswith(scope):
        return None
    if not TalliesBuilt.objects.filter(report=report.key).exists():
        return None
    return Q() if cleared or not is_classifiable(report.model) else Q(is_classified=False)


def counts(
    report: Report,
    office: Office,
    figures: Sequence[Figure],
    periods: Sequence[Period],
    rows: Q,
) -> Cells:
    """The figures in the periods from the tally `rows` (reading): the months' counts, less the
    repeats."""
    keys = [figure.key for figure in figures]
    start = min(period.start for period in periods)
    end = max(period.end for period in periods)
    scope = rows & Q(report=report.key, office_path__startswith=office.path, figure__in=keys)
    months = _summed(
        FigureTally.objects.filter(scope, month__range=(start, end)),
        lambda period: Q(month__range=period.range),
        periods,
    )
    # The repeats within a period: both months in it.
    repeats = _summed(
        FigureRepeat.objects.filter(scope, first__gte=start, second__lte=end),
        lambda period: Q(first__gte=period.start, second__lte=period.end),
        periods,
    )
    counted = {(key, period.code): 0 for key in keys for period in periods}
    for sign, sums in ((1, months), (-1, repeats)):
        for row in sums.order_by():
            for i, period in enumerate(periods):
                counted[row["figure"], period.code] += sign * row[f"p{i}"]
    return counted


def _summed(rows: QuerySet, within: Callable[[Period], Q], periods: Sequence[Period]) -> QuerySet:
    """The rows' counts summed by figure, one sum per period (`p0`, `p1`, ...)."""
    sums = {f"p{i}": Sum("n", filter=within(period), default=0) for i, period in enumerate(periods)}
    return rows.values("figure").annotate(**sums)
