"""Reception days that fall away after citizens booked them (issue 5):

- an administrator edits the working-day calendar (a Government decree moves a day off) and a
  booked day is no longer a working day;
- staff call off a reception day of an official (illness, a trip): `cancel_reception_day`.

The reading that protects the citizen: they keep their place. The booking is moved to the
nearest free slot of the same official after the original time, under the same constraint as
any booking (`booking_one_per_slot`; should a race take that slot, the next one is tried). The
bookings of one day are handled in the order of their times, so the citizens keep their order.
Only if the official has no free slot within the booking horizon is the booking cancelled. Either
way the change is in the booking's history with its reason, and the citizen is told by e-mail and
SMS in their language: the old time, the new one and why, with the signed link to move or cancel
it; or, when cancelled, why and that they may book another time on the site or through the
Contact-centre 115.

The reason staff give for calling a day off stays in the history and on the staff pages: the
citizen is told only that the official cannot receive that day (an illness is the official's
private matter).

Every step checks the booking again under its row lock: a second run, or the calendar's sweep
after a staff cancellation, finds nothing left to do, and each notice has a key of its own
(the booking's version as `stage`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import tasks
from appeals.models import (
    UPCOMING_STATES,
    Booking,
    BookingEventKind,
    BookingState,
    CancelledReceptionDay,
    ReceptionSchedule,
)
from appeals.reception import slots
from appeals.reception.booking import occupy
from appeals.reception.changes import take_slot
from appeals.reception.common import RULES, SlotTaken, local_text, lock, log, tell
from appeals.reception.selectors import day_bounds
from prosecution import workdays
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind, StaffProfile
from prosecution.offices import access

# Why a booking lost its day: the notice templates (notices/booking_changed/) say it in the
# citizen's language.
DAY_OFF = "day_off"
DAY_CANCELLED = "day_cancelled"
REASON_MAX = 300


@dataclass
class Rehomed:
    """What became of the bookings of a day that fell away."""

    moved: int = 0
    cancelled: int = 0

    def add(self, outcome: str) -> None:
        if outcome == "moved":
            self.moved += 1
        elif outcome == "cancelled":
            self.cancelled += 1


def _still_to_come(booking: Booking, now: datetime) -> bool:
    return booking.state in UPCOMING_STATES and not booking.walk_in and booking.starts_at > now


def _day_is_off(booking: Booking) -> str:
    """Why the booking's day is no reception day any more ("" if it still is one)."""
    day = timezone.localdate(booking.starts_at)
    if not workdays.is_working_day(day):
        return DAY_OFF
    if CancelledReceptionDay.objects.filter(official_id=booking.official_id, day=day).exists():
        return DAY_CANCELLED
    return ""


def _move_or_cancel(
    booking: Booking, *, why: str, note: str, by: User | None, now: datetime
) -> str:
    """Move the booking to the official's nearest free slot after its time, or cancel it if
    there is none within the horizon; log and tell. Returns "moved", "cancelled" or "" (nothing
    to do: the booking changed meanwhile, or its day is a reception day again)."""
    booking = lock(booking)
    if not _still_to_come(booking, now) or _day_is_off(booking) != why:
        return ""
    before, original = booking.starts_at, (booking.schedule, booking.starts_at, booking.ends_at)
    candidates = [
        slot
        for slot in slots.free_slots(slots.official_schedules(booking.official_id), now=now)
        if slot.starts_at > before
    ]
    booking.version += 1
    for slot in candidates:
        take_slot(booking, slot)
        try:
            occupy(booking, now=now)
        except SlotTaken:
            continue  # another citizen took it a moment ago: the next free slot
        log(
            booking,
            BookingEventKind.MOVED,
            by=by,
            note=note,
            before=before,
            after=booking.starts_at,
            why=why,
        )
        tell(
            booking,
            NoticeKind.BOOKING_CHANGED,
            stage=f"v{booking.version}",
            action="moved",
            before=local_text(before),
            why=why,
        )
        return "moved"
    booking.schedule, booking.starts_at, booking.ends_at = original
    booking.state = BookingState.CANCELLED
    booking.cancel_reason = note[:REASON_MAX]
    booking.save()
    log(booking, BookingEventKind.CANCELLED, by=by, note=note, why=why)
    tell(
        booking,
        NoticeKind.BOOKING_CHANGED,
        stage=f"v{booking.version}",
        action="cancelled",
        why=why,
    )
    return "cancelled"


def _rehome_all(
    bookings: Iterable[Booking], *, why: str, note: str, by: User | None, now: datetime
) -> Rehomed:
    result = Rehomed()
    for booking in bookings:
        result.add(_move_or_cancel(booking, why=why, note=note, by=by, now=now))
    return result


# The sweep: after a calendar edit (appeals/signals.py), after a day called off -------------------


def rehome_bookings_off_reception_days(now: datetime | None = None) -> Rehomed:
    """Every booking still to come (not a walk-in) whose day is no longer a working day (the
    working-day calendar changed) or was called off for its official keeps its place on the
    official's nearest free slot after it, or is cancelled if there is none; the citizen is
    told. A system action (queued by the calendar's receiver, and after each day staff call off,
    for a booking made on that day while it was being called off): no actor to check.
    Idempotent: a second run finds nothing.

    Bookings still to come lie within the booking horizon, a few thousand rows at most; their
    days are checked in memory against the calendar (workdays: a bisection, no query) and the
    cancelled days (one query)."""
    now = now or timezone.now()
    upcoming = list(
        Booking.objects.filter(state__in=UPCOMING_STATES, walk_in=False, starts_at__gt=now)
        .order_by("starts_at", "pk")  # booking_reminder_idx
        .only("pk", "official_id", "starts_at")
    )
    if not upcoming:
        return Rehomed()
    called_off = CancelledReceptionDay.objects.filter(
        official_id__in={b.official_id for b in upcoming},
        day__gte=timezone.localdate(upcoming[0].starts_at),
        day__lte=timezone.localdate(upcoming[-1].starts_at),
    ).values_list("official_id", "day", "reason")
    reasons = {(official_id, day): reason for official_id, day, reason in called_off}
    day_off = _("The day became a day off (the working-day calendar changed).")
    result = Rehomed()
    for booking in upcoming:
        day = timezone.localdate(booking.starts_at)
        if not workdays.is_working_day(day):
            why, note = DAY_OFF, day_off
        elif (booking.official_id, day) in reasons:
            why, note = DAY_CANCELLED, reasons[booking.official_id, day]
        else:
            continue
        # One transaction per booking: a failure leaves the others moved and their citizens told.
        with transaction.atomic():
            result.add(_move_or_cancel(booking, why=why, note=note, by=None, now=now))
    return result


# Staff call off a reception day ------------------------------------------------------------------


def _official_profile(official: User) -> StaffProfile:
    profile = (
        StaffProfile.objects.select_related("office")
        .filter(user=official, is_active=True, user__is_active=True)
        .first()
    )
    if profile is None:
        raise RuleViolation(_("You may not do this here."), code="forbidden")
    return profile


def _has_reception(official: User, day: date) -> bool:
    schedules = ReceptionSchedule.objects.filter(official=official, is_active=True)
    return any(slots.applies_on(schedule, day, cancelled=set()) for schedule in schedules)


@transaction.atomic
def cancel_reception_day(
    *, official: User, day: date, reason: str, by: User, now: datetime | None = None
) -> tuple[CancelledReceptionDay, Rehomed]:
    """Rules of personal reception (docs/sources.md, seed 002): an official's reception day is
    called off (illness, a trip). Staff who keep the reception timetable do it, within their scope,
    and say why. The day is no longer offered to citizens, and every booking still to come of that
    official on that day keeps its place on their nearest free slot after it, or is cancelled
    if there is none; each citizen is told (see the module's docstring)."""
    now = now or timezone.now()
    profile = _official_profile(official)
    record = CancelledReceptionDay(
        official=official, office=profile.office, day=day, reason=(reason or "").strip()
    )
    access.require(by, "manage_reception_schedules", record)
    if not record.reason:
        raise RuleViolation(
            _("Say why the reception day is cancelled."), article=RULES, code="reason"
        )
    record.reason = record.reason[:REASON_MAX]
    if day < timezone.localdate(now):
        raise RuleViolation(_("A day that has passed cannot be cancelled."), code="past_day")
    if not _has_reception(official, day):
        raise RuleViolation(
            _("The official has no reception on this day."), code="no_reception_day"
        )
    record.cancelled_by = by
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # reception_day_cancelled_once: two clicks, or two members of staff
        raise RuleViolation(
            _("This reception day is already cancelled."), code="already_cancelled"
        ) from None
    first, last = day_bounds(day)
    bookings = Booking.objects.filter(
        official=official,
        state__in=UPCOMING_STATES,
        walk_in=False,
        starts_at__gte=first,
        starts_at__lt=last,
        starts_at__gt=now,
    ).order_by("starts_at", "pk")  # booking_official_idx
    result = _rehome_all(bookings, why=DAY_CANCELLED, note=record.reason, by=by, now=now)
    # A citizen who booked that day while it was being called off (their transaction did not
    # yet see this one) is found by the sweep, once both are committed.
    transaction.on_commit(_sweep)
    return record, result


def _sweep() -> None:
    tasks.rehome_bookings_off_reception_days.delay()
