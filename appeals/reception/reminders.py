"""Reminders of a reception (issue 5): the day before (from 10:00) and on the morning of the
reception (from 07:00), Almaty time, in the citizen's language, through the notice outbox.

Run every few minutes by appeals.tasks.send_reception_reminders (prosecution/beat.py). Each
reminder is claimed by a conditional UPDATE of its column (`eve_reminded_at`,
`morning_reminded_at`) in the transaction that writes the notice, and the notice's key names the
booking, the stage and the start: two runs at once remind once; a booking that moves is
reminded again for its new time (moving clears the columns).

A request to the GPO's leadership still awaiting screening is reminded too: until the citizen is
told of a refusal, they are expected (our reading, in the citizen's favour)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from appeals.models import UPCOMING_STATES, Booking
from appeals.reception.common import tell
from prosecution.models import NoticeKind

EVE_FROM = time(10, 0)
MORNING_FROM = time(7, 0)
# A booking made a moment ago was just confirmed by a notice; it needs no reminder yet.
FRESH = timedelta(hours=1)


def _day_bounds(day) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time(0, 0)), tz)
    return start, start + timedelta(days=1)


def _remind(stage: str, column: str, day, now: datetime) -> int:
    first, last = _day_bounds(day)
    due = Booking.objects.filter(
        state__in=UPCOMING_STATES,
        starts_at__gte=max(first, now),
        starts_at__lt=last,
        created_at__lte=now - FRESH,
        **{f"{column}__isnull": True},
    ).values_list("pk", flat=True)  # booking_reminder_idx
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=pk, state__in=UPCOMING_STATES, **{f"{column}__isnull": True}
            ).update(**{column: now})
            if not claimed:
                continue  # another run has it
            booking = Booking.objects.select_related(
                "schedule__official", "schedule__delegate", "office"
            ).get(pk=pk)
            tell(
                booking,
                NoticeKind.BOOKING_REMINDER,
                stage=f"{stage}:{booking.starts_at.isoformat()}",
                stage_name=stage,
            )
            sent += 1
    return sent


def send_reminders(now: datetime | None = None) -> int:
    now = now or timezone.now()
    local = timezone.localtime(now)
    sent = 0
    if local.time() >= EVE_FROM:
        sent += _remind("eve", "eve_reminded_at", local.date() + timedelta(days=1), now)
    if local.time() >= MORNING_FROM:
        sent += _remind("morning", "morning_reminded_at", local.date(), now)
    return sent
