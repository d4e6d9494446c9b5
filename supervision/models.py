"""Legality checks (Art. 17-19): a check appointed by a resolution, registered with legal
statistics before it starts (legal_statistics.Registration), run within its term (a
prosecution.Term of kind check_duration), by the inspectors the resolution names.

Every change after the appointment goes through supervision/services.py and leaves a CheckEvent:
the history is appended to, never edited (docs/rules.md "Legality checks"). What must never happen
is also refused by the database: a started check without a registration, a registered check of a
private business without the President's or the Prosecutor General's instruction or agreement.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prosecution.models import Office
from prosecution.offices.tree import PATH_MAX_LENGTH

_USER = settings.AUTH_USER_MODEL


class CheckGround(models.TextChoices):
    """Art. 18(1): on whose instruction, or which protected interest, a check is appointed."""

    PRESIDENT_INSTRUCTION = "president_instruction", _("Instruction of the President")
    PG_INSTRUCTION = "pg_instruction", _("Instruction of the Prosecutor General")
    DEFENCELESS = "defenceless", _("Protection of people who cannot protect themselves")
    MINORS = "minors", _("Protection of minors")
    UNLIMITED_PERSONS = "unlimited_persons", _("Protection of an unlimited range of persons")
    IRREVERSIBLE = (
        "irreversible",
        _("Prevention of irreversible consequences for life, health or security"),
    )
    BUSINESS_PROTECTION = (
        "business_protection",
        _("Protection of private business from interference by state bodies"),
    )


INSTRUCTION_GROUNDS = (CheckGround.PRESIDENT_INSTRUCTION, CheckGround.PG_INSTRUCTION)


class BusinessConsentKind(models.TextChoices):
    """Art. 18(2): a check of a private business needs one of these."""

    PRESIDENT_INSTRUCTION = "president_instruction", _("Instruction of the President")
    PRESIDENT_AGREEMENT = "president_agreement", _("Agreement of the President")
    PG_INSTRUCTION = "pg_instruction", _("Instruction of the Prosecutor General")
    PG_AGREEMENT = "pg_agreement", _("Agreement of the Prosecutor General")


class ExemptKind(models.TextChoices):
    """Art. 18(4): checks under these laws are neither registered nor bound by the term rule."""

    CRIMINAL_PROCEDURE = "criminal_procedure", _("Criminal procedure")
    PENITENTIARY = "penitentiary", _("Penitentiary")
    ENFORCEMENT = "enforcement", _("Enforcement proceedings")
    ADMINISTRATIVE_OFFENCES = "administrative_offences", _("Administrative offences")
    OPERATIONAL_SEARCH = "operational_search", _("Operational-search activity")
    COUNTER_INTELLIGENCE = "counter_intelligence", _("Counter-intelligence")


class SubjectKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation (BIN)")
    PERSON = "person", _("Person (IIN)")


class SuspensionCause(models.TextChoices):
    """Art. 18(4): why a check may be suspended."""

    EXPERT_EXAMINATION = "expert_examination", _("Expert examination")
    FOREIGN_INFORMATION = "foreign_information", _("Information from a foreign state")
    OTHER_IMPEDIMENT = "other_impediment", _("Other impediment")


class CheckState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_REGISTRATION = "awaiting_registration", _("Awaiting registration")
    REGISTRATION_REFUSED = "registration_refused", _("Registration refused")
    REGISTERED = "registered", _("Registered")
    RUNNING = "running", _("Running")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


STARTED_STATES = (CheckState.RUNNING, CheckState.SUSPENDED, CheckState.COMPLETED)
ACTIVE_STATES = (CheckState.RUNNING, CheckState.SUSPENDED)


class Check(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The resolution (Art. 18(4)): the appointing office, its number and date, who signed it.
    office = models.ForeignKey(
        Office, verbose_name=_("appointing office"), on_delete=models.PROTECT, related_name="+"
    )
    office_path = models.CharField(max_length=PATH_MAX_LENGTH, editable=False, db_index=True)
    resolution_number = models.CharField(_("resolution number"), max_length=60)
    resolution_date = models.DateField(_("resolution date"))
    appointed_by = models.ForeignKey(
        _USER, verbose_name=_("appointed by"), on_delete=models.PROTECT, related_name="+"
    )
    # Art. 18(1): the ground; an instruction carries its number and date.
    ground = models.CharField(_("ground"), max_length=30, choices=CheckGround.choices, blank=True)
    instruction_number = models.CharField(_("instruction number"), max_length=60, blank=True)
    instruction_date = models.DateField(_("instruction date"), null=True, blank=True)
    # Art. 18(2): a private business is checked only on the President's or the PG's instruction
    # or with their agreement.
    is_private_business = models.BooleanField(_("private business entity"), default=False)
    business_consent_kind = models.CharField(
        _("instruction or agreement"),
        max_length=30,
        choices=BusinessConsentKind.choices,
        blank=True,
    )
    business_consent_number = models.CharField(
        _("number of the instruction or agreement"), max_length=60, blank=True
    )
    business_consent_date = models.DateField(
        _("date of the instruction or agreement"), null=True, blank=True
    )
    # The audited subject.
    subject_kind = models.CharField(_("subject"), max_length=20, choices=SubjectKind.choices)
    subject_number = models.CharField(_("BIN or IIN"), max_length=12, db_index=True)
    subject_name = models.CharField(_("name of the subject"), max_length=300)
    subject_address = models.CharField(_("address of the subject"), max_length=300)
    subject_matter = models.TextField(_("subject matter of the check"))
    period_from = models.DateField(_("period under review from"))
    period_to = models.DateField(_("period under review to"))
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,  # not _USER: the stubs' plugin reads the setting, not a variable
        verbose_name=_("named inspectors"),
        related_name="checks_named_in",
        blank=True,
    )
    is_classified = models.BooleanField(_("classified"), default=False)
    exempt_kind = models.CharField(
        _("exempt under Art. 18(4)"), max_length=30, choices=ExemptKind.choices, blank=True
    )
    state = models.CharField(
        _("state"), max_length=30, choices=CheckState.choices, default=CheckState.DRAFT
    )
    # The registration that lets the check start (legal_statistics/services.py register_check).
    registration = models.OneToOneField(
        "legal_statistics.Registration",
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    # Art. 19(2): the certificate of results names the violations found (and how many), and is
    # handed to the subject against signature, on or after the day the check ends.
    violations = models.TextField(_("violations found"), blank=True)
    violations_count = models.PositiveIntegerField(_("number of violations"), null=True, blank=True)
    certificate_handed_on = models.DateField(
        _("certificate handed to the subject on"), null=True, blank=True
    )
    certificate_received_by = models.CharField(
        _("certificate received by"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("legality check")
        verbose_name_plural = _("legality checks")
        ordering = ["-resolution_date", "-pk"]
        constraints = [
            # Art. 18(4), 19(1): a check starts only once registered (unless exempt).
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(registration__isnull=False)
                | ~Q(exempt_kind=""),
                name="check_started_only_when_registered",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[s.value for s in STARTED_STATES])
                | Q(started_on__isnull=False),
                name="check_started_has_a_date",
            ),
            # Art. 18(2): no registration of a private business check without the consent.
            models.CheckConstraint(
                condition=Q(is_private_business=False)
                | Q(registration__isnull=True)
                | (
                    ~Q(business_consent_kind="")
                    & ~Q(business_consent_number="")
                    & Q(business_consent_date__isnull=False)
                ),
                name="check_private_business_registered_with_consent",
            ),
            # Art. 18(1): no ground, no check (an exempt check has its own law's ground).
            models.CheckConstraint(
                condition=~Q(ground="") | ~Q(exempt_kind=""), name="check_has_a_ground"
            ),
            models.CheckConstraint(
                condition=~Q(ground__in=[g.value for g in INSTRUCTION_GROUNDS])
                | (~Q(instruction_number="") & Q(instruction_date__isnull=False)),
                name="check_instruction_has_number_and_date",
            ),
            models.CheckConstraint(
                condition=Q(period_from__lte=models.F("period_to")),
                name="check_period_in_order",
            ),
            # Art. 19(2): the certificate is handed over after the check ends, never before.
            models.CheckConstraint(
                condition=Q(certificate_handed_on__isnull=True)
                | Q(
                    completed_on__isnull=False,
                    certificate_handed_on__gte=models.F("completed_on"),
                ),
                name="check_certificate_handed_after_completion",
            ),
        ]
        indexes = [
            # The list of checks in scope (supervision/selectors.py): a subtree, newest first.
            models.Index(
                fields=["office_path", "state"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="check_scope_state_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resolution_number} ({self.subject_name})"

    @property
    def is_exempt(self) -> bool:
        return bool(self.exempt_kind)


class CheckEventKind(models.TextChoices):
    APPOINTED = "appointed", _("Appointed")
    CORRECTED = "corrected", _("Resolution corrected")
    SENT_FOR_REGISTRATION = "sent_for_registration", _("Sent for registration")
    REGISTERED = "registered", _("Registered")
    REGISTRATION_REFUSED = "registration_refused", _("Registration refused")
    STARTED = "started", _("Started")
    EXTENDED = "extended", _("Extended")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    INSPECTORS_CHANGED = "inspectors_changed", _("Inspectors changed")
    COMPLETED = "completed", _("Completed")
    CERTIFICATE_HANDED = "certificate_handed", _("Certificate of results handed to the subject")
    CANCELLED = "cancelled", _("Cancelled")


class CheckEvent(models.Model):
    """The check's history: who did what, when and why. Append-only."""

    # Not `check`: that name is Model.check(), Django's system checks.
    legality_check = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=CheckEventKind.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("check event")
        verbose_name_plural = _("check events")
        ordering = ["legality_check", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
