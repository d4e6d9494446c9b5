"""Figures and reports: "every figure is a door" (issue 17).

A Figure is a label and ONE condition (a Q for a period) on the report's records, which are
already in the user's scope (prosecution/offices/access.py visible_to). The figure's list is the
records that meet the condition; the figure is the same condition counted in an aggregate
(`COUNT(*) FILTER (WHERE …)`), every figure of a report and both periods in one query. So the
list's length equals the figure by construction: there is no second, hand-written count to drift
from the list. Figures that count events count the distinct records the events belong to (the
condition is `pk IN (events' records)`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise

from legal_statistics.reports.periods import Period, change
from prosecution.models import Office, Term, TermState
from prosecution.offices.access import Viewer, visible_to

Where = Callable[[Period], Q]


def terms_met(model: type[Model], kinds: Sequence[str], *, in_time: bool) -> Where:
    """The records whose term of one of `kinds` was met in the period: on or before its due date
    (in time) or after it (late). The term engine stores both dates (prosecution/models/terms.py);
    a record counts once whatever the number of its terms."""

    def where(period: Period) -> Q:
        when = Q(met_on__lte=F("due_date")) if in_time else Q(met_on__gt=F("due_date"))
        met = Term.objects.filter(
            when,
            subject_type=ContentType.objects.get_for_model(model),
            kind__in=kinds,
            state=TermState.MET,
            met_on__range=period.range,
        )
        return Q(pk__in=met.values("subject_id"))

    return where


@dataclass(frozen=True)
class Value:
    """A number shown beside a figure's count that is not a count of records, and so not a door of
    its own: a measure of the figure's records (the average of their lengths, each record's own
    length shown in the list: `of`), or what the law requires of the period (a duty). The count
    beside it stays the door: the records the value is measured on, or held against."""

    label: str | Promise
    # The value for a period from the figure's records in it (a lazy queryset: a duty that does not
    # read them costs no query), the user, the office and the period.
    compute: Callable[[QuerySet, Viewer, Office, Period], float | None]
    of: Callable[[Any], float | None] | None = None  # one record's own value, for the list
    related: Sequence[str | Prefetch] = ()  # what `of` reads of a record: prefetched


def average(
    label: str | Promise, of: Callable[[Any], float], related: Sequence[str | Prefetch] = ()
) -> Value:
    """The mean of `of` over the figure's records (Report.records prefetches `related`), to one
    decimal; None when there are none."""

    def compute(records: QuerySet, user: Viewer, office: Office, period: Period) -> float | None:
        values = [of(record) for record in records]
        return round(sum(values) / len(values), 1) if values else None

    return Value(label, compute, of, related)


@dataclass(frozen=True)
class Figure:
    key: str  # the slug in /reports/<report>/<figure>/
    label: str | Promise
    where: Where
    section: str | Promise = ""
    article: str = ""  # where the figure is a statutory term, e.g. "Art. 24(3)"
    value: Value | None = None  # shown beside the count (see Value); the count stays the door


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

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise Http404

    def base(self, user: Viewer, office: Office) -> QuerySet:
        """The report's records of `office` and everything below it that `user` may see."""
        queryset = visible_to(
            user, self.model._default_manager.all(), office_field=self.office_field
        )
        return queryset.filter(**{f"{self.office_field}__startswith": office.path})

    def records(self, figure: Figure, user: Viewer, office: Office, period: Period) -> QuerySet:
        """The records `figure` counts: the list behind the door, and the figure's count."""
        records = self.base(user, office).filter(figure.where(period))
        if figure.value is not None and figure.value.related:
            records = records.prefetch_related(*figure.value.related)
        return records

    def counts(
        self, user: Viewer, office: Office, figures: Sequence[Figure], periods: Sequence[Period]
    ) -> dict[tuple[str, str], int]:
        """How many records each of `figures` counts in each of `periods`, keyed by
        (figure.key, period.code): the one door every table, chart and PDF counts through, so
        that the way the figures are counted can change in one place."""
        cells = [(figure, period) for figure in figures for period in periods]
        if not cells:
            return {}
        counted = self.base(user, office).aggregate(
            **{
                f"c{i}": Count("pk", filter=figure.where(period))
                for i, (figure, period) in enumerate(cells)
            }
        )
        return {
            (figure.key, period.code): counted[f"c{i}"] for i, (figure, period) in enumerate(cells)
        }

    def rows(self, user: Viewer, office: Office, period: Period) -> list[Row]:
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
        self, figure: Figure, user: Viewer, office: Office, periods: Sequence[Period]
    ) -> list[float | None]:
        """The figure's Value in each of `periods` (None for a figure without one)."""
        value = figure.value
        if value is None:
            return [None for _period in periods]
        return [
            value.compute(self.records(figure, user, office, period), user, office, period)
            for period in periods
        ]
