"""Gapless numbering: the last number given in a scope, by an office, in a year."""

from django.db import models


class NumberCounter(models.Model):
    """The last number given in `scope` (e.g. "check_registration") by `office` in `year`. Numbers
    are unique per scope, office and year and given without gaps, by one atomic UPDATE that holds
    the row lock until the registration commits (prosecution/lib/numbering.py)."""

    scope = models.CharField(max_length=40)
    office = models.ForeignKey("prosecution.Office", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "office", "year"], name="numbercounter_scope_office_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.office_id}/{self.year}: {self.last}"
