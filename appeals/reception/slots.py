"""Slots of appointment schedules: computed from the schedule, the working-day calendar and the
office's hours, never stored. A slot is "this official at this minute"; a booking takes it, and
the database keeps one booking per slot (Booking's `booking_one_per_slot`).

- A reception day is a working day of the calendar (prosecution/workdays.py): never a holiday or
  a day off, and a Saturday made a working day if the schedule names Saturdays.
- A day staff called off for the official (CancelledReceptionDay: illness, a trip) is no
  reception day of any of that official's schedules. The cancelled days are read once per call
  (one query for the whole range), never once per day.
- Slots lie inside the office's hours and outside its break.
- Citizens see slots from RECEPTION_CUTOFF_HOURS ahead (the same cut-off that ends moving and
  cancelling) up to RECEPTION_HORIZON_DAYS ahead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from appeals.models import (
    SLOT_HOLDING_STATES,
    Booking,
    BookingState,
    CancelledReceptionDay,
    OfficeHours,
    ReceptionKind,
    ReceptionSchedule,
    Recurrence,
)
from prosecution import workdays
from prosecution.lib import dates
from prosecution.models import Office

ALL_WEEKDAYS = 127  # Monday to Sunday: every working day, working Saturdays included
MONDAY_TO_FRIDAY = 31
LAST_WEEK_OF_MONTH = 5


@dataclass(frozen=True)
class Hours:
    opens: time
    closes: time
    break_starts: time | None = None
    break_ends: time | None = None


# docs/sources.md, seed 002: reception staff receive daily from 9 am to 6.30 pm; the break of state
# bodies.
DEFAULT_HOURS = Hours(time(9, 0), time(18, 30), time(13, 0), time(14, 30))


def hours_of(office: Office) -> Hours:
    row = OfficeHours.objects.filter(office=office).first()
    if row is None:
        return DEFAULT_HOURS
    return Hours(row.opens, row.closes, row.break_starts, row.break_ends)


@dataclass(frozen=True)
class Slot:
    schedule: ReceptionSchedule
    starts_at: datetime
    ends_at: datetime

    @property
    def key(self) -> str:
        """How a page or the API names the slot: its start, local time, to the minute."""
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%dT%H:%M")


def parse_key(value: str) -> datetime | None:
    """The start named by Slot.key (or any ISO datetime), aware; None if it is not one."""
    try:
        parsed = datetime.fromisoformat((value or "").strip())
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
        dates.PLANNED(parsed)  # year 1 in Almaty is no time in UTC (OverflowError)
    except (ValueError, OverflowError, ValidationError):
        return None
    return parsed.replace(second=0, microsecond=0)


def weekday_names(mask: int) -> list[int]:
    """The weekdays (0 = Monday) of a bit set."""
    return [day for day in range(7) if mask >> day & 1]


def cancelled_days(official_ids: Iterable[int], first: date, last: date) -> set[tuple[int, date]]:
    """(official id, day) of the reception days called off between `first` and `last`
    (reception_day_cancelled_once serves the read)."""
    rows = CancelledReceptionDay.objects.filter(
        official_id__in=list(official_ids), day__gte=first, day__lte=last
    ).values_list("official_id", "day")
    return set(rows)


def follows_pattern(schedule: ReceptionSchedule, day: date) -> bool:
    """Whether `day` is in the schedule's dates and recurrence, whatever the calendar says."""
    if day < schedule.starts_on or (schedule.ends_on is not None and day > schedule.ends_on):
        return False
    if not schedule.weekdays >> day.weekday() & 1:
        return False
    if schedule.recurrence == Recurrence.MONTHLY:
        if schedule.week_of_month == LAST_WEEK_OF_MONTH:
            return (day + timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == schedule.week_of_month
    if schedule.interval_weeks > 1:
        first_monday = schedule.starts_on - timedelta(days=schedule.starts_on.weekday())
        weeks = (day - timedelta(days=day.weekday()) - first_monday).days // 7
        return weeks % schedule.interval_weeks == 0
    return True


def applies_on(
    schedule: ReceptionSchedule, day: date, *, cancelled: set[tuple[int, date]] | None = None
) -> bool:
    """Whether the schedule has a reception on `day`. `cancelled` is the cancelled days already
    read by the caller (cancelled_days); without it, the one day is read (a query, only once
    every other test has passed)."""
    if not schedule.is_active or not follows_pattern(schedule, day):
        return False
    if not workdays.is_working_day(day):
        return False
    if cancelled is None:
        cancelled = cancelled_days([schedule.official_id], day, day)
    return (schedule.official_id, day) not in cancelled


def reception_days(
    schedule: ReceptionSchedule,
    first: date,
    last: date,
    *,
    cancelled: set[tuple[int, date]] | None = None,
) -> list[date]:
    if cancelled is None:
        cancelled = cancelled_days([schedule.official_id], first, last)
    days, day = [], first
    while day <= last:
        if applies_on(schedule, day, cancelled=cancelled):
            days.append(day)
        day += timedelta(days=1)
    return days


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_default_timezone())


def day_slots(schedule: ReceptionSchedule, day: date, hours: Hours) -> list[Slot]:
    """The slots of one reception day, inside the office's hours and outside its break."""
    if schedule.kind != ReceptionKind.APPOINTMENT or not schedule.slot_minutes:
        return []
    start = _aware(day, max(schedule.start_time, hours.opens))
    end = _aware(day, min(schedule.end_time, hours.closes))
    pause = (
        (_aware(day, hours.break_starts), _aware(day, hours.break_ends))
        if hours.break_starts and hours.break_ends
        else None
    )
    step = timedelta(minutes=schedule.slot_minutes)
    slots, moment = [], start
    while moment + step <= end:
        if pause is None or moment + step <= pause[0] or moment >= pause[1]:
            slots.append(Slot(schedule, moment, moment + step))
        moment += step
    return slots


def window(now: datetime | None = None) -> tuple[datetime, date]:
    """The earliest start a citizen may book and the last day offered."""
    now = now or timezone.now()
    earliest = now + timedelta(hours=settings.RECEPTION_CUTOFF_HOURS)
    return earliest, timezone.localdate(now) + timedelta(days=settings.RECEPTION_HORIZON_DAYS)


def taken_starts(
    official_ids: Iterable[int], first: datetime, last: datetime, now: datetime
) -> set[tuple[int, datetime]]:
    """(official id, start) of the slots held by a booking. A hold whose time ran out does not
    count: the next booking of the slot releases it (appeals/reception/booking.py)."""
    rows = (
        Booking.objects.filter(
            official_id__in=list(official_ids),
            starts_at__gte=first,
            starts_at__lte=last,
            walk_in=False,
            state__in=SLOT_HOLDING_STATES,
        )
        .exclude(state=BookingState.HELD, hold_expires_at__lte=now)
        .values_list("official_id", "starts_at")
    )
    return set(rows)


def is_free(slot: Slot, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    taken = taken_starts([slot.schedule.official_id], slot.starts_at, slot.starts_at, now)
    return not taken


def free_slots(
    schedules: Iterable[ReceptionSchedule],
    *,
    now: datetime | None = None,
    last: date | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """The free slots of the given appointment schedules that a citizen may book, in order."""
    now = now or timezone.now()
    earliest, horizon = window(now)
    last = min(last or horizon, horizon)
    schedules = [s for s in schedules if s.kind == ReceptionKind.APPOINTMENT and s.is_active]
    if not schedules:
        return []
    first = timezone.localdate(earliest)
    cancelled = cancelled_days({s.official_id for s in schedules}, first, last)
    hours: dict[int, Hours] = {}
    candidates: list[Slot] = []
    for schedule in schedules:
        if schedule.office_id not in hours:
            hours[schedule.office_id] = hours_of(schedule.office)
        for day in reception_days(schedule, first, last, cancelled=cancelled):
            candidates.extend(
                slot
                for slot in day_slots(schedule, day, hours[schedule.office_id])
                if slot.starts_at >= earliest
            )
    if not candidates:
        return []
    candidates.sort(key=lambda slot: (slot.starts_at, slot.schedule.pk))
    taken = taken_starts(
        {s.official_id for s in schedules}, candidates[0].starts_at, candidates[-1].starts_at, now
    )
    seen, free = set(), []
    for slot in candidates:
        identity = (slot.schedule.official_id, slot.starts_at)
        if identity in taken or identity in seen:  # two schedules of one official may overlap
            continue
        seen.add(identity)
        free.append(slot)
        if limit and len(free) >= limit:
            break
    return free


def official_schedules(official_id: int) -> QuerySet[ReceptionSchedule]:
    return ReceptionSchedule.objects.filter(
        official_id=official_id, kind=ReceptionKind.APPOINTMENT, is_active=True
    ).select_related("office", "official", "delegate")


def nearest_free(
    official_id: int, around: datetime, *, count: int = 5, now: datetime | None = None
) -> list[Slot]:
    """The free slots of the official nearest to the one the citizen wanted (before or after),
    in order of time: what the citizen is offered when someone else took that slot first."""
    slots = free_slots(official_schedules(official_id), now=now)
    nearest = sorted(slots, key=lambda slot: abs(slot.starts_at - around))[:count]
    return sorted(nearest, key=lambda slot: slot.starts_at)


def find_slot(
    schedule: ReceptionSchedule, starts_at: datetime, *, now: datetime | None = None
) -> Slot | None:
    """The slot of `schedule` starting at `starts_at` if a citizen may book it now (free or not);
    None if the schedule has no such slot or it is outside the booking window."""
    if schedule.kind != ReceptionKind.APPOINTMENT or not schedule.is_active:
        return None
    earliest, horizon = window(now)
    day = timezone.localdate(starts_at)
    if starts_at < earliest or day > horizon or not applies_on(schedule, day):
        return None
    for slot in day_slots(schedule, day, hours_of(schedule.office)):
        if slot.starts_at == starts_at:
            return slot
    return None
