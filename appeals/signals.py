"""Receivers of the appeals app, connected in AppealsConfig.ready. The `prosecution` app keeps the
working-day calendar and imports no app; what a calendar edit means for receptions is said here.
The supervision app completes checks; what that means for an appeal on check is said here too."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from appeals.services.deadlines import check_completed
from appeals.tasks import rehome_bookings_off_reception_days
from prosecution.models import CalendarDay
from supervision.signals import check_completed as check_completed_signal


@receiver(post_save, sender=CalendarDay, dispatch_uid="appeals.calendar_changed")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="appeals.calendar_deleted")
def calendar_changed(*, raw: bool = False, **_kwargs) -> None:
    """A booked day may have become a day off: once the edit is committed (a worker must see
    it), a worker moves or cancels the bookings on it (appeals/reception/days.py)."""
    if raw:
        return  # loaddata restoring rows (fixtures, test rollbacks) is not a decree
    transaction.on_commit(rehome_bookings_off_reception_days.delay)


@receiver(check_completed_signal, dispatch_uid="appeals.check_completed")
def legality_check_completed(*, check, by=None, on, **_kwargs) -> None:
    """Art. 24(4): a check appointed on an appeal is completed; the appeal's final answer is due
    within 10 working days. A receiver, not a call from supervision: appeals are built on
    supervision (an appeal links its check), and supervision imports no app above it. Run in the
    completion's transaction: the term opens with the completion or not at all."""
    check_completed(check, by=by, on=on)
