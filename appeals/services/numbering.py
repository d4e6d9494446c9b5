"""Registration numbers: unique per office and year, given in order without gaps (a number taken
by a transaction that rolls back is given again)."""

from django.db import IntegrityError, transaction
from django.db.models import F

from appeals.models import RegistrationCounter
from prosecution.models import Office


def next_number(office: Office, year: int) -> int:
    """The next number of `office` in `year`. The UPDATE takes the counter's row lock until the
    registration commits, so two registrations at once get two numbers, one after the other.
    Must run inside the registration's transaction."""
    counter = RegistrationCounter.objects.filter(office=office, year=year)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # a savepoint: the first of the year may race
                RegistrationCounter.objects.create(office=office, year=year, last=1)
            return 1
        except IntegrityError:
            counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()


def reference(office: Office, year: int, number: int) -> str:
    return f"{office.code}/{year}/{number:05d}"
