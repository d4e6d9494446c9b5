"""The working-day calendar: exceptions to the Monday-Friday week."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from prosecution.models.hierarchy import TrilingualName


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    DAY_OFF = "day_off", _("Day off (holiday moved from a weekend, or transferred)")
    WORKING_DAY = "working_day", _("Working day (a weekend day made working)")


class CalendarDay(TrilingualName):
    """An exception to the Monday-Friday week: the working-day calendar is data (Labour Code
    Art. 84-85; Law "On holidays" Art. 5). Seeded for 2020-2030 from the `holidays` package;
    administrators edit it when a Government decree or a Ministry order moves a day."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    legal_source = models.CharField(_("legal source"), max_length=300, blank=True)
    # Movable religious holidays (Kurban Ait) are only estimated by the library until the date is
    # announced; an administrator confirms them.
    is_estimate = models.BooleanField(_("estimated date"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("working-day calendar")
        ordering = ["date"]

    @property
    def is_working(self) -> bool:
        return self.kind == CalendarDayKind.WORKING_DAY
