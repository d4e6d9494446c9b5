"""Demo data of receptions for `make run` (called by `manage.py seed_demo` through
AppealsConfig.seed_demo): schedules of the demo officials of every kind, free and taken slots,
requests to the Prosecutor General waiting for screening, a leader the frequency check flags,
and a few receptions already held for the figures. Never part of a migration."""

from __future__ import annotations

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from appeals.models import (
    BookingState,
    Channel,
    ReceptionKind,
    ReceptionOutcome,
    ReceptionPlace,
    ReceptionSchedule,
    Recurrence,
)
from appeals.reception import slots
from appeals.reception.booking import book_for_citizen, new_booking
from appeals.reception.common import CitizenData
from appeals.reception.schedules import ScheduleData, save_schedule
from prosecution.lib.identifiers import check_digit
from prosecution.lib.names import latin
from prosecution.models import Office, Position, StaffProfile

# (username, first, last, office, position): officials the prosecution demo does not have.
EXTRA_CAST = [
    ("demo.gpo.deputy", "Нұрлан", "Жақыпов", "GPO", Position.DEPUTY),
    ("demo.akmola.deputy", "Асқар", "Теміров", "R-AKMOLA", Position.DEPUTY_HEAD),
]
# Citizens' names as their documents write them, in Cyrillic; their demo e-mail addresses in
# Latin letters (prosecution/lib/names.py).
CITIZENS = [
    ("Серікбаева", "Айгерім", "ru", "Земельный участок: акимат не отвечает на заявление."),
    ("Омаров", "Қайрат", "kk", "Жалақы үш ай бойы төленбейді."),
    ("Иванова", "Ольга", "ru", "Отказ в возбуждении уголовного дела, прошу проверить."),
    ("Беков", "Тимур", "en", "The bailiff has not enforced the court decision for a year."),
    ("Ахметова", "Дана", "kk", "Мүгедектік бойынша жәрдемақы тағайындалмады."),
]


def _iin(n: int) -> str:
    """A valid demo IIN (born 1985-1989, 1900s, male): its check digit computed, not typed."""
    for serial in range(n * 10, n * 10 + 10):
        first = f"8{5 + n % 5}0{1 + n % 9}153{serial:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
    raise ValueError(n)


def _user(username, first, last, office, position):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    StaffProfile.objects.update_or_create(
        user=user, defaults={"office": office, "position": position, "is_demo": True}
    )
    return user


def _citizen(n: int) -> CitizenData:
    last, first, language, matter = CITIZENS[n % len(CITIZENS)]
    return CitizenData(
        iin=_iin(n),
        last_name=last,
        first_name=first,
        phone=f"+7701555{n:04d}",
        email=f"{latin(last).lower()}.{n}@example.kz",
        language=language,
        matter=matter,
    )


def _schedules(users: dict, by, since) -> dict:
    """One schedule of every kind the rules know."""
    plan = {
        # The Prosecutor General: once a month (the 3rd Thursday), at the Center.
        "pg": ScheduleData(
            official=users["demo.pg"],
            kind=ReceptionKind.APPOINTMENT,
            weekdays=1 << 3,
            recurrence=Recurrence.MONTHLY,
            week_of_month=3,
            starts_on=since,
            start_time=time(10, 0),
            end_time=time(13, 0),
            slot_minutes=20,
            place=ReceptionPlace.SERVICE_CENTER,
            place_detail="Center for Law Enforcement Services, Astana, Mangilik El 14",
        ),
        # A deputy Prosecutor General: every Wednesday.
        "gpo_deputy": ScheduleData(
            official=users["demo.gpo.deputy"],
            kind=ReceptionKind.APPOINTMENT,
            weekdays=1 << 2,
            starts_on=since,
            start_time=time(10, 0),
            end_time=time(12, 0),
            slot_minutes=20,
            place=ReceptionPlace.SERVICE_CENTER,
            place_detail="Center for Law Enforcement Services, Astana, Mangilik El 14",
        ),
        # The regional prosecutor: every Tuesday and Friday, at the office.
        "akmola_head": ScheduleData(
            official=users["demo.akmola.head"],
            kind=ReceptionKind.APPOINTMENT,
            weekdays=(1 << 1) | (1 << 4),
            starts_on=since,
            start_time=time(15, 0),
            end_time=time(17, 0),
            slot_minutes=20,
        ),
        # A regional deputy every other week: the frequency check flags the weeks without one.
        "akmola_deputy": ScheduleData(
            official=users["demo.akmola.deputy"],
            kind=ReceptionKind.APPOINTMENT,
            weekdays=1 << 3,
            interval_weeks=2,
            starts_on=since,
            start_time=time(10, 0),
            end_time=time(12, 0),
            slot_minutes=30,
        ),
        # Reception staff: every working day without appointment, 09:00-18:30.
        "reception": ScheduleData(
            official=users["demo.reception"],
            kind=ReceptionKind.WALK_IN,
            weekdays=slots.ALL_WEEKDAYS,
            starts_on=since,
            start_time=time(9, 0),
            end_time=time(18, 30),
        ),
        # A duty prosecutor in a detention facility, on Mondays.
        "detention": ScheduleData(
            official=users["demo.kokshetau.prosecutor"],
            kind=ReceptionKind.DETENTION,
            weekdays=1 << 0,
            starts_on=since,
            start_time=time(10, 0),
            end_time=time(12, 0),
            place=ReceptionPlace.FACILITY,
            place_detail="Temporary detention facility of the Kokshetau police, Auezov St 1",
        ),
    }
    district_head = users.get("demo.r-akmola-d1.head")
    if district_head is not None:
        plan["district_head"] = ScheduleData(
            official=district_head,
            kind=ReceptionKind.APPOINTMENT,
            weekdays=1 << 4,
            starts_on=since,
            start_time=time(10, 0),
            end_time=time(12, 0),
            slot_minutes=15,
        )
    return {name: save_schedule(by=by, data=data) for name, data in plan.items()}


def _past_receptions(schedule: ReceptionSchedule, today) -> int:
    """Receptions already held, for the figures: recorded as they were."""
    day = today - timedelta(days=1)
    while not slots.applies_on(schedule, day) and day > today - timedelta(days=20):
        day -= timedelta(days=1)
    held = slots.day_slots(schedule, day, slots.hours_of(schedule.office))[:3]
    outcomes = [
        (BookingState.RECEIVED, ReceptionOutcome.CONSULTATION, "Rights explained."),
        (BookingState.RECEIVED, ReceptionOutcome.MATERIALS_RECEIVED, "Copies of 3 letters."),
        (BookingState.NO_SHOW, "", ""),
    ]
    for n, (slot, (state, outcome, note)) in enumerate(zip(held, outcomes, strict=False)):
        new_booking(
            slot,
            _citizen(20 + n),
            channel=Channel.CALL_CENTRE,
            state=state,
            outcome=outcome,
            outcome_note=note,
            arrived_at=slot.starts_at if state == BookingState.RECEIVED else None,
            received_by=schedule.official if state == BookingState.RECEIVED else None,
        ).save()
    return len(held)


@transaction.atomic
def seed_reception_demo() -> dict:
    """Idempotent: once the demo schedules exist, nothing more is added."""
    if ReceptionSchedule.objects.filter(official__username="demo.akmola.head").exists():
        return {"schedules": 0, "bookings": 0}
    offices = {o.code: o for o in Office.objects.filter(code__in=["GPO", "R-AKMOLA"])}
    for username, first, last, code, position in EXTRA_CAST:
        _user(username, first, last, offices[code], position)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "demo.pg",
                "demo.gpo.deputy",
                "demo.akmola.head",
                "demo.akmola.deputy",
                "demo.reception",
                "demo.kokshetau.prosecutor",
                "demo.r-akmola-d1.head",
                "demo.admin",
            ]
        )
    }
    today = timezone.localdate()
    made = _schedules(users, users["demo.admin"], today - timedelta(days=60))
    booked = 0
    # Taken and free slots side by side: the regional prosecutor's next reception days.
    for n, slot in enumerate(slots.free_slots([made["akmola_head"]], limit=8)[::2]):
        book_for_citizen(
            schedule=made["akmola_head"],
            starts_at=slot.starts_at,
            citizen=_citizen(n),
            channel=Channel.CALL_CENTRE,
            by=users["demo.admin"],
        )
        booked += 1
    # Requests to the Prosecutor General: they wait for screening (docs/sources.md, seed 002).
    for n, slot in enumerate(slots.free_slots([made["pg"]], limit=2)):
        book_for_citizen(
            schedule=made["pg"],
            starts_at=slot.starts_at,
            citizen=_citizen(10 + n),
            channel=Channel.EGOV,
            by=users["demo.admin"],
        )
        booked += 1
    booked += _past_receptions(made["akmola_head"], today)
    return {"schedules": len(made), "bookings": booked}
