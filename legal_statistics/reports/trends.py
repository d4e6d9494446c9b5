"""The trend of a report's main figures by month, a year against the year before (issue 17:
"the trend of each report's main figures by month, this year against last").

The main figures of each report are named here rather than on the Report (figures.py is the
counting seam, changed in one place by whoever makes it fast): a report without an entry shows
its first figures. All 24 months of all main figures are counted by ONE call of Report.counts,
so the chart costs what the counting seam costs, however it is made fast.

A month of the year that has not begun yet has no count (None), not a zero: nothing has
happened in it, and a zero would draw a fall that did not happen. The month under way counts
(its figure so far).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.functional import Promise

from legal_statistics.reports import periods
from legal_statistics.reports.figures import Figure, Report
from prosecution.models import Office
from prosecution.offices.access import Viewer

# The figures a head reads first in each report, in the order the charts are drawn.
MAIN: dict[str, tuple[str, ...]] = {
    "appeals": ("received", "in-time", "late"),
    "checks": ("registered", "completed", "violations"),
    "acts": ("brought", "satisfied", "rejected"),
    "receptions": ("days", "received", "appeals"),
}
DEFAULT_MAIN = 3  # a report not in MAIN (or whose keys moved) shows this many of its figures

MONTHS = range(1, 13)


@dataclass(frozen=True)
class MonthPoint:
    month: int  # 1..12
    current: int | None  # None: the month has not begun
    before: int | None  # None only when the year before is itself still to come
    current_period: str  # the month's code, e.g. "2026-03": the figure's list of that month
    before_period: str

    @property
    def month_name(self) -> str | Promise:
        return MONTH_NAMES[self.month]  # in the reader's language (Django's own catalogue)


@dataclass(frozen=True)
class Series:
    figure: Figure
    year: int
    points: list[MonthPoint]

    @property
    def current_total(self) -> int:
        return sum(point.current or 0 for point in self.points)

    @property
    def before_total(self) -> int:
        return sum(point.before or 0 for point in self.points)


def main_figures(report: Report) -> list[Figure]:
    """The report's main figures (MAIN), in MAIN's order; keys the report lacks are skipped, and
    with none left, its first DEFAULT_MAIN figures."""
    keys = {figure.key for figure in report.figures}
    chosen = [report.figure(key) for key in MAIN.get(report.key, ()) if key in keys]
    return chosen or list(report.figures[:DEFAULT_MAIN])


def month_code(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def month_periods(year: int) -> list[periods.Period]:
    """The 12 months of `year` and the 12 of the year before."""
    return [periods.parse(month_code(y, m)) for y in (year, year - 1) for m in MONTHS]


def year_trend(
    report: Report,
    user: Viewer,
    office: Office,
    year: int,
    *,
    today: date,
    figures: Sequence[Figure] | None = None,
) -> list[Series]:
    """One series per main figure (or per `figures`): each month of `year` beside the same month
    of the year before, counted in one call of Report.counts. Months of `year` after today's
    month are None (they have not begun), and so are the year before's when `year` is still to
    come."""
    shown = list(figures) if figures is not None else main_figures(report)
    counts = report.counts(user, office, shown, month_periods(year))
    series = []
    for figure in shown:
        points = []
        for month in MONTHS:
            current, before = month_code(year, month), month_code(year - 1, month)
            points.append(
                MonthPoint(
                    month,
                    counts[figure.key, current] if date(year, month, 1) <= today else None,
                    counts[figure.key, before] if date(year - 1, month, 1) <= today else None,
                    current,
                    before,
                )
            )
        series.append(Series(figure, year, points))
    return series
