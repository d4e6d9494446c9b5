"""The outbox's tasks: notices queued and delivered.

Tasks take ids or nothing, call services (imported inside the task's body: services import their
tasks at module level, never the other way round), and are safe to run twice. Each keeps the name it
was registered under when all tasks lived in one module, prosecution.tasks: the beat schedule and
messages already on the broker use it."""

import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

log = logging.getLogger(__name__)

# Less than the soft time limit: a notice being sent when it is reached still has its time.
DELIVERY_SECONDS = 30


@shared_task(name="prosecution.tasks.deliver_notices", soft_time_limit=50, time_limit=60)
def deliver_notices(notice_ids: list[int]) -> dict:
    """Deliver a batch of notices from the outbox (each at most once per claim; see
    prosecution/notices/outbox.py). The hard limit is below NOTICE_LEASE_SECONDS: a live worker
    never loses a notice it claimed. What is left when DELIVERY_SECONDS are up (a slow mail server)
    goes on in a new task; what the soft limit cuts off, the sweep queues again."""
    from prosecution.notices import outbox

    try:
        outcomes, rest = outbox.deliver_batch(notice_ids, until=time.monotonic() + DELIVERY_SECONDS)
    except SoftTimeLimitExceeded:
        log.warning("outbox: a batch of %s notices ran out of time", len(notice_ids))
        return {"cut off": len(notice_ids)}
    if rest:
        deliver_notices.delay(rest)
    return dict(outcomes, handed_on=len(rest))


@shared_task(name="prosecution.tasks.deliver_notice", soft_time_limit=50, time_limit=60)
def deliver_notice(notice_id: int) -> str:
    """One notice: what versions before the batches put on the broker (a message may wait there
    through an upgrade)."""
    from prosecution.notices import outbox

    return outbox.deliver(notice_id)


@shared_task(name="prosecution.tasks.dispatch_notices", soft_time_limit=50, time_limit=60)
def dispatch_notices() -> int:
    """Queue the notices whose time has come. outbox.save no longer queues this on every commit
    (it dispatches its own notices); kept for the messages that versions before put on the
    broker, and for an operator's `celery call`."""
    from prosecution.notices import outbox

    return len(outbox.dispatch())
