"""Receivers. The working-day calendar is cached per process: an edit drops the cache at once, and
once the edit is committed the open terms are recomputed by a worker."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from prosecution import workdays
from prosecution.models import CalendarDay


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def calendar_changed(*, raw: bool = False, **_kwargs) -> None:
    from prosecution.tasks import recompute_terms_after_calendar_change

    if raw:
        return  # loaddata restoring rows (fixtures, test rollbacks) is not a decree
    workdays.invalidate()
    transaction.on_commit(recompute_terms_after_calendar_change.delay)
