"""The geometry of a report's monthly chart (legal_statistics/trend_chart.py): the scale, the
round grid, no bar for a month still to come, and an empty year."""

from legal_statistics.charts import grid_step
from legal_statistics.reports.figures import Figure
from legal_statistics.reports.trends import MonthPoint, Series
from legal_statistics.trend_chart import GRID_LINES, month_chart

FIGURE = Figure("received", "Received", lambda records, period: records)


def _series(current, before, year=2026) -> Series:
    points = [
        MonthPoint(m, c, b, f"{year}-{m:02d}", f"{year - 1}-{m:02d}")
        for m, c, b in zip(range(1, 13), current, before, strict=True)
    ]
    return Series(FIGURE, year, points)


def test_the_grid_steps_are_round_and_four_of_them_reach_the_tallest_bar():
    assert [grid_step(n) for n in (0, 1, 4, 5, 8, 9, 20, 21, 199, 201, 4001)] == [
        1, 1, 1, 2, 2, 5, 5, 10, 50, 100, 2000,
    ]  # fmt: skip


def test_bars_are_scaled_to_the_top_of_the_grid_and_stand_on_the_baseline():
    chart = month_chart(_series([10] * 12, [20] * 12))
    step = grid_step(20)
    assert chart.grid[-1].value == GRID_LINES * step == 20
    plot = chart.baseline - chart.top
    for bar in chart.bars:
        assert bar.y + bar.height == chart.baseline
        assert bar.height == round(plot * bar.value / 20)
    tallest = max(chart.bars, key=lambda bar: bar.value)
    assert tallest.y == chart.grid[-1].y  # the grid's top line is the tallest bar's top
    assert [line.value for line in chart.grid] == [0, 5, 10, 15, 20]


def test_each_month_has_the_year_before_then_this_year_inside_its_slot():
    chart = month_chart(_series(list(range(1, 13)), list(range(12, 0, -1))))
    assert len(chart.bars) == 24 and len(chart.months) == 12
    for i, tick in enumerate(chart.months):
        before, current = chart.bars[2 * i], chart.bars[2 * i + 1]
        assert (before.current, current.current) == (False, True)
        assert before.month == current.month == tick.month == i + 1
        assert before.x + before.width < current.x  # side by side, before first
        assert before.x < tick.x < current.x + current.width  # around the month's label
        assert (before.period, current.period) == (f"2025-{i + 1:02d}", f"2026-{i + 1:02d}")
    assert chart.bars[-1].x + chart.bars[-1].width <= chart.right


def test_months_still_to_come_have_no_bar_but_a_month_with_nothing_has_one_of_height_0():
    current = [3, 0, 5, None, None, None, None, None, None, None, None, None]
    chart = month_chart(_series(current, [1] * 12))
    this_year = [bar for bar in chart.bars if bar.current]
    assert [bar.month for bar in this_year] == [1, 2, 3]
    february = this_year[1]
    assert (february.value, february.height, february.y) == (0, 0, chart.baseline)
    assert len([bar for bar in chart.bars if not bar.current]) == 12


def test_an_empty_year_draws_a_grid_and_bars_of_height_0():
    chart = month_chart(_series([0] * 12, [0] * 12))
    assert chart.maximum == 0
    assert [line.value for line in chart.grid] == [0, 1, 2, 3, 4]
    assert all(bar.height == 0 for bar in chart.bars) and len(chart.bars) == 24


def test_a_year_all_to_come_draws_only_the_year_before():
    chart = month_chart(_series([None] * 12, [7] * 12))
    assert all(not bar.current for bar in chart.bars) and len(chart.bars) == 12
    assert chart.maximum == 7
