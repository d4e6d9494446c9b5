"""The working-day calendar of Kazakhstan: every statutory term in the system is counted here.

Rules (docs/rules.md, "How terms are counted"):
- the day of the event is day 0; a term starts on the next day; if the event falls on a day off,
  the next working day is day 1;
- a working day is Monday-Friday that is not a holiday or day off, plus a Saturday or Sunday made a
  working day by a transfer (Labour Code Art. 84-85; Law "On holidays" Art. 5);
- a term in calendar days or months whose last day is not a working day ends on the next working
  day (the Civil Code's rule on the end of terms); a month term ends on the same date of the last
  month, or that month's last day if it has no such date.

The exceptions to the Monday-Friday week are data (CalendarDay). They are loaded once per process
into a sorted array of working-day ordinals, so a call is a bisection (microseconds) and never a
query. The loaded calendar is checked against the table at most every RECHECK_SECONDS (one cheap
aggregate), and dropped at once when this process edits the calendar
(prosecution/terms/receivers.py), so an edit made anywhere takes effect everywhere within seconds.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import threading
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prosecution.models import CalendarDay

RECHECK_SECONDS = 2.0
# Days outside these years are counted by weekends only, and explanations say so.
_ARRAY_FIRST = date(1995, 1, 1)
_ARRAY_LAST = date(2075, 12, 31)


class TermUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


@dataclass(frozen=True)
class Exception_:
    """One row of the calendar, as the counting needs it."""

    date: date
    is_working: bool
    names: dict[str, str]  # language code (kk, ru, en) -> name
    legal_source: str
    is_estimate: bool

    @property
    def name(self) -> str:
        # Chosen per call, like CalendarDay.name: the calendar is loaded once per process, in
        # whatever language the first caller had, and must not freeze that language.
        return self.names.get((get_language() or "kk")[:2]) or self.names["kk"]

    @property
    def source(self) -> str:
        """The legal source in the reader's language: the seed's sources are in the catalogues
        (prosecution/seed/calendar.py); one an administrator typed is shown as typed."""
        return _(self.legal_source) if self.legal_source else ""


@dataclass
class _Loaded:
    version: tuple
    exceptions: dict[date, Exception_]
    covered_years: frozenset[int]
    working: list[int]  # sorted ordinals of working days between _ARRAY_FIRST and _ARRAY_LAST


_lock = threading.Lock()
_loaded: _Loaded | None = None
_checked_at = 0.0


def _db_version() -> tuple:
    agg = CalendarDay.objects.aggregate(n=Count("id"), ids=Sum("id"), changed=Max("updated_at"))
    return (agg["n"], agg["ids"], agg["changed"])


def _load() -> _Loaded:
    version = _db_version()
    exceptions = {
        row.date: Exception_(
            date=row.date,
            is_working=row.is_working,
            names={"kk": row.name_kk, "ru": row.name_ru, "en": row.name_en},
            legal_source=row.legal_source,
            is_estimate=row.is_estimate,
        )
        for row in CalendarDay.objects.all()
    }
    working = []
    day = _ARRAY_FIRST
    one = timedelta(days=1)
    while day <= _ARRAY_LAST:
        exc = exceptions.get(day)
        if exc.is_working if exc is not None else day.weekday() < 5:
            working.append(day.toordinal())
        day += one
    years = frozenset(d.year for d, e in exceptions.items() if not e.is_working)
    return _Loaded(version, exceptions, years, working)


def _calendar() -> _Loaded:
    global _loaded, _checked_at
    now = time.monotonic()
    loaded = _loaded
    if loaded is not None and now - _checked_at < RECHECK_SECONDS:
        return loaded
    with _lock:
        if _loaded is None or _db_version() != _loaded.version:
            _loaded = _load()
        _checked_at = time.monotonic()
        return _loaded


def invalidate() -> None:
    """Drop the loaded calendar; the next call reloads it. Called when the calendar changes."""
    global _loaded
    with _lock:
        _loaded = None


def covered_years() -> frozenset[int]:
    """Years for which the calendar holds holidays; terms beyond them count weekends only."""
    return _calendar().covered_years


def is_working_day(day: date) -> bool:
    exc = _calendar().exceptions.get(day)
    if exc is not None:
        return exc.is_working
    return day.weekday() < 5


def _in_array(day: date) -> bool:
    return _ARRAY_FIRST <= day <= _ARRAY_LAST


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (day 0). With n < 0, the |n|-th working day before it
    (for reminders "3 working days before the due date")."""
    if n == 0:
        return start
    cal = _calendar()
    working = cal.working
    ordinal = start.toordinal()
    if _in_array(start):
        index = (
            bisect_right(working, ordinal) + n - 1 if n > 0 else bisect_left(working, ordinal) + n
        )
        if 0 <= index < len(working):
            return date.fromordinal(working[index])
    return _add_working_days_slowly(start, n)


def _add_working_days_slowly(start: date, n: int) -> date:
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """The working days after `a` up to and including `b`; if b is before a, minus the working days
    from `b` up to but excluding `a` (the mirror of add_working_days counting back), so that
    working_days_between(a, add_working_days(a, n)) == n for n < 0 too, from a day off included."""
    if _in_array(a) and _in_array(b):
        working = _calendar().working
        if a <= b:
            return bisect_right(working, b.toordinal()) - bisect_right(working, a.toordinal())
        return bisect_left(working, b.toordinal()) - bisect_left(working, a.toordinal())
    one = timedelta(days=1)
    sign, first, last = (1, a + one, b) if a <= b else (-1, b, a - one)
    count, day = 0, first
    while day <= last:
        count += is_working_day(day)
        day += one
    return sign * count


def next_working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_calendar_days(start: date, n: int) -> date:
    """A term of n calendar days; if its last day is a day off it ends on the next working day."""
    return next_working_day_on_or_after(start + timedelta(days=n))


def _same_date_months_later(start: date, n: int) -> date:
    years, month0 = divmod(start.month - 1 + n, 12)
    year, month = start.year + years, month0 + 1
    return date(year, month, min(start.day, _stdlib_calendar.monthrange(year, month)[1]))


def add_months(start: date, n: int) -> date:
    """A term of n months ends on the same date of the last month (or its last day if it has no
    such date); if that is a day off, on the next working day."""
    return next_working_day_on_or_after(_same_date_months_later(start, n))


def due_date(start: date, n: int, unit: TermUnit | str) -> date:
    unit = TermUnit(unit)
    if unit is TermUnit.WORKING_DAYS:
        return add_working_days(start, n)
    if unit is TermUnit.CALENDAR_DAYS:
        return add_calendar_days(start, n)
    return add_months(start, n)


# --- "Why this date": the explanation shown next to every due date --------------------------------


@dataclass
class ExplainedDay:
    date: date
    reason: str
    legal_source: str = ""
    is_estimate: bool = False


@dataclass
class Explanation:
    start: date
    term: int
    unit: TermUnit
    due: date
    skipped: list[ExplainedDay] = field(default_factory=list)  # days off inside the term
    worked_weekend_days: list[ExplainedDay] = field(default_factory=list)  # counted weekends
    nominal_end: date | None = None  # calendar/month terms: the end before moving off a day off
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        def days(items: list[ExplainedDay]) -> list[dict]:
            return [
                {
                    "date": d.date.isoformat(),
                    "reason": d.reason,
                    "legal_source": d.legal_source,
                    "is_estimate": d.is_estimate,
                }
                for d in items
            ]

        return {
            "start": self.start.isoformat(),
            "term": self.term,
            "unit": str(self.unit),
            "due": self.due.isoformat(),
            "nominal_end": self.nominal_end.isoformat() if self.nominal_end else None,
            "skipped": days(self.skipped),
            "worked_weekend_days": days(self.worked_weekend_days),
            "warnings": self.warnings,
        }


def _why_day_off(day: date, cal: _Loaded) -> ExplainedDay:
    exc = cal.exceptions.get(day)
    if exc is not None:
        return ExplainedDay(day, exc.name, exc.source, exc.is_estimate)
    return ExplainedDay(day, _("Saturday") if day.weekday() == 5 else _("Sunday"))


def why_day_off(day: date) -> ExplainedDay | None:
    """Which day off `day` is (a holiday's name and source, or Saturday, Sunday), or None on a
    working day: a form that takes a date a prosecutor sets says it (docs/rules.md "How terms
    are counted")."""
    if is_working_day(day):
        return None
    return _why_day_off(day, _calendar())


def validate_working_day(day: date | None) -> None:
    """A validator for a date a prosecutor sets (a form's or a serializer's field): on a day off
    it says which day off it is."""
    if day is None:
        return
    off = why_day_off(day)
    if off is not None:
        raise ValidationError(
            _("%(day)s is a day off (%(why)s): choose a working day.")
            % {"day": date_format(day, "d.m.Y"), "why": off.reason},
            code="day_off",
        )


def explain(start: date, n: int, unit: TermUnit | str = TermUnit.WORKING_DAYS) -> Explanation:
    """The due date of a term and why: the days off skipped (with their legal source), the weekend
    days counted because they were made working days, and the move off a final day off."""
    unit = TermUnit(unit)
    cal = _calendar()
    due = due_date(start, n, unit)
    result = Explanation(start=start, term=n, unit=unit, due=due)
    if unit is not TermUnit.WORKING_DAYS:
        nominal = (
            start + timedelta(days=n)
            if unit is TermUnit.CALENDAR_DAYS
            else _same_date_months_later(start, n)
        )
        if nominal != due:
            result.nominal_end = nominal
            scan_from = nominal
        else:
            scan_from = due + timedelta(days=1)
    else:
        scan_from = start + timedelta(days=1)
    day = scan_from
    while day <= due:
        exc = cal.exceptions.get(day)
        if not is_working_day(day):
            result.skipped.append(_why_day_off(day, cal))
        elif exc is not None and exc.is_working:
            result.worked_weekend_days.append(
                ExplainedDay(day, exc.name, exc.source, exc.is_estimate)
            )
        day += timedelta(days=1)
    if any(d.is_estimate for d in result.skipped):
        result.warnings.append(
            _("The term skips a holiday whose date is only estimated; it may still change.")
        )
    missing = sorted({y for y in range(start.year, due.year + 1)} - cal.covered_years)
    if missing:
        result.warnings.append(
            _("The calendar has no holidays for %(years)s: only weekends were skipped.")
            % {"years": ", ".join(str(y) for y in missing)}
        )
    return result
