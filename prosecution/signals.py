"""Receivers. The working-day calendar is cached per process: an edit drops the cache at once."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from prosecution import workdays
from prosecution.models import CalendarDay


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def calendar_changed(**_kwargs) -> None:
    workdays.invalidate()
