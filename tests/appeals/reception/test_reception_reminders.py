"""Reminders the day before and on the morning of the reception (appeals/reception/reminders.py),
each once, in the citizen's language, through the outbox; run by their own beat entry."""

import pytest
import time_machine
from django.conf import settings

from appeals.reception import changes, reminders
from appeals.tasks import send_reception_reminders
from prosecution.models import Notice, NoticeKind
from prosecution.notices import outbox
from tests.reception_helpers import appointment, book, first_free, leader

pytestmark = pytest.mark.django_db

SUNDAY_NOON = "2026-11-01 12:00 +05:00"


@pytest.fixture
def booked(cast):
    """Booked on Friday 30 October for Monday 2 November, 10:00, in Kazakh."""
    with time_machine.travel("2026-10-30 09:00 +05:00", tick=False):
        schedule = appointment(leader(cast.region, "akmola_head"))
        return book(schedule, language="kk")


def reminders_of(made, stage=None):
    found = Notice.objects.filter(kind=NoticeKind.BOOKING_REMINDER, subject_id=made.pk)
    if stage:
        found = [n for n in found if n.context["stage_name"] == stage]
    return list(found)


def test_the_day_before_and_on_the_morning_each_once(booked):
    with time_machine.travel("2026-11-01 09:59 +05:00", tick=False):
        assert reminders.send_reminders() == 0  # the eve reminder starts at 10:00
    with time_machine.travel(SUNDAY_NOON, tick=False):
        assert reminders.send_reminders() == 1
        assert reminders.send_reminders() == 0
    assert {n.channel for n in reminders_of(booked, "eve")} == {"email", "sms"}
    with time_machine.travel("2026-11-02 06:59 +05:00", tick=False):
        assert reminders.send_reminders() == 0
    with time_machine.travel("2026-11-02 07:00 +05:00", tick=False):
        assert reminders.send_reminders() == 1
        assert reminders.send_reminders() == 0
    assert len(reminders_of(booked)) == 4


def test_a_reminder_speaks_the_citizens_language(booked):
    with time_machine.travel(SUNDAY_NOON, tick=False):
        reminders.send_reminders()
    notice = next(n for n in reminders_of(booked) if n.channel == "email")
    assert outbox.deliver(notice.pk) == "sent"
    notice.refresh_from_db()
    assert notice.language == "kk" and booked.code in notice.body
    assert "02.11.2026 10:00" in notice.title


def test_a_moved_booking_is_reminded_for_its_new_time(booked):
    with time_machine.travel(SUNDAY_NOON, tick=False):
        reminders.send_reminders()
        moved = changes.move_booking(booked, starts_at=first_free(booked.schedule, 2).starts_at)
    with time_machine.travel("2026-11-01 13:30 +05:00", tick=False):
        assert reminders.send_reminders() == 1  # the move was told an hour ago
    assert {n.context["when"] for n in reminders_of(moved, "eve")} == {
        "02.11.2026 10:00",
        "02.11.2026 11:00",
    }


def test_cancelled_bookings_and_those_just_made_are_not_reminded(cast):
    with time_machine.travel(SUNDAY_NOON, tick=False):
        schedule = appointment(leader(cast.region, "akmola_head"))
        fresh = book(schedule)
        assert reminders.send_reminders() == 0  # booked a moment ago: the confirmation says it
        gone = book(schedule, who=2)
        changes.cancel_booking(gone)
    with time_machine.travel("2026-11-01 14:00 +05:00", tick=False):
        assert reminders.send_reminders() == 1
    assert reminders_of(fresh) and not reminders_of(gone)


def test_the_task_reminds_expires_holds_and_has_its_own_beat_entry(booked):
    entry = settings.CELERY_BEAT_SCHEDULE["reception-reminders"]
    assert entry["task"] == "appeals.tasks.send_reception_reminders"
    assert entry["options"]["expires"] < entry["schedule"]
    with time_machine.travel(SUNDAY_NOON, tick=False):
        assert send_reception_reminders() == {"reminded": 1, "expired": 0, "purged": 0}
