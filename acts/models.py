"""Acts of the prosecutor's office (Art. 32-43; docs/rules.md "Acts of the prosecutor's office").

An act is brought by an office, signed by a prosecutor who may sign its kind (acts/rules.py), to an
addressee, on a basis (a check, an appeal, another act or another function: Art. 32(2)); it is
entered in the office's register under the next gapless number of the year when it is signed
(prosecution/lib/numbering.py). Its clock is a prosecution.Term of the kind its article names
(acts/rules.py KIND_TERMS), driven through the terms engine.

Every change after the draft goes through the services and leaves an ActEvent: the history is
appended to, never edited. What must never happen is also refused by the database: an act of
supervision or response without a basis, a signed act without a register number, a protest of an
act Art. 33(6) puts beyond protest, a refused sanction without reasons.
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


class ActFamily(models.TextChoices):
    """Art. 32(1): the three families of acts."""

    SUPERVISION = "supervision", _("Act of supervision")
    RESPONSE = "response", _("Act of response")
    ORGANISATIONAL = "organisational", _("Organisational act")


class ActKind(models.TextChoices):
    # Acts of supervision (Art. 32(1)(1), 33-37).
    PROTEST = "protest", _("Protest")
    SANCTION = "sanction", _("Sanction")
    INSTRUCTION = "instruction", _("Instruction")
    SUBMISSION = "submission", _("Submission")
    RESOLUTION = "resolution", _("Resolution")
    # Acts of response (Art. 32(1)(2), 38-41).
    PETITION = "petition", _("Petition")
    CLAIM = "claim", _("Claim to court")
    PUBLIC_APPEAL = "public_appeal", _("Public appeal")
    WARNING = "warning", _("Explanation of the inadmissibility of violations")
    # Organisational acts (Art. 32(1)(3)).
    ORDER = "order", _("Order of the office")
    INTERNAL_RESOLUTION = "internal_resolution", _("Internal resolution")
    INTERNAL_INSTRUCTION = "internal_instruction", _("Internal instruction")


FAMILY_OF: dict[str, str] = {
    ActKind.PROTEST: ActFamily.SUPERVISION,
    ActKind.SANCTION: ActFamily.SUPERVISION,
    ActKind.INSTRUCTION: ActFamily.SUPERVISION,
    ActKind.SUBMISSION: ActFamily.SUPERVISION,
    ActKind.RESOLUTION: ActFamily.SUPERVISION,
    ActKind.PETITION: ActFamily.RESPONSE,
    ActKind.CLAIM: ActFamily.RESPONSE,
    ActKind.PUBLIC_APPEAL: ActFamily.RESPONSE,
    ActKind.WARNING: ActFamily.RESPONSE,
    ActKind.ORDER: ActFamily.ORGANISATIONAL,
    ActKind.INTERNAL_RESOLUTION: ActFamily.ORGANISATIONAL,
    ActKind.INTERNAL_INSTRUCTION: ActFamily.ORGANISATIONAL,
}

# Art. 32(2): acts of supervision and response rest on a basis; organisational acts do not.
BASED_KINDS = tuple(k for k, f in FAMILY_OF.items() if f != ActFamily.ORGANISATIONAL)
SUPERVISION_KINDS = tuple(k for k, f in FAMILY_OF.items() if f == ActFamily.SUPERVISION)


class AddresseeKind(models.TextChoices):
    BODY = "body", _("State body or organisation (BIN)")
    OFFICIAL = "official", _("Official")
    PERSON = "person", _("Person (IIN)")
    COURT = "court", _("Court")


class BasisKind(models.TextChoices):
    """Art. 32(2): what an act of supervision or response rests on."""

    CHECK = "check", _("Legality check")
    ANALYSIS = "analysis", _("Analysis of the state of legality")
    ASSESSMENT = "assessment", _("Assessment of an act in force")
    APPEAL = "appeal", _("Appeal")
    ACT = "act", _("Act of supervision rejected or left unconsidered")
    OTHER = "other", _("Another function of the prosecutor's office")


# Bases described in words: no record of them in the system yet.
TEXT_BASES = (BasisKind.ANALYSIS, BasisKind.ASSESSMENT, BasisKind.OTHER)


class ProtestedActKind(models.TextChoices):
    """What a protest is brought against (Art. 33(1)); the last five cannot be protested
    (Art. 33(6)) and the database refuses them (act_protest_of_a_protestable_act)."""

    ACT = "act", _("Act of a state body or organisation")
    DECISION = "decision", _("Decision of an official")
    ACTION = "action", _("Action or inaction")
    JUDICIAL = "judicial", _("Judicial act")
    LEGISLATIVE = "legislative", _("Legislative act")
    PRESIDENT = "president", _("Act of the President")
    PRESIDENTIAL_ADMINISTRATION = (
        "presidential_administration",
        _("Act of the Presidential Administration"),
    )
    CONSTITUTIONAL_COURT = "constitutional_court", _("Act of the Constitutional Court")
    AUDIT_CHAMBER = "audit_chamber", _("Audit results of the Supreme Audit Chamber")


UNPROTESTABLE = (
    ProtestedActKind.LEGISLATIVE,
    ProtestedActKind.PRESIDENT,
    ProtestedActKind.PRESIDENTIAL_ADMINISTRATION,
    ProtestedActKind.CONSTITUTIONAL_COURT,
    ProtestedActKind.AUDIT_CHAMBER,
)


class SanctionDecision(models.TextChoices):
    """Art. 34: a sanction is given or refused."""

    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")


class ActState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    DELIVERED = "delivered", _("Delivered")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    SATISFIED = "satisfied", _("Decided: satisfied")
    PARTLY_SATISFIED = "partly_satisfied", _("Decided: partly satisfied")
    REJECTED = "rejected", _("Decided: rejected")
    UNCONSIDERED = "unconsidered", _("Left unconsidered")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled by a superior")
    REVOKED = "revoked", _("Revoked by a superior")
    SUSPENDED = "suspended", _("Suspended by a superior")


DECIDED_STATES = (
    ActState.SATISFIED,
    ActState.PARTLY_SATISFIED,
    ActState.REJECTED,
    ActState.UNCONSIDERED,
)
# Brought and awaiting its addressee (Art. 32(4): the limitation period stands still).
PENDING_STATES = (ActState.SIGNED, ActState.DELIVERED, ActState.UNDER_CONSIDERATION)
CLOSED_STATES = (*DECIDED_STATES, ActState.WITHDRAWN, ActState.CANCELLED, ActState.REVOKED)
# Art. 39(2): a claim to court may follow an act of supervision rejected or left unconsidered.
CLAIMABLE_STATES = (ActState.REJECTED, ActState.UNCONSIDERED)


class Act(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=ActKind.choices)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    office_path = models.CharField(max_length=PATH_MAX_LENGTH, editable=False, db_index=True)
    drafted_by = models.ForeignKey(
        _USER, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    # Who signs (acts/rules.py SIGNING: the article names who may sign each kind).
    signatory = models.ForeignKey(
        _USER,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        related_name="acts_signed",
        null=True,
        blank=True,
    )
    # The register: the next gapless number of the office's year, taken when the act is signed.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("register number"), null=True, blank=True)
    register_number = models.CharField(_("register number"), max_length=60, blank=True)
    # The addressee (a body, an official, a person, a court).
    addressee_kind = models.CharField(_("addressee"), max_length=20, choices=AddresseeKind.choices)
    addressee_name = models.CharField(_("name of the addressee"), max_length=300)
    addressee_number = models.CharField(_("BIN or IIN of the addressee"), max_length=12, blank=True)
    addressee_address = models.CharField(_("address of the addressee"), max_length=300, blank=True)
    # The basis (Art. 32(2)).
    basis_kind = models.CharField(_("basis"), max_length=20, choices=BasisKind.choices, blank=True)
    basis_check = models.ForeignKey(
        "supervision.Check",
        verbose_name=_("legality check"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acts",
    )
    basis_appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acts",
    )
    basis_act = models.ForeignKey(
        "self",
        verbose_name=_("act of supervision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="following_acts",
    )
    basis_text = models.TextField(_("basis (described)"), blank=True)
    # What the act says.
    violation = models.TextField(_("violation found"), blank=True)
    demand = models.TextField(_("demand"), blank=True)
    legal_references = models.TextField(_("legal references"), blank=True)
    is_classified = models.BooleanField(_("classified"), default=False)
    # Protest (Art. 33): what is protested.
    protested_act_kind = models.CharField(
        _("kind of the protested act"), max_length=30, choices=ProtestedActKind.choices, blank=True
    )
    protested_act = models.CharField(_("protested act"), max_length=300, blank=True)
    protested_act_suspended_on = models.DateField(
        _("protested act suspended on"), null=True, blank=True
    )
    # A term the prosecutor sets (Art. 33(3), 36(2), 37(2)) and, for a submission's shorter term,
    # the irreversible consequences that justify it (Art. 36(2)).
    term_set_until = models.DateField(_("term set by the prosecutor"), null=True, blank=True)
    urgency_reason = models.TextField(_("irreversible consequences threatened"), blank=True)
    # Resolution suspending an act or action (Art. 37(1)(9)): at most 3 working days.
    suspends_act_until = models.DateField(_("suspends the act until"), null=True, blank=True)
    # Sanction (Art. 34).
    sanction_decision = models.CharField(
        _("sanction"), max_length=10, choices=SanctionDecision.choices, blank=True
    )
    sanction_refusal_reasons = models.TextField(_("reasons for refusing the sanction"), blank=True)
    state = models.CharField(
        _("state"), max_length=30, choices=ActState.choices, default=ActState.DRAFT
    )
    # While suspended by a superior: the state it returns to.
    state_before_suspension = models.CharField(
        max_length=30, choices=ActState.choices, blank=True, editable=False
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    # The addressee tells the time and place of consideration (Art. 33(3), 36(2)).
    consideration_at = models.DateTimeField(_("consideration at"), null=True, blank=True)
    consideration_place = models.CharField(_("place of consideration"), max_length=300, blank=True)
    # The outcome: what the addressee decided and did.
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("decision of the addressee"), blank=True)
    measures_taken = models.TextField(_("measures taken"), blank=True)
    persons_liable = models.PositiveIntegerField(_("persons held liable"), null=True, blank=True)
    result_reported_on = models.DateField(_("result reported on"), null=True, blank=True)
    # Art. 32(4): bringing the act suspends the limitation period for holding the violators
    # liable until the act is decided.
    limitation_suspended_on = models.DateField(
        _("limitation period suspended on"), null=True, blank=True
    )
    limitation_resumes_on = models.DateField(
        _("limitation period resumes on"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The record's statutory terms (prosecution/models/terms.py), for the reports' figures
    # (legal_statistics/reports/figures.py terms_met). Deleting the record deletes its terms.
    statutory_terms = GenericRelation(
        "prosecution.Term", content_type_field="subject_type", object_id_field="subject_id"
    )
    # Publication (Art. 42; acts/publication.py): an act on a violation of rights may be published,
    # never a classified one. The public text is the redacted one the prosecutor saw in the
    # preview, kept as it was published: a later change of the act does not reach the public page.
    on_violation_of_rights = models.BooleanField(_("on a violation of rights"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        _USER,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    public_addressee = models.CharField(_("addressee, as published"), max_length=300, blank=True)
    public_violation = models.TextField(_("violation, as published"), blank=True)
    public_demand = models.TextField(_("demand, as published"), blank=True)

    class Meta:
        verbose_name = _("act of the prosecutor's office")
        verbose_name_plural = _("acts of the prosecutor's office")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # prosecution/lib/numbering.py gives the numbers; this makes a duplicate impossible.
            models.UniqueConstraint(
                fields=["office", "year", "number"], name="act_number_per_office_year"
            ),
            # A signed act is in the register.
            models.CheckConstraint(
                condition=Q(state="draft")
                | (
                    Q(number__isnull=False)
                    & Q(year__isnull=False)
                    & ~Q(register_number="")
                    & Q(signatory__isnull=False)
                    & Q(signed_on__isnull=False)
                ),
                name="act_signed_is_registered",
            ),
            # Art. 32(2): acts of supervision and response rest on a basis, linked where it is
            # in the system.
            models.CheckConstraint(
                condition=~Q(kind__in=list(BASED_KINDS)) | ~Q(basis_kind=""),
                name="act_supervision_or_response_has_a_basis",
            ),
            models.CheckConstraint(
                condition=(~Q(basis_kind="check") | Q(basis_check__isnull=False))
                & (~Q(basis_kind="appeal") | Q(basis_appeal__isnull=False))
                & (~Q(basis_kind="act") | Q(basis_act__isnull=False))
                & (~Q(basis_kind__in=list(TEXT_BASES)) | ~Q(basis_text="")),
                name="act_basis_is_linked_or_described",
            ),
            # Art. 33(6): these acts cannot be protested.
            models.CheckConstraint(
                condition=~Q(protested_act_kind__in=list(UNPROTESTABLE)),
                name="act_protest_of_a_protestable_act",
            ),
            models.CheckConstraint(
                condition=~Q(kind="protest") | ~Q(protested_act_kind=""),
                name="act_protest_names_the_protested_act",
            ),
            # Art. 34: a refusal of a sanction states its reasons.
            models.CheckConstraint(
                condition=~Q(sanction_decision="refused") | ~Q(sanction_refusal_reasons=""),
                name="act_sanction_refusal_has_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[s.value for s in DECIDED_STATES])
                | Q(decided_on__isnull=False),
                name="act_decided_has_a_date",
            ),
            # Art. 42: only an act on a violation of rights is published, never a classified one
            # (docs/rules.md "Secrecy"), and never a draft; a published act says who decided.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (
                    Q(is_classified=False)
                    & Q(on_violation_of_rights=True)
                    & ~Q(state="draft")
                    & Q(published_by__isnull=False)
                ),
                name="act_published_only_on_rights_and_not_classified",
            ),
        ]
        indexes = [
            # The list of acts in scope: a subtree, by state.
            models.Index(
                fields=["office_path", "state"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="act_scope_state_idx",
            ),
            # The public list of published acts (acts/publication.py), newest first.
            models.Index(
                fields=["-published_at"],
                condition=Q(published_at__isnull=False),
                name="act_published_idx",
            ),
        ]

    def __str__(self) -> str:
        number = self.register_number or _("draft")
        return f"{self.get_kind_display()} {number}: {self.addressee_name}"

    @property
    def family(self) -> str:
        return FAMILY_OF[self.kind]


class ActEventKind(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    CORRECTED = "corrected", _("Draft corrected")
    SIGNED = "signed", _("Signed")
    DELIVERED = "delivered", _("Delivered")
    CONSIDERATION_SET = "consideration_set", _("Time and place of consideration told")
    PROTESTED_ACT_SUSPENDED = "protested_act_suspended", _("Protested act suspended")
    DECIDED = "decided", _("Decided by the addressee")
    RESULT_REPORTED = "result_reported", _("Result reported")
    SANCTION_DECIDED = "sanction_decided", _("Sanction given or refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled by a superior")
    REVOKED = "revoked", _("Revoked by a superior")
    SUSPENDED = "suspended", _("Suspended by a superior")
    SUSPENSION_LIFTED = "suspension_lifted", _("Suspension by a superior lifted")
    AMENDED = "amended", _("Amended by a superior")
    COMPLAINED = "complained", _("Complaint received")
    CLAIM_BROUGHT = "claim_brought", _("Claim to court brought")
    # The worker could not render, store or sign the act's PDFs (acts/documents.py build_signed).
    DOCUMENTS_FAILED = "documents_failed", _("Signed document could not be prepared")


class ActEvent(models.Model):
    """The act's history: who did what, when and why. Append-only."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=ActEventKind.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("act event")
        verbose_name_plural = _("act events")
        ordering = ["act", "at", "pk"]
        # The reports (legal_statistics/reports/): "has the act an event of this kind in the
        # period?" is asked per record, from this index alone.
        indexes = [models.Index(fields=["act", "kind", "on"], name="act_event_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class ActDocument(models.Model):
    """The PDF of a signed act in one language, as it was signed (acts/documents.py): rendered
    once when the act is signed, stored in the private files, with its SHA-256 and the detached
    signature of those bytes (prosecution/files/signing.py). A row exists only for a complete,
    signed file; none is ever rendered again or replaced (one per act and language)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="documents")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    stored_name = models.CharField(max_length=200, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    signature = models.BinaryField()
    signature_algorithm = models.CharField(max_length=40)
    signer_id = models.CharField(_("signed by"), max_length=300)
    certificate = models.BinaryField()
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signed document of an act")
        verbose_name_plural = _("signed documents of acts")
        ordering = ["act", "language"]
        constraints = [
            models.UniqueConstraint(fields=["act", "language"], name="act_document_per_language"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="act_document_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.act} [{self.language}]"
