"""Screening of requests for an appointment with the leadership of the General Prosecutor's Office
(docs/sources.md, seed 002, the 2017 rules): staff admit the request, refuse it on one of the
grounds of the rules (named, with a reason, and the citizen is told), or pass it to the competent
office.

Only the leadership of the GPO may be refused on these grounds. The rules say that regional and
district prosecutors receive "irrespective of their previous reply": their bookings are never
screened, and a refusal of one is refused here.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import (
    Booking,
    BookingEventKind,
    BookingState,
    ReceptionSchedule,
    RefusalGround,
)
from appeals.reception.common import (
    RULES,
    booking_applicant,
    expect,
    lock,
    log,
    tell,
)
from appeals.services import register_appeal
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind, Office, OfficeKind, Position, StaffProfile
from prosecution.offices import access

GPO_LEADERSHIP = (Position.PROSECUTOR_GENERAL, Position.FIRST_DEPUTY, Position.DEPUTY)


def is_gpo_leadership(user_id: int) -> bool:
    return StaffProfile.objects.filter(
        user_id=user_id, office__kind=OfficeKind.GPO, position__in=GPO_LEADERSHIP
    ).exists()


def needs_screening(schedule: ReceptionSchedule) -> bool:
    """docs/sources.md, seed 002: requests to the leadership of the GPO are checked against the
    grounds to refuse; those of every other official are not."""
    return is_gpo_leadership(schedule.official_id)


def _begin(booking: Booking, by: User) -> Booking:
    booking = lock(booking)
    access.require(by, "screen_reception_request", booking)
    if not booking.needs_screening:
        raise RuleViolation(
            _(
                "Only requests to the leadership of the General Prosecutor's Office are screened; "
                "other prosecutors receive irrespective of an earlier answer."
            ),
            article=RULES,
            code="not_screened",
        )
    expect(booking, BookingState.AWAITING_SCREENING)
    return booking


def _screened(booking: Booking, by: User, state: str) -> None:
    booking.state = state
    booking.screened_by = by
    booking.screened_at = timezone.now()
    booking.version += 1


@transaction.atomic
def admit_request(booking: Booking, *, by: User) -> Booking:
    """No ground to refuse: the appointment stands, and the citizen is told."""
    booking = _begin(booking, by)
    _screened(booking, by, BookingState.CONFIRMED)
    booking.save()
    log(booking, BookingEventKind.APPROVED, by=by)
    tell(booking, NoticeKind.BOOKING_CONFIRMED, stage=f"v{booking.version}")
    return booking


@transaction.atomic
def refuse_request(booking: Booking, *, by: User, ground: str, reason: str) -> Booking:
    """docs/sources.md, seed 002: a refusal names one of the grounds of the rules and gives its
    reason; the citizen is told both, in their language. The slot is free again."""
    booking = _begin(booking, by)
    if ground not in RefusalGround.values:
        raise RuleViolation(_("Name the ground of refusal."), article=RULES, code="ground")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Give the reason of the refusal."), article=RULES, code="reason")
    _screened(booking, by, BookingState.REFUSED)
    booking.refusal_ground, booking.refusal_reason = ground, reason
    booking.save()
    log(booking, BookingEventKind.REFUSED, by=by, note=reason, ground=ground)
    tell(
        booking,
        NoticeKind.BOOKING_REFUSED,
        stage=f"v{booking.version}",
        ground=ground,
        reason=reason,
    )
    return booking


@transaction.atomic
def pass_request(booking: Booking, *, by: User, office: Office, note: str = "") -> Booking:
    """The matter is for another prosecutor's office: the request is registered there as an
    appeal (so that it has an answer term, Art. 24(3), and does not get lost between offices),
    the slot is free again, and the citizen is told where it went and that they may book a
    reception there."""
    booking = _begin(booking, by)
    if office.pk == booking.office_id or not office.is_active:
        raise RuleViolation(_("Choose another, active office."), code="office")
    appeal, _code = register_appeal(
        office=office,
        channel=booking.channel,
        received_on=timezone.localdate(),
        language=booking.language,
        summary=booking.matter.splitlines()[0][:300],
        text=booking.matter + (f"\n\n{note.strip()}" if note.strip() else ""),
        applicants=[booking_applicant(booking)],
        by=by,
    )
    _screened(booking, by, BookingState.PASSED)
    booking.passed_to, booking.appeal = office, appeal
    booking.save()
    log(booking, BookingEventKind.PASSED, by=by, note=note, office=office.code)
    tell(
        booking,
        NoticeKind.BOOKING_CHANGED,
        stage=f"v{booking.version}",
        action="passed",
        passed_office_id=office.pk,
        reference=appeal.reference,
    )
    return booking
