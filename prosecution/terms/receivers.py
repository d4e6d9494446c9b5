"""Receivers of the timers. The working-day calendar is cached per process: an edit drops the cache
at once, and once the edit is committed the open terms are recomputed by a worker. A deleted user's
counts in the dashboard's tallies go to nobody, as their terms do (Term.responsible is SET_NULL,
which Django applies without a service). A notice that is itself an obligation meets its term when
it is delivered (the outbox says so through notices.signals.delivered: the outbox sits below the
terms and does not call them)."""

import contextlib

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from prosecution import workdays
from prosecution.lib.errors import RuleViolation
from prosecution.models import CalendarDay, Notice, Term, TermState
from prosecution.notices.signals import delivered
from prosecution.terms import engine as terms
from prosecution.terms import tallies
from prosecution.terms.tasks import recompute_terms_after_calendar_change


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def calendar_changed(*, raw: bool = False, **_kwargs) -> None:
    if raw:
        return  # loaddata restoring rows (fixtures, test rollbacks) is not a decree
    workdays.invalidate()
    transaction.on_commit(recompute_terms_after_calendar_change.delay)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def user_deleted(*, instance, **_kwargs) -> None:
    # Inside the deletion's transaction, before Django sets the terms' responsible to NULL.
    tallies.forget_person(instance.pk)


@receiver(delivered)
def notice_delivered(*, notice: Notice, **_kwargs) -> None:
    """A notice that is itself an obligation with a term (Art. 24(5): the applicant is told of an
    extension within 3 working days) meets that term when it is delivered, not when it is
    written: a notice that fails leaves the term open, so staff see it and tell the applicant
    another way. The first channel delivered meets it; the others find it met."""
    if not (notice.term_id and notice.context.get("fulfils_term")):
        return
    term = Term.objects.filter(
        pk=notice.term_id, state__in=[TermState.OPEN, TermState.MISSED]
    ).first()
    if term is None:
        return
    with contextlib.suppress(RuleViolation):  # met by another channel a moment ago
        terms.meet_term(
            term,
            on=timezone.localdate(),
            system=True,
            note=f"{notice.get_channel_display()}: {notice.address or notice.recipient_id}",
        )
