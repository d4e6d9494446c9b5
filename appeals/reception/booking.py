"""Booking a reception (docs/sources.md, seed 002): the citizen online, or staff for a request that
came by the 115 call centre, the e-government portal, in writing or through the Center. (Moving and
cancelling: changes.py.)

Two things must never happen, and the database sees to both:
- one slot booked twice (docs/security.md 16): `booking_one_per_slot` covers every state that holds
  a slot; the INSERT or UPDATE that loses the race fails, and the citizen is offered the nearest
  free slots (`SlotTaken`);
- one citizen holding more than RECEPTION_MAX_ACTIVE_BOOKINGS bookings still to come: the count
  is taken while the `CitizenKey` row of their proof is locked, so two bookings of one citizen
  are counted one after the other, never side by side.

Who "one citizen" is: what they proved, never what they typed (docs/security.md 27; issue 14).
Online, only the phone or e-mail address that got the one-time code is proven; the IIN on the
form is anyone's to type. When the cap counted by IIN, anyone could book twice under a
neighbour's IIN with their own phone: the neighbour's own booking was then cancelled at
confirmation ("booking_limit"), and the refusal told whether a named IIN held two receptions.
Our reading, which protects the citizen: the cap counts the bookings made with the same proof,
`proof_key` (a keyed hash) - online the address that got the code, whatever IIN was typed with it;
through staff's channels (115, the portal, a written request, the Center) the IIN, which staff
checked against the call, the portal's sign-in or the paper. So a booking made under someone
else's IIN counts against the phone that made it, never against the person named; the refusal
tells a citizen about the bookings of the phone or address they have just proved, and nothing
about any IIN. (One phone holds at most the cap, whatever the IINs typed with it, and the
per-phone limits on codes, prosecution/public/ratelimit.py, bound how fast it tries.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import (
    SLOT_HOLDING_STATES,
    UPCOMING_STATES,
    Booking,
    BookingEventKind,
    BookingState,
    Channel,
    CitizenKey,
    ReceptionSchedule,
)
from appeals.reception import slots
from appeals.reception.common import (
    CitizenData,
    LimitReached,
    SlotTaken,
    lock,
    log,
    tell,
)
from appeals.reception.screening import needs_screening
from appeals.tasks import rehome_bookings_off_reception_days
from prosecution.lib.codes import readable_code
from prosecution.lib.errors import RuleViolation
from prosecution.lib.hashing import keyed_hash
from prosecution.models import NoticeKind
from prosecution.offices import access
from prosecution.public import confirmations

BOOKING_PURPOSE = "reception-booking"
# The doors by which a request for an appointment reaches staff (docs/sources.md, seed 002).
STAFF_CHANNELS = (Channel.CALL_CENTRE, Channel.EGOV, Channel.WRITTEN, Channel.SERVICE_CENTER)


def new_code() -> str:
    return readable_code(8)


def new_booking(slot: slots.Slot, citizen: CitizenData, **fields: Any) -> Booking:
    schedule = slot.schedule
    return Booking(
        code=new_code(),
        schedule=schedule,
        office=schedule.office,
        official=schedule.official,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        needs_screening=needs_screening(schedule),
        **citizen.fields(),
        **fields,
    )


def occupy(booking: Booking, *, now: datetime, update_fields: Iterable[str] | None = None) -> None:
    """Put the booking in its slot (INSERT, or UPDATE when it moves). A hold whose time ran out
    is released first (one conditional UPDATE, so two bookings releasing it at once both see it
    released). The loser of a race fails on `booking_one_per_slot` in a savepoint and is told
    the nearest free slots."""
    Booking.objects.filter(
        official_id=booking.official_id,
        starts_at=booking.starts_at,
        walk_in=False,
        state=BookingState.HELD,
        hold_expires_at__lte=now,
    ).exclude(pk=booking.pk).update(state=BookingState.EXPIRED)
    try:
        with transaction.atomic():
            booking.save(update_fields=update_fields)
    except IntegrityError as error:
        taken = (
            Booking.objects.filter(
                official_id=booking.official_id,
                starts_at=booking.starts_at,
                walk_in=False,
                state__in=SLOT_HOLDING_STATES,
            )
            .exclude(pk=booking.pk)
            .exists()
        )
        if not taken:
            raise
        nearest = slots.nearest_free(booking.official_id, booking.starts_at, now=now)
        raise SlotTaken(nearest) from error


def _slot_or_refuse(
    schedule: ReceptionSchedule, starts_at: datetime, now: datetime | None
) -> slots.Slot:
    slot = slots.find_slot(schedule, starts_at, now=now)
    if slot is None:
        raise RuleViolation(
            _("This time cannot be booked. Choose one of the free times."), code="no_such_slot"
        )
    return slot


# The cap on bookings per proof (the reading at the top of this module) -----------------------


def proof_of_address(address: str) -> str:
    """The proof of an online booking: the phone (normalised) or e-mail address that got the
    code."""
    return keyed_hash(f"reception-proof:address:{address.strip().lower()}")


def proof_of_iin(iin: str) -> str:
    """The proof of a booking entered by staff: the IIN they checked."""
    return keyed_hash(f"reception-proof:iin:{iin}")


def _lock_proof(proof: str) -> None:
    """Lock the proof's key row for the rest of the transaction (created on first use; a race to
    create it is settled by its unique key inside get_or_create)."""
    CitizenKey.objects.get_or_create(key=proof)
    CitizenKey.objects.select_for_update().get(key=proof)


def _at_limit(proof: str, now: datetime, *, besides: Booking | None = None) -> bool:
    """Bookings still to come made with this proof (booking_upcoming_proof_idx). A booking whose
    time has passed without staff marking it does not count: the citizen is not held hostage to
    a forgotten list."""
    upcoming = Booking.objects.filter(proof_key=proof, state__in=UPCOMING_STATES, starts_at__gt=now)
    if besides is not None:
        upcoming = upcoming.exclude(pk=besides.pk)
    return upcoming.count() >= settings.RECEPTION_MAX_ACTIVE_BOOKINGS


def _admitted_state(booking: Booking) -> str:
    return BookingState.AWAITING_SCREENING if booking.needs_screening else BookingState.CONFIRMED


# Online: hold, then confirm -------------------------------------------------------------------


@transaction.atomic
def hold_slot(
    *,
    schedule: ReceptionSchedule,
    starts_at: datetime,
    citizen: CitizenData,
    confirm_by: str,
    request_key: str = "",
    now: datetime | None = None,
) -> Booking:
    """A citizen chose a free slot and filled the form: validate it whole, hold the slot for as
    long as the one-time code lives, and send the code to the phone or e-mail they chose.

    The answer is the same whether or not the IIN has bookings (docs/security.md 9): the cap
    counts the bookings of the phone or e-mail that got the code (Booking.proof_key), and only
    once the citizen has proved they hold it (confirm_booking). A second submit of the same form
    returns the first hold (_resent)."""
    now = now or timezone.now()
    citizen = citizen.cleaned()
    address = citizen.email if confirm_by == "email" else citizen.phone
    if not address:
        field = "email" if confirm_by == "email" else "phone"
        raise ValidationError({field: _("Needed to send you the code.")})
    request_key = _scoped_key(request_key, citizen, address)
    if request_key:
        again = Booking.objects.filter(request_key=request_key).first()
        if again is not None:
            return _resent(again, schedule, starts_at, citizen, address)
    slot = _slot_or_refuse(schedule, starts_at, now)
    booking = new_booking(
        slot,
        citizen,
        channel=Channel.ONLINE,
        state=BookingState.HELD,
        hold_expires_at=now + timedelta(seconds=settings.CONFIRMATION_CODE_SECONDS),
        request_key=request_key,
    )
    try:
        occupy(booking, now=now)
    except SlotTaken:
        again = Booking.objects.filter(request_key=request_key).first() if request_key else None
        if again is None:  # not our own first click that won
            raise
        return _resent(again, schedule, starts_at, citizen, address)
    # The code only once the slot is ours: a second click sends no second code.
    booking.confirmation = confirmations.issue(
        purpose=BOOKING_PURPOSE, address=address, language=citizen.language
    )
    booking.save(update_fields=["confirmation"])
    log(booking, BookingEventKind.HELD, note=address)
    return booking


def _scoped_key(request_key: str, citizen: CitizenData, address: str) -> str:
    """The form's idempotency key as stored: scoped to the citizen who sent it (their IIN and
    the address the code goes to), as a keyed hash. A key is the client's to choose, so a
    global one let anyone who had seen it (or guessed it) send it again and get another
    citizen's hold back, their own data dropped without a word (issue 14)."""
    if not request_key:
        return ""
    return keyed_hash(f"reception-request:{citizen.iin}:{address}:{request_key[:100]}")


def _resent(
    booking: Booking,
    schedule: ReceptionSchedule,
    starts_at: datetime,
    citizen: CitizenData,
    address: str,
) -> Booking:
    """The hold a form made, when the same form comes again (a double click, a retry); the same
    key with other data is not the same form (409: request_key_reused)."""
    sent_to = booking.confirmation.address if booking.confirmation else address
    same = (
        booking.schedule_id == schedule.pk
        and booking.starts_at == starts_at
        and sent_to == address
        and CitizenData.of(booking) == citizen
    )
    if not same:
        raise RuleViolation(
            _("This form was already sent with other data. Reload the page and fill it again."),
            code="request_key_reused",
        )
    return booking


def confirm_booking(booking: Booking, *, code: str, now: datetime | None = None) -> Booking | None:
    """The citizen typed the code: the booking is made (or, for the leadership of the GPO,
    waits for screening), once whatever the number of clicks. None if the code is wrong, spent
    or expired (the hold lives as long as the code)."""
    if booking.confirmation is None or not confirmations.verify(
        code_uuid=booking.confirmation.uuid, code=code, purpose=BOOKING_PURPOSE
    ):
        return None
    now = now or timezone.now()
    proof = proof_of_address(booking.confirmation.address)
    with transaction.atomic():
        _lock_proof(proof)
        booking = lock(booking)
        if booking.state != BookingState.HELD:
            return booking
        limited = _at_limit(proof, now, besides=booking)
        if limited:
            booking.state = BookingState.CANCELLED
            booking.cancel_reason = "limit"
        else:
            booking.state = _admitted_state(booking)
        booking.hold_expires_at = None
        booking.proof_key = proof
        booking.save(
            update_fields=["state", "cancel_reason", "hold_expires_at", "proof_key", "updated_at"]
        )
        if not limited:
            log(booking, BookingEventKind.CONFIRMED)
            tell(booking, NoticeKind.BOOKING_CONFIRMED, stage=f"v{booking.version}")
            if not slots.applies_on(booking.schedule, timezone.localdate(booking.starts_at)):
                # The day fell away while the code was on its way (a decree, a day called
                # off): the sweep that moved the others skipped a hold; it moves this booking
                # now, as it moved them, and tells the citizen (appeals/reception/days.py).
                transaction.on_commit(_rehome_soon)
    if limited:
        # Said only to someone who has just proved they hold a phone or an e-mail address, about
        # the bookings made with that phone or address, and no more than this: how many, where
        # and when stays unsaid.
        raise LimitReached(online=True)
    return booking


@transaction.atomic
def send_booking_code_again(booking: Booking, *, now: datetime | None = None) -> Booking | None:
    """The citizen asks for the code again while the slot is held for them: a new code to the
    same phone or e-mail, in their language; the first stops working, and the hold lasts as
    long as the new code (the page limits how often, so a slot is never held for long). None
    once the hold has ended (confirmed, or its time ran out: book again)."""
    now = now or timezone.now()
    booking = lock(booking)
    expires = booking.hold_expires_at
    if booking.state != BookingState.HELD or expires is None or expires <= now:
        return None
    if booking.confirmation is None:  # a hold always has its code; nothing to send again
        return None
    record = confirmations.reissue(booking.confirmation, language=booking.language)
    if record is None:
        return None
    booking.confirmation = record
    booking.hold_expires_at = record.expires_at
    booking.save(update_fields=["confirmation", "hold_expires_at", "updated_at"])
    log(booking, BookingEventKind.CODE_SENT_AGAIN)
    return booking


def _rehome_soon() -> None:
    rehome_bookings_off_reception_days.delay()


# Staff enter a request ------------------------------------------------------------------------


@transaction.atomic
def book_for_citizen(
    *,
    schedule: ReceptionSchedule,
    starts_at: datetime,
    citizen: CitizenData,
    channel: str,
    by: User,
    now: datetime | None = None,
) -> Booking:
    """A request that came by the 115 call centre, the e-government portal, a written request
    or the Center for Law Enforcement Services (docs/sources.md, seed 002), entered by staff: no
    code (staff spoke to the citizen or hold the paper), the same slots, the same cap, the same
    notice."""
    access.require(by, "book_reception", schedule)
    if channel not in STAFF_CHANNELS:
        raise RuleViolation(_("Choose how the request came."), code="channel")
    now = now or timezone.now()
    citizen = citizen.cleaned()
    slot = _slot_or_refuse(schedule, starts_at, now)
    proof = proof_of_iin(citizen.iin)
    _lock_proof(proof)
    if _at_limit(proof, now):
        raise LimitReached()
    booking = new_booking(slot, citizen, channel=channel, state="", created_by=by, proof_key=proof)
    booking.state = _admitted_state(booking)
    occupy(booking, now=now)
    log(booking, BookingEventKind.BOOKED_BY_STAFF, by=by, note=booking.get_channel_display())
    tell(booking, NoticeKind.BOOKING_CONFIRMED, stage=f"v{booking.version}")
    return booking
