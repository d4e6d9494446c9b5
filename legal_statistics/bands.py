"""The deadline bands of the supervisors' dashboard. Every active term (open, suspended, missed) is
in exactly one band on a given day:

- overdue: missed, or open with the due date passed (docs/rules.md: "overdue" starts the day after
  the due date; the sweep marks such terms missed within a minute, the band does not wait for it);
- due today; due within 3 working days (after today, up to the third working day from today);
- on time: open and due later than that;
- suspended: the clock is stopped (Art. 18(4)); the stored due date is recomputed at resumption, so
  a suspended term is neither overdue nor on time.

The conditions are written once, as Q objects: the roll-up counts with them (COUNT ... FILTER) and
the item list and the exports label each term with them (CASE WHEN), so the two always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.db import models
from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from prosecution import workdays
from prosecution.models import TermState

SOON_WORKING_DAYS = 3


class Band(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    DUE_TODAY = "due_today", _("Due today")
    DUE_SOON = "due_soon", _("Due within 3 working days")
    ON_TIME = "on_time", _("On time")
    SUSPENDED = "suspended", _("Suspended")


@dataclass(frozen=True)
class Horizon:
    """Today and the last day of "due within 3 working days" (a Friday reaches to Wednesday; a
    holiday pushes it further)."""

    today: date
    soon_until: date

    @classmethod
    def on(cls, today: date) -> Horizon:
        return cls(today, workdays.add_working_days(today, SOON_WORKING_DAYS))

    def condition(self, band: Band | str) -> Q:
        # Keyword arguments of a Q are sorted: the date comparison comes before the state
        # comparison in SQL, and is the cheaper one to fail first at a million rows.
        today, soon = self.today, self.soon_until
        return {
            Band.OVERDUE: Q(due_date__lt=today, state=TermState.OPEN) | Q(state=TermState.MISSED),
            Band.DUE_TODAY: Q(due_date=today, state=TermState.OPEN),
            Band.DUE_SOON: Q(due_date__gt=today, due_date__lte=soon, state=TermState.OPEN),
            Band.ON_TIME: Q(due_date__gt=soon, state=TermState.OPEN),
            Band.SUSPENDED: Q(state=TermState.SUSPENDED),
        }[Band(band)]

    def band_expression(self) -> Case:
        """The band of each row, for lists and exports."""
        return Case(
            *(When(self.condition(band), then=Value(band.value)) for band in Band),
            default=Value(""),
            output_field=CharField(),
        )


@dataclass
class BandCounts:
    overdue: int = 0
    due_today: int = 0
    due_soon: int = 0
    on_time: int = 0
    suspended: int = 0
    # Of these, the terms extended by a decision (Art. 24(4) an appeal's, Art. 18(4) a check's;
    # prosecution/terms/engine.py extend_term logs each as an "extended" event). Not a band: an
    # extended term is also in one of the bands above, so it is not part of `total`.
    extended: int = 0

    @property
    def total(self) -> int:
        return self.overdue + self.due_today + self.due_soon + self.on_time + self.suspended

    def get(self, band: Band | str) -> int:
        return getattr(self, Band(band).value)

    def as_dict(self) -> dict[str, int]:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "total": self.total}
