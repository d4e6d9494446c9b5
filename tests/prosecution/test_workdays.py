"""The working-day calendar of Kazakhstan (prosecution/workdays.py) against the official calendars.

Sources cited below:
- docs/rules.md, section "How terms are counted";
- Law "On holidays in the Republic of Kazakhstan" Art. 1 (the holidays) and Art. 5 (a holiday on a
  weekend moves to the next working day);
- Labour Code Art. 84(5) (Orthodox Christmas and Kurban Ait are not moved from a weekend) and
  Art. 85(3) (transfer of days off: the Ministry of Labour's order for 2025 made Sun 5 Jan a working
  day and Fri 3 Jan a day off);
- the official production calendars for 2025 and 2026 (lists in OFFICIAL_* below);
- the Constitution adopted by referendum on 15 Mar 2026: Constitution Day moves from 30 Aug to
  15 Mar from 2027, so 31 Aug 2026 is a working day;
- Civil Code, the rule on the end of terms (quoted in docs/rules.md): a calendar-day or month term
  whose last day is not a working day ends on the next working day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import translation

from prosecution import workdays
from prosecution.models import CalendarDay, CalendarDayKind
from prosecution.seed.calendar import SOURCE_MOVED, SOURCE_RELIGIOUS, SOURCE_TRANSFER
from prosecution.workdays import (
    add_calendar_days,
    add_months,
    add_working_days,
    explain,
    is_working_day,
    next_working_day_on_or_after,
    working_days_between,
)

pytestmark = pytest.mark.django_db

ONE_DAY = timedelta(days=1)

# Weekdays (Mon-Fri) that are days off, from the official production calendars.
OFFICIAL_WEEKDAYS_OFF = {
    2025: {
        date(2025, 1, 1),  # New Year
        date(2025, 1, 2),  # New Year
        date(2025, 1, 3),  # transferred from Sun 5 Jan (Labour Code Art. 85(3))
        date(2025, 1, 7),  # Orthodox Christmas
        date(2025, 3, 10),  # 8 Mar fell on Saturday (Law "On holidays" Art. 5)
        date(2025, 3, 21),  # Nauryz
        date(2025, 3, 24),  # Nauryz 22 Mar (Sat) moved
        date(2025, 3, 25),  # Nauryz 23 Mar (Sun) moved
        date(2025, 5, 1),  # Unity Day
        date(2025, 5, 7),  # Defender of the Fatherland Day
        date(2025, 5, 9),  # Victory Day
        date(2025, 6, 6),  # Kurban Ait (announced date)
        date(2025, 7, 7),  # Capital Day 6 Jul (Sun) moved
        date(2025, 9, 1),  # Constitution Day 30 Aug (Sat) moved
        date(2025, 10, 27),  # Republic Day 25 Oct (Sat) moved
        date(2025, 12, 16),  # Independence Day
    },
    2026: {
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 7),  # Orthodox Christmas
        date(2026, 3, 9),  # 8 Mar fell on Sunday
        date(2026, 3, 23),  # Nauryz (21-22 Mar are a weekend)
        date(2026, 3, 24),  # Nauryz 21 Mar (Sat) moved
        date(2026, 3, 25),  # Nauryz 22 Mar (Sun) moved
        date(2026, 5, 1),
        date(2026, 5, 7),
        date(2026, 5, 11),  # Victory Day 9 May (Sat) moved
        date(2026, 5, 27),  # Kurban Ait (announced date)
        date(2026, 7, 6),  # Capital Day
        date(2026, 10, 26),  # Republic Day 25 Oct (Sun) moved
        date(2026, 12, 16),  # Independence Day
    },
}
# Saturdays and Sundays made working days (Labour Code Art. 85(3)).
OFFICIAL_WORKED_WEEKEND_DAYS = {2025: {date(2025, 1, 5)}, 2026: set()}


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def _naive_add_working_days(start: date, n: int) -> date:
    """An independent reference: step one day at a time (docs/rules.md: day 0 is the event)."""
    day, remaining = start, n
    while remaining:
        day += ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


@pytest.fixture(autouse=True)
def _drop_calendar_after_test():
    """The calendar is cached per process and test transactions roll back: a day added in one test
    must not leak into the next."""
    yield
    workdays.invalidate()


# --- The seeded calendar is the official one ------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_days_off_and_worked_weekends_match_the_official_calendar(year):
    """Official production calendars 2025/2026; Law "On holidays" Art. 1, 5; Labour Code
    Art. 84(5), 85(3). Every day of the year whose status differs from the Mon-Fri week is
    listed."""
    differs = {
        d
        for d in _days(date(year, 1, 1), date(year, 12, 31))
        if is_working_day(d) != (d.weekday() < 5)
    }
    assert differs == OFFICIAL_WEEKDAYS_OFF[year] | OFFICIAL_WORKED_WEEKEND_DAYS[year]


@pytest.mark.parametrize("year", [2025, 2026])
def test_working_days_in_the_year_follow_from_the_official_lists(year):
    """Official production calendars: weekdays - weekday days off + worked weekend days."""
    weekdays = sum(d.weekday() < 5 for d in _days(date(year, 1, 1), date(year, 12, 31)))
    expected = weekdays - len(OFFICIAL_WEEKDAYS_OFF[year]) + len(OFFICIAL_WORKED_WEEKEND_DAYS[year])
    assert working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == expected


def test_constitution_day_2025_on_saturday_makes_monday_1_september_a_day_off():
    """Law "On holidays" Art. 5: 30 Aug 2025 (Sat) moves to Mon 1 Sep."""
    assert not is_working_day(date(2025, 8, 30))
    assert not is_working_day(date(2025, 9, 1))
    assert is_working_day(date(2025, 9, 2))


def test_constitution_day_is_no_longer_30_august_from_2026():
    """Constitution of 15 Mar 2026 (docs/rules.md): 31 Aug 2026 (Mon) is a working day; Constitution
    Day is 15 Mar from 2027."""
    assert is_working_day(date(2026, 8, 31))
    assert is_working_day(date(2027, 8, 30))  # a Monday, the old date (30 Aug) no longer off
    assert not is_working_day(date(2027, 3, 15))


def test_religious_days_off_on_a_weekend_are_not_moved():
    """Labour Code Art. 84(5): Orthodox Christmas (Sun 7 Jan 2024) and Kurban Ait (Sun 16 Jun
    2024) are not moved to the Monday."""
    assert is_working_day(date(2024, 1, 8))
    assert is_working_day(date(2024, 6, 17))


def test_sunday_5_january_2025_is_a_working_day_and_is_counted():
    """Labour Code Art. 85(3), Ministry of Labour order for 2025: Sun 5 Jan worked, Fri 3 Jan
    off."""
    assert is_working_day(date(2025, 1, 5))
    assert not is_working_day(date(2025, 1, 3))
    assert add_working_days(date(2025, 1, 4), 1) == date(2025, 1, 5)
    assert working_days_between(date(2025, 1, 3), date(2025, 1, 6)) == 2  # Sun 5 and Mon 6


# --- Working-day terms around every holiday of 2025 and 2026 --------------------------------------


@dataclass(frozen=True)
class Term:
    id: str
    event: date
    n: int
    due: date
    source: str


TERMS = [
    # 2024: the transfer docs/rules.md names (Sat 4 May worked, Wed 8 May off).
    Term("2024-may-transfer", date(2024, 4, 30), 3, date(2024, 5, 4), "Labour Code Art. 85(3)"),
    Term("2024-may-holidays", date(2024, 4, 30), 5, date(2024, 5, 10), "Law Art. 1; Art. 85(3)"),
    # 2025
    Term("2025-new-year-worked-sunday", date(2024, 12, 31), 1, date(2025, 1, 5), "Art. 85(3)"),
    Term("2025-new-year-christmas", date(2024, 12, 31), 3, date(2025, 1, 8), "Art. 84(5)"),
    Term("2025-8-march-on-saturday", date(2025, 3, 7), 1, date(2025, 3, 11), "Law Art. 5"),
    Term("2025-nauryz", date(2025, 3, 20), 1, date(2025, 3, 26), "Law Art. 1, 5"),
    Term("2025-may-holidays", date(2025, 4, 30), 5, date(2025, 5, 12), "Law Art. 1"),
    Term("2025-kurban-ait", date(2025, 6, 5), 1, date(2025, 6, 9), "Art. 84(5); 6 Jun announced"),
    Term("2025-capital-day-on-sunday", date(2025, 7, 4), 1, date(2025, 7, 8), "Law Art. 5"),
    Term("2025-constitution-day-on-sat", date(2025, 8, 29), 1, date(2025, 9, 2), "Law Art. 5"),
    Term("2025-republic-day-on-saturday", date(2025, 10, 24), 1, date(2025, 10, 28), "Law Art. 5"),
    Term("2025-independence-day", date(2025, 12, 15), 1, date(2025, 12, 17), "Law Art. 1"),
    # 2026
    Term("2026-new-year", date(2025, 12, 31), 1, date(2026, 1, 5), "Law Art. 1"),
    Term("2026-new-year-christmas", date(2025, 12, 31), 3, date(2026, 1, 8), "Art. 84(5)"),
    Term("2026-8-march-on-sunday", date(2026, 3, 6), 1, date(2026, 3, 10), "Law Art. 5"),
    Term("2026-nauryz-15-wd", date(2026, 3, 20), 15, date(2026, 4, 15), "Art. 24(3); Law Art. 5"),
    Term("2026-may-victory-on-sat", date(2026, 4, 30), 5, date(2026, 5, 12), "Law Art. 1, 5"),
    Term(
        "2026-kurban-ait", date(2026, 5, 26), 1, date(2026, 5, 28), "Art. 84(5); 27 May announced"
    ),
    Term("2026-capital-day", date(2026, 7, 3), 1, date(2026, 7, 7), "Law Art. 1"),
    Term("2026-no-constitution-day", date(2026, 8, 28), 1, date(2026, 8, 31), "Constitution 2026"),
    Term("2026-republic-day-on-sunday", date(2026, 10, 23), 1, date(2026, 10, 27), "Law Art. 5"),
    Term("2026-independence-day", date(2026, 12, 15), 1, date(2026, 12, 17), "Law Art. 1"),
]


@pytest.mark.parametrize("term", TERMS, ids=[t.id for t in TERMS])
def test_working_day_term_skips_the_official_days_off(term):
    """docs/rules.md "How terms are counted"; each row cites the article that makes its days off."""
    assert add_working_days(term.event, term.n) == term.due
    assert working_days_between(term.event, term.due) == term.n
    assert add_working_days(term.event, term.n) == _naive_add_working_days(term.event, term.n)


def test_15_working_days_from_20_march_2026_skip_nauryz():
    """Art. 24(3): an appeal is considered within 15 working days; Law "On holidays" Art. 1, 5:
    23 Mar and the moved 24, 25 Mar 2026 are days off. Counting weekends only would give 10 Apr."""
    due = add_working_days(date(2026, 3, 20), 15)
    assert due == date(2026, 4, 15)
    skipped = {d.date for d in explain(date(2026, 3, 20), 15).skipped}
    assert {date(2026, 3, 23), date(2026, 3, 24), date(2026, 3, 25)} <= skipped
    weekends_only = date(2026, 3, 20) + timedelta(weeks=3)  # 15 Mon-Fri days: Fri 10 Apr
    assert working_days_between(weekends_only, due) == 3  # the three Nauryz weekdays


# --- Day 0 ----------------------------------------------------------------------------------------


def test_day_of_the_event_is_day_0():
    """docs/rules.md: the day of the event is day 0; the term starts on the next day."""
    assert add_working_days(date(2025, 6, 2), 1) == date(2025, 6, 3)
    assert working_days_between(date(2025, 6, 2), date(2025, 6, 2)) == 0


@pytest.mark.parametrize(
    "event",
    [date(2025, 3, 21), date(2025, 3, 22), date(2025, 3, 23), date(2025, 3, 24), date(2025, 3, 25)],
    ids=["nauryz-fri", "nauryz-sat", "nauryz-sun", "observed-mon", "observed-tue"],
)
def test_event_on_a_day_off_makes_the_next_working_day_day_1(event):
    """docs/rules.md: if the event falls on a day off, the next working day is day 1 (Nauryz
    2025)."""
    assert add_working_days(event, 1) == date(2025, 3, 26)
    assert add_working_days(event, 2) == date(2025, 3, 27)


def test_event_on_a_worked_sunday_is_day_0_itself():
    """docs/rules.md day 0 + Labour Code Art. 85(3): Sun 5 Jan 2025 is a working day, so it is day 0
    and Mon 6 Jan is day 1."""
    assert add_working_days(date(2025, 1, 5), 1) == date(2025, 1, 6)


# --- Invariants over every start of 2025-2026 -----------------------------------------------------

ALL_STARTS = list(_days(date(2025, 1, 1), date(2026, 12, 31)))
TERM_LENGTHS = (1, 3, 10, 15, 20, 30)


def test_counting_back_the_days_added_gives_the_term():
    """workdays.working_days_between's contract: working_days_between(a, add_working_days(a, n))
    == n; the due date is a working day and equals a day-by-day count (docs/rules.md)."""
    for start in ALL_STARTS:
        for n in TERM_LENGTHS:
            due = add_working_days(start, n)
            assert working_days_between(start, due) == n, (start, n, due)
            assert is_working_day(due), (start, n, due)
            assert due == _naive_add_working_days(start, n), (start, n)


def test_counting_back_a_backward_term_gives_the_negative_term():
    """The same contract for n < 0 (reminders "3 working days before"), from days off too: from
    Sat 22 Mar 2025 one working day back is Thu 20 Mar, and that is -1 working day away."""
    assert working_days_between(date(2025, 3, 22), date(2025, 3, 20)) == -1
    for start in ALL_STARTS:
        for n in TERM_LENGTHS:
            assert working_days_between(start, add_working_days(start, -n)) == -n, (start, n)


def test_backward_then_forward_returns_to_the_first_working_day_on_or_after_the_start():
    """add_working_days(start, -n): the n-th working day before start; n working days later is start
    itself, or the next working day when start is a day off (docs/rules.md day 0 / day 1)."""
    for start in ALL_STARTS:
        for n in TERM_LENGTHS:
            before = add_working_days(start, -n)
            assert before < start and is_working_day(before), (start, n)
            assert add_working_days(before, n) == next_working_day_on_or_after(start), (start, n)


# --- Working days before a date (n < 0) -----------------------------------------------------------


def test_working_days_before_skip_days_off_and_count_the_worked_sunday():
    """Labour Code Art. 84(5) (7 Jan), Art. 85(3) (Sun 5 Jan 2025 worked)."""
    assert add_working_days(date(2025, 1, 8), -1) == date(2025, 1, 6)
    assert add_working_days(date(2025, 1, 8), -2) == date(2025, 1, 5)
    assert add_working_days(date(2025, 1, 8), -3) == date(2024, 12, 31)


def test_reminder_3_working_days_before_skips_nauryz():
    """Art. 36: the prosecutor is told at least 3 working days before; Nauryz 2026 (21-25 Mar) is
    skipped going backwards too."""
    assert add_working_days(date(2026, 3, 26), -3) == date(2026, 3, 18)


# --- Calendar-day and month terms -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2025, 3, 3), 10, date(2025, 3, 13)),  # ends on a working day: no move
        (date(2025, 3, 11), 10, date(2025, 3, 26)),  # 21 Mar Nauryz → 22-25 off → 26 Mar
        (date(2025, 8, 20), 10, date(2025, 9, 2)),  # 30 Aug (Sat) → 31 Sun, 1 Sep off → 2 Sep
        (date(2024, 12, 26), 10, date(2025, 1, 5)),  # 5 Jan 2025 is a worked Sunday: stays
        (date(2026, 12, 6), 10, date(2026, 12, 17)),  # Art. 33: protest, 16 Dec → 17 Dec
        (date(2026, 8, 20), 10, date(2026, 8, 31)),  # 30 Aug 2026 Sun → 31 Aug works (2026)
    ],
)
def test_calendar_day_term_ending_on_a_day_off_ends_on_the_next_working_day(start, n, due):
    """Civil Code rule on the end of terms (docs/rules.md); Art. 33: protest within 10 calendar
    days."""
    assert add_calendar_days(start, n) == due


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # no 31 Feb: last day, a Friday
        (date(2026, 1, 31), 1, date(2026, 3, 2)),  # 28 Feb 2026 is a Saturday → Mon 2 Mar
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 10, 31), 1, date(2025, 12, 1)),  # 30 Nov 2025 is a Sunday
        (date(2025, 12, 31), 2, date(2026, 3, 2)),  # Art. 24(4) two months: 28 Feb 2026 Sat
        (date(2025, 12, 22), 3, date(2026, 3, 26)),  # Art. 25(1) 3 months: 22 Mar Nauryz
        (date(2025, 12, 1), 1, date(2026, 1, 5)),  # 1 Jan 2026 → 2 Jan off, weekend → 5 Jan
        (date(2024, 12, 3), 1, date(2025, 1, 5)),  # 3 Jan 2025 off, Sat 4 → worked Sun 5 Jan
    ],
)
def test_month_term_ends_on_the_same_date_or_month_end_then_next_working_day(start, n, due):
    """docs/rules.md: a month term ends on the same date (or the month's last day), moved off a day
    off (Civil Code rule on the end of terms); Art. 24(4), 25(1)."""
    assert add_months(start, n) == due


# --- Explanations ---------------------------------------------------------------------------------


def test_explanation_lists_skipped_holidays_and_weekends_with_reasons():
    """docs/rules.md / Law "On holidays" Art. 1, 5: Nauryz 2025 and the moved days are named, with
    their source."""
    with translation.override("en"):
        result = explain(date(2025, 3, 20), 3)
    assert result.due == date(2025, 3, 28)
    reasons = {d.date: (d.reason, d.legal_source) for d in result.skipped}
    assert list(reasons) == [date(2025, 3, d) for d in (21, 22, 23, 24, 25)]
    assert all("Nowruz" in reason for reason, _ in reasons.values())
    assert reasons[date(2025, 3, 24)][1] == SOURCE_MOVED
    assert result.worked_weekend_days == []
    assert result.warnings == []


def test_explanation_names_plain_saturday_and_sunday():
    """docs/rules.md: Saturday and Sunday are days off unless made working."""
    with translation.override("en"):
        result = explain(date(2025, 4, 3), 3)
    assert result.due == date(2025, 4, 8)
    assert [(d.date, d.reason) for d in result.skipped] == [
        (date(2025, 4, 5), "Saturday"),
        (date(2025, 4, 6), "Sunday"),
    ]


def test_explanation_shows_the_transfer_and_the_worked_weekend_day():
    """Labour Code Art. 85(3): 3 Jan 2025 off (transferred), Sun 5 Jan worked; Art. 84(5): 7 Jan."""
    with translation.override("en"):
        result = explain(date(2024, 12, 31), 3)
    assert result.due == date(2025, 1, 8)
    skipped = {d.date: d for d in result.skipped}
    assert list(skipped) == [date(2025, 1, d) for d in (1, 2, 3, 4, 7)]
    assert skipped[date(2025, 1, 3)].legal_source == SOURCE_TRANSFER
    assert skipped[date(2025, 1, 4)].reason == "Saturday"
    assert skipped[date(2025, 1, 7)].legal_source == SOURCE_RELIGIOUS
    assert [d.date for d in result.worked_weekend_days] == [date(2025, 1, 5)]
    assert result.worked_weekend_days[0].legal_source == SOURCE_TRANSFER


def test_explanation_of_a_month_term_shows_the_nominal_end_and_the_move():
    """Art. 25(1) 3 months; Civil Code rule on the end of terms: 22 Mar 2026 (Sun, Nauryz) moves
    to 26 Mar."""
    with translation.override("en"):
        result = explain(date(2025, 12, 22), 3, "months")
    assert result.nominal_end == date(2026, 3, 22)
    assert result.due == date(2026, 3, 26)
    assert [d.date for d in result.skipped] == [date(2026, 3, d) for d in (22, 23, 24, 25)]
    assert all("Nowruz" in d.reason for d in result.skipped)
    assert explain(date(2025, 3, 3), 10, "calendar_days").nominal_end is None


def test_explanation_follows_the_active_language():
    """docs/style.md "Translations from the start": the reason is shown in the user's language,
    whatever language the process happened to load the calendar in."""
    with translation.override("ru"):
        ru = explain(date(2026, 3, 20), 3)
    with translation.override("en"):
        en = explain(date(2026, 3, 20), 3)
    day = date(2026, 3, 23)
    row = CalendarDay.objects.get(date=day)
    assert next(d.reason for d in ru.skipped if d.date == day) == row.name_ru
    assert next(d.reason for d in en.skipped if d.date == day) == row.name_en


def test_explanation_warns_when_the_term_skips_an_estimated_holiday():
    """CalendarDay.is_estimate: Kurban Ait is estimated until announced (docs/rules.md, Labour Code
    Art. 84(5)); a term that skips such a day may still change."""
    row = CalendarDay.objects.get(date=date(2026, 5, 27))
    row.is_estimate = True
    row.save()
    with translation.override("en"):
        skipping = explain(date(2026, 5, 26), 3)
        not_skipping = explain(date(2026, 6, 1), 3)
    assert [d.date for d in skipping.skipped if d.is_estimate] == [date(2026, 5, 27)]
    assert any("estimated" in w for w in skipping.warnings)
    assert not_skipping.warnings == []


def test_explanation_warns_when_the_term_leaves_the_covered_years():
    """docs/rules.md: the calendar is data per year; beyond the seeded years (2020-2030) only
    weekends are skipped and the explanation says so."""
    assert 2035 not in workdays.covered_years()
    with translation.override("en"):
        result = explain(date(2035, 3, 20), 3)
        crossing = explain(date(2030, 12, 27), 5)
        inside = explain(date(2030, 12, 2), 5)
    assert is_working_day(date(2035, 3, 21))  # Nauryz unknown for 2035: counted
    assert result.due == date(2035, 3, 23)
    assert result.skipped == []
    assert any("2035" in w for w in result.warnings)
    assert any("2031" in w and "2030" not in w for w in crossing.warnings)
    assert inside.warnings == []


# --- Beyond the precomputed years -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n"),
    [
        (date(2075, 12, 25), 10),  # leaves the precomputed array
        (date(2080, 1, 1), 10),  # starts beyond it
        (date(1994, 12, 20), 10),  # enters it from before
        (date(1995, 1, 10), -10),  # leaves it backwards
        (date(1995, 1, 1), -3),  # leaves it backwards from a Sunday
    ],
)
def test_terms_beyond_the_precomputed_years_count_weekends(start, n):
    """docs/rules.md: a working day is Mon-Fri unless the calendar says otherwise, in any year."""
    due = add_working_days(start, n)
    if n > 0:
        assert due == _naive_add_working_days(start, n)
    assert working_days_between(start, due) == n


# --- Editing the calendar -------------------------------------------------------------------------


def _day(day: date, kind: str, name: str = "Test day") -> CalendarDay:
    return CalendarDay.objects.create(
        date=day,
        kind=kind,
        name_kk=name,
        name_ru=name,
        name_en=name,
        legal_source="Labour Code Art. 85(3): test order",
    )


@pytest.fixture
def no_recheck(monkeypatch):
    """Only the post_save/post_delete signal may refresh the cache, not the periodic recheck."""
    monkeypatch.setattr(workdays, "RECHECK_SECONDS", 1e9)


def test_a_new_day_off_takes_effect_at_once_and_deleting_it_restores(no_recheck):
    """Labour Code Art. 85(3): an administrator records a transferred day off;
    prosecution/terms/receivers.py drops the cached calendar."""
    assert add_working_days(date(2026, 3, 31), 1) == date(2026, 4, 1)  # cached now
    row = _day(date(2026, 4, 1), CalendarDayKind.DAY_OFF, "Transferred day off")
    assert not is_working_day(date(2026, 4, 1))
    assert add_working_days(date(2026, 3, 31), 1) == date(2026, 4, 2)
    with translation.override("en"):
        assert [d.reason for d in explain(date(2026, 3, 31), 1).skipped] == ["Transferred day off"]
    row.delete()
    assert add_working_days(date(2026, 3, 31), 1) == date(2026, 4, 1)


def test_a_saturday_made_working_is_counted_at_once(no_recheck):
    """Labour Code Art. 85(3): a Saturday made a working day is counted."""
    assert add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 6)
    _day(date(2026, 4, 4), CalendarDayKind.WORKING_DAY)
    assert add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 4)
    assert working_days_between(date(2026, 4, 3), date(2026, 4, 6)) == 2


def test_moving_an_announced_holiday_takes_effect_at_once(no_recheck):
    """docs/rules.md: Kurban Ait's date is announced each year; the administrator edits the row."""
    assert not is_working_day(date(2026, 5, 27))
    row = CalendarDay.objects.get(date=date(2026, 5, 27))
    row.date = date(2026, 5, 26)
    row.save()
    assert is_working_day(date(2026, 5, 27))
    assert not is_working_day(date(2026, 5, 26))


def test_cached_calls_make_no_query_and_an_edit_without_signal_is_seen_on_recheck(
    monkeypatch, django_assert_num_queries
):
    """workdays.py: a call is never a query; an edit made by another process (no signal here:
    bulk_create) takes effect at the next recheck."""
    monkeypatch.setattr(workdays, "RECHECK_SECONDS", 1e9)
    is_working_day(date(2026, 4, 1))  # load
    with django_assert_num_queries(0):
        add_working_days(date(2026, 3, 31), 15)
        working_days_between(date(2026, 1, 1), date(2026, 12, 31))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=date(2026, 4, 1),
                kind=CalendarDayKind.DAY_OFF,
                name_kk="x",
                name_ru="x",
                name_en="x",
            )
        ]
    )
    assert is_working_day(date(2026, 4, 1))  # not rechecked yet
    monkeypatch.setattr(workdays, "RECHECK_SECONDS", 0.0)
    assert not is_working_day(date(2026, 4, 1))
