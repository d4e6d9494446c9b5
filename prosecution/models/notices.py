"""The notice outbox: every e-mail, SMS and in-app notice is first a row here, written in the same
transaction as the change that causes it; a worker delivers it (prosecution/notices/outbox.py).

- `key` is unique: the record, the kind of notice, the term (and its due date), the recipient and
  the channel. Two sweeps, two beats or a retried task that try to write the same notice write it
  once.
- `state` only moves forward: queued → sending → sent | failed, and sending → queued again only to
  retry after a failed attempt or after the worker that claimed it died (its lease ran out).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prosecution.models.terms import Term


class NoticeKind(models.TextChoices):
    # To staff (prosecution/terms/reminders.py).
    REMINDER_3_DAYS = "reminder_3_days", _("Reminder: 3 working days left")
    REMINDER_1_DAY = "reminder_1_day", _("Reminder: 1 working day left")
    DUE_TODAY = "due_today", _("Reminder: due today")
    MISSED = "missed", _("Term missed")
    ESCALATION_HEAD = "escalation_head", _("Missed term: to the head of the office")
    ESCALATION_SUPERIOR = "escalation_superior", _("Missed term: to the superior office")
    DUE_DATE_CHANGED = "due_date_changed", _("Due date changed by the calendar")
    DIGEST = "digest", _("Daily digest")
    # To citizens and organisations, in the language of their appeal (Art. 24(7)).
    EXTENSION_TO_APPLICANT = "extension_to_applicant", _("Extension told to the applicant")
    ONE_TIME_CODE = "one_time_code", _("One-time confirmation code")
    APPEAL_REGISTERED = "appeal_registered", _("Appeal registered")
    APPEAL_REDIRECTED = "appeal_redirected", _("Appeal redirected to the competent body")
    APPEAL_INTERIM_REPLY = "appeal_interim_reply", _("Interim reply: a check is appointed")
    APPEAL_ANSWERED = "appeal_answered", _("Answer to the appeal sent")
    APPEAL_TERMINATED = "appeal_terminated", _("Consideration of the appeal terminated")
    BOOKING_CONFIRMED = "booking_confirmed", _("Reception booked")
    BOOKING_REMINDER = "booking_reminder", _("Reception reminder")
    BOOKING_CHANGED = "booking_changed", _("Reception moved or cancelled")
    BOOKING_REFUSED = "booking_refused", _("Reception refused")
    SUMMONS = "summons", _("Summons to the prosecutor's office")  # Art. 26(8)-(9)
    # To staff about appeals.
    APPEAL_ASSIGNED = "appeal_assigned", _("Appeal assigned to you")
    # To staff about legality checks (supervision/, legal_statistics/).
    CHECK_REGISTERED = "check_registered", _("Check registered: it may begin")
    CHECK_REGISTRATION_REFUSED = "check_registration_refused", _("Registration of a check refused")
    # To staff about acts (acts/).
    ACT_CONSIDERATION_SET = "act_consideration_set", _("Time and place of consideration of an act")
    ACT_SUPERIOR_DECISION = "act_superior_decision", _("A superior's decision on an act")
    ACT_DOCUMENTS_FAILED = "act_documents_failed", _("The signed document of an act failed")
    # To the head of an office (legal_statistics/monthly.py).
    MONTHLY_REPORT = "monthly_report", _("Monthly report of the office")


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    IN_APP = "in_app", _("In the system")


class NoticeState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notice(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40, choices=NoticeKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=NoticeChannel.choices)
    term = models.ForeignKey(
        Term,
        verbose_name=_("term"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
    )
    # The record the notice is about (an appeal, a check ...), when it is not only the term.
    subject_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    # The e-mail address or phone number it goes to (for staff, copied when it is written).
    address = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=5)
    # What the templates need, as JSON. The text is rendered from templates/notices/ in `language`
    # by the worker that first delivers it (writing stays one cheap INSERT inside the sweep), and
    # kept: what was sent can always be read back.
    context = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=NoticeState.choices, default=NoticeState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # When the sweep last put it on the broker: it does so again only if the message may be lost.
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="in_app") | Q(recipient__isnull=False),
                name="notice_in_app_has_a_recipient",
            ),
            models.CheckConstraint(
                condition=Q(channel="in_app") | ~Q(address=""),
                name="notice_external_has_an_address",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="notice_sent_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="sending") | Q(claimed_at__isnull=False),
                name="notice_sending_is_claimed",
            ),
        ]
        indexes = [
            # outbox.dispatch: queued notices whose next attempt has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="queued"),
                name="notice_queued_idx",
            ),
            # outbox.rescue: notices whose worker died while sending (lease ran out).
            models.Index(
                fields=["claimed_at"], condition=Q(state="sending"), name="notice_sending_idx"
            ),
            # The bell: a person's unread in-app notices, newest first.
            models.Index(
                fields=["recipient", "read_at", "created_at"],
                condition=Q(channel="in_app"),
                name="notice_bell_idx",
            ),
            # Administrators: failed notices.
            models.Index(
                fields=["created_at"], condition=Q(state="failed"), name="notice_failed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.address or self.recipient_id} ({self.state})"


class DailyJob(models.Model):
    """A job the sweep does once a day (the 09:00 digest): the row says it finished, so later
    sweeps of the day skip it. A sweep that dies halfway leaves no row and the next one finishes
    the job; the notices' unique keys keep it from sending anything twice."""

    name = models.CharField(max_length=40)
    on = models.DateField()
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "on"], name="daily_job_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.on}"
