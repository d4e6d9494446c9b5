"""Moving and cancelling a booking (issue 5): the citizen through the signed link until
RECEPTION_CUTOFF_HOURS before the reception, staff at any time; the citizen is told each change.
A move is an UPDATE under the same constraint as a booking (`booking_one_per_slot`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import UPCOMING_STATES, Booking, BookingEventKind, BookingState
from appeals.reception import slots
from appeals.reception.booking import occupy
from appeals.reception.common import expect, local_text, lock, log, tell
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind
from prosecution.offices import access


def _citizen_in_time(booking: Booking, now: datetime) -> None:
    """The citizen moves or cancels online until RECEPTION_CUTOFF_HOURS before the reception;
    after that, by the call centre (staff may still do it)."""
    if booking.starts_at - now < timedelta(hours=settings.RECEPTION_CUTOFF_HOURS):
        raise RuleViolation(
            _(
                "It is less than %(hours)s hours before the reception: it can no longer be "
                "changed online. Call 115."
            )
            % {"hours": settings.RECEPTION_CUTOFF_HOURS},
            code="cutoff",
        )


def _begin(booking: Booking, by: User | None, now: datetime, *states: str) -> Booking:
    """Lock the booking; the citizen (`by` None) within the cut-off, staff within their scope;
    and the booking in one of `states`."""
    booking = lock(booking)
    if by is None:
        _citizen_in_time(booking, now)
    else:
        access.require(by, "book_reception", booking)
    expect(booking, *states)
    return booking


def take_slot(booking: Booking, slot: slots.Slot) -> None:
    """The booking moves to `slot` (saved by `occupy`): its reminders are due again."""
    booking.schedule, booking.starts_at, booking.ends_at = (
        slot.schedule,
        slot.starts_at,
        slot.ends_at,
    )
    booking.eve_reminded_at = booking.morning_reminded_at = None


@transaction.atomic
def move_booking(
    booking: Booking, *, starts_at: datetime, by: User | None = None, now: datetime | None = None
) -> Booking:
    """Move a booking to another free slot of the same official (`by` None: the citizen, through
    the signed link). The move is one UPDATE under the same constraint as a booking."""
    now = now or timezone.now()
    booking = _begin(booking, by, now, *UPCOMING_STATES)
    slot = next(
        (
            found
            for schedule in slots.official_schedules(booking.official_id)
            if (found := slots.find_slot(schedule, starts_at, now=now)) is not None
        ),
        None,
    )
    if slot is None or slot.starts_at == booking.starts_at:
        raise RuleViolation(_("Choose one of the free times."), code="no_such_slot")
    before = booking.starts_at
    take_slot(booking, slot)
    booking.version += 1
    occupy(booking, now=now)
    log(booking, BookingEventKind.MOVED, by=by, before=before, after=booking.starts_at)
    tell(
        booking,
        NoticeKind.BOOKING_CHANGED,
        stage=f"v{booking.version}",
        action="moved",
        before=local_text(before),
    )
    return booking


@transaction.atomic
def cancel_booking(
    booking: Booking, *, by: User | None = None, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel a booking: the citizen through the signed link (`by` None), or staff. The slot is
    free again at once (a cancelled booking is outside `booking_one_per_slot`)."""
    now = now or timezone.now()
    booking = _begin(booking, by, now, BookingState.HELD, *UPCOMING_STATES)
    was_held = booking.state == BookingState.HELD
    booking.state = BookingState.CANCELLED
    booking.cancel_reason = (reason or ("citizen" if by is None else "staff")).strip()[:300]
    booking.hold_expires_at = None
    booking.version += 1
    booking.save()
    log(booking, BookingEventKind.CANCELLED, by=by, note=booking.cancel_reason)
    if not was_held:
        tell(booking, NoticeKind.BOOKING_CHANGED, stage=f"v{booking.version}", action="cancelled")
    return booking


# Housekeeping (appeals/tasks.py) -------------------------------------------------------------


def expire_holds(now: datetime | None = None) -> int:
    """Holds whose code was never confirmed in time. (A hold in the way of a new booking is
    released by that booking at once; this only tidies the lists.)"""
    now = now or timezone.now()
    return Booking.objects.filter(state=BookingState.HELD, hold_expires_at__lte=now).update(
        state=BookingState.EXPIRED, hold_expires_at=None
    )


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Bookings never confirmed hold personal data for nothing: gone after a day."""
    now = now or timezone.now()
    stale = Booking.objects.filter(
        state=BookingState.EXPIRED, created_at__lt=now - timedelta(days=1)
    )
    deleted, _counts = stale.delete()
    return deleted
