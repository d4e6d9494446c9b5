"""The timers' tasks: the sweep of the terms, their recomputation after a decree moved a day, and
the check that the calendar reaches far enough.

Tasks take ids or nothing, call services (imported inside the task's body: services import their
tasks at module level, never the other way round), and are safe to run twice. Each keeps the name it
was registered under when all tasks lived in one module, prosecution.tasks: the beat schedule and
messages already on the broker use it."""

import contextlib
import logging
import time

from celery import shared_task
from django.db import IntegrityError
from django.utils import timezone

from prosecution.models import DailyJob

log = logging.getLogger(__name__)


@shared_task(name="prosecution.tasks.check_calendar_horizon", soft_time_limit=60, time_limit=90)
def check_calendar_horizon() -> list[int]:
    """Warn before the calendar runs out (users of Alaveteli asked for this, #2800): next year's
    holidays must be in the table before the year's terms are computed."""
    from prosecution import workdays

    this_year = timezone.localdate().year
    missing = [y for y in (this_year, this_year + 1) if y not in workdays.covered_years()]
    if missing:
        log.warning("working-day calendar has no holidays for %s", missing)
    return missing


@shared_task(name="prosecution.tasks.sweep_terms", soft_time_limit=240, time_limit=300)
def sweep_terms() -> dict:
    """Every minute: mark and escalate missed terms, write the reminders that have come due, the
    09:00 digest once a day, rescue notices of dead workers, and queue what is to be delivered.
    Every step is idempotent (conditional UPDATEs and unique notice keys): two sweeps at once, or
    a sweep run again after a crash, send nothing twice."""
    from prosecution.notices import outbox
    from prosecution.terms import engine as terms
    from prosecution.terms import reminders

    now = timezone.now()
    today = timezone.localdate(now)
    report = {
        "missed": terms.mark_missed(today),
        "reminders": reminders.send_reminders(today),
    }
    if reminders.digest_due(now) and not DailyJob.objects.filter(name="digest", on=today).exists():
        report["digests"] = reminders.send_digests(today)
        with contextlib.suppress(IntegrityError):  # another sweep finished it at the same time
            DailyJob.objects.create(name="digest", on=today)
    report["rescued"] = outbox.rescue(now)
    # The time now, not at the start: the notices this sweep wrote go out with it.
    report["queued"] = len(outbox.dispatch())
    return report


# Less than the soft time limit: the chunk under way finishes, then the task hands over.
RECOMPUTE_SECONDS = 180


@shared_task(
    name="prosecution.tasks.recompute_terms_after_calendar_change",
    soft_time_limit=240,
    time_limit=300,
)
def recompute_terms_after_calendar_change(after: int = 0) -> int:
    """A decree moved a day: recompute every open term whose due date changes; the responsible
    person is told the old and new date. A chunk of terms at a time; when its time is up, the task
    queues itself to go on after the last term it read (a decree that a third of a million terms
    count moves for minutes)."""
    from prosecution.terms import engine as terms

    deadline = time.monotonic() + RECOMPUTE_SECONDS
    moved = 0
    next_after: int | None = after
    while next_after is not None:
        changed, next_after = terms.recompute_chunk(next_after)
        for term in changed:
            log.info(
                "term %s: due %s -> %s after a calendar change",
                term.term_id,
                term.old_due,
                term.new_due,
            )
        moved += len(changed)
        if next_after is not None and time.monotonic() > deadline:
            recompute_terms_after_calendar_change.delay(next_after)
            break
    return moved
