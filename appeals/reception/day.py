"""The reception itself (docs/sources.md, seed 002): the citizen arrives or does not come; the
official records the outcome. "Appeal accepted" registers an appeal with the channel "personal
reception" and the citizen's data and matter; should it later be refused, a personal answer
explaining the reasons is required (appeals/services/answer.py). A refusal at the reception is
explained in person and recorded. Walk-in citizens (daily reception without appointment) are
recorded on the day."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import (
    UPCOMING_STATES,
    AppealLanguage,
    Booking,
    BookingEventKind,
    BookingState,
    Channel,
    ReceptionOutcome,
    ReceptionSchedule,
)
from appeals.reception.booking import new_code
from appeals.reception.common import (
    RULES,
    CitizenData,
    booking_applicant,
    expect,
    lock,
    log,
)
from appeals.services import register_appeal
from prosecution.lib.errors import RuleViolation
from prosecution.offices import access

WALK_IN_MINUTES = 15


@transaction.atomic
def mark_arrived(booking: Booking, *, by: User, now: datetime | None = None) -> Booking:
    """The citizen came. A request to the GPO's leadership that nobody screened in time is
    received all the same: the citizen is not turned away for staff's delay."""
    now = now or timezone.now()
    booking = lock(booking)
    access.require(by, "run_reception", booking)
    expect(booking, *UPCOMING_STATES)
    if timezone.localdate(booking.starts_at) != timezone.localdate(now):
        raise RuleViolation(_("A citizen arrives on the day of the reception."), code="not_today")
    booking.state = BookingState.ARRIVED
    booking.arrived_at = now
    booking.save(update_fields=["state", "arrived_at", "updated_at"])
    log(booking, BookingEventKind.ARRIVED, by=by)
    return booking


@transaction.atomic
def mark_no_show(booking: Booking, *, by: User, now: datetime | None = None) -> Booking:
    """The citizen did not come. Never before their time has begun."""
    now = now or timezone.now()
    booking = lock(booking)
    access.require(by, "run_reception", booking)
    expect(booking, *UPCOMING_STATES)
    if now < booking.starts_at:
        raise RuleViolation(_("The citizen's time has not come yet."), code="too_early_for_no_show")
    booking.state = BookingState.NO_SHOW
    booking.save(update_fields=["state", "updated_at"])
    log(booking, BookingEventKind.NO_SHOW, by=by)
    return booking


def _required(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(message, article=RULES, code="required")
    return value


@transaction.atomic
def record_outcome(
    booking: Booking,
    *,
    by: User,
    outcome: str,
    note: str = "",
    redirected_to: str = "",
    summary: str = "",
    now: datetime | None = None,
) -> Booking:
    """What came of the reception. Each outcome carries what the rules ask of it:
    - appeal accepted: an appeal is registered (channel "personal reception", received on the
      day of the reception, the citizen as applicant, the matter as its text; `summary` is its
      summary, by default the matter's first line) and linked to the booking;
    - refused: the reasons explained to the citizen in person (docs/sources.md, seed 002: a
      personal answer);
    - redirected: the body the citizen is sent to;
    - materials received: what was received (docs/sources.md, seed 002: the applicant may bring
      materials)."""
    now = now or timezone.now()
    booking = lock(booking)
    access.require(by, "run_reception", booking)
    expect(booking, BookingState.ARRIVED)
    if outcome not in ReceptionOutcome.values:
        raise RuleViolation(_("Choose the outcome."), code="outcome")
    note = (note or "").strip()
    if outcome == ReceptionOutcome.REFUSED:
        note = _required(note, _("Record the reasons explained to the citizen."))
    elif outcome == ReceptionOutcome.MATERIALS_RECEIVED:
        note = _required(note, _("List the materials received."))
    elif outcome == ReceptionOutcome.REDIRECTED:
        redirected_to = _required(redirected_to, _("Name the body the citizen is sent to."))
    if outcome == ReceptionOutcome.APPEAL_ACCEPTED:
        received_on = timezone.localdate(booking.arrived_at or now)
        booking.appeal, _code = register_appeal(
            office=booking.office,
            channel=Channel.RECEPTION,
            received_on=received_on,
            language=booking.language
            if booking.language in AppealLanguage.values
            else AppealLanguage.RU,
            summary=(summary or booking.matter.splitlines()[0]).strip()[:300],
            text=booking.matter + (f"\n\n{note}" if note else ""),
            applicants=[booking_applicant(booking)],
            by=by,
        )
    booking.state = BookingState.RECEIVED
    booking.outcome = outcome
    booking.outcome_note = note
    booking.redirected_to = (redirected_to or "").strip()[:300]
    booking.received_by = by
    booking.save()
    log(
        booking,
        BookingEventKind.OUTCOME,
        by=by,
        note=note,
        outcome=outcome,
        appeal=booking.appeal.reference if booking.appeal else "",
    )
    return booking


@transaction.atomic
def record_walk_in(
    *,
    schedule: ReceptionSchedule,
    citizen: CitizenData,
    by: User,
    now: datetime | None = None,
) -> Booking:
    """A citizen received without appointment (daily reception): recorded at the minute they
    came, holding no slot; the outcome follows as for a booking. The IIN and a contact are
    asked, not required: nobody is turned away at the door for the lack of them."""
    access.require(by, "run_reception", schedule)
    now = now or timezone.now()
    citizen = citizen.cleaned(walk_in=True)
    booking = Booking.objects.create(
        code=new_code(),
        schedule=schedule,
        office=schedule.office,
        official=schedule.official,
        starts_at=now,
        ends_at=now + timedelta(minutes=WALK_IN_MINUTES),
        walk_in=True,
        channel=Channel.RECEPTION,
        state=BookingState.ARRIVED,
        arrived_at=now,
        created_by=by,
        **citizen.fields(),
    )
    log(booking, BookingEventKind.ARRIVED, by=by, note="walk-in")
    return booking
