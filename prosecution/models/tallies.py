"""Counts of terms kept ahead of time for the supervisors' dashboard (issue 3; bench/README.md).

Counting the active terms of the whole republic on each request costs ~700 ms at a million terms;
these narrow tables hold the same counts at the grain of each figure of the dashboard, and
prosecution/terms/tallies.py changes them in the same transaction as every change of a term, so that
they are never behind. Each row is a number of terms sharing a key; a row that reaches 0 is
deleted.

Bands are computed when the dashboard is read, from today's date; nothing is re-banded as days
pass. The band of a suspended or missed term does not depend on the day, and the band of an open
one only on its due date: so the active terms are counted by state without their due dates
(ActiveTermsBy*: a key with the due date of every term had 675,000 rows at a million terms in the
benchmark, as most people have one term of a kind on a day, and summing them was hardly cheaper
than counting the terms), and the open ones also by due date at a coarser grain (OpenTermsBy*),
of which the dashboard reads only those due by the end of "due soon". Each tally carries
`office_path` and `is_classified`, so that the one access policy
(prosecution.offices.access.visible_to) scopes its rows exactly as it scopes the terms.

`n` has no CHECK (n >= 0): PostgreSQL checks the row that an INSERT ... ON CONFLICT proposes before
it finds the conflict, so a decrement, proposed as a negative row to add to the existing one, would
always fail it. prosecution/terms/tallies.py reads back every count it writes and refuses (rolling
the change of the term back) if one is negative or a row was missing.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from prosecution.models.terms import TermKind, TermState
from prosecution.offices.tree import PATH_MAX_LENGTH

# The keys of the tallies, as the columns of Term.
ACTIVE_BY_KIND = ("office_path", "kind", "state", "is_classified")
ACTIVE_BY_PERSON = ("office_path", "responsible_id", "state", "is_classified")
OPEN_BY_KIND_AND_DAY = ("office_path", "kind", "due_date", "is_classified")
OPEN_BY_PERSON_AND_DAY = ("office_path", "responsible_id", "due_date", "is_classified")
LATE_BY_DAY = ("office_path", "due_date", "is_classified")

ACTIVE_STATE_CHOICES = [
    (state.value, state.label) for state in (TermState.OPEN, TermState.SUSPENDED, TermState.MISSED)
]


class Tally(models.Model):
    """A number of terms sharing a key: the columns named by KEY (as on Term)."""

    KEY: tuple[str, ...] = ()

    office_path = models.CharField(max_length=PATH_MAX_LENGTH)
    is_classified = models.BooleanField()
    n = models.IntegerField(_("terms"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return " ".join(str(getattr(self, column)) for column in self.KEY) + f": {self.n}"


def _key(key: tuple[str, ...], name: str) -> models.UniqueConstraint:
    """The key of the upserts of prosecution/terms/tallies.py (ON CONFLICT). NULL (nobody) is one
    key and not a new one for each row: the index is on COALESCE(responsible_id, 0), which ON
    CONFLICT names on PostgreSQL and SQLite alike (user ids start at 1)."""
    parts = [Coalesce("responsible", Value(0)) if c == "responsible_id" else F(c) for c in key]
    return models.UniqueConstraint(*parts, name=name)


def _indexes(prefix: str, *, by_day: bool) -> list[models.Index]:
    # A region or a district: a prefix of the path (varchar_pattern_ops: LIKE 'prefix%' with a
    # collation other than C), then a range of days.
    scope = ["office_path", "due_date"] if by_day else ["office_path"]
    opclasses = ["varchar_pattern_ops", "date_ops"] if by_day else ["varchar_pattern_ops"]
    indexes = [models.Index(fields=scope, opclasses=opclasses, name=f"{prefix}_scope_idx")]
    if by_day:  # the republic: every office, a range of days
        indexes.append(models.Index(fields=["due_date"], name=f"{prefix}_day_idx"))
    return indexes


def _responsible() -> models.ForeignKey:
    # A foreign key for joins, without a constraint: when a user is deleted, Term.responsible's
    # SET_NULL moves their terms to nobody, and prosecution/terms/receivers.py moves their counts
    # likewise (prosecution.terms.tallies.forget_person).
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )


class ActiveTermsByKind(Tally):
    """Open, suspended and missed terms by office, kind and state: the dashboard's roll-up through
    the hierarchy and its breakdown by kind."""

    KEY = ACTIVE_BY_KIND

    kind = models.CharField(max_length=40, choices=TermKind.choices)
    state = models.CharField(max_length=20, choices=ACTIVE_STATE_CHOICES)

    class Meta:
        verbose_name = _("active terms by kind")
        verbose_name_plural = _("active terms by kind")
        constraints = [_key(ACTIVE_BY_KIND, "tally_kind_key")]
        indexes = _indexes("tally_kind", by_day=False)


class ActiveTermsByPerson(Tally):
    """Open, suspended and missed terms by office, responsible person and state: the dashboard's
    people with the most overdue terms."""

    KEY = ACTIVE_BY_PERSON

    responsible = _responsible()
    state = models.CharField(max_length=20, choices=ACTIVE_STATE_CHOICES)

    class Meta:
        verbose_name = _("active terms by person")
        verbose_name_plural = _("active terms by person")
        constraints = [_key(ACTIVE_BY_PERSON, "tally_person_key")]
        indexes = _indexes("tally_person", by_day=False)


class OpenTermsByKindAndDay(Tally):
    """Open terms by office, kind and due date: the roll-up's split of the open terms due by the
    end of "due soon" into overdue, due today and due soon (the rest are on time)."""

    KEY = OPEN_BY_KIND_AND_DAY

    kind = models.CharField(max_length=40, choices=TermKind.choices)
    due_date = models.DateField()

    class Meta:
        verbose_name = _("open terms by kind and day")
        verbose_name_plural = _("open terms by kind and day")
        constraints = [_key(OPEN_BY_KIND_AND_DAY, "tally_open_kind_key")]
        indexes = _indexes("tally_open_kind", by_day=True)


class OpenTermsByPersonAndDay(Tally):
    """Open terms by office, responsible person and due date: the same split for the people."""

    KEY = OPEN_BY_PERSON_AND_DAY

    responsible = _responsible()
    due_date = models.DateField()

    class Meta:
        verbose_name = _("open terms by person and day")
        verbose_name_plural = _("open terms by person and day")
        constraints = [_key(OPEN_BY_PERSON_AND_DAY, "tally_open_person_key")]
        indexes = _indexes("tally_open_person", by_day=True)


class LateTermsByDay(Tally):
    """Terms missed, or met after their due date, by office and due date: the dashboard's trend of
    missed terms per week. Closed terms stay counted (the trend looks back 12 weeks)."""

    KEY = LATE_BY_DAY

    due_date = models.DateField()

    class Meta:
        verbose_name = _("late terms by day")
        verbose_name_plural = _("late terms by day")
        constraints = [_key(LATE_BY_DAY, "tally_late_key")]
        indexes = _indexes("tally_late", by_day=True)


# Which terms each tally counts, as a condition on the term table (the rebuild and the checks of
# prosecution/terms/tallies.py); tallies.py holds the same conditions in Python for the changes.
COUNTS_ACTIVE = Q(state__in=[TermState.OPEN, TermState.SUSPENDED, TermState.MISSED])
COUNTS_OPEN = Q(state=TermState.OPEN)
COUNTS_LATE = Q(state=TermState.MISSED) | Q(state=TermState.MET, met_on__gt=F("due_date"))
