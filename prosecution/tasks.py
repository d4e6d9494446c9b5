"""Celery tasks of the hierarchy, the calendar, the terms and the notice outbox. Each takes ids or
nothing, calls services, and is safe to run twice."""

import contextlib
import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError
from django.utils import timezone

from prosecution import audit, confirmations, outbox, ratelimit, reminders, terms, workdays
from prosecution.models import DailyJob

log = logging.getLogger(__name__)


@shared_task(soft_time_limit=60, time_limit=90)
def check_calendar_horizon() -> list[int]:
    """Warn before the calendar runs out (users of Alaveteli asked for this, #2800): next year's
    holidays must be in the table before the year's terms are computed."""
    this_year = timezone.localdate().year
    missing = [y for y in (this_year, this_year + 1) if y not in workdays.covered_years()]
    if missing:
        log.warning("working-day calendar has no holidays for %s", missing)
    return missing


@shared_task(soft_time_limit=240, time_limit=300)
def sweep_terms() -> dict:
    """Every minute: mark and escalate missed terms, write the reminders that have come due, the
    09:00 digest once a day, rescue notices of dead workers, and queue what is to be delivered.
    Every step is idempotent (conditional UPDATEs and unique notice keys): two sweeps at once, or
    a sweep run again after a crash, send nothing twice."""
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


# Less than the soft time limit: a notice being sent when it is reached still has its time.
DELIVERY_SECONDS = 30


@shared_task(soft_time_limit=50, time_limit=60)
def deliver_notices(notice_ids: list[int]) -> dict:
    """Deliver a batch of notices from the outbox (each at most once per claim; see
    prosecution/outbox.py). The hard limit is below NOTICE_LEASE_SECONDS: a live worker never
    loses a notice it claimed. What is left when DELIVERY_SECONDS are up (a slow mail server)
    goes on in a new task; what the soft limit cuts off, the sweep queues again."""
    try:
        outcomes, rest = outbox.deliver_batch(notice_ids, until=time.monotonic() + DELIVERY_SECONDS)
    except SoftTimeLimitExceeded:
        log.warning("outbox: a batch of %s notices ran out of time", len(notice_ids))
        return {"cut off": len(notice_ids)}
    if rest:
        deliver_notices.delay(rest)
    return dict(outcomes, handed_on=len(rest))


@shared_task(soft_time_limit=50, time_limit=60)
def deliver_notice(notice_id: int) -> str:
    """One notice: what versions before the batches put on the broker (a message may wait there
    through an upgrade)."""
    return outbox.deliver(notice_id)


@shared_task(soft_time_limit=50, time_limit=60)
def dispatch_notices() -> int:
    """Queue the notices just written (queued on commit by outbox.save)."""
    return len(outbox.dispatch())


@shared_task(soft_time_limit=50, time_limit=60)
def anchor_audit_log() -> int | None:
    """Hourly: the audit log's head written outside the database (prosecution/audit.py)."""
    anchor = audit.take_anchor()
    return anchor.seq if anchor else None


@shared_task(soft_time_limit=50, time_limit=60)
def purge_public_guards() -> int:
    """Hourly: rate-limit windows and one-time codes that are of no further use."""
    return ratelimit.purge() + confirmations.purge()


# Less than the soft time limit: the chunk under way finishes, then the task hands over.
RECOMPUTE_SECONDS = 180


@shared_task(soft_time_limit=240, time_limit=300)
def recompute_terms_after_calendar_change(after: int = 0) -> int:
    """A decree moved a day: recompute every open term whose due date changes; the responsible
    person is told the old and new date. A chunk of terms at a time; when its time is up, the task
    queues itself to go on after the last term it read (a decree that a third of a million terms
    count moves for minutes)."""
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
