"""Registration numbers: unique per register, office and year, given in order without gaps (a
number taken by a transaction that rolls back is given again). One mechanism for every register:
the checks' (NumberCounter, keyed by scope) and the appeals' (their RegistrationCounter, kept in
appeals.models since before this one)."""

from django.db import IntegrityError, models, transaction
from django.db.models import F

from prosecution.models import NumberCounter, Office


def take(counter_model: type[models.Model], **key: object) -> int:
    """The next number of the counter row `key` of `counter_model` (a model with the key's
    fields and `last`). The UPDATE takes the row's lock until the caller's transaction commits,
    so two registrations at once get two numbers, one after the other. Must run inside the
    registration's transaction."""
    counter = counter_model._default_manager.filter(**key)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # a savepoint: the first of the year may race
                counter_model._default_manager.create(**key, last=1)
            return 1
        except IntegrityError:
            counter.update(last=F("last") + 1)
    return int(counter.values_list("last", flat=True).get())


def next_number(*, scope: str, office: Office, year: int) -> int:
    """The next number of the register `scope` in `office` in `year`."""
    return take(NumberCounter, scope=scope, office=office, year=year)
