"""Helpers of the reception tests: schedules for the cast, citizens with valid IINs, a free slot,
and the one-time code read from the outbox (as the citizen reads it from their phone)."""

from datetime import date, time

from django.db import transaction

from appeals.models import ReceptionKind, ReceptionPlace, Recurrence
from appeals.reception import booking, slots
from appeals.reception.schedules import ScheduleData, save_schedule
from prosecution.lib.identifiers import check_digit
from prosecution.models import Notice, NoticeKind, Position, StaffProfile
from tests.conftest import make_staff

# Monday 2 November 2026, 08:00 Almaty: no day off that week or the next.
MONDAY = "2026-11-02 08:00 +05:00"
WEEKDAYS = 31  # Monday to Friday


def iin(n: int) -> str:
    """A valid IIN (born 1 May 1990, a man of the 1900s), serial n: its check digit computed."""
    for serial in range(n * 10, n * 10 + 10):
        first = f"9005013{serial:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
    raise ValueError(n)


def citizen(n: int = 1, **extra) -> booking.CitizenData:
    data = {
        "iin": iin(n),
        "last_name": "Абаев",
        "first_name": "Ерлан",
        # A phone of each citizen's own: the cap counts the phone that got the code.
        "phone": "+7 701 111 22 33" if n == 1 else f"+7 701 {100 + n % 900:03d} 22 33",
        "email": f"citizen{n}@mail.kz",
        "language": "ru",
        "matter": "Работодатель не выплачивает зарплату.\nПрошу принять меры.",
    }
    data.update(extra)
    return booking.CitizenData(**data)


def leader(office, username: str, position=Position.HEAD):
    profile = StaffProfile.objects.filter(user__username=username).first()
    return profile.user if profile else make_staff(username, office, position)


def appointment(official, *, by=None, **extra):
    """Mondays to Fridays, 10:00-12:00, 20 minutes each (six slots a day), from 2 Nov 2026."""
    fields = {
        "official": official,
        "kind": ReceptionKind.APPOINTMENT,
        "weekdays": WEEKDAYS,
        "starts_on": date(2026, 11, 2),
        "start_time": time(10, 0),
        "end_time": time(12, 0),
        "slot_minutes": 20,
        "place": ReceptionPlace.OFFICE,
        "recurrence": Recurrence.WEEKLY,
    }
    fields.update(extra)
    with transaction.atomic():
        return save_schedule(by=by or official, data=ScheduleData(**fields))


def first_free(schedule, n: int = 0):
    return slots.free_slots([schedule])[n]


def hold(schedule, slot=None, *, who=1, confirm_by="phone", **extra):
    slot = slot or first_free(schedule)
    return booking.hold_slot(
        schedule=schedule,
        starts_at=slot.starts_at,
        citizen=citizen(who, **extra),
        confirm_by=confirm_by,
    )


def code_for(held) -> str:
    """The code as the citizen reads it: from the one-time-code notice's context."""
    notice = Notice.objects.filter(
        kind=NoticeKind.ONE_TIME_CODE, subject_id=held.confirmation_id
    ).latest("pk")
    return notice.context["code"]


def book(schedule, slot=None, *, who=1, **extra):
    held = hold(schedule, slot, who=who, **extra)
    return booking.confirm_booking(held, code=code_for(held))
