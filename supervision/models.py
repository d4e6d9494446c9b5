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
from django.contrib.contenttypes.fields import GenericRelation
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
    # The record's statutory terms (prosecution/models/terms.py), for the reports' figures
    # (legal_statistics/reports/figures.py terms_met). Deleting the record deletes its terms.
    statutory_terms = GenericRelation(
        "prosecution.Term", content_type_field="subject_type", object_id_field="subject_id"
    )

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
        # The reports (legal_statistics/reports/): "has the check an event of this kind in the
        # period?" is asked per record, from this index alone.
        indexes = [
            models.Index(fields=["legality_check", "kind", "on"], name="check_event_kind_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


# --- Analyses, assessments, requests for information, summons (Art. 20, 21, 26) ------------------
# Each is a record of its office (office_path for the one access policy), with a history of
# events (FunctionEvent) and, where the law gives a term, a prosecution.Term opened through the
# engine (supervision/functions/). Refusals of the law are RuleViolations citing the article.


class StudyKind(models.TextChoices):
    ANALYSIS = "analysis", _("Analysis of the state of legality")  # Art. 20
    ASSESSMENT = "assessment", _("Assessment of acts in force")  # Art. 21


class StudyState(models.TextChoices):
    OPEN = "open", _("Under way")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class RecommendedResponse(models.TextChoices):
    """What the findings call for (Art. 20: "measures of prosecutorial supervision or response";
    the acts themselves are another part of the system)."""

    NONE = "none", _("No response needed")
    PROTEST = "protest", _("Protest")
    SUBMISSION = "submission", _("Submission")
    ORDER = "order", _("Order")
    WARNING = "warning", _("Warning")
    CLAIM = "claim", _("Claim to a court")
    CHECK = "check", _("Legality check")
    OTHER = "other", _("Other measure")


class Study(models.Model):
    """An analysis of the state of legality (Art. 20: without visiting the subject, from
    statistics, information of bodies, the media, case materials; the result is a certificate) or
    an assessment of acts in force (Art. 21), each within a term set by the prosecutor."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=StudyKind.choices)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    office_path = models.CharField(max_length=PATH_MAX_LENGTH, editable=False)
    topic = models.CharField(_("topic"), max_length=300)
    # Art. 20: the sources studied; Art. 21: the acts assessed.
    scope = models.TextField(_("sources or acts studied"))
    ordered_by = models.ForeignKey(
        _USER, verbose_name=_("ordered by"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        _USER, verbose_name=_("responsible"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    is_classified = models.BooleanField(_("classified"), default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=StudyState.choices, default=StudyState.OPEN
    )
    # The result: the certificate (Art. 20) or the conclusion on the acts (Art. 21).
    findings = models.TextField(_("findings"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    recommended_response = models.CharField(
        _("recommended response"), max_length=20, choices=RecommendedResponse.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("analysis or assessment")
        verbose_name_plural = _("analyses and assessments")
        ordering = ["-started_on", "-pk"]
        constraints = [
            # Art. 20: the result is a certificate: no completion without findings and a date.
            models.CheckConstraint(
                condition=~Q(state="completed")
                | (~Q(findings="") & Q(completed_on__isnull=False) & ~Q(recommended_response="")),
                name="study_completed_has_a_result",
            ),
        ]
        indexes = [
            # The lists in scope (supervision/functions/selectors.py): a subtree, by kind.
            models.Index(
                fields=["office_path", "kind"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="study_scope_kind_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic}"


class AddresseeKind(models.TextChoices):
    """Art. 26(3): a request goes to a body or organisation, an official, or a person."""

    BODY = "body", _("Body or organisation (BIN)")
    OFFICIAL = "official", _("Official")
    PERSON = "person", _("Person (IIN)")


class RequestState(models.TextChoices):
    SENT = "sent", _("Awaiting the answer")
    ANSWERED = "answered", _("Answered")
    CANCELLED = "cancelled", _("Withdrawn")


class InformationRequest(models.Model):
    """A prosecutor's request for information, documents and materials (Art. 26(3)): answered
    within the term set, at least 3 working days, or immediately where irreversible consequences
    threaten (Art. 26(4)), a reason recorded."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    office_path = models.CharField(max_length=PATH_MAX_LENGTH, editable=False)
    # Art. 26(3): on a check, an analysis, an assessment or an appeal under consideration.
    legality_check = models.ForeignKey(
        Check,
        verbose_name=_("legality check"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_requests",
    )
    study = models.ForeignKey(
        Study,
        verbose_name=_("analysis or assessment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_requests",
    )
    matter = models.CharField(_("on the matter of"), max_length=300)
    addressee_kind = models.CharField(_("addressee"), max_length=20, choices=AddresseeKind.choices)
    addressee_name = models.CharField(_("name of the addressee"), max_length=300)
    addressee_number = models.CharField(_("BIN or IIN"), max_length=12, blank=True)
    addressee_address = models.CharField(_("address"), max_length=300, blank=True)
    requested = models.TextField(_("information requested"))
    sent_by = models.ForeignKey(
        _USER, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    is_urgent = models.BooleanField(_("immediately"), default=False)
    urgent_reason = models.TextField(_("irreversible consequences prevented"), blank=True)
    is_classified = models.BooleanField(_("classified"), default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.SENT
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            # Art. 26(4): "immediately" only to prevent irreversible consequences, recorded.
            models.CheckConstraint(
                condition=Q(is_urgent=False) | ~Q(urgent_reason=""),
                name="request_urgent_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="answered") | (Q(answered_on__isnull=False) & ~Q(answer="")),
                name="request_answer_recorded",
            ),
        ]
        indexes = [
            models.Index(
                fields=["office_path", "state"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="request_scope_state_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.addressee_name}: {self.matter}"


class RequestFile(models.Model):
    """A document that came with the answer to a request (Art. 26(3)), checked by its content and
    kept outside the web root (prosecution/files/uploads.py)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="files")
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document of the answer")
        verbose_name_plural = _("documents of the answer")
        ordering = ["request", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class SummonsState(models.TextChoices):
    ISSUED = "issued", _("Issued")
    APPEARED = "appeared", _("Appeared")
    EXCUSED = "excused", _("Did not appear for a valid reason")
    NOT_APPEARED = "not_appeared", _("Did not appear without a valid reason")
    CANCELLED = "cancelled", _("Cancelled")


class Summons(models.Model):
    """A summons to appear before the prosecutor to give explanations (Art. 26(7)-(8)), notified
    by a means that records the notice or call (Art. 26(9))."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    office_path = models.CharField(max_length=PATH_MAX_LENGTH, editable=False)
    legality_check = models.ForeignKey(
        Check,
        verbose_name=_("legality check"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summonses",
    )
    person_name = models.CharField(_("full name"), max_length=300)
    person_iin = models.CharField(_("IIN"), max_length=12, blank=True)
    # Art. 26(14): the age rule of forced delivery reads it.
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language of the notice"), max_length=5, default="ru")
    appear_at = models.DateTimeField(_("to appear at"))
    place = models.CharField(_("place"), max_length=300)
    purpose = models.TextField(_("purpose"))
    issued_by = models.ForeignKey(
        _USER, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    is_classified = models.BooleanField(_("classified"), default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=SummonsState.choices, default=SummonsState.ISSUED
    )
    absence_reason = models.TextField(_("reason of the absence"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("summons")
        verbose_name_plural = _("summonses")
        ordering = ["-appear_at", "-pk"]
        indexes = [
            models.Index(
                fields=["office_path", "state"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="summons_scope_state_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.appear_at:%Y-%m-%d %H:%M})"


class SummonsChannel(models.TextChoices):
    """Art. 26(9): the means of notice."""

    PHONE = "phone", _("Telephone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    TELEGRAM = "telegram", _("Telegram")
    REGISTERED_MAIL = "registered_mail", _("Registered mail with notice of delivery")


# Sent through the outbox (prosecution/notices/outbox.py), which records the delivery itself.
OUTBOX_CHANNELS = (SummonsChannel.SMS, SummonsChannel.EMAIL)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Not yet known")
    DELIVERED = "delivered", _("Delivered")
    NOT_DELIVERED = "not_delivered", _("Not delivered")


class SummonsNotification(models.Model):
    """One notice of a summons and the record of its delivery (Art. 26(9)): SMS and e-mail read
    their status from the outbox's notice; a call, a telegram or registered mail is recorded by
    staff."""

    summons = models.ForeignKey(Summons, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(_("means"), max_length=20, choices=SummonsChannel.choices)
    address = models.CharField(_("number or address"), max_length=300)
    notice = models.ForeignKey(
        "prosecution.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("delivery"), max_length=20, choices=DeliveryStatus.choices, default="pending"
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("notice of a summons")
        verbose_name_plural = _("notices of summonses")
        ordering = ["summons", "sent_at", "pk"]
        constraints = [
            # The outbox's channels carry their notice: their status is the outbox's.
            models.CheckConstraint(
                condition=~Q(channel__in=[c.value for c in OUTBOX_CHANNELS])
                | Q(notice__isnull=False)
                | Q(status="not_delivered"),
                name="summons_notification_outbox_has_its_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address}"


class ForcedDeliveryState(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    REFUSED = "refused", _("Refused by law")


class ForcedDelivery(models.Model):
    """A reasoned decision on forced delivery (Art. 26(11)), executed by the internal affairs
    body (Art. 26(12)); a decision the law forbids (Art. 26(13)-(14)) is kept as refused, with
    the article, so the attempt is on the record."""

    summons = models.ForeignKey(Summons, on_delete=models.CASCADE, related_name="deliveries")
    decided_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    deliver_at = models.DateTimeField(_("to be delivered at"))
    reason = models.TextField(_("reasons of the decision"))
    executing_body = models.CharField(_("internal affairs body"), max_length=300)
    legal_representative_told = models.BooleanField(
        _("the legal representative was told"), default=False
    )
    is_pregnant = models.BooleanField(_("pregnant"), default=False)
    doctor_certified_unable = models.BooleanField(
        _("a doctor certifies the person cannot or should not leave"), default=False
    )
    state = models.CharField(_("state"), max_length=20, choices=ForcedDeliveryState.choices)
    refusal_article = models.CharField(_("article"), max_length=40, blank=True)
    refusal_reason = models.TextField(_("why refused"), blank=True)

    class Meta:
        verbose_name = _("forced delivery")
        verbose_name_plural = _("forced deliveries")
        ordering = ["summons", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="ordered") | ~Q(refusal_article=""),
                name="forced_delivery_refusal_cites_article",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.summons} → {self.get_state_display()}"


class FunctionEventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    SENT = "sent", _("Request sent")
    ANSWERED = "answered", _("Answer recorded")
    ISSUED = "issued", _("Summons issued")
    NOTIFIED = "notified", _("Notice sent")
    DELIVERY_RECORDED = "delivery_recorded", _("Delivery recorded")
    APPEARED = "appeared", _("Appeared")
    EXCUSED = "excused", _("Did not appear for a valid reason")
    NOT_APPEARED = "not_appeared", _("Did not appear without a valid reason")
    FORCED_DELIVERY_ORDERED = "forced_delivery_ordered", _("Forced delivery ordered")
    FORCED_DELIVERY_REFUSED = "forced_delivery_refused", _("Forced delivery refused")


class FunctionEvent(models.Model):
    """The history of an analysis, assessment, request or summons: who did what, when. Appended to,
    never edited; `subject` is one of the three."""

    study = models.ForeignKey(
        Study, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    summons = models.ForeignKey(
        Summons, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=40, choices=FunctionEventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(study__isnull=False, request__isnull=True, summons__isnull=True)
                    | Q(study__isnull=True, request__isnull=False, summons__isnull=True)
                    | Q(study__isnull=True, request__isnull=True, summons__isnull=False)
                ),
                name="function_event_has_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.kind
