"""An appeal of an individual or a legal entity (Art. 24), or a complaint against a prosecutor
(Art. 25), from registration to the answer. Every change of state goes through
appeals/services/ and leaves an AppealEvent; the statutory terms are prosecution.Term rows whose
subject is the appeal (the timers engine).

Like Term, the appeal carries its office's path: "this office and everything below it" (the
access policy, the queues) is a prefix match on an indexed column, with no join.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from appeals.models.choices import (
    CLOSED_STATES,
    ActEffect,
    AnswerMethod,
    AppealKind,
    AppealLanguage,
    AppealState,
    ApplicantKind,
    Channel,
    ExtensionGround,
    Ground,
    Outcome,
    ProceduralCode,
    RestoreDecision,
    Source,
)
from prosecution.lib.names import in_readers_script
from prosecution.models import Office
from prosecution.offices.tree import PATH_MAX_LENGTH

_USER = settings.AUTH_USER_MODEL


class Appeal(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Registration (Art. 24(3): the receipt date starts the term).
    reference = models.CharField(_("registration number"), max_length=60, unique=True)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="appeals"
    )
    office_path = models.CharField(max_length=PATH_MAX_LENGTH, editable=False, db_index=True)
    registered_in = models.ForeignKey(
        Office,
        verbose_name=_("registered in"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The office that registered the appeal keeps control when it forwards it."),
    )
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=AppealKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    received_on = models.DateField(_("received on"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    registered_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, choices=AppealLanguage.choices)
    language_other = models.CharField(_("which language"), max_length=60, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    text = models.TextField(_("text of the appeal"))
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=AppealState.choices, default=AppealState.REGISTERED
    )
    # Who may see the status page: a keyed hash of the secret code given at filing.
    status_code_hash = models.CharField(max_length=64, editable=False)
    # A retry of a create through the API with the same key returns the first appeal.
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    created_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    # Triage (Art. 24(1), (6), (8), (9)).
    ground = models.CharField(
        _("ground (Art. 24(1))"), max_length=2, choices=Ground.choices, blank=True
    )
    reports_offence_or_threat = models.BooleanField(
        _("reports a criminal offence or a threat to national or public security"),
        default=False,
        help_text=_("Art. 24(6): such an anonymous appeal is considered."),
    )
    procedural_code = models.CharField(
        _("procedural code (Art. 24(9))"), max_length=20, choices=ProceduralCode.choices, blank=True
    )
    redirected_to = models.CharField(_("redirected to"), max_length=300, blank=True)
    redirected_on = models.DateField(_("redirected on"), null=True, blank=True)
    earlier_appeal = models.ForeignKey(
        "self",
        verbose_name=_("earlier appeal answered"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Art. 24(8): the answer that a repeated appeal brings nothing new to."),
    )

    # Assignment.
    executor = models.ForeignKey(
        _USER,
        verbose_name=_("executor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals_executed",
    )
    co_executors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,  # not _USER: the stubs' plugin reads the setting, not a variable
        verbose_name=_("co-executors"),
        blank=True,
        related_name="appeals_co_executed",
    )

    # Art. 24(4): a legality check appointed on the appeal. Its completion opens the final answer
    # (appeals/signals.py). `check_reference`: a number recorded before checks were linked that
    # matched no check (migration 0007_check_link), kept so that nothing is lost.
    legality_check = models.ForeignKey(
        "supervision.Check",
        verbose_name=_("legality check"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    check_reference = models.CharField(
        _("check (as recorded, unlinked)"), max_length=100, blank=True
    )
    check_appointed_on = models.DateField(_("check appointed on"), null=True, blank=True)
    check_completed_on = models.DateField(_("check completed on"), null=True, blank=True)
    interim_reply = models.TextField(_("interim reply"), blank=True)

    # Art. 25: a complaint against a prosecutor's decision, act or (in)action.
    complained_office = models.ForeignKey(
        Office,
        verbose_name=_("office complained about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    complained_act = models.CharField(_("decision, act or (in)action"), max_length=300, blank=True)
    # The act complained about, where it is in the system (acts.Act); `complained_act` keeps the
    # words. Art. 43(2): the complaint does not suspend the act.
    complained_act_link = models.ForeignKey(
        "acts.Act",
        verbose_name=_("act complained about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    learned_on = models.DateField(_("learned of it on"), null=True, blank=True)
    restore = models.CharField(
        _("restoring the term to complain"),
        max_length=10,
        choices=RestoreDecision.choices,
        blank=True,
        default=RestoreDecision.NOT_NEEDED,
    )
    restore_reason = models.TextField(_("reasons of the decision on restoring"), blank=True)
    act_effect = models.CharField(
        _("effect on the act (Art. 43(3))"), max_length=20, choices=ActEffect.choices, blank=True
    )

    # The decision and the answer (Art. 24(7)).
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    legislation = models.TextField(_("legislation relied on"), blank=True)
    answer_language = models.CharField(
        _("language of the answer"), max_length=5, choices=settings.LANGUAGES, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_on = models.DateField(_("answer sent on"), null=True, blank=True)
    answer_method = models.CharField(
        _("sent by"), max_length=20, choices=AnswerMethod.choices, blank=True
    )
    # docs/sources.md, seed 001, 002: a refusal of an appeal accepted at a personal reception needs
    # a personal answer explaining the reasons; the appeal is not closed until it is recorded.
    personal_answer_required = models.BooleanField(_("personal answer required"), default=False)
    personal_answer_on = models.DateField(_("personal answer given on"), null=True, blank=True)
    personal_answer_note = models.TextField(_("personal answer"), blank=True)

    updated_at = models.DateTimeField(auto_now=True)
    # The record's statutory terms (prosecution/models/terms.py), for the reports' figures
    # (legal_statistics/reports/figures.py terms_met). Deleting the record deletes its terms.
    statutory_terms = GenericRelation(
        "prosecution.Term", content_type_field="subject_type", object_id_field="subject_id"
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registered_in", "year", "number"], name="appeal_number_per_office_year"
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="appeal_idempotency_key",
            ),
            models.CheckConstraint(
                condition=~Q(kind="complaint") | Q(complained_office__isnull=False),
                name="appeal_complaint_names_the_office",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["answered", "awaiting_personal"])
                | (~Q(outcome="") & Q(answered_on__isnull=False)),
                name="appeal_answered_has_outcome_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="redirected")
                | (~Q(redirected_to="") & Q(redirected_on__isnull=False)),
                name="appeal_redirected_names_the_body",
            ),
            models.CheckConstraint(
                condition=~Q(state="terminated") | Q(earlier_appeal__isnull=False),
                name="appeal_terminated_cites_the_earlier_answer",
            ),
            models.CheckConstraint(
                condition=~Q(state="decided")
                | (~Q(outcome="") & ~Q(answer_text="") & ~Q(legislation="")),
                name="appeal_decision_is_reasoned",
            ),
            models.CheckConstraint(
                condition=~Q(state="answered")
                | Q(personal_answer_required=False)
                | Q(personal_answer_on__isnull=False),
                name="appeal_personal_answer_before_closing",
            ),
            models.CheckConstraint(
                condition=~Q(language="other") | ~Q(language_other=""),
                name="appeal_other_language_named",
            ),
        ]
        indexes = [
            # Queues and search: the office's subtree by state and date (prefix LIKE).
            models.Index(
                fields=["office_path", "state", "received_on"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
                name="appeal_scope_idx",
            ),
            models.Index(fields=["executor", "state"], name="appeal_executor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.summary}"

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES


class Applicant(models.Model):
    """A person or an organisation who signed the appeal; a collective appeal has several.
    Identifiers are validated by prosecution/lib/identifiers.py before they get here."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="applicants")
    kind = models.CharField(_("kind"), max_length=20, choices=ApplicantKind.choices)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, db_index=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True, db_index=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    representative = models.CharField(_("representative"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["appeal", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="individual") & Q(bin="") & ~Q(last_name=""))
                | (Q(kind="legal_entity") & Q(iin="") & ~Q(bin="") & ~Q(organisation="")),
                name="applicant_identity_by_kind",
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"], name="applicant_name_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == "legal_entity":
            return self.organisation
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class AppealEventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    GROUND = "ground", _("Ground recorded")
    ASSIGNED = "assigned", _("Executor assigned")
    SENT_TO_OFFICE = "sent_to_office", _("Sent to another office")
    PROCEDURAL = "procedural", _("Marked as governed by a procedural code")
    EXTENDED = "extended", _("Term extended")
    EXTENSION_TOLD = "extension_told", _("Applicant told of the extension")
    CHECK_APPOINTED = "check_appointed", _("Legality check appointed, interim reply")
    CHECK_COMPLETED = "check_completed", _("Legality check completed")
    RESTORE = "restore", _("Decision on restoring the term to complain")
    REDIRECTED = "redirected", _("Redirected to the competent body")
    TERMINATED = "terminated", _("Consideration terminated as repeated")
    NOT_CONSIDERED = "not_considered", _("Closed as not considered")
    PROCEEDS = "proceeds", _("Anonymous appeal proceeds")
    DECIDED = "decided", _("Decided")
    REOPENED = "reopened", _("Decision withdrawn before sending")
    ANSWERED = "answered", _("Answer sent")
    PERSONAL_ANSWER = "personal_answer", _("Personal answer given")
    ATTACHMENT = "attachment", _("Document attached")


class AppealEvent(models.Model):
    """The appeal's history: who did what, when and why. Append-only."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=AppealEventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(max_length=20, choices=AppealState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=AppealState.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["appeal", "at", "pk"]
        # The reports (legal_statistics/reports/): "has the appeal an event of this kind in the
        # period?" is asked per record, from this index alone.
        indexes = [models.Index(fields=["appeal", "kind", "at"], name="appeal_event_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def shown_note(self) -> str:
        """The note in the reader's language where it is the label of a choice the event keeps
        in its data (the channel, the ground, the outcome, how the answer went): written as text,
        it stayed in the language of whoever acted (issue 13: a Kazakh note on a Russian page). A
        note a person typed is shown as typed; the names of those assigned, in the reader's
        script."""
        if self.kind == AppealEventKind.ASSIGNED:
            return in_readers_script(self.note)
        labelled = _LABELLED_NOTES.get(self.kind)
        if labelled is not None:
            key, choices = labelled
            value = self.data.get(key)
            if value in choices.values:
                return str(choices(value).label)
        return self.note

    @property
    def extension_ground(self) -> str:
        """Art. 24(4): the statutory ground an extension named, in the reader's language (kept
        in the data beside the reasoned decision, which is the note)."""
        value = self.data.get("extension_ground")
        return str(ExtensionGround(value).label) if value in ExtensionGround.values else ""


_LABELLED_NOTES: dict[str, tuple[str, type[models.TextChoices]]] = {
    AppealEventKind.REGISTERED: ("channel", Channel),
    AppealEventKind.GROUND: ("ground", Ground),
    AppealEventKind.DECIDED: ("outcome", Outcome),
    AppealEventKind.ANSWERED: ("method", AnswerMethod),
}


class RegistrationCounter(models.Model):
    """The last number given by an office in a year: numbers are unique per office and year and
    given without gaps, by one atomic UPDATE (prosecution/lib/numbering.py)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="regcounter_office_year")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last}"


class AppealUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Appeal, on_delete=models.CASCADE)


class AppealGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Appeal, on_delete=models.CASCADE)
