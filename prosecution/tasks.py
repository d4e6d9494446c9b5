"""Celery tasks of the hierarchy and the calendar."""

import logging

from celery import shared_task
from django.utils import timezone

from prosecution import terms, workdays

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
def sweep_terms() -> int:
    """Mark the terms whose due date has passed as missed. Idempotent: each term is claimed by a
    conditional UPDATE, so overlapping sweeps mark it once."""
    return terms.mark_missed()


@shared_task(soft_time_limit=240, time_limit=300)
def recompute_terms_after_calendar_change() -> int:
    """A decree moved a day: recompute every open term whose due date changes (and log it)."""
    changed = terms.recompute_after_calendar_change()
    for term, old_due in changed:
        log.info("term %s: due %s -> %s after a calendar change", term.pk, old_due, term.due_date)
    return len(changed)
