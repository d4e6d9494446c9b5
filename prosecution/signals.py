"""Receivers. The working-day calendar is cached per process: an edit drops the cache at once, and
once the edit is committed the open terms are recomputed by a worker. A deleted user's counts in
the dashboard's tallies go to nobody, as their terms do (Term.responsible is SET_NULL, which
Django applies without a service)."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from prosecution import tallies, workdays
from prosecution.models import CalendarDay


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def calendar_changed(*, raw: bool = False, **_kwargs) -> None:
    from prosecution.tasks import recompute_terms_after_calendar_change

    if raw:
        return  # loaddata restoring rows (fixtures, test rollbacks) is not a decree
    workdays.invalidate()
    transaction.on_commit(recompute_terms_after_calendar_change.delay)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def user_deleted(*, instance, **_kwargs) -> None:
    # Inside the deletion's transaction, before Django sets the terms' responsible to NULL.
    tallies.forget_person(instance.pk)
