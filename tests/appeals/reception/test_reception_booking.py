"""Booking a reception (appeals/reception/booking.py): hold, code, confirm; one slot, one booking
(docs/security.md 16); the cap per proof; one form, one booking (docs/security.md 18); moving and
cancelling through the signed link until the cut-off. docs/sources.md, seed 002 / docs/rules.md
"Personal reception"."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from appeals.models import Booking, BookingState, Channel
from appeals.reception import booking, changes, slots
from appeals.reception.common import (
    LimitReached,
    SlotTaken,
    booking_from_token,
    manage_token,
)
from prosecution.lib.errors import RuleViolation
from prosecution.models import Notice, NoticeKind
from prosecution.notices import outbox
from tests.reception_helpers import (
    MONDAY,
    appointment,
    book,
    citizen,
    code_for,
    first_free,
    hold,
    leader,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def schedule(cast):
    return appointment(leader(cast.region, "akmola_head"))


def test_a_citizen_holds_a_slot_confirms_the_code_and_is_booked(schedule, settings):
    held = hold(schedule)
    assert held.state == BookingState.HELD and held.channel == Channel.ONLINE
    code_notice = Notice.objects.get(kind=NoticeKind.ONE_TIME_CODE)
    assert code_notice.channel == "sms" and code_notice.language == "ru"
    wrong = "000000" if code_for(held) != "000000" else "111111"
    assert booking.confirm_booking(held, code=wrong) is None
    confirmed = booking.confirm_booking(held, code=code_for(held))
    assert confirmed.state == BookingState.CONFIRMED and confirmed.hold_expires_at is None
    told = Notice.objects.filter(kind=NoticeKind.BOOKING_CONFIRMED)
    assert {n.channel for n in told} == {"email", "sms"}
    context = told.first().context
    assert context["code"] == confirmed.code and context["when"] == "02.11.2026 10:00"
    assert booking_from_token(context["manage_url"].rsplit("/", 2)[-2]) == confirmed


def test_the_confirmation_is_rendered_in_the_citizens_language(schedule):
    confirmed = book(schedule, language="kk")
    notice = Notice.objects.get(kind=NoticeKind.BOOKING_CONFIRMED, channel="email")
    assert outbox.deliver(notice.pk) == "sent"
    notice.refresh_from_db()
    assert confirmed.code in notice.body and "02.11.2026 10:00" in notice.body
    assert notice.language == "kk"


def test_an_iin_with_a_wrong_check_digit_is_refused_before_anything_is_stored(schedule):
    with pytest.raises(ValidationError) as refused:
        hold(schedule, iin="900501300000")
    assert "iin" in refused.value.message_dict
    assert not Booking.objects.exists() and not Notice.objects.exists()


def test_the_code_goes_where_the_citizen_chose(schedule):
    hold(schedule, confirm_by="email")
    assert Notice.objects.get(kind=NoticeKind.ONE_TIME_CODE).address == "citizen1@mail.kz"
    with pytest.raises(ValidationError) as refused:
        hold(schedule, first_free(schedule, 1), confirm_by="email", email="")
    assert "email" in refused.value.message_dict


def test_a_time_that_is_no_slot_is_refused(schedule):
    slot = first_free(schedule)
    with pytest.raises(RuleViolation):
        booking.hold_slot(
            schedule=schedule,
            starts_at=slot.starts_at + timedelta(minutes=5),
            citizen=citizen(),
            confirm_by="phone",
        )


def test_a_slot_taken_by_another_is_refused_with_the_nearest_free_slots(schedule):
    """docs/security.md 16 and issue 5: "just taken, here are the nearest free slots"."""
    slot = first_free(schedule)
    hold(schedule, slot, who=1)
    with pytest.raises(SlotTaken) as taken:
        hold(schedule, slot, who=2)
    assert taken.value.nearest and slot.starts_at not in [s.starts_at for s in taken.value.nearest]
    assert Booking.objects.count() == 1


def test_the_database_keeps_one_booking_per_slot_in_every_active_state(schedule):
    """The constraint, not the code: a second row in the same slot fails whatever the active
    state of the first; a cancelled one leaves the slot free."""
    first = book(schedule)
    for state in (BookingState.CONFIRMED, BookingState.ARRIVED, BookingState.RECEIVED):
        Booking.objects.filter(pk=first.pk).update(
            state=state, outcome="consultation" if state == "received" else ""
        )
        twin = Booking.objects.get(pk=first.pk)
        twin.pk, twin.code, twin.state = None, "TWIN-0001", BookingState.HELD
        twin.uuid = uuid.uuid4()
        with pytest.raises(IntegrityError), transaction.atomic():
            twin.save()
    Booking.objects.filter(pk=first.pk).update(state=BookingState.CANCELLED, outcome="")
    assert hold(schedule, slots.Slot(schedule, first.starts_at, first.ends_at), who=2).pk


def test_a_hold_whose_code_expired_gives_way_to_the_next_citizen(schedule):
    slot = first_free(schedule, 1)
    stale = hold(schedule, slot, who=1)
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        fresh = hold(schedule, slot, who=2)
        assert Booking.objects.get(pk=stale.pk).state == BookingState.EXPIRED
        assert fresh.state == BookingState.HELD
        # The slow citizen's code has expired with the hold: nothing to confirm.
        assert booking.confirm_booking(stale, code=code_for(stale)) is None


def test_the_same_form_sent_twice_makes_one_booking(schedule):
    """docs/security.md 18: a double click or a retry returns the first hold."""
    slot = first_free(schedule)
    arguments = {
        "schedule": schedule,
        "starts_at": slot.starts_at,
        "citizen": citizen(),
        "confirm_by": "phone",
        "request_key": "form-1",
    }
    first = booking.hold_slot(**arguments)
    second = booking.hold_slot(**arguments)
    assert first.pk == second.pk and Booking.objects.count() == 1
    assert Notice.objects.filter(kind=NoticeKind.ONE_TIME_CODE).count() == 1


def test_a_citizen_holds_at_most_two_bookings_to_come(schedule, settings):
    """Issue 5: a citizen holds a small number of active bookings; issue 14: counted by what
    they proved, the phone that got the code (tests/appeals/reception/test_reception_cap.py)."""
    book(schedule, first_free(schedule, 0), who=1)
    book(schedule, first_free(schedule, 0), who=1)
    third = hold(schedule, first_free(schedule, 0), who=1)
    with pytest.raises(LimitReached):
        booking.confirm_booking(third, code=code_for(third))
    third.refresh_from_db()
    assert third.state == BookingState.CANCELLED and third.cancel_reason == "limit"
    assert not Notice.objects.filter(kind=NoticeKind.BOOKING_CONFIRMED, subject_id=third.pk)
    # Another citizen, with their own phone, is not affected.
    other = book(schedule, first_free(schedule, 0), who=2, phone="+7 705 000 00 02")
    assert other.state == BookingState.CONFIRMED


def test_a_booking_whose_time_passed_does_not_count_against_the_citizen(schedule):
    """A forgotten list must not keep a citizen from booking (our reading, in the citizen's
    favour)."""
    book(schedule, first_free(schedule, 0), who=1)
    book(schedule, first_free(schedule, 0), who=1)
    with time_machine.travel("2026-11-02 12:30 +05:00", tick=False):
        assert book(schedule, first_free(schedule, 0), who=1).is_upcoming


def test_the_answer_to_the_booking_form_does_not_tell_whether_the_iin_has_bookings(schedule):
    """docs/security.md 9: holding a slot looks the same for an IIN with bookings and without; the
    count is taken only after the citizen proves the phone or e-mail."""
    book(schedule, first_free(schedule, 0), who=1)
    book(schedule, first_free(schedule, 0), who=1)
    at_cap = hold(schedule, first_free(schedule, 0), who=1)
    fresh = hold(schedule, first_free(schedule, 0), who=2)
    assert at_cap.state == fresh.state == BookingState.HELD
    assert at_cap.hold_expires_at == fresh.hold_expires_at


def test_staff_enter_a_request_from_the_call_centre(cast, schedule):
    slot = first_free(schedule)
    made = booking.book_for_citizen(
        schedule=schedule,
        starts_at=slot.starts_at,
        citizen=citizen(),
        channel=Channel.CALL_CENTRE,
        by=cast.region_user,
    )
    assert made.state == BookingState.CONFIRMED and made.channel == Channel.CALL_CENTRE
    assert Notice.objects.filter(kind=NoticeKind.BOOKING_CONFIRMED, subject_id=made.pk).exists()
    with pytest.raises(RuleViolation):  # district B does not book for the region
        booking.book_for_citizen(
            schedule=schedule,
            starts_at=first_free(schedule).starts_at,
            citizen=citizen(2),
            channel=Channel.CALL_CENTRE,
            by=cast.b_user,
        )


def test_the_citizen_moves_the_booking_and_is_told(schedule):
    made = book(schedule)
    target = first_free(schedule, 2)
    made.eve_reminded_at = timezone.now()
    made.save()
    moved = changes.move_booking(made, starts_at=target.starts_at)
    assert moved.starts_at == target.starts_at and moved.eve_reminded_at is None
    changed = Notice.objects.get(kind=NoticeKind.BOOKING_CHANGED, channel="sms")
    assert changed.context["action"] == "moved" and changed.context["before"] == "02.11.2026 10:00"
    # The old slot is free again, the new one is not.
    free = [s.starts_at for s in slots.free_slots([schedule])]
    assert made.starts_at in free and target.starts_at not in free


def test_a_move_to_a_slot_just_taken_is_refused_with_the_nearest(schedule):
    made = book(schedule, who=1)
    other = book(schedule, who=2)
    with pytest.raises(SlotTaken):
        changes.move_booking(made, starts_at=other.starts_at)
    assert Booking.objects.get(pk=made.pk).starts_at != other.starts_at


def test_the_citizen_cancels_and_the_slot_is_free_again(schedule):
    made = book(schedule)
    changes.cancel_booking(made)
    assert Booking.objects.get(pk=made.pk).state == BookingState.CANCELLED
    assert slots.free_slots([schedule])[0].starts_at == made.starts_at
    changed = Notice.objects.filter(kind=NoticeKind.BOOKING_CHANGED, subject_id=made.pk)
    assert {n.context["action"] for n in changed} == {"cancelled"}


def test_moving_and_cancelling_online_end_at_the_cut_off(schedule, cast):
    """Issue 5: cancel or move through the signed link until a cut-off before the slot (2 hours
    here); staff may still do it after."""
    made = book(schedule, first_free(schedule, 2))  # 10:40
    with time_machine.travel("2026-11-02 08:41 +05:00", tick=False):
        with pytest.raises(RuleViolation) as late:
            changes.cancel_booking(made)
        assert late.value.code == "cutoff"
        with pytest.raises(RuleViolation):
            changes.move_booking(made, starts_at=first_free(schedule, 5).starts_at)
        assert changes.cancel_booking(made, by=cast.region_user, reason="called 115").state == (
            BookingState.CANCELLED
        )


def test_a_signed_link_names_the_uuid_and_a_forged_one_finds_nothing(schedule):
    made = book(schedule)
    token = manage_token(made)
    assert signing.loads(token, salt="appeals.reception.manage") == str(made.uuid)
    assert str(made.pk) != token.split(":")[0]
    assert booking_from_token(token) == made
    assert booking_from_token(token[:-2] + "xx") is None
    assert booking_from_token("garbage") is None


def test_a_signed_link_stops_working_a_month_after_the_reception(schedule, settings):
    """It shows the citizen's name and matter to whoever holds it (a forwarded SMS): after
    RECEPTION_LINK_DAYS it answers as a forged one does, on the page too."""
    made = book(schedule)
    token = manage_token(made)
    after = made.starts_at + timedelta(days=settings.RECEPTION_LINK_DAYS)
    with time_machine.travel(after - timedelta(minutes=1), tick=False):
        assert booking_from_token(token) == made
    with time_machine.travel(after + timedelta(minutes=1), tick=False):
        assert booking_from_token(token) is None
        assert Client().get(f"/reception/manage/{token}/").status_code == 404


def test_housekeeping_expires_holds_and_forgets_unconfirmed_ones(schedule):
    held = hold(schedule)
    assert changes.expire_holds() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        assert changes.expire_holds() == 1
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        assert changes.purge_unconfirmed() >= 1
    assert not Booking.objects.filter(pk=held.pk).exists()
