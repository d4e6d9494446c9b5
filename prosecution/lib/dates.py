"""Dates a person or a program enters, within reason (docs/security.md 26; issue 14).

One rule for every date field of every form and serializer, given as a validator:
- a floor: the system keeps no record of anything before RECORDS_START (settings; 2000-01-01, the
  start of its records). An appeal "received" on 0001-01-01 was registered, its term marked missed
  and escalated, and the office's overdue count rose; a typo 0206-12-01 got a number of year 206;
- a ceiling: LAST_DAY (2100-12-31), far beyond any term the law sets, and far enough inside
  Python's dates that the arithmetic of terms (up to 3,660 units from a start) never overflows
  (9999-12-31 + 15 working days answered 500);
- no future where the law forbids it: the day something happened (an appeal received, a violation
  learned of, a check completed, an answer sent) is today at the latest (`HAPPENED`).

`PLANNED` is for a day ahead or behind (a due date, a schedule, a filter); `HAPPENED` for a day
something was done. A rule that depends on the record (an answer sent before the appeal came, an
extension beyond two months) is the service's, with its article.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

LAST_DAY = date(2100, 12, 31)


def records_start() -> date:
    return settings.RECORDS_START


@deconstructible
class WithinReason:
    """The validator: `floor` (default RECORDS_START), LAST_DAY, and with `past_only` not after
    today (Almaty)."""

    def __init__(self, *, past_only: bool = False, floor: date | None = None) -> None:
        self.past_only = past_only
        self.floor = floor

    def __call__(self, value: date | datetime) -> None:
        if isinstance(value, datetime):
            value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        floor = self.floor or records_start()
        if value < floor:
            raise ValidationError(
                _("The date cannot be before %(floor)s.") % {"floor": _shown(floor)},
                code="date_floor",
            )
        if self.past_only and value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="date_future")
        if value > LAST_DAY:
            raise ValidationError(
                _("The date cannot be after %(last)s.") % {"last": _shown(LAST_DAY)},
                code="date_ceiling",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WithinReason) and (self.past_only, self.floor) == (
            other.past_only,
            other.floor,
        )


def _shown(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


HAPPENED = WithinReason(past_only=True)
PLANNED = WithinReason()


def check_year(value: int) -> None:
    """A year a filter names: one of the years a date may have."""
    if not records_start().year <= value <= LAST_DAY.year:
        raise ValidationError(
            _("A year from %(first)s to %(last)s.")
            % {"first": records_start().year, "last": LAST_DAY.year},
            code="year_range",
        )
