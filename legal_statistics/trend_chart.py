"""The geometry of a report's monthly trend chart (reports/trends.py): for each month a pair of
bars, the year before and this year, so that the template draws an inline SVG with plain
attributes (the Content Security Policy forbids scripts and inline styles; the intranet has no
chart library to fetch), as charts.py does for the dashboard's weeks.

A month that has not begun has no bar at all (not a bar of height 0): nothing happened in it.
A month that has begun with nothing in it has a bar of height 0 with its value written above
it, so that the reader tells "none" from "not yet"."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.dates import MONTHS, MONTHS_AP
from django.utils.functional import Promise

from legal_statistics.charts import grid_step
from legal_statistics.reports.trends import Series

WIDTH, HEIGHT = 660, 250
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 34, 36  # margins: the values' axis, the legend, the months
GRID_LINES = 4
BAR_GAP = 2  # between the two bars of a month


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label_x: int  # the bar's centre
    value: int
    month: int  # 1..12
    period: str  # the month's code, e.g. "2026-03": the figure's list of that month
    current: bool  # this year's bar (else the year before's)

    @property
    def month_name(self) -> str | Promise:
        return MONTHS[self.month]  # in the reader's language (Django's own catalogue)


@dataclass(frozen=True)
class GridLine:
    y: int
    value: int


@dataclass(frozen=True)
class MonthTick:
    x: int  # the centre of the month's slot
    month: int

    @property
    def label(self) -> str | Promise:
        return MONTHS_AP[self.month]  # "Jan.", "Янв.", "Қаң."


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    baseline: int
    bars: list[Bar]
    grid: list[GridLine]
    months: list[MonthTick]
    maximum: int


def month_chart(series: Series) -> MonthChart:
    """Twelve slots, one per month; in each the year before's bar, then this year's. The values'
    axis runs in GRID_LINES round steps (charts.grid_step) to at least the tallest bar."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    values = [
        value
        for point in series.points
        for value in (point.before, point.current)
        if value is not None
    ]
    maximum = max(values, default=0)
    step = grid_step(maximum)
    top = GRID_LINES * step
    slots = max(len(series.points), 1)
    slot = plot_width // slots
    bar_width = max((slot * 3 // 4 - BAR_GAP) // 2, 1)
    pair = 2 * bar_width + BAR_GAP
    baseline = TOP + plot_height
    bars, months = [], []
    for i, point in enumerate(series.points):
        left = LEFT + i * slot + (slot - pair) // 2
        months.append(MonthTick(LEFT + i * slot + slot // 2, point.month))
        for offset, value, period, current in (
            (0, point.before, point.before_period, False),
            (bar_width + BAR_GAP, point.current, point.current_period, True),
        ):
            if value is None:
                continue  # the month has not begun: no bar
            height = round(plot_height * value / top)
            x = left + offset
            bars.append(
                Bar(
                    x,
                    baseline - height,
                    bar_width,
                    height,
                    x + bar_width // 2,
                    value,
                    point.month,
                    period,
                    current,
                )
            )
    grid = [
        GridLine(baseline - round(plot_height * i / GRID_LINES), step * i)
        for i in range(GRID_LINES + 1)
    ]
    return MonthChart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, baseline, bars, grid, months, maximum
    )
