"""Statutory terms: one row per timed obligation of any record of any app (the timers engine).

The dashboard reads this one narrow table: the owning office's path is copied onto the term so that
"everything below this office" is a prefix match on an indexed column, with no join.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prosecution.models.hierarchy import Office
from prosecution.offices.tree import PATH_MAX_LENGTH


class TermKind(models.TextChoices):
    APPEAL_ANSWER = "appeal_answer", _("Answer to an appeal")
    APPEAL_EXTENSION_NOTICE = "appeal_extension_notice", _("Telling the applicant of an extension")
    APPEAL_FINAL_AFTER_CHECK = "appeal_final_after_check", _("Final answer after a check")
    COMPLAINT_DECISION = "complaint_decision", _("Decision on a complaint against a prosecutor")
    # Art. 24(9): an appeal governed by a procedural code keeps the code's term, entered by staff.
    APPEAL_PROCEDURAL = "appeal_procedural", _("Procedural term of an appeal")
    CHECK_DURATION = "check_duration", _("Legality check")
    PROTEST_CONSIDERATION = "protest_consideration", _("Consideration of a protest")
    SUBMISSION_CONSIDERATION = "submission_consideration", _("Consideration of a submission")
    SUBMISSION_RESULTS = "submission_results", _("Report of the measures taken on a submission")
    INFORMATION_REQUEST = "information_request", _("Answer to a request for information")
    SET_BY_PROSECUTOR = "set_by_prosecutor", _("Term set by a prosecutor")
    # Art. 36(2): the addressee tells the prosecutor the time and place of consideration at least
    # 3 working days before it.
    SUBMISSION_CONSIDERATION_NOTICE = (
        "submission_consideration_notice",
        _("Telling the prosecutor of the consideration of a submission"),
    )
    # Art. 37(1)(9): a resolution suspends an act or action for at most 3 working days.
    ACT_SUSPENSION = "act_suspension", _("Suspension of an act by a resolution")


class TermUnitChoice(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    MONTHS = "months", _("months")


class TermState(models.TextChoices):
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended")
    MISSED = "missed", _("Missed")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATES = (TermState.OPEN, TermState.SUSPENDED, TermState.MISSED)


class Term(models.Model):
    """A timed obligation. The due date is always computed by prosecution/workdays.py from the
    stored parts, so that a change of the calendar can recompute it:

        due = fixed_due  or  due_date(count_from, length + extended_by - counted_before, unit)

    `count_from` is the day 0 (the start event, or the day before a resumption: Art. 18(4) "the
    count continues from the day it is resumed"); `counted_before` is the part of the term used
    before a suspension."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("subject"), max_length=200)

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT)
    # db_index: on PostgreSQL this also creates the varchar_pattern_ops index for LIKE prefix.
    office_path = models.CharField(max_length=PATH_MAX_LENGTH, editable=False, db_index=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="terms",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=TermKind.choices)
    # A term of classified material (copied from its record): only cleared staff of the owning
    # office chain see it (docs/rules.md "Secrecy"; prosecution/offices/access.py).
    is_classified = models.BooleanField(_("classified"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    start_event = models.CharField(_("start event"), max_length=200)
    start_date = models.DateField(_("start date"))
    unit = models.CharField(_("unit"), max_length=20, choices=TermUnitChoice.choices)
    length = models.PositiveIntegerField(_("term"))
    extended_by = models.PositiveIntegerField(_("extended by"), default=0)
    fixed_due = models.DateField(_("date set by a decision"), null=True, blank=True)
    count_from = models.DateField(editable=False)
    counted_before = models.PositiveIntegerField(default=0, editable=False)
    due_date = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=20, choices=TermState.choices, default=TermState.OPEN
    )
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    # How far the reminders of the current due date have gone (prosecution/terms/reminders.py:
    # reminder_windows); back to 0 whenever the due date moves, so that a new date is reminded too.
    reminder_stage = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["due_date"]
        constraints = [
            # One term of a kind per record: an app opening a term twice is a bug.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"], name="term_one_of_a_kind_per_subject"
            ),
            models.CheckConstraint(
                condition=Q(state="met", met_on__isnull=False) | ~Q(state="met"),
                name="term_met_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(state="suspended", suspended_on__isnull=False) | ~Q(state="suspended"),
                name="term_suspended_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")), name="term_due_not_before_start"
            ),
        ]
        indexes = [
            # The dashboard's roll-up (legal_statistics/selectors.py): active terms of a subtree,
            # WHERE office_path LIKE 'GPO/R-AKMOLA/%', counted by due-date band, kind and person
            # from the index alone. varchar_pattern_ops: a LIKE prefix needs it unless the
            # database collation is C (bench/README.md has the plans).
            models.Index(
                fields=["office_path", "due_date"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                include=["is_classified", "state", "kind", "responsible"],
                condition=Q(state__in=["open", "suspended", "missed"]),
                name="term_active_rollup_idx",
            ),
            # The dashboard's trend: terms missed or met late, of a subtree, by due date.
            models.Index(
                fields=["office_path", "due_date"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                include=["is_classified", "kind", "responsible"],
                condition=Q(state="missed") | Q(state="met", met_on__gt=models.F("due_date")),
                name="term_late_idx",
            ),
            # The sweep: open terms whose due date has passed, or is near (reminders).
            models.Index(fields=["due_date"], condition=Q(state="open"), name="term_open_due_idx"),
            # A person's terms by due date: "my terms" (prosecution.terms.selectors.my_active_terms)
            # and the daily digest's counts and most urgent items (prosecution/terms/reminders.py),
            # read from the index alone; the id orders terms due the same day.
            models.Index(
                fields=["responsible", "due_date", "id"],
                include=["state"],
                name="term_person_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_label} ({self.due_date})"


class TermEventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    EXTENDED = "extended", _("Extended")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")
    RECOMPUTED = "recomputed", _("Recomputed after a change of the calendar")


class TermEvent(models.Model):
    """The history of a term: every change of its due date or state, with who, when and why."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=TermEventKind.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    old_due = models.DateField(null=True, blank=True)
    new_due = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("term event")
        verbose_name_plural = _("term events")
        ordering = ["term", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
