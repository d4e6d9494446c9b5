"""Registration numbers of any register (checks with legal statistics, ...): unique per scope,
office and year, given in order without gaps (a number taken by a transaction that rolls back is
given again). Appeals still keep their own counter (appeals/services/numbering.py)."""

from django.db import IntegrityError, transaction
from django.db.models import F

from prosecution.models import NumberCounter, Office


def next_number(*, scope: str, office: Office, year: int) -> int:
    """The next number of `scope` in `office` in `year`. The UPDATE takes the counter's row lock
    until the caller's transaction commits, so two registrations at once get two numbers, one
    after the other. Must run inside the registration's transaction."""
    counter = NumberCounter.objects.filter(scope=scope, office=office, year=year)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # a savepoint: the first of the year may race
                NumberCounter.objects.create(scope=scope, office=office, year=year, last=1)
            return 1
        except IntegrityError:
            counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()
