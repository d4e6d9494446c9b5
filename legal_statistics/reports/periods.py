"""The period of a report and the same period a year before (issue 17: "period against period").

A period is written the way it reads in the query string:
    2026        a year           2026-Q1   a quarter
    2026-03     a month          2026-01-10..2026-02-20   dates, both days included
The year before of 29 February is 28 February: a date that does not exist moves to the month's end.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATES = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """The period cannot be read; the message says what is expected, in the user's language."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    code: str

    def __str__(self) -> str:
        return self.code

    @property
    def range(self) -> tuple[date, date]:
        return (self.start, self.end)

    @property
    def whole_months(self) -> bool:
        """From a month's first day to a month's last (a month, a quarter, a year, or dates that
        happen to): what the reports' tallies count by (legal_statistics/reports/tallies.py)."""
        return self.start.day == 1 and (self.end + timedelta(days=1)).day == 1

    @property
    def moments(self) -> dict[str, datetime]:
        """The period as a lookup on a moment (`at__gte`, `at__lt`): from the first day's
        midnight to the midnight after the last day, in the office's time zone (settings
        TIME_ZONE), as `at__date__range` reads it, but open to an index, where the date of
        a moment in a zone is not."""
        zone = timezone.get_current_timezone()
        return {
            "gte": datetime.combine(self.start, time.min, zone),
            "lt": datetime.combine(self.end + timedelta(days=1), time.min, zone),
        }

    def year_before(self) -> Period:
        """The same period a year earlier: the same month, quarter or year, or the same dates."""
        start, end = _minus_year(self.start), _minus_year(self.end)
        if _YEAR.match(self.code):
            return Period(start, end, str(start.year))
        if m := _QUARTER.match(self.code):
            return Period(start, end, f"{start.year}-Q{m.group(2)}")
        if _MONTH.match(self.code):
            # The month's end, not the day: February of a leap year ends on the 29th.
            end = date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
            return Period(start, end, f"{start.year}-{start.month:02d}")
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def _minus_year(day: date) -> date:
    last = calendar.monthrange(day.year - 1, day.month)[1]
    return date(day.year - 1, day.month, min(day.day, last))


def parse(code: str) -> Period:
    """The period written as `code` (see the module's docstring); PeriodError otherwise."""
    code = code.strip()
    try:
        if m := _YEAR.match(code):
            year = int(m.group(1))
            return Period(date(year, 1, 1), date(year, 12, 31), code)
        if m := _QUARTER.match(code):
            year, quarter = int(m.group(1)), int(m.group(2))
            first = 3 * quarter - 2
            end = date(year, first + 2, calendar.monthrange(year, first + 2)[1])
            return Period(date(year, first, 1), end, f"{year}-Q{quarter}")
        if m := _MONTH.match(code):
            year, month = int(m.group(1)), int(m.group(2))
            end = date(year, month, calendar.monthrange(year, month)[1])
            return Period(date(year, month, 1), end, code)
        if m := _DATES.match(code):
            start, end = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
            if end < start:
                raise PeriodError(_("The period ends before it starts."))
            return Period(start, end, code)
    except ValueError as error:
        if isinstance(error, PeriodError):
            raise
        raise PeriodError(_("No such date in the period.")) from error
    raise PeriodError(_("Write the period as 2026, 2026-Q1, 2026-03 or 2026-01-10..2026-02-20."))


def current_month(today: date) -> Period:
    """The default period: the month so far is a month too (its end may be in the future)."""
    return parse(f"{today.year}-{today.month:02d}")


def change(current: float, base: float) -> float | None:
    """The change in per cent against the year before, one decimal; None when the base is 0
    (growth from nothing has no percentage)."""
    if base == 0:
        return None
    return round((current - base) * 100 / base, 1)
