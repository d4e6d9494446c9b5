"""The register of legality checks kept by the Committee on Legal Statistics and Special Accounts
(Art. 18(4), 19(1)): a resolution sent for registration waits here until a registration officer
registers it, with a number unique in its year, or refuses it with reasons. A refused resolution
stays in the register; the prosecutor may correct it and send it again (a new entry).

Below it, the archive of monthly reports (issue 17, legal_statistics/monthly.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from prosecution.models import Office
from prosecution.offices.tree import PATH_MAX_LENGTH

_USER = settings.AUTH_USER_MODEL


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Awaiting registration")
    REGISTERED = "registered", _("Registered")
    REFUSED = "refused", _("Refused")
    # The check was cancelled while its resolution waited: nothing left to register.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Registration(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legality_check = models.ForeignKey(
        "supervision.Check",
        verbose_name=_("legality check"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    # The register that keeps the entry: the Committee (its officers, and those of departments
    # placed below it, see it through the one access policy).
    office = models.ForeignKey(
        Office, verbose_name=_("register"), on_delete=models.PROTECT, related_name="+"
    )
    # The appointing office, copied from the check: officers of a legal statistics department in
    # a regional office register the checks of that region (legal_statistics/services.py).
    check_office = models.ForeignKey(
        Office, verbose_name=_("appointing office"), on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the check: a classified resolution is seen only by cleared officers.
    is_classified = models.BooleanField(_("classified"), default=False)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=RegistrationState.choices,
        default=RegistrationState.PENDING,
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    reference = models.CharField(
        _("registration number"), max_length=40, null=True, blank=True, unique=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField(_("reasons for refusal"), blank=True)

    class Meta:
        verbose_name = _("registration of a check")
        verbose_name_plural = _("registrations of checks")
        ordering = ["sent_at", "pk"]
        constraints = [
            # One number per year, once (prosecution/lib/numbering.py gives them without gaps).
            models.UniqueConstraint(fields=["year", "number"], name="registration_number_per_year"),
            # A resolution waits in, or is entered into, the register once at a time: two officers
            # deciding it at once, or two sends, cannot make two registrations.
            models.UniqueConstraint(
                fields=["legality_check"],
                condition=Q(state__in=["pending", "registered"]),
                name="registration_one_live_per_check",
            ),
            models.CheckConstraint(
                condition=~Q(state="registered")
                | (
                    Q(number__isnull=False)
                    & Q(year__isnull=False)
                    & Q(reference__isnull=False)
                    & Q(decided_at__isnull=False)
                ),
                name="registration_registered_has_a_number",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""),
                name="registration_refused_has_reasons",
            ),
        ]
        indexes = [
            # The queue of a register (legal_statistics/register.py register_queue): what waits,
            # oldest first.
            models.Index(
                fields=["office", "sent_at"],
                condition=Q(state="pending"),
                name="registration_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.legality_check_id} ({self.get_state_display()})"


# The monthly report (issue 17) ---------------------------------------------------------------


class MonthlyReportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Being built")
    BUILT = "built", _("Built")
    FAILED = "failed", _("Failed")


class MonthlyReport(models.Model):
    """The monthly report of an office in one language (legal_statistics/monthly.py): every
    report of legal_statistics/reports/ for the office and everything below it, the month beside
    the same month a year before, as a PDF kept in the private files. The beat claims a month by
    inserting these rows: the unique constraint lets one insert win, so two beats, or a beat and a
    person at the same moment, build it once. `done` of `total` is the build's progress: the
    reports counted, then the document rendered."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("month"), max_length=7)  # "2026-11" (reports/periods.py)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=MonthlyReportState.choices,
        default=MonthlyReportState.QUEUED,
    )
    done = models.PositiveSmallIntegerField(_("done"), default=0)
    total = models.PositiveSmallIntegerField(_("steps"))
    # Null: built by the monthly run of the beat (its head is told when it is built).
    requested_by = models.ForeignKey(
        _USER,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # When the build that holds it began: a build older than the lease was lost with its worker.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    stored_name = models.CharField(max_length=200, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-period", "office__path", "language"]
        constraints = [
            # The claim: one report per office, month and language, whoever asks how often.
            models.UniqueConstraint(
                fields=["office", "period", "language"], name="monthly_report_once"
            ),
            models.CheckConstraint(
                condition=Q(period__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
                name="monthly_report_period_is_a_month",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="monthly_report_progress"
            ),
            models.CheckConstraint(
                condition=~Q(state="built")
                | (~Q(stored_name="") & Q(built_at__isnull=False) & Q(done=models.F("total"))),
                name="monthly_report_built_has_a_file",
            ),
        ]
        indexes = [
            # The monthly run: the offices whose report of the month is claimed already.
            models.Index(fields=["period", "office"], name="monthly_report_period_idx"),
            # The rescue step of the monthly run: builds lost with their message or worker.
            models.Index(
                fields=["requested_at"],
                condition=Q(state__in=["queued", "building"]),
                name="monthly_report_unfinished_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.period} [{self.language}]"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


# --- The reports' figures counted ahead (legal_statistics/reports/tallies.py) ---------------------
#
# A report kept in tallies (Report.tallied_by: appeals, checks, acts) is read from these rows for
# periods of whole months, instead of counting a national table on every request. Each row carries
# `office_path` like the records, so that an office's move (prosecution.offices.services
# .move_office) moves its counts with its records. `n` has no CHECK (n >= 0), as the terms'
# tallies have not (prosecution/models/tallies.py): the upsert that adds a difference reads every
# count back and refuses a negative one. `is_classified` keeps the classified records' counts apart,
# for the readers cleared to see them (prosecution/offices/access.py visible_to).

REPORT_KEY_LENGTH = 20
FIGURE_KEY_LENGTH = 60
TALLY_KEY = ("report", "figure", "office_path", "is_classified", "month")
REPEAT_KEY = ("report", "figure", "office_path", "is_classified", "first", "second")


class FigureTally(models.Model):
    """How many records a figure of a report counts in an office in a month: the records that meet
    the figure's condition for that month (Figure.condition), each once."""

    KEY = TALLY_KEY

    report = models.CharField(max_length=REPORT_KEY_LENGTH)
    figure = models.CharField(max_length=FIGURE_KEY_LENGTH)
    office_path = models.CharField(max_length=PATH_MAX_LENGTH)
    is_classified = models.BooleanField(default=False)
    month = models.DateField()  # its first day
    n = models.IntegerField(_("records"))

    class Meta:
        verbose_name = _("figure's tally")
        verbose_name_plural = _("figures' tallies")
        constraints = [models.UniqueConstraint(fields=TALLY_KEY, name="figure_tally_key")]
        indexes = [
            # A region or a district: a prefix of the path (varchar_pattern_ops: LIKE 'prefix%'
            # under any collation), then the months; the republic reads the months of every path.
            models.Index(
                fields=["report", "office_path", "month"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
                name="figure_tally_scope_idx",
            ),
            models.Index(fields=["report", "month"], name="figure_tally_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report}/{self.figure} {self.office_path} {self.month:%Y-%m}: {self.n}"


class FigureRepeat(models.Model):
    """Records a figure counts in two months, `first` and the next month it counts them in,
    `second` (a record extended in March and again in May: one row, March to May). A period of
    whole months counts such a record in each of its months; these rows take the repeats away, so
    that the figure counts every record once (legal_statistics/reports/tallies.py). They are few:
    most records meet a figure in one month only."""

    KEY = REPEAT_KEY

    report = models.CharField(max_length=REPORT_KEY_LENGTH)
    figure = models.CharField(max_length=FIGURE_KEY_LENGTH)
    office_path = models.CharField(max_length=PATH_MAX_LENGTH)
    is_classified = models.BooleanField(default=False)
    first = models.DateField()
    second = models.DateField()
    n = models.IntegerField(_("records"))

    class Meta:
        verbose_name = _("figure's repeat")
        verbose_name_plural = _("figures' repeats")
        constraints = [
            models.UniqueConstraint(fields=REPEAT_KEY, name="figure_repeat_key"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="figure_repeat_order"),
        ]
        indexes = [models.Index(fields=["report", "first"], name="figure_repeat_first_idx")]

    def __str__(self) -> str:
        months = f"{self.first:%Y-%m}..{self.second:%Y-%m}"
        return f"{self.report}/{self.figure} {self.office_path} {months}: {self.n}"


class TalliedRecord(models.Model):
    """What the tallies count of one record: the months of each figure it meets (`months`,
    {figure: ["2026-03", ...]}) in its office. A change of the record is counted as the difference
    between this and what the record meets now, under this row's lock."""

    report = models.CharField(max_length=REPORT_KEY_LENGTH)
    record_id = models.BigIntegerField()
    office_path = models.CharField(max_length=PATH_MAX_LENGTH)
    is_classified = models.BooleanField(default=False)
    months = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "record_id"], name="tallied_record_once")
        ]

    def __str__(self) -> str:
        return f"{self.report}/{self.record_id}"


class TalliesBuilt(models.Model):
    """The reports whose tallies were counted from all their records (a fresh database, or
    `manage.py rebuild_report_tallies` after an upgrade): a report without a row here is counted
    from its records, never from tallies that may miss some."""

    report = models.CharField(max_length=REPORT_KEY_LENGTH, unique=True)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.report
