"""Periods of the reports (legal_statistics/reports/periods.py): month, quarter, year, dates, the
same period a year before and the change in per cent."""

from datetime import date

import pytest

from legal_statistics.reports import periods


def test_a_month_runs_from_its_first_to_its_last_day():
    period = periods.parse("2026-02")
    assert period.range == (date(2026, 2, 1), date(2026, 2, 28))
    assert period.year_before().range == (date(2025, 2, 1), date(2025, 2, 28))


def test_february_of_a_leap_year_and_its_year_before():
    period = periods.parse("2028-02")
    assert period.end == date(2028, 2, 29)
    assert periods.parse("2029-02").year_before().range == (date(2028, 2, 1), date(2028, 2, 29))


def test_a_quarter_and_a_year():
    assert periods.parse("2026-Q2").range == (date(2026, 4, 1), date(2026, 6, 30))
    assert periods.parse("2026-q4").code == "2026-Q4"
    assert periods.parse("2026").range == (date(2026, 1, 1), date(2026, 12, 31))
    assert periods.parse("2026-Q1").year_before().code == "2025-Q1"
    assert periods.parse("2026").year_before().range == (date(2025, 1, 1), date(2025, 12, 31))


def test_dates_and_a_leap_day_a_year_before():
    period = periods.parse("2028-01-15..2028-02-29")
    assert period.range == (date(2028, 1, 15), date(2028, 2, 29))
    # 29 February 2027 does not exist: the year before ends on the 28th.
    assert period.year_before().range == (date(2027, 1, 15), date(2027, 2, 28))
    assert period.year_before().code == "2027-01-15..2027-02-28"


@pytest.mark.parametrize(
    "code", ["", "26", "2026-13", "2026-Q5", "2026-02-30..2026-03-01", "2026-03-02..2026-03-01"]
)
def test_nonsense_is_refused(code):
    with pytest.raises(periods.PeriodError):
        periods.parse(code)


def test_the_change_in_per_cent_and_none_from_zero():
    assert periods.change(88, 100) == -12.0
    assert periods.change(126, 100) == 26.0
    assert periods.change(1, 3) == -66.7
    assert periods.change(5, 0) is None
    assert periods.change(0, 0) is None
