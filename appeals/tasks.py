"""Workers of the appeals app: they take ids, call one service, and return quietly if the row is
gone."""

from celery import shared_task


@shared_task(soft_time_limit=50, time_limit=60)
def build_answer_letter(letter_id: int) -> str:
    """Render the answer letter's PDF (WeasyPrint, time-limited)."""
    # Imported here: WeasyPrint is heavy, and the other tasks of this module (the reception
    # reminders) must load without it.
    from appeals import letters

    return letters.build(letter_id)


@shared_task(soft_time_limit=240, time_limit=300)
def purge_online_filings() -> int:
    """Hourly: online appeals never confirmed, with their files, after a day."""
    from appeals.services.intake import purge_online_filings as purge

    return purge()


@shared_task(soft_time_limit=120, time_limit=150)
def send_reception_reminders() -> dict:
    """Every five minutes (prosecution/beat.py): the reminders of receptions that have come due,
    holds whose code was never confirmed, and unconfirmed bookings a day old (personal data).
    Every step is idempotent (appeals/reception/reminders.py)."""
    from appeals.reception import changes, reminders

    return {
        "reminded": reminders.send_reminders(),
        "expired": changes.expire_holds(),
        "purged": changes.purge_unconfirmed(),
    }


@shared_task(soft_time_limit=240, time_limit=300)
def rehome_bookings_off_reception_days() -> dict:
    """A decree moved a day (appeals/signals.py queues this once the edit is committed), or staff
    called off a reception day: the bookings on a day that is no longer a reception day are moved
    to the official's nearest free slot, or cancelled if there is none, and the citizens told.
    Idempotent (appeals/reception/days.py)."""
    from appeals.reception import days
    from prosecution import workdays

    # This worker may have checked its calendar a moment before the edit was committed; it would
    # keep that copy for up to workdays.RECHECK_SECONDS. The edit is the reason we run: read it.
    workdays.invalidate()
    result = days.rehome_bookings_off_reception_days()
    return {"moved": result.moved, "cancelled": result.cancelled}
