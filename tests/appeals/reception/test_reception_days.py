"""Reception days that fall away after citizens booked them (appeals/reception/days.py, issue 5):
a calendar edit makes a booked day a day off; staff call off an official's reception day. The
citizen keeps their place (the official's nearest free slot after the original time) or, with no
free slot left within the horizon, the booking is cancelled; either way they are told why, in
their language. docs/sources.md, seed 002 / docs/rules.md "Personal reception"."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from appeals.models import (
    Booking,
    BookingEvent,
    BookingEventKind,
    BookingState,
    CancelledReceptionDay,
    Channel,
    ReceptionOutcome,
)
from appeals.reception import booking, changes, day, days, slots
from prosecution.lib.errors import RuleViolation
from prosecution.models import Notice, NoticeKind, Position
from prosecution.notices import outbox
from tests.conftest import make_day_off, make_staff
from tests.reception_helpers import MONDAY, appointment, book, citizen, code_for, hold, leader

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 11, 4)
THURSDAY = date(2026, 11, 5)


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY, tick=False):
        yield


def at(on: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(on, time(hour, minute)))


def hhmm(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m %H:%M")


@pytest.fixture
def head(cast):
    return leader(cast.region, "akmola_head")


@pytest.fixture
def schedule(head):
    return appointment(head)  # Monday to Friday, 10:00-12:00, 20 minutes


def book_at(schedule, moment: datetime, who: int, **extra) -> Booking:
    slot = slots.find_slot(schedule, moment)
    assert slot is not None, moment
    return book(schedule, slot, who=who, **extra)


def changed_notices(booking: Booking):
    return Notice.objects.filter(kind=NoticeKind.BOOKING_CHANGED, subject_id=booking.pk)


def rendered(notice: Notice) -> str:
    title, body = outbox.render(notice)
    return f"{title}\n{body}"


# A calendar edit makes a booked day a day off ---------------------------------------------------


def test_a_day_made_a_day_off_moves_its_bookings_to_the_nearest_free_slots_in_order(
    schedule, django_capture_on_commit_callbacks
):
    """The citizens keep their place and their order: Wednesday's 10:00 and 10:20 go to
    Thursday's first free times (10:00 there is taken), after the original time."""
    first = book_at(schedule, at(WEDNESDAY, 10, 0), who=1, language="kk")
    second = book_at(schedule, at(WEDNESDAY, 10, 20), who=2)
    thursday = book_at(schedule, at(THURSDAY, 10, 0), who=3)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        make_day_off(WEDNESDAY)  # the decree, entered by an administrator
    assert queued  # the worker is queued once the edit is committed
    first.refresh_from_db()
    second.refresh_from_db()
    thursday.refresh_from_db()
    assert first.state == second.state == BookingState.CONFIRMED
    assert hhmm(first.starts_at) == "05.11 10:20" and hhmm(second.starts_at) == "05.11 10:40"
    assert hhmm(thursday.starts_at) == "05.11 10:00"
    moved = BookingEvent.objects.get(booking=first, kind=BookingEventKind.MOVED)
    assert moved.by is None and moved.data["why"] == days.DAY_OFF and moved.note
    assert datetime.fromisoformat(moved.data["before"]) == at(WEDNESDAY, 10, 0)


def test_a_hold_confirmed_after_its_day_fell_away_is_moved_as_the_others(
    schedule, django_capture_on_commit_callbacks
):
    """The sweep after the decree skips a hold (the citizen has not confirmed yet); once they
    confirm, the booking is moved as the others were, and they are told."""
    held = hold(schedule, slots.find_slot(schedule, at(WEDNESDAY, 10, 0)), who=1)
    with django_capture_on_commit_callbacks(execute=True):
        make_day_off(WEDNESDAY)
    assert Booking.objects.get(pk=held.pk).state == BookingState.HELD
    with django_capture_on_commit_callbacks(execute=True) as queued:
        confirmed = booking.confirm_booking(held, code=code_for(held))
    assert confirmed.state == BookingState.CONFIRMED and queued
    confirmed.refresh_from_db()
    assert hhmm(confirmed.starts_at) == "05.11 10:00"
    assert changed_notices(confirmed).exists()


def test_the_citizen_is_told_the_old_and_new_time_why_and_the_link_in_their_language(schedule):
    booked = book_at(schedule, at(WEDNESDAY, 10, 0), who=1, language="kk")
    make_day_off(WEDNESDAY)
    days.rehome_bookings_off_reception_days()
    told = changed_notices(booked)
    assert {n.channel for n in told} == {"email", "sms"}
    email = told.get(channel="email")
    assert email.language == "kk"
    assert email.context["before"] == "04.11.2026 10:00" and email.context["when"] == (
        "05.11.2026 10:00"
    )
    text = rendered(email)
    assert "04.11.2026 10:00" in text and "05.11.2026 10:00" in text
    assert email.context["manage_url"] in text
    # The reason, in the citizen's language: the same notice for an English speaker.
    Notice.objects.filter(pk=email.pk).update(language="en")
    email.refresh_from_db()
    text = rendered(email)
    assert "that day became a day off" in text and "nearest free time" in text
    sms = told.get(channel="sms")
    Notice.objects.filter(pk=sms.pk).update(language="en")
    sms.refresh_from_db()
    assert "Reception 04.11.2026 10:00 moved to 05.11.2026 10:00" in rendered(sms)


def test_with_no_free_slot_within_the_horizon_the_booking_is_cancelled_and_the_citizen_told(
    schedule, settings
):
    booked = book_at(schedule, at(WEDNESDAY, 10, 0), who=1, language="en")
    settings.RECEPTION_HORIZON_DAYS = 2  # the last day offered is Wednesday itself
    make_day_off(WEDNESDAY)
    result = days.rehome_bookings_off_reception_days()
    assert (result.moved, result.cancelled) == (0, 1)
    booked.refresh_from_db()
    assert booked.state == BookingState.CANCELLED and booked.cancel_reason
    assert (
        hhmm(booked.starts_at) == "04.11 10:00"
    )  # the time it was booked for, as the citizen knew
    event = BookingEvent.objects.get(booking=booked, kind=BookingEventKind.CANCELLED)
    assert event.data["why"] == days.DAY_OFF
    email = changed_notices(booked).get(channel="email")
    assert email.context["action"] == "cancelled"
    text = rendered(email)
    assert "is cancelled" in text and "that day became a day off" in text and "115" in text


def test_a_second_run_does_nothing(schedule):
    booked = book_at(schedule, at(WEDNESDAY, 10, 0), who=1)
    make_day_off(WEDNESDAY)
    first = days.rehome_bookings_off_reception_days()
    assert first.moved == 1
    notices, events = Notice.objects.count(), BookingEvent.objects.count()
    booked.refresh_from_db()
    version = booked.version
    second = days.rehome_bookings_off_reception_days()
    assert (second.moved, second.cancelled) == (0, 0)
    assert Notice.objects.count() == notices and BookingEvent.objects.count() == events
    booked.refresh_from_db()
    assert booked.version == version and hhmm(booked.starts_at) == "05.11 10:00"


def test_walk_ins_past_and_cancelled_bookings_are_left_alone(schedule, head, cast):
    # At 10:30 on Monday: the 10:00 reception has begun, the 11:00 one is still to come.
    began = book_at(schedule, at(date(2026, 11, 2), 10, 0), who=1)
    to_come = book_at(schedule, at(date(2026, 11, 2), 11, 0), who=2)
    cancelled = book_at(schedule, at(date(2026, 11, 2), 11, 20), who=3)
    changes.cancel_booking(cancelled)
    walk_in = day.record_walk_in(schedule=schedule, citizen=citizen(4), by=head)
    # A walk-in still "to come" (as no page makes one) proves the walk-in rule itself.
    Booking.objects.filter(pk=walk_in.pk).update(
        state=BookingState.CONFIRMED,
        starts_at=at(date(2026, 11, 2), 11, 40),
        ends_at=at(date(2026, 11, 2), 12, 0),
    )
    before = {b.pk: (b.state, b.starts_at) for b in Booking.objects.all()}
    with time_machine.travel("2026-11-02 10:30 +05:00", tick=False):
        make_day_off(date(2026, 11, 2))
        result = days.rehome_bookings_off_reception_days()
    assert (result.moved, result.cancelled) == (1, 0)
    after = {b.pk: (b.state, b.starts_at) for b in Booking.objects.all()}
    for untouched in (began, cancelled, walk_in):
        assert after[untouched.pk] == before[untouched.pk]
    assert after[to_come.pk] != before[to_come.pk]
    assert hhmm(after[to_come.pk][1]) == "03.11 10:00"


def test_a_slot_taken_meanwhile_is_passed_over_for_the_next(schedule, monkeypatch):
    """A race: the slot found free is taken before the move lands (booking_one_per_slot refuses
    it); the next free slot is tried."""
    booked = book_at(schedule, at(WEDNESDAY, 10, 0), who=1)
    taken = book_at(schedule, at(THURSDAY, 10, 0), who=2)
    real = slots.free_slots

    def stale(schedules, **kwargs):
        # As if read a moment before the other citizen booked Thursday 10:00.
        fresh = real(schedules, **kwargs)
        return [slots.Slot(taken.schedule, taken.starts_at, taken.ends_at), *fresh]

    monkeypatch.setattr(days.slots, "free_slots", stale)
    make_day_off(WEDNESDAY)
    assert days.rehome_bookings_off_reception_days().moved == 1
    booked.refresh_from_db()
    taken.refresh_from_db()
    assert hhmm(booked.starts_at) == "05.11 10:20" and hhmm(taken.starts_at) == "05.11 10:00"


# Staff call off a reception day -----------------------------------------------------------------


def test_an_officer_in_scope_cancels_a_day_and_its_bookings_are_moved_or_cancelled(
    schedule, head, cast, settings
):
    settings.RECEPTION_HORIZON_DAYS = 3  # Wednesday and Thursday are the last days offered
    early = book_at(schedule, at(WEDNESDAY, 10, 0), who=1, language="en")
    late = book_at(schedule, at(WEDNESDAY, 11, 40), who=2, language="en")
    for n, minute in enumerate((0, 20, 40), start=3):
        book_at(schedule, at(THURSDAY, 10, minute), who=n)
    for n, minute in enumerate((0, 20), start=6):
        book_at(schedule, at(THURSDAY, 11, minute), who=n)
    # Thursday keeps one free time, 11:40: the earlier citizen gets it, the later one nothing.
    record, result = days.cancel_reception_day(
        official=head, day=WEDNESDAY, reason="Illness (sick leave)", by=cast.region_user
    )
    assert (result.moved, result.cancelled) == (1, 1)
    assert record.office == cast.region and record.cancelled_by == cast.region_user
    early.refresh_from_db()
    late.refresh_from_db()
    assert hhmm(early.starts_at) == "05.11 11:40" and early.state == BookingState.CONFIRMED
    assert late.state == BookingState.CANCELLED
    assert late.cancel_reason == "Illness (sick leave)"
    moved = BookingEvent.objects.get(booking=early, kind=BookingEventKind.MOVED)
    assert moved.by == cast.region_user and moved.note == "Illness (sick leave)"
    # The citizen hears that the official cannot receive, not the official's illness.
    for told in (early, late):
        text = rendered(changed_notices(told).get(channel="email"))
        assert "the official cannot receive citizens that day" in text
        assert "Illness" not in text


def test_a_cancelled_day_is_neither_offered_nor_bookable(schedule, head, cast):
    other = appointment(leader(cast.region, "akmola_deputy", Position.DEPUTY_HEAD))
    days.cancel_reception_day(official=head, day=WEDNESDAY, reason="A trip", by=cast.region_user)
    offered = {timezone.localdate(s.starts_at) for s in slots.free_slots([schedule])}
    assert WEDNESDAY not in offered and THURSDAY in offered
    assert slots.find_slot(schedule, at(WEDNESDAY, 10, 0)) is None
    assert slots.find_slot(schedule, at(THURSDAY, 10, 0)) is not None
    assert not slots.applies_on(schedule, WEDNESDAY)
    assert WEDNESDAY not in slots.reception_days(schedule, WEDNESDAY, THURSDAY)
    # Another official's reception that day stands.
    assert slots.find_slot(other, at(WEDNESDAY, 10, 0)) is not None
    with pytest.raises(RuleViolation) as refused:
        booking.book_for_citizen(
            schedule=schedule,
            starts_at=at(WEDNESDAY, 10, 0),
            citizen=citizen(1),
            channel=Channel.CALL_CENTRE,
            by=cast.region_user,
        )
    assert refused.value.code == "no_such_slot" and not Booking.objects.exists()


def test_the_cancelled_days_are_read_once_per_call_not_once_per_day(schedule, head, cast, settings):
    days.cancel_reception_day(official=head, day=WEDNESDAY, reason="A trip", by=cast.region_user)

    def queries(horizon: int) -> int:
        settings.RECEPTION_HORIZON_DAYS = horizon
        with CaptureQueriesContext(connection) as context:
            slots.free_slots([schedule])
        return len(context.captured_queries)

    assert queries(5) == queries(40)


def test_a_booking_made_while_the_day_was_being_called_off_is_found_by_the_sweep(
    schedule, head, cast, django_capture_on_commit_callbacks
):
    """Two transactions side by side: the citizen's booking, checked before the cancellation was
    committed, lands on the cancelled day. The sweep queued on commit moves it."""
    with django_capture_on_commit_callbacks(execute=False) as queued:
        days.cancel_reception_day(
            official=head, day=WEDNESDAY, reason="A trip", by=cast.region_user
        )
    assert queued  # the sweep, once the cancellation is committed
    CancelledReceptionDay.objects.filter(official=head).delete()
    late = book_at(schedule, at(WEDNESDAY, 10, 0), who=1)
    CancelledReceptionDay.objects.create(
        official=head, office=cast.region, day=WEDNESDAY, reason="A trip"
    )
    result = days.rehome_bookings_off_reception_days()
    assert (result.moved, result.cancelled) == (1, 0)
    late.refresh_from_db()
    assert hhmm(late.starts_at) == "05.11 10:00"
    event = BookingEvent.objects.get(booking=late, kind=BookingEventKind.MOVED)
    assert event.data["why"] == days.DAY_CANCELLED and event.note == "A trip"
    assert days.rehome_bookings_off_reception_days().moved == 0


def test_staff_outside_the_scope_or_without_the_role_cannot_cancel_a_day(schedule, head, cast):
    pavlodar_head = make_staff("pavlodar_head", cast.other_region, Position.HEAD)
    for outsider in (pavlodar_head, cast.a_user, cast.inactive_user, None):
        with pytest.raises(RuleViolation) as refused:
            days.cancel_reception_day(official=head, day=WEDNESDAY, reason="A trip", by=outsider)
        assert refused.value.code == "forbidden"
    # In scope, but a prosecutor who keeps no timetable.
    prosecutor = make_staff("akmola_prosecutor", cast.region, Position.PROSECUTOR)
    with pytest.raises(RuleViolation):
        days.cancel_reception_day(official=head, day=WEDNESDAY, reason="A trip", by=prosecutor)
    assert not CancelledReceptionDay.objects.exists()


def test_a_day_is_cancelled_with_a_reason_once_and_only_a_reception_day_to_come(
    schedule, head, cast
):
    booked = book_at(schedule, at(WEDNESDAY, 10, 0), who=1)
    for blank in ("", "   "):
        with pytest.raises(RuleViolation) as refused:
            days.cancel_reception_day(
                official=head, day=WEDNESDAY, reason=blank, by=cast.region_user
            )
        assert refused.value.code == "reason"
    assert not CancelledReceptionDay.objects.exists()
    booked.refresh_from_db()
    assert hhmm(booked.starts_at) == "04.11 10:00"
    for when, code in ((date(2026, 10, 30), "past_day"), (date(2026, 11, 7), "no_reception_day")):
        with pytest.raises(RuleViolation) as refused:
            days.cancel_reception_day(official=head, day=when, reason="x", by=cast.region_user)
        assert refused.value.code == code
    days.cancel_reception_day(official=head, day=WEDNESDAY, reason="A trip", by=cast.region_user)
    with pytest.raises(RuleViolation) as refused:
        days.cancel_reception_day(official=head, day=WEDNESDAY, reason="Again", by=cast.region_user)
    assert refused.value.code == "already_cancelled"
    assert CancelledReceptionDay.objects.count() == 1


def test_a_cancelled_day_counts_as_a_gap_for_the_weekly_minimum(cast):
    """docs/sources.md, seed 002: the leadership of a regional office receives at least once a week.
    A week whose only reception day was called off has none."""
    from appeals.reception import selectors

    head = leader(cast.region, "akmola_head")
    appointment(head, weekdays=4)  # Wednesdays only

    def gaps() -> list[date]:
        flags = selectors.frequency_flags(cast.region_user, cast.region, date(2026, 11, 2))
        return next((flag.gaps for flag in flags if flag.profile.user_id == head.pk), [])

    before = gaps()  # (the week of 16 December, Independence Day, has no Wednesday to receive)
    assert date(2026, 11, 2) not in before
    days.cancel_reception_day(official=head, day=WEDNESDAY, reason="A trip", by=cast.region_user)
    assert gaps() == sorted([date(2026, 11, 2), *before])


# The API and the staff page ---------------------------------------------------------------------


def test_the_api_cancels_a_day_of_the_schedules_official(client, schedule, cast):
    booked = book_at(schedule, at(WEDNESDAY, 10, 0), who=1)
    url = f"/api/v1/receptions/schedules/{schedule.uuid}/cancel-day/"
    client.force_login(cast.b_user)
    outside = client.post(
        url, {"day": "2026-11-04", "reason": "x"}, content_type="application/json"
    )
    assert outside.status_code == 404
    client.force_login(cast.region_user)
    refused = client.post(url, {"day": "2026-11-04", "reason": ""}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "reason"
    done = client.post(
        url, {"day": "2026-11-04", "reason": "A trip"}, content_type="application/json"
    )
    assert done.status_code == 200
    body = done.json()
    assert body["day"] == "2026-11-04" and body["reason"] == "A trip"
    assert (body["moved"], body["cancelled"]) == (1, 0)
    booked.refresh_from_db()
    assert hhmm(booked.starts_at) == "05.11 10:00"


def test_the_day_page_cancels_a_day_with_a_reason_and_a_confirmation(client, schedule, head, cast):
    book_at(schedule, at(WEDNESDAY, 10, 0), who=1)
    client.force_login(cast.region_user)
    page = f"{reverse('reception:staff-day')}?official={head.pk}&day=2026-11-04"
    shown = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="cancel-day"' in shown
    url = reverse("reception:staff-cancel-day")
    form = {"official": head.pk, "day": "2026-11-04", "reason": "Illness"}
    unconfirmed = client.post(url, form, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Confirm that the reception day is to be cancelled." in unconfirmed.content.decode()
    assert not CancelledReceptionDay.objects.exists()
    done = client.post(url, {**form, "confirm": "on"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    text = done.content.decode()
    assert done.redirect_chain[-1][0] == page
    assert "Bookings moved to another time: 1; cancelled for want of a free time: 0." in text
    assert (
        'data-testid="day-cancelled"' in text and "The reception day is cancelled: Illness" in text
    )
    assert 'data-testid="cancel-day"' not in text
    # An official outside the scope is not found.
    client.force_login(cast.b_user)
    assert client.post(url, {**form, "confirm": "on"}).status_code == 404


def test_the_booking_page_links_the_appeal_accepted_at_the_reception(client, schedule, head):
    booked = book_at(schedule, at(date(2026, 11, 2), 10, 0), who=1)
    with time_machine.travel("2026-11-02 10:05 +05:00", tick=False):
        day.mark_arrived(booked, by=head)
        done = day.record_outcome(booked, by=head, outcome=ReceptionOutcome.APPEAL_ACCEPTED)
    client.force_login(head)
    with translation.override("en"):
        page = client.get(reverse("reception:staff-booking", args=[booked.uuid]))
    assert f'href="{reverse("appeal-detail", args=[done.appeal.uuid])}"' in page.content.decode()
