"""Celery tasks of the hierarchy and the calendar."""

import logging

from celery import shared_task
from django.utils import timezone

from prosecution import workdays

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
