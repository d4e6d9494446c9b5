"""Personal receptions under concurrency, on PostgreSQL (second pass of .ci/run): one slot, one
booking (docs/security.md 16), the cap per proof under a row lock, and the rate limits of the public
doors (docs/security.md 17), each with threads released together by a barrier."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appeals.models import SLOT_HOLDING_STATES, Booking, BookingState, Channel
from appeals.reception import booking, changes, slots
from appeals.reception.common import LimitReached, SlotTaken
from appeals.reception.views_public import BOOK_LIMIT
from prosecution.models import Office
from tests.integration.test_postgres import run_at_once
from tests.reception_helpers import appointment, citizen, code_for, hold, leader

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The server allows 100 connections, shared with other test runs: the threads are released
# together, and at most this many hold a connection at a time (the first of them race for the
# slot exactly as 200 would; those after them find it taken).
CONNECTIONS = 20


@pytest.fixture
def schedule(reference_data):
    head = leader(Office.objects.get(code="R-AKMOLA"), "race_head")
    return appointment(head, starts_on=timezone.localdate())


def test_200_citizens_holding_one_slot_at_once_make_exactly_one_booking(schedule):
    """docs/security.md 16 / issue 5: 200 threads book the same slot at once; the partial unique
    index `booking_one_per_slot` lets exactly one through, and the others are told it was
    just taken."""
    slot = slots.free_slots([schedule])[0]
    numbers = itertools.count(1)

    def attempt():
        hold(schedule, slot, who=next(numbers))

    outcomes = run_at_once(200, attempt, (SlotTaken,), at_most=CONNECTIONS)
    assert outcomes.count("done") == 1, outcomes.count("done")
    assert outcomes.count("refused") == 199
    taken = Booking.objects.filter(starts_at=slot.starts_at, state__in=SLOT_HOLDING_STATES)
    assert taken.count() == 1


def test_200_requests_entered_by_staff_for_one_slot_make_exactly_one_booking(schedule):
    """The same constraint holds for confirmed bookings, whatever the door."""
    slot = slots.free_slots([schedule])[0]
    numbers = itertools.count(1)

    def attempt():
        booking.book_for_citizen(
            schedule=schedule,
            starts_at=slot.starts_at,
            citizen=citizen(next(numbers)),
            channel=Channel.CALL_CENTRE,
            by=schedule.official,
        )

    outcomes = run_at_once(200, attempt, (SlotTaken,), at_most=CONNECTIONS)
    assert outcomes.count("done") == 1 and outcomes.count("refused") == 199
    assert Booking.objects.filter(state=BookingState.CONFIRMED).count() == 1


def test_twenty_bookings_moving_to_one_slot_at_once_land_one(schedule):
    free = slots.free_slots([schedule])
    made = [
        booking.book_for_citizen(
            schedule=schedule,
            starts_at=slot.starts_at,
            citizen=citizen(n),
            channel=Channel.WRITTEN,
            by=schedule.official,
        )
        for n, slot in enumerate(free[:20], start=1)
    ]
    target = free[25]
    queue = iter(made)

    def attempt():
        changes.move_booking(next(queue), starts_at=target.starts_at)

    outcomes = run_at_once(20, attempt, (SlotTaken,))
    assert outcomes.count("done") == 1
    assert Booking.objects.filter(starts_at=target.starts_at).count() == 1


def test_ten_confirmations_of_one_phone_at_once_stay_within_the_cap(schedule, settings):
    """Issue 5: a citizen holds at most RECEPTION_MAX_ACTIVE_BOOKINGS bookings still to come,
    counted by the phone that got the code (issue 14). The count is taken under the lock of the
    proof's key row: ten confirmations at once (each with its right code) make exactly two."""
    settings.CONFIRMATION_CODES_PER_HOUR = settings.CONFIRMATION_CODES_PER_DAY = 10
    free = slots.free_slots([schedule])
    holds = [hold(schedule, free[n], who=1) for n in range(10)]
    codes = {held.pk: code_for(held) for held in holds}
    queue = iter(holds)

    def attempt():
        held = next(queue)
        booking.confirm_booking(held, code=codes[held.pk])

    outcomes = run_at_once(10, attempt, (LimitReached,))
    limit = settings.RECEPTION_MAX_ACTIVE_BOOKINGS
    assert outcomes.count("done") == limit and outcomes.count("refused") == 10 - limit
    assert Booking.objects.filter(state=BookingState.CONFIRMED).count() == limit


def test_the_booking_door_limit_holds_under_30_requests_at_once(schedule):
    """docs/security.md 17: 30 requests from one address at once; exactly BOOK_LIMIT get past the
    atomic counter (one books, the others find the slot taken), the rest get 429."""
    slot = slots.free_slots([schedule])[0]
    url = reverse("reception:book", args=[schedule.uuid])
    numbers = itertools.count(1)
    statuses = []

    def attempt():
        n = next(numbers)
        person = citizen(n)
        response = Client(REMOTE_ADDR="10.9.8.7").post(
            url,
            {
                "at": slot.key,
                "last_name": person.last_name,
                "first_name": person.first_name,
                "iin": person.iin,
                "phone": person.phone,
                "language": "ru",
                "matter": person.matter,
                "confirm_by": "phone",
                "request_key": f"form-{n}",
            },
        )
        statuses.append(response.status_code)

    run_at_once(30, attempt, (), at_most=CONNECTIONS)
    assert statuses.count(429) == 30 - BOOK_LIMIT, sorted(statuses)
    assert statuses.count(302) == 1 and statuses.count(409) == BOOK_LIMIT - 1


def test_two_sweeps_at_once_move_each_booking_once(schedule):
    """Issue 5: two calendar edits in a row queue two sweeps that may run side by side. Each
    booking on the day made a day off is moved once (re-checked under its row lock), its
    citizen told once, and no slot is taken twice."""
    from appeals.models import BookingEvent, BookingEventKind
    from appeals.reception import days
    from prosecution import workdays
    from prosecution.models import CalendarDay, Notice, NoticeKind

    free = slots.free_slots([schedule])
    day = timezone.localdate(free[0].starts_at)
    made = [
        booking.book_for_citizen(
            schedule=schedule,
            starts_at=slot.starts_at,
            citizen=citizen(n),
            channel=Channel.CALL_CENTRE,
            by=schedule.official,
        )
        for n, slot in enumerate(free[:3], start=1)
    ]
    assert {timezone.localdate(b.starts_at) for b in made} == {day}
    # Without the receiver (bulk_create sends no signal), so that the sweeps are ours to run.
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=day,
                kind="day_off",
                name_kk="x",
                name_ru="x",
                name_en="Transferred day off",
                legal_source="Order (test)",
            )
        ]
    )
    workdays.invalidate()

    outcomes = run_at_once(4, days.rehome_bookings_off_reception_days, ())
    assert outcomes.count("done") == 4
    moved = BookingEvent.objects.filter(kind=BookingEventKind.MOVED)
    assert sorted(moved.values_list("booking_id", flat=True)) == sorted(b.pk for b in made)
    starts = [b.starts_at for b in Booking.objects.filter(pk__in=[b.pk for b in made])]
    assert len(set(starts)) == 3 and all(timezone.localdate(s) > day for s in starts)
    told = Notice.objects.filter(kind=NoticeKind.BOOKING_CHANGED)
    assert told.count() == 3 * 2  # e-mail and SMS, once per booking
