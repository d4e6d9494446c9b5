"""The draft of an act, its rules by kind (Art. 32-41) and its signature into the office's
register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acts.models import (
    BASED_KINDS,
    CLAIMABLE_STATES,
    SUPERVISION_KINDS,
    TEXT_BASES,
    UNPROTESTABLE,
    Act,
    ActEventKind,
    ActKind,
    ActState,
    AddresseeKind,
    BasisKind,
    ProtestedActKind,
    SanctionDecision,
)
from acts.rules import (
    ARTICLE_OF,
    HEADS_ONLY,
    SIGNING,
    may_draft,
    may_sign,
)
from acts.services.common import (
    ART_32_2,
    ART_33_6,
    ART_34_2,
    ART_37_2,
    ART_39_2,
    REGISTER_SCOPE,
    _expect,
    _not_future,
    _required,
    lock,
    log,
)
from acts.tasks import queue_documents
from prosecution.audit import log as audit
from prosecution.lib import numbering
from prosecution.lib.errors import RuleViolation
from prosecution.lib.identifiers import validate_bin, validate_iin
from prosecution.models import TermKind
from prosecution.offices import access
from prosecution.terms import engine as terms

if TYPE_CHECKING:
    from appeals.models import Appeal
    from supervision.models import Check


@dataclass
class ActDraft:
    """What an act says before it is signed."""

    kind: str
    addressee_kind: str
    addressee_name: str
    addressee_number: str = ""
    addressee_address: str = ""
    basis_kind: str = ""
    basis_check: Check | None = None
    basis_appeal: Appeal | None = None
    basis_act: Act | None = None
    basis_text: str = ""
    violation: str = ""
    demand: str = ""
    legal_references: str = ""
    is_classified: bool = False
    protested_act_kind: str = ""
    protested_act: str = ""
    term_set_until: date | None = None
    urgency_reason: str = ""
    suspends_act_until: date | None = None
    sanction_decision: str = ""
    sanction_refusal_reasons: str = ""


# --- who may sign ---------------------------------------------------------------------------


def _require_signatory(act: Act, by: User) -> None:
    access.require(by, "change", act, message=_("You may not sign this act."))
    if not may_sign(by, act.kind):
        _positions, article = SIGNING[act.kind]
        audit.denied(act, actor=by, checked="sign_act")
        if act.kind in HEADS_ONLY:
            message = _(
                "A public appeal is signed only by the Prosecutor General, the deputies and the "
                "heads of military, transport, regional, district and equated offices."
            )
        else:
            message = _("Your position does not sign a %(kind)s.") % {
                "kind": act.get_kind_display().lower()
            }
        raise RuleViolation(message, article=article, code="forbidden")


# --- the draft ----------------------------------------------------------------------------------


def _validated_addressee(kind: str, number: str) -> str:
    """A body or a person is named with its BIN or IIN (docs/offices.md "Identifiers"); an official
    or a court may be given one."""
    number = (number or "").strip()
    if kind not in AddresseeKind.values:
        raise RuleViolation(_("Say who the act is addressed to."), code="invalid")
    if not number:
        if kind == AddresseeKind.BODY:
            raise RuleViolation(_("Give the BIN of the body or organisation."), code="required")
        if kind == AddresseeKind.PERSON:
            raise RuleViolation(_("Give the IIN of the person."), code="required")
        return ""
    try:
        if kind == AddresseeKind.PERSON:
            return validate_iin(number)
        if kind in (AddresseeKind.BODY, AddresseeKind.COURT):
            return validate_bin(number)
        return validate_iin(number)
    except ValidationError as error:
        raise RuleViolation(
            _("The BIN or IIN of the addressee is not valid: %(error)s")
            % {"error": " ".join(error.messages)},
            code="invalid",
        ) from None


def _validated_basis(by: User, d: ActDraft) -> dict[str, Any]:
    """Art. 32(2): acts of supervision and response rest on a check, an analysis, an assessment,
    an appeal or another function, linked to its record where it is in the system (and in the
    drafter's scope); organisational acts rest on none."""
    if d.kind not in BASED_KINDS:
        return {
            "basis_kind": "",
            "basis_check": None,
            "basis_appeal": None,
            "basis_act": None,
            "basis_text": "",
        }
    if d.basis_kind not in BasisKind.values:
        raise RuleViolation(
            _("An act of supervision or response rests on a basis: choose it."),
            article=ART_32_2,
            code="no_basis",
        )
    fields: dict[str, Any] = {
        "basis_kind": d.basis_kind,
        "basis_check": None,
        "basis_appeal": None,
        "basis_act": None,
        "basis_text": d.basis_text.strip(),
    }
    record: Any = None
    if d.basis_kind == BasisKind.CHECK:
        record = fields["basis_check"] = d.basis_check
    elif d.basis_kind == BasisKind.APPEAL:
        record = fields["basis_appeal"] = d.basis_appeal
    elif d.basis_kind == BasisKind.ACT:
        record = fields["basis_act"] = d.basis_act
        if d.kind != ActKind.CLAIM:
            raise RuleViolation(
                _("Only a claim to court rests on an act of supervision."), article=ART_39_2
            )
    elif d.basis_kind in TEXT_BASES:
        _required(d.basis_text, _("Describe the basis of the act."), ART_32_2)
        return fields
    if record is None or not access.may(by, "view", record):
        raise RuleViolation(
            _("Choose the record the act rests on."), article=ART_32_2, code="no_basis"
        )
    if d.basis_kind == BasisKind.ACT and (
        record.kind not in SUPERVISION_KINDS or record.state not in CLAIMABLE_STATES
    ):
        raise RuleViolation(
            _("A claim follows an act of supervision rejected or left unconsidered."),
            article=ART_39_2,
        )
    return fields


def _validated_draft(by: User, d: ActDraft, *, today: date) -> dict[str, Any]:
    """The columns of a draft that passes the rules of its kind."""
    if d.kind not in ActKind.values:
        raise RuleViolation(_("Choose the kind of act."), code="invalid")
    fields: dict[str, Any] = {
        "kind": d.kind,
        "addressee_kind": d.addressee_kind,
        "addressee_number": _validated_addressee(d.addressee_kind, d.addressee_number),
        "addressee_name": _required(d.addressee_name, _("Name the addressee."), ARTICLE_OF[d.kind]),
        "addressee_address": d.addressee_address.strip(),
        **_validated_basis(by, d),
        "violation": d.violation.strip(),
        "demand": d.demand.strip(),
        "legal_references": d.legal_references.strip(),
        "is_classified": d.is_classified,
        "protested_act_kind": "",
        "protested_act": "",
        "term_set_until": None,
        "urgency_reason": "",
        "suspends_act_until": None,
        "sanction_decision": "",
        "sanction_refusal_reasons": "",
    }
    if d.kind == ActKind.PROTEST:
        fields.update(_validated_protest(d, today))
    elif d.kind == ActKind.SUBMISSION:
        fields.update(_validated_submission(d, today))
    elif d.kind == ActKind.RESOLUTION:
        fields.update(_validated_resolution(d, today))
    elif d.kind == ActKind.SANCTION:
        fields.update(_validated_sanction(d))
    if d.kind == ActKind.CLAIM and d.addressee_kind != AddresseeKind.COURT:
        raise RuleViolation(_("A claim is brought to a court."), article="Art. 39(1)")
    return fields


def _validated_protest(d: ActDraft, today: date) -> dict[str, Any]:
    """Art. 33(1), (6): a protest names what it protests, never a legislative act, an act of the
    President, the Presidential Administration or the Constitutional Court, nor the audit results
    of the Supreme Audit Chamber; Art. 33(3): a term the prosecutor sets is at least 3 working
    days (the engine's minimum)."""
    if d.protested_act_kind in UNPROTESTABLE:
        raise RuleViolation(
            _("%(what)s cannot be protested.")
            % {"what": _label_of_protested(d.protested_act_kind)},
            article=ART_33_6,
            code="unprotestable",
        )
    if not d.protested_act_kind:
        raise RuleViolation(_("Say what kind of act is protested."), article="Art. 33(1)")
    if d.term_set_until is not None:
        terms.check_set_due(TermKind.PROTEST_CONSIDERATION, today, d.term_set_until)
    return {
        "protested_act_kind": d.protested_act_kind,
        "protested_act": _required(d.protested_act, _("Name the protested act."), "Art. 33(1)"),
        "term_set_until": d.term_set_until,
    }


def _label_of_protested(kind: str) -> str:
    return str(ProtestedActKind(kind).label)


def _validated_submission(d: ActDraft, today: date) -> dict[str, Any]:
    """Art. 36(2): 30 calendar days; a shorter term the prosecutor sets only where irreversible
    consequences threaten, with the reason recorded (the engine refuses a longer one)."""
    if d.term_set_until is not None:
        terms.check_set_due(
            TermKind.SUBMISSION_CONSIDERATION, today, d.term_set_until, reason=d.urgency_reason
        )
    return {
        "term_set_until": d.term_set_until,
        "urgency_reason": d.urgency_reason.strip() if d.term_set_until else "",
    }


def _validated_resolution(d: ActDraft, today: date) -> dict[str, Any]:
    """Art. 37(2): a resolution is executed within the term it sets; Art. 37(1)(9): one suspending
    an act or action does so for at most 3 working days."""
    if d.term_set_until is None:
        raise RuleViolation(
            _("A resolution sets the term of its execution."), article=ART_37_2, code="required"
        )
    terms.check_set_due(TermKind.SET_BY_PROSECUTOR, today, d.term_set_until)
    if d.suspends_act_until is not None:
        terms.check_set_due(TermKind.ACT_SUSPENSION, today, d.suspends_act_until)
    return {"term_set_until": d.term_set_until, "suspends_act_until": d.suspends_act_until}


def _validated_sanction(d: ActDraft) -> dict[str, Any]:
    """Art. 34(2): a sanction is given or refused; a refusal states its reasons and grounds."""
    if d.sanction_decision not in SanctionDecision.values:
        raise RuleViolation(
            _("Say whether the sanction is given or refused."), article=ART_34_2, code="required"
        )
    reasons = d.sanction_refusal_reasons.strip()
    if d.sanction_decision == SanctionDecision.REFUSED and not reasons:
        raise RuleViolation(
            _("A refusal of a sanction states its reasons and grounds."),
            article=ART_34_2,
            code="required",
        )
    return {"sanction_decision": d.sanction_decision, "sanction_refusal_reasons": reasons}


@transaction.atomic
def draft_act(*, by: User, draft: ActDraft) -> Act:
    """An act is drafted in the drafter's office (Art. 32); it is registered when it is signed."""
    if not may_draft(by):
        audit.denied(("acts.act", "", ""), actor=by, checked="draft_act")
        raise RuleViolation(_("Only a prosecutor drafts acts."), code="forbidden")
    profile = access.staff_profile(by)
    assert profile is not None  # may_draft checked it
    if draft.is_classified and not profile.clearance_valid():
        raise RuleViolation(
            _("A classified act is drafted by staff cleared to state secrets."), code="forbidden"
        )
    fields = _validated_draft(by, draft, today=timezone.localdate())
    act = Act.objects.create(
        office=profile.office, office_path=profile.office.path, drafted_by=by, **fields
    )
    log(act, ActEventKind.DRAFTED, by=by, on=timezone.localdate())
    return act


@transaction.atomic
def correct_draft(act: Act, *, by: User, draft: ActDraft) -> Act:
    """A draft is corrected until it is signed; then it is never edited (events only)."""
    act = lock(act)
    access.require(by, "change", act, message=_("You may not change this act."))
    _expect(act, ActState.DRAFT, article="Art. 32")
    fields = _validated_draft(by, draft, today=timezone.localdate())
    changed = sorted(name for name, value in fields.items() if getattr(act, name) != value)
    for name, value in fields.items():
        setattr(act, name, value)
    act.save()
    log(act, ActEventKind.CORRECTED, by=by, on=timezone.localdate(), changed=changed)
    return act


# --- signed and delivered -----------------------------------------------------------------------


def register_number(act: Act, year: int, number: int) -> str:
    """The number the act is quoted by: year, office, number in the office's year."""
    return f"{year}-{act.office.code}-{number:05d}"


@transaction.atomic
def sign_act(act: Act, *, by: User, on: date | None = None) -> Act:
    """The signatory signs the act (acts/rules.py SIGNING names who may, by article) and it takes
    the next number of the office's register for the year, without gaps."""
    act = lock(act)
    on = on or timezone.localdate()
    _require_signatory(act, by)
    _expect(act, ActState.DRAFT, article=ARTICLE_OF[act.kind])
    _not_future(on, ARTICLE_OF[act.kind])
    if act.kind == ActKind.SANCTION:
        _validated_sanction(_as_draft(act))
    number = numbering.next_number(scope=REGISTER_SCOPE, office=act.office, year=on.year)
    act.year, act.number = on.year, number
    act.register_number = register_number(act, on.year, number)
    act.signatory, act.signed_on, act.state = by, on, ActState.SIGNED
    act.save()
    log(act, ActEventKind.SIGNED, by=by, on=on, number=act.register_number)
    # Its PDF in each language, stored and signed once by a worker (acts/documents.py).
    queue_documents(act.pk)
    if act.kind == ActKind.SANCTION:
        log(
            act,
            ActEventKind.SANCTION_DECIDED,
            by=by,
            on=on,
            reason=act.sanction_refusal_reasons,
            decision=act.sanction_decision,
        )
    return act


def _as_draft(act: Act) -> ActDraft:
    return ActDraft(
        kind=act.kind,
        addressee_kind=act.addressee_kind,
        addressee_name=act.addressee_name,
        sanction_decision=act.sanction_decision,
        sanction_refusal_reasons=act.sanction_refusal_reasons,
    )
