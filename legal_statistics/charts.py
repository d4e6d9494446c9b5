"""The geometry of the trend chart, computed here so that the template draws an inline SVG with
plain attributes: the Content Security Policy forbids scripts and inline styles, and the intranet
has no chart library to fetch."""

from __future__ import annotations

from dataclasses import dataclass

from legal_statistics.selectors import WeekCount

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 20, 40  # margins for the axis labels


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label_x: int  # centre of the bar
    value: int
    week: WeekCount


@dataclass(frozen=True)
class GridLine:
    y: int
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: int
    left: int
    right: int
    bars: list[Bar]
    grid: list[GridLine]
    maximum: int


def grid_step(maximum: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50 ...) such that four steps reach the largest bar."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if 4 * step >= maximum:
                return step
        magnitude *= 10


def trend_chart(weeks: list[WeekCount]) -> Chart:
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    maximum = max((w.missed for w in weeks), default=0)
    step = grid_step(maximum)
    top = 4 * step
    slot = plot_width // max(len(weeks), 1)
    bar_width = max(slot * 3 // 5, 1)
    baseline = TOP + plot_height
    bars = []
    for i, week in enumerate(weeks):
        height = round(plot_height * week.missed / top)
        x = LEFT + i * slot + (slot - bar_width) // 2
        bars.append(
            Bar(x, baseline - height, bar_width, height, x + bar_width // 2, week.missed, week)
        )
    grid = [GridLine(baseline - round(plot_height * i / 4), step * i) for i in range(5)]
    return Chart(WIDTH, HEIGHT, baseline, LEFT, WIDTH - RIGHT, bars, grid, maximum)
