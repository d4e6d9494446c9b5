"""Slots of appointment schedules (appeals/reception/slots.py): the working-day calendar, the
office's hours, recurrences, and the booking window. docs/sources.md, seed 002 / docs/rules.md
"Personal reception"."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from appeals.models import Booking, BookingState, OfficeHours, Recurrence
from appeals.reception import slots
from prosecution.models import CalendarDay, CalendarDayKind
from tests.reception_helpers import MONDAY, appointment, hold, leader

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def starts(slot_list) -> list[str]:
    return [timezone.localtime(s.starts_at).strftime("%d.%m %H:%M") for s in slot_list]


@pytest.fixture
def head(cast):
    return leader(cast.region, "akmola_head")


def test_a_day_is_cut_into_slots_of_the_schedule(head):
    schedule = appointment(head)
    day = slots.day_slots(schedule, date(2026, 11, 3), slots.hours_of(schedule.office))
    assert starts(day) == [f"03.11 {t}" for t in ("10:00", "10:20", "10:40", "11:00", "11:20")] + [
        "03.11 11:40"
    ]


def test_no_slots_on_a_holiday(head):
    """docs/rules.md: slots respect the working-day calendar. 16 December 2026 (Independence Day) is
    a Wednesday off."""
    schedule = appointment(head, starts_on=date(2026, 12, 14))
    assert not slots.applies_on(schedule, date(2026, 12, 16))
    assert slots.applies_on(schedule, date(2026, 12, 15))


def test_a_saturday_made_a_working_day_has_slots_if_the_schedule_names_saturdays(head):
    """Working Saturdays (a transfer of a day off) are working days of the calendar."""
    CalendarDay.objects.create(
        date=date(2026, 11, 7),
        kind=CalendarDayKind.WORKING_DAY,
        name_kk="Жұмыс күні",
        name_ru="Рабочий день",
        name_en="Working day",
    )
    every_working_day = appointment(head, weekdays=slots.ALL_WEEKDAYS)
    weekdays_only = appointment(leader(head.staff_profile.office, "other_head"))
    assert slots.applies_on(every_working_day, date(2026, 11, 7))
    assert not slots.applies_on(every_working_day, date(2026, 11, 14))  # an ordinary Saturday
    assert not slots.applies_on(weekdays_only, date(2026, 11, 7))


def test_slots_stay_inside_the_office_hours_and_outside_its_break(head):
    OfficeHours.objects.create(
        office=head.staff_profile.office,
        opens=time(9, 0),
        closes=time(18, 0),
        break_starts=time(11, 0),
        break_ends=time(11, 30),
    )
    schedule = appointment(head)
    day = slots.day_slots(schedule, date(2026, 11, 3), slots.hours_of(schedule.office))
    assert starts(day) == ["03.11 10:00", "03.11 10:20", "03.11 10:40", "03.11 11:40"]


def test_the_default_hours_are_the_rules_0900_to_1830():
    """docs/sources.md, seed 002: reception staff receive daily from 9 am to 6.30 pm."""
    assert (slots.DEFAULT_HOURS.opens, slots.DEFAULT_HOURS.closes) == (time(9), time(18, 30))


def test_once_a_month_on_the_third_thursday_or_the_last_friday(head):
    third_thursday = appointment(
        head, weekdays=1 << 3, recurrence=Recurrence.MONTHLY, week_of_month=3
    )
    last_friday = appointment(
        leader(head.staff_profile.office, "head2"),
        weekdays=1 << 4,
        recurrence=Recurrence.MONTHLY,
        week_of_month=5,
    )
    days = slots.reception_days(third_thursday, date(2026, 11, 1), date(2027, 1, 31))
    assert days == [date(2026, 11, 19), date(2026, 12, 17), date(2027, 1, 21)]
    days = slots.reception_days(last_friday, date(2026, 11, 1), date(2026, 12, 31))
    assert days == [date(2026, 11, 27), date(2026, 12, 25)]


def test_every_other_week_counts_from_the_first_week(head):
    schedule = appointment(head, weekdays=1 << 1, interval_weeks=2)
    days = slots.reception_days(schedule, date(2026, 11, 1), date(2026, 11, 30))
    assert days == [date(2026, 11, 3), date(2026, 11, 17)]


def test_citizens_book_from_the_cut_off_up_to_the_horizon(head, settings):
    """Nothing sooner than RECEPTION_CUTOFF_HOURS ahead (08:00 + 2 h: from 10:00), nothing
    after RECEPTION_HORIZON_DAYS."""
    settings.RECEPTION_HORIZON_DAYS = 7
    schedule = appointment(head)
    free = slots.free_slots([schedule])
    assert starts(free)[0] == "02.11 10:00"
    assert timezone.localdate(free[-1].starts_at) == date(2026, 11, 9)
    with time_machine.travel("2026-11-02 09:30 +05:00", tick=False):
        assert starts(slots.free_slots([schedule]))[0] == "02.11 11:40"


def test_a_taken_slot_is_not_offered_and_an_expired_hold_frees_it(head):
    schedule = appointment(head)
    first = slots.free_slots([schedule])[0]
    held = hold(schedule, first)
    assert slots.free_slots([schedule])[0].starts_at == first.starts_at + timedelta(minutes=20)
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now())
    assert slots.free_slots([schedule])[0].starts_at == first.starts_at
    Booking.objects.filter(pk=held.pk).update(state=BookingState.CANCELLED)
    assert slots.free_slots([schedule])[0].starts_at == first.starts_at


def test_the_nearest_free_slots_surround_the_one_that_was_taken(head):
    schedule = appointment(head)
    wanted = slots.free_slots([schedule])[3]
    nearest = slots.nearest_free(head.pk, wanted.starts_at, count=4)
    assert wanted.starts_at in [s.starts_at for s in nearest]  # still free here
    hold(schedule, wanted)
    nearest = slots.nearest_free(head.pk, wanted.starts_at, count=4)
    assert starts(nearest) == ["02.11 10:20", "02.11 10:40", "02.11 11:20", "02.11 11:40"]


def test_a_slot_key_round_trips():
    moment = at(date(2026, 11, 3), 10, 20)
    assert slots.parse_key(timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")) == moment
    assert slots.parse_key("not a time") is None
