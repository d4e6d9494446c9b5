"""Receivers of the appeals app, connected in AppealsConfig.ready. The `prosecution` app keeps the
working-day calendar and imports no app; what a calendar edit means for receptions is said here."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from appeals.tasks import rehome_bookings_off_reception_days
from prosecution.models import CalendarDay


@receiver(post_save, sender=CalendarDay, dispatch_uid="appeals.calendar_changed")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="appeals.calendar_deleted")
def calendar_changed(*, raw: bool = False, **_kwargs) -> None:
    """A booked day may have become a day off: once the edit is committed (a worker must see
    it), a worker moves or cancels the bookings on it (appeals/reception/days.py)."""
    if raw:
        return  # loaddata restoring rows (fixtures, test rollbacks) is not a decree
    transaction.on_commit(rehome_bookings_off_reception_days.delay)
