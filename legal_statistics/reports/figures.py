"""Figures and reports: "every figure is a door" (issue 17).

A Figure is a label and ONE condition for a period (Figure.condition: its anchor in the period,
its facet, its own condition) on the report's records, which are already in the user's scope
(prosecution/offices/access.py visible_to). The figure's list is the records that meet the
condition; the figure is the same condition counted (grouped, or COUNT(…) FILTER), so the list's
length equals the figure by construction: there is no second, hand-written count to drift from
the list. Figures that count events or terms count the distinct records they belong to. How the
cells are grouped into queries so that a national report stays fast: Anchor.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Model, Prefetch, Q, QuerySet, When
from django.db.models import Value as Literal
from django.http import Http404
from django.utils.functional import Promise

from legal_statistics.reports import tallies
from legal_statistics.reports.periods import Period, change
from prosecution.models import Office, TermState
from prosecution.offices.access import Reader, visible_to

Where = Callable[[Period], Q]


@dataclass(frozen=True)
class Anchor:
    """The date a figure's condition ranges over: a column of the record ("received_on") or of
    its related rows ("events__at", "statutory_terms__met_on"); `moment` for a date and time.

    A report is counted one query per anchor: the query reads only the rows whose anchor falls
    in one of the periods asked (an index range, where one query for every figure read every
    record of the scope). Figures that are the anchor and equalities (a facet: "received, by
    channel") are counted by grouping those rows once by period and by the facets' fields;
    the others by COUNT(…) FILTER (WHERE <the figure's condition>), one per figure and period.
    Either way the figure's condition is the one its list is made of (Figure.condition).
    """

    path: str
    moment: bool = False

    @property
    def related(self) -> bool:
        """The anchor is on related rows: a record with two of them in a period counts once."""
        return "__" in self.path

    def within(self, period: Period) -> Q:
        if self.moment:
            return Q(**{f"{self.path}__{op}": value for op, value in period.moments.items()})
        return Q(**{f"{self.path}__range": period.range})


def terms_met(kinds: Sequence[str], *, in_time: bool) -> Where:
    """The records whose term of one of `kinds` was met in the period: on or before its due date
    (in time) or after it (late). The term engine stores both dates (prosecution/models/terms.py);
    a record counts once whatever the number of its terms. Through the record's
    `statutory_terms` (a generic relation to its terms): anchored on TERMS_MET."""

    def where(period: Period) -> Q:
        due = F("statutory_terms__due_date")
        when = (
            Q(statutory_terms__met_on__lte=due) if in_time else Q(statutory_terms__met_on__gt=due)
        )
        return when & Q(
            statutory_terms__kind__in=kinds,
            statutory_terms__state=TermState.MET,
            statutory_terms__met_on__range=period.range,
        )

    return where


TERMS_MET = Anchor("statutory_terms__met_on")


@dataclass(frozen=True)
class Value:
    """A number shown beside a figure's count that is not a count of records, and so not a door of
    its own: a measure of the figure's records (the average of their lengths, each record's own
    length shown in the list: `of`), or what the law requires of the period (a duty). The count
    beside it stays the door: the records the value is measured on, or held against."""

    label: str | Promise
    # The value for a period from the figure's records in it (a lazy queryset: a duty that does not
    # read them costs no query), the user, the office and the period.
    compute: Callable[[QuerySet, Reader, Office, Period], float | None]
    of: Callable[[Any], float | None] | None = None  # one record's own value, for the list
    related: Sequence[str | Prefetch] = ()  # what `of` reads of a record: prefetched


def average(
    label: str | Promise,
    of: Callable[[Any], float],
    related: Sequence[str | Prefetch] = (),
    over: Callable[[QuerySet], Iterable[float]] | None = None,
) -> Value:
    """The mean of `of` over the figure's records (Report.records prefetches `related`), to one
    decimal; None when there are none. `over` gives the same values for all the records at once,
    read as columns: the republic's year is tens of thousands of records, which as model
    instances cost seconds (bench/README.md)."""

    def compute(records: QuerySet, user: Reader, office: Office, period: Period) -> float | None:
        if over is not None:
            values = list(over(records.prefetch_related(None)))
        else:
            values = [of(record) for record in records]
        return round(sum(values) / len(values), 1) if values else None

    return Value(label, compute, of, related)


@dataclass(frozen=True)
class Figure:
    """A figure's records in a period: those whose `anchor` falls in the period, that have every
    equality of `facet` (field, value), and that meet `where` for the period; each part may be
    left out. An anchor on related rows and a facet on the same rows speak of one row: "an event
    of this kind in the period"."""

    key: str  # the slug in /reports/<report>/<figure>/
    label: str | Promise
    where: Where | None = None
    section: str | Promise = ""
    article: str = ""  # where the figure is a statutory term, e.g. "Art. 24(3)"
    anchor: Anchor | None = None  # None: counted over every record of the scope
    facet: tuple[tuple[str, Any], ...] = ()
    value: Value | None = None  # shown beside the count (see Value); the count stays the door

    def condition(self, period: Period) -> Q:
        condition = Q(**dict(self.facet))
        if self.anchor is not None:
            condition &= self.anchor.within(period)
        if self.where is not None:
            condition &= self.where(period)
        return condition

    @property
    def grouped(self) -> bool:
        """Counted by grouping (Anchor): an anchor and a facet, no condition of its own."""
        return self.anchor is not None and self.where is None


@dataclass(frozen=True)
class Row:
    figure: Figure
    current: int
    before: int
    value: float | None = None  # the figure's Value in the period, if it has one
    value_before: float | None = None

    @property
    def change(self) -> float | None:
        return change(self.current, self.before)

    @property
    def value_change(self) -> float | None:
        if self.value is None or self.value_before is None:
            return None
        return change(self.value, self.value_before)


@dataclass(frozen=True)
class Report:
    key: str
    title: str | Promise
    model: type[Model]
    figures: Sequence[Figure]
    record_url: Callable[[Any], str]
    office_field: str = "office_path"
    # People of the scope against a duty of the period, shown beside the figures (the receptions
    # report: each leader's reception days, seed 002-4); None for a report without one.
    leaders: Callable[[Reader, Office, Period], list] | None = None
    # The models whose changes change what it counts of a record (tallies.Source): a report that
    # names them is also counted ahead, by office and month (tallies.py), and read from there
    # where that gives what counting its records would.
    tallied_by: Sequence[tallies.Source] = ()
    # The field naming the person a record is of (the receptions' official), so that a figure's
    # list can be narrowed to one person: the doors of the leaders' table. "" for none.
    person_field: str = ""

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise Http404

    def base(self, user: Reader, office: Office) -> QuerySet:
        """The report's records of `office` and everything below it that `user` may see."""
        queryset = visible_to(
            user, self.model._default_manager.all(), office_field=self.office_field
        )
        return queryset.filter(**{f"{self.office_field}__startswith": office.path})

    def records(self, figure: Figure, user: Reader, office: Office, period: Period) -> QuerySet:
        """The records `figure` counts: the list behind the door, and the figure's count."""
        records = self.base(user, office)
        if figure.anchor is not None and figure.anchor.related:
            # Through a relation the condition is a join: each record once, however many of its
            # rows meet it.
            chosen = self.model._default_manager.filter(figure.condition(period))
            records = records.filter(pk__in=chosen.values("pk"))
        else:
            records = records.filter(figure.condition(period))
        if figure.value is not None and figure.value.related:
            records = records.prefetch_related(*figure.value.related)
        return records

    def counts(
        self, user: Reader, office: Office, figures: Sequence[Figure], periods: Sequence[Period]
    ) -> dict[tuple[str, str], int]:
        """How many records each of `figures` counts in each of `periods`, keyed by
        (figure.key, period.code): the one door every table, chart and PDF counts through.
        From the tallies where they answer (tallies.py: periods of whole months, a reader who
        sees the whole office); else one query per anchor, or two where an anchor has figures of
        both kinds (Anchor)."""
        rows = tallies.reading(self, user, office, periods)
        if rows is not None:
            return tallies.counts(self, office, figures, periods, rows)
        base = self.base(user, office)
        groups: dict[tuple[Anchor | None, bool, frozenset[str]], list[Figure]] = {}
        for figure in figures:
            # Through a relation, figures naming other related fields are counted apart (a
            # record with events of two kinds is in two groups, and a figure of one kind must
            # sum one of them); on the record's own columns one grouping serves them all.
            related = figure.anchor is not None and figure.anchor.related
            named = frozenset(name for name, _ in figure.facet if related and "__" in name)
            groups.setdefault((figure.anchor, figure.grouped, named), []).append(figure)
        counted: dict[tuple[str, str], int] = {}
        with _quick_plans():
            for (anchor, grouped, _named), members in groups.items():
                if grouped and anchor is not None and _apart(periods):
                    counted.update(_count_grouped(base, anchor, members, periods))
                else:
                    counted.update(_count_filtered(base, anchor, members, periods))
        return counted

    def rows(self, user: Reader, office: Office, period: Period) -> list[Row]:
        before = period.year_before()
        counts = self.counts(user, office, self.figures, (period, before))
        return [
            Row(
                figure,
                counts[figure.key, period.code],
                counts[figure.key, before.code],
                *self.values(figure, user, office, (period, before)),
            )
            for figure in self.figures
        ]

    def values(
        self, figure: Figure, user: Reader, office: Office, periods: Sequence[Period]
    ) -> list[float | None]:
        """The figure's Value in each of `periods` (None for a figure without one)."""
        value = figure.value
        if value is None:
            return [None for _period in periods]
        return [
            value.compute(self.records(figure, user, office, period), user, office, period)
            for period in periods
        ]


Cells = dict[tuple[str, str], int]


def _count_filtered(
    queryset: QuerySet, anchor: Anchor | None, figures: Sequence[Figure], periods: Sequence[Period]
) -> Cells:
    """COUNT(…) FILTER (WHERE <condition>) for each figure in each period, in one query."""
    cells = [(figure, period) for figure in figures for period in periods]
    if anchor is not None:
        # Only the rows some cell counts: the conditions' anchors give the database its ranges.
        queryset = queryset.filter(reduce(operator.or_, (f.condition(p) for f, p in cells)))
    distinct = anchor is not None and anchor.related
    values = queryset.aggregate(
        **{
            f"c{i}": Count("pk", distinct=distinct, filter=figure.condition(period))
            for i, (figure, period) in enumerate(cells)
        }
    )
    return {(f.key, p.code): values[f"c{i}"] for i, (f, p) in enumerate(cells)}


def _apart(periods: Sequence[Period]) -> bool:
    """Grouping sums groups, so each record must fall in one group per figure and period: the
    periods must not overlap. (Through a relation, the figures grouped together also name the
    same related fields, counts() sees to it: a record with an event of each of two kinds is in
    two groups, and a figure of one kind sums one of them.)"""
    spans = sorted(p.range for p in periods)
    return not any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(spans))


def _count_grouped(
    queryset: QuerySet, anchor: Anchor, figures: Sequence[Figure], periods: Sequence[Period]
) -> Cells:
    """The anchor's rows grouped once by period and by every facet's field; each figure sums
    the groups of its period that have its facet."""
    fields = sorted({name for figure in figures for name, _ in figure.facet})
    # Only the rows some figure counts: in a period, and (unless a figure counts them all) with
    # one of the facets, which through a relation is the related rows' kinds.
    # One filter(): through a relation, two would each join the related rows of their own.
    rows = reduce(operator.or_, (anchor.within(p) for p in periods))
    if all(figure.facet for figure in figures):
        rows &= reduce(operator.or_, (Q(**dict(f.facet)) for f in figures))
    queryset = queryset.filter(rows)
    period_of = Case(
        *(When(anchor.within(p), then=Literal(i)) for i, p in enumerate(periods)),
        output_field=IntegerField(),
    )
    groups = (
        queryset.annotate(_period=period_of)
        .values("_period", *fields)
        .annotate(_n=Count("pk", distinct=anchor.related))
        .order_by()
    )
    counted = {(f.key, p.code): 0 for f in figures for p in periods}
    for group in groups:
        period = periods[group["_period"]]
        for figure in figures:
            if all(group[name] == value for name, value in figure.facet):
                counted[figure.key, period.code] += group["_n"]
    return counted


@contextlib.contextmanager
def _quick_plans() -> Iterator[None]:
    """Two settings of PostgreSQL for a report's statements, for their transaction only
    (bench/bench_reports.py has the figures, at a million appeals):
    - JIT off: it compiled the many-aggregate statements for 0.5 s of their 1.6 s;
    - work_mem 64 MB: the planner, who cannot know that a report's groups are a few hundred
      (channels by kinds by languages by grounds), expects a hundred thousand, and with the
      default 4 MB sorts them on disk instead of hashing them in memory."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        yield
