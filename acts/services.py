"""Every change of an act of the prosecutor's office (Art. 32-43; docs/rules.md "Acts of the
prosecutor's office"), one function per action. Each locks the act, checks the actor through the
one access policy, checks the state the action expects, appends an ActEvent and an audit record,
and refuses with a RuleViolation citing the article.

The clocks are prosecution.Term rows driven through the terms engine (acts/rules.py KIND_TERMS):
a protest's 10 calendar days or the prosecutor's term of at least 3 working days (Art. 33(3)), a
submission's 30 calendar days, its notice of consideration and its report of results
(Art. 36(2)), the term a resolution sets (Art. 37(2)). They start when the act is delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acts.models import (
    BASED_KINDS,
    CLAIMABLE_STATES,
    DECIDED_STATES,
    PENDING_STATES,
    SUPERVISION_KINDS,
    TEXT_BASES,
    UNPROTESTABLE,
    Act,
    ActEvent,
    ActEventKind,
    ActKind,
    ActState,
    AddresseeKind,
    BasisKind,
    ProtestedActKind,
    SanctionDecision,
)
from acts.rules import (
    ART_5_2,
    ART_43_3,
    ARTICLE_OF,
    HEADS_ONLY,
    KIND_TERMS,
    SIGNING,
    is_head,
    is_superior,
    may_draft,
    may_sign,
)
from acts.tasks import sign_act_documents
from appeals.models.choices import AppealKind
from prosecution import workdays
from prosecution.audit import log as audit
from prosecution.lib import numbering
from prosecution.lib.errors import RuleViolation
from prosecution.lib.identifiers import validate_bin, validate_iin
from prosecution.models import NoticeKind, Term, TermKind, TermState
from prosecution.notices import outbox
from prosecution.offices import access
from prosecution.terms import engine as terms

if TYPE_CHECKING:
    from appeals.models import Appeal
    from supervision.models import Check

ART_32_2 = "Art. 32(2)"
ART_33_3 = "Art. 33(3)"
ART_33_5 = "Art. 33(5)"
ART_33_6 = "Art. 33(6)"
ART_34_2 = "Art. 34(2)"
ART_36_2 = "Art. 36(2)"
ART_37_1_9 = "Art. 37(1)(9)"
ART_37_2 = "Art. 37(2)"
ART_39_2 = "Art. 39(2)"
ART_40 = "Art. 40"
ART_43_2 = "Art. 43(2)"

# The register of acts: one gapless sequence per office and year (prosecution/lib/numbering.py).
REGISTER_SCOPE = "act_register"


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


# --- helpers ------------------------------------------------------------------------------------


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def log(
    act: Act, kind: str, *, by: User | None, on: date, reason: str = "", **data: Any
) -> ActEvent:
    """The act's history and the audit log: every change of an act passes here."""
    event = ActEvent.objects.create(
        act=act, kind=kind, on=on, by=by, reason=reason, data=_plain(data)
    )
    audit.record(f"act.{kind}", target=act, actor=by, state=act.state, on=on, reason=reason, **data)
    return event


def lock(act: Act) -> Act:
    """Re-read the act under a row lock: two decisions on one act never interleave."""
    return Act.objects.select_for_update().get(pk=act.pk)


def _expect(act: Act, *states: str, article: str) -> None:
    if act.state not in states:
        raise RuleViolation(
            _("This cannot be done to an act in the state “%(state)s”.")
            % {"state": act.get_state_display()},
            article=article,
            code="wrong_state",
        )


def _required(text: str, message: str, article: str) -> str:
    if not (text or "").strip():
        raise RuleViolation(message, article=article, code="required")
    return text.strip()


def _not_future(on: date, article: str) -> None:
    if on > timezone.localdate():
        raise RuleViolation(_("This is not recorded in advance."), article=article)


def terms_of(act: Act) -> list[Term]:
    """The act's terms, oldest first."""
    return list(terms.terms_of(act))


def _active_terms(act: Act) -> list[Term]:
    return [t for t in terms_of(act) if t.state in (TermState.OPEN, TermState.MISSED)]


def _term(act: Act, kind: TermKind) -> Term | None:
    return terms.terms_of(act).filter(kind=kind).first()


def _label(act: Act) -> str:
    return f"{act.get_kind_display()} {act.register_number}: {act.addressee_name}"


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
    transaction.on_commit(lambda: sign_act_documents.delay(act.pk))
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


@transaction.atomic
def deliver_act(act: Act, *, by: User, on: date | None = None) -> Act:
    """The act reaches its addressee: its clock starts (acts/rules.py KIND_TERMS) and, for an act
    of supervision or response, the limitation period for holding the violators liable is
    suspended until the act is decided (Art. 32(4))."""
    act = lock(act)
    on = on or timezone.localdate()
    access.require(by, "change", act, message=_("You may not change this act."))
    _expect(act, ActState.SIGNED, article=ARTICLE_OF[act.kind])
    _not_future(on, ARTICLE_OF[act.kind])
    if act.signed_on and on < act.signed_on:
        raise RuleViolation(_("An act is delivered after it is signed."), code="invalid")
    act.state, act.delivered_on = ActState.DELIVERED, on
    if act.kind in BASED_KINDS:
        act.limitation_suspended_on = on
    act.save()
    _open_clock(act, on=on)
    log(act, ActEventKind.DELIVERED, by=by, on=on)
    return act


def _open(act: Act, kind: TermKind, *, on: date, set_due: date | None = None, **kw: Any) -> Term:
    return terms.open_term(
        subject=act,
        kind=kind,
        office=act.office,
        start_date=on,
        start_event=_("Delivery of the act"),
        responsible=act.signatory,
        set_due=set_due,
        label=_label(act),
        is_classified=act.is_classified,
        **kw,
    )


def _open_clock(act: Act, *, on: date) -> None:
    """Art. 33(3): a protest, 10 calendar days or the prosecutor's term (at least 3 working days);
    Art. 36(2): a submission, 30 calendar days or a shorter term for irreversible consequences,
    and the addressee's notice of the consideration at least 3 working days before it; Art. 37(2):
    a resolution, the term it sets. A date set in the draft counts from the delivery."""
    kind = KIND_TERMS.get(act.kind)
    if kind is None:
        return
    if act.kind == ActKind.SUBMISSION:
        consideration = _open(
            act, kind, on=on, set_due=act.term_set_until, reason=act.urgency_reason
        )
        notice_due = max(on, workdays.add_working_days(consideration.due_date, -3))
        _open(act, TermKind.SUBMISSION_CONSIDERATION_NOTICE, on=on, set_due=notice_due)
        return
    _open(act, kind, on=on, set_due=act.term_set_until)


# --- the addressee's consideration --------------------------------------------------------------


@transaction.atomic
def record_consideration(
    act: Act, *, by: User, at: datetime, place: str, on: date | None = None
) -> Act:
    """Art. 33(3), 36(2): the addressee tells the prosecutor the time and place of consideration;
    of a submission, at least 3 working days before it (the notice's term is met, late if fewer
    days are left). The signatory is told."""
    act = lock(act)
    on = on or timezone.localdate()
    access.require(by, "change", act, message=_("You may not change this act."))
    article = ART_36_2 if act.kind == ActKind.SUBMISSION else ART_33_3
    if act.kind not in (ActKind.PROTEST, ActKind.SUBMISSION):
        raise RuleViolation(
            _("Only a protest or a submission is considered at a time and place told."),
            article=article,
        )
    _expect(act, ActState.DELIVERED, ActState.UNDER_CONSIDERATION, article=article)
    _not_future(on, article)
    place = _required(place, _("Give the place of consideration."), article)
    day = timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
    if day < on:
        raise RuleViolation(_("The consideration is told before it takes place."), article=article)
    notice_days = workdays.working_days_between(on, day)
    act.consideration_at, act.consideration_place = at, place
    act.state = ActState.UNDER_CONSIDERATION
    act.save()
    late = False
    if act.kind == ActKind.SUBMISSION:
        late = notice_days < 3
        notice = _term(act, TermKind.SUBMISSION_CONSIDERATION_NOTICE)
        if notice is not None and notice.state in (TermState.OPEN, TermState.MISSED):
            terms.meet_term(notice, on=on, by=by)
    log(
        act,
        ActEventKind.CONSIDERATION_SET,
        by=by,
        on=on,
        at=at,
        place=place,
        working_days_before=notice_days,
        told_late=late,
    )
    _tell_signatory(act, NoticeKind.ACT_CONSIDERATION_SET, key=f"consideration:{at.isoformat()}")
    return act


@transaction.atomic
def suspend_protested_act(act: Act, *, by: User, reason: str, on: date | None = None) -> Act:
    """Art. 33(5): until the protest is decided, the Prosecutor General, the deputies and the
    heads of military, transport, regional, district and equated offices may suspend the protested
    act or action."""
    act = lock(act)
    on = on or timezone.localdate()
    access.require(by, "change", act, message=_("You may not change this act."))
    if act.kind != ActKind.PROTEST:
        raise RuleViolation(_("Only a protested act is suspended so."), article=ART_33_5)
    if not is_head(by):
        audit.denied(act, actor=by, checked="suspend_protested_act")
        raise RuleViolation(
            _(
                "The protested act is suspended by the Prosecutor General, the deputies or the "
                "head of a military, transport, regional, district or equated office."
            ),
            article=ART_33_5,
            code="forbidden",
        )
    _expect(act, *PENDING_STATES, article=ART_33_5)
    if act.protested_act_suspended_on is not None:
        raise RuleViolation(_("The protested act is already suspended."), article=ART_33_5)
    _not_future(on, ART_33_5)
    reason = _required(reason, _("A suspension needs a reason."), ART_33_5)
    act.protested_act_suspended_on = on
    act.save(update_fields=["protested_act_suspended_on"])
    log(act, ActEventKind.PROTESTED_ACT_SUSPENDED, by=by, on=on, reason=reason)
    return act


@transaction.atomic
def decide_act(
    act: Act,
    *,
    by: User,
    outcome: str,
    decision: str,
    measures_taken: str = "",
    persons_liable: int | None = None,
    on: date | None = None,
) -> Act:
    """The addressee decided: satisfied, partly, rejected, or left it unconsidered. Art. 32(4):
    the limitation period runs again from the decision. Art. 33(3): a protest's result is
    reported at once, in writing (recorded as reported on the day); Art. 36(2): a submission's
    results and measures within 3 working days after (a term opens); Art. 37(2): a resolution
    executed within its term."""
    act = lock(act)
    on = on or timezone.localdate()
    access.require(by, "change", act, message=_("You may not change this act."))
    article = ARTICLE_OF[act.kind]
    _expect(act, ActState.DELIVERED, ActState.UNDER_CONSIDERATION, article=article)
    if outcome not in [s.value for s in DECIDED_STATES]:
        raise RuleViolation(_("Choose what the addressee decided."), code="invalid")
    _not_future(on, article)
    if act.delivered_on and on < act.delivered_on:
        raise RuleViolation(_("An act is decided after it is delivered."), code="invalid")
    if outcome != ActState.UNCONSIDERED:
        decision = _required(decision, _("Record what the addressee decided."), article)
    act.state, act.decided_on, act.decision = outcome, on, decision.strip()
    act.measures_taken = measures_taken.strip()
    act.persons_liable = persons_liable
    if act.limitation_suspended_on is not None:
        act.limitation_resumes_on = on
    reported = act.kind != ActKind.SUBMISSION and outcome != ActState.UNCONSIDERED
    if reported:
        act.result_reported_on = on
    act.save()
    for term in _active_terms(act):
        if term.kind == TermKind.SUBMISSION_CONSIDERATION_NOTICE:
            # The addressee decided without telling the time and place: the notice falls away
            # (the act's service checked the actor; cancelling is the leadership's for people).
            terms.cancel_term(term, reason=_("The submission was decided."), by=by, system=True)
        else:
            terms.meet_term(term, on=on, by=by)
    if act.kind == ActKind.SUBMISSION and outcome != ActState.UNCONSIDERED:
        _open(act, TermKind.SUBMISSION_RESULTS, on=on)
    log(
        act,
        ActEventKind.DECIDED,
        by=by,
        on=on,
        reason=act.decision,
        outcome=outcome,
        persons_liable=persons_liable,
    )
    if reported:
        log(act, ActEventKind.RESULT_REPORTED, by=by, on=on)
    return act


@transaction.atomic
def report_result(
    act: Act,
    *,
    by: User,
    measures_taken: str,
    persons_liable: int | None = None,
    on: date | None = None,
) -> Act:
    """Art. 36(2): the results of the consideration of a submission and the measures taken are
    reported within 3 working days of the consideration (its term is met, late if after)."""
    act = lock(act)
    on = on or timezone.localdate()
    access.require(by, "change", act, message=_("You may not change this act."))
    if act.kind != ActKind.SUBMISSION:
        raise RuleViolation(_("Only a submission's results are reported so."), article=ART_36_2)
    _expect(act, ActState.SATISFIED, ActState.PARTLY_SATISFIED, ActState.REJECTED, article=ART_36_2)
    if act.result_reported_on is not None:
        raise RuleViolation(_("The results are already reported."), article=ART_36_2)
    _not_future(on, ART_36_2)
    if act.decided_on and on < act.decided_on:
        raise RuleViolation(_("Results are reported after the decision."), article=ART_36_2)
    act.measures_taken = _required(
        measures_taken or act.measures_taken, _("Record the measures taken."), ART_36_2
    )
    if persons_liable is not None:
        act.persons_liable = persons_liable
    act.result_reported_on = on
    act.save()
    results = _term(act, TermKind.SUBMISSION_RESULTS)
    if results is not None and results.state in (TermState.OPEN, TermState.MISSED):
        terms.meet_term(results, on=on, by=by)
    log(act, ActEventKind.RESULT_REPORTED, by=by, on=on, persons_liable=act.persons_liable)
    return act


@transaction.atomic
def withdraw_act(act: Act, *, by: User, reason: str, on: date | None = None) -> Act:
    """Art. 33(3): a protest is withdrawn before its consideration by the prosecutor who brought
    it or by a superior prosecutor; other acts likewise before they are decided. The clock ends."""
    act = lock(act)
    on = on or timezone.localdate()
    article = ART_33_3 if act.kind == ActKind.PROTEST else ARTICLE_OF[act.kind]
    access.require(by, "change", act, message=_("You may not change this act."))
    if by != act.signatory and not is_superior(by, act):
        audit.denied(act, actor=by, checked="withdraw_act")
        raise RuleViolation(
            _("An act is withdrawn by the prosecutor who brought it or by a superior prosecutor."),
            article=article,
            code="forbidden",
        )
    _expect(act, *PENDING_STATES, article=article)
    if (
        act.kind == ActKind.PROTEST
        and act.consideration_at is not None
        and act.consideration_at <= timezone.now()
    ):
        raise RuleViolation(
            _("A protest is withdrawn only before its consideration."), article=article
        )
    reason = _required(reason, _("A withdrawal needs a reason."), article)
    _end(act, ActState.WITHDRAWN, by=by, on=on, reason=reason)
    log(act, ActEventKind.WITHDRAWN, by=by, on=on, reason=reason)
    return act


def _end(act: Act, state: str, *, by: User, on: date, reason: str) -> None:
    """The act ends without a decision: its clocks are cancelled and the limitation period runs
    again (Art. 32(4))."""
    act.state = state
    if act.limitation_suspended_on is not None and act.limitation_resumes_on is None:
        act.limitation_resumes_on = on
    act.save()
    for term in terms_of(act):
        if term.state not in (TermState.MET, TermState.CANCELLED):
            terms.cancel_term(term, reason=reason, by=by, system=True)


# --- the superior's powers ----------------------------------------------------------------------

SUPERIOR_DECISIONS = ("cancel", "revoke", "suspend", "amend")


def _require_superior(act: Act, by: User) -> None:
    """Art. 5(2), 43(3): a superior prosecutor (the leadership of an office above the act's)."""
    access.require(
        by, "decide", act, article=ART_43_3, message=_("You may not decide on this act.")
    )
    if not is_superior(by, act):
        audit.denied(act, actor=by, checked="superior_decision")
        raise RuleViolation(
            _("Only a superior office cancels, revokes, suspends or amends an act."),
            article=ART_5_2,
            code="forbidden",
        )


@transaction.atomic
def superior_decision(
    act: Act,
    *,
    by: User,
    decision: str,
    reason: str,
    amendment: str = "",
    on: date | None = None,
) -> Act:
    """Art. 5(2), 43(3): a superior prosecutor cancels, revokes, suspends or amends an inferior
    prosecutor's act by a reasoned decision, on a complaint or on their own initiative. Cancelled
    or revoked, its clock ends; suspended, it stops until the suspension is lifted; amended, the
    amendment is in the history. The inferior's signatory is told."""
    act = lock(act)
    on = on or timezone.localdate()
    _require_superior(act, by)
    if decision not in SUPERIOR_DECISIONS:
        raise RuleViolation(_("Choose the decision."), code="invalid")
    reason = _required(reason, _("A superior's decision is reasoned."), ART_43_3)
    _not_future(on, ART_43_3)
    live = (*PENDING_STATES, *DECIDED_STATES)
    if decision == "amend":
        _expect(act, *live, ActState.SUSPENDED, article=ART_43_3)
        amendment = _required(amendment, _("Say how the act is amended."), ART_43_3)
        log(act, ActEventKind.AMENDED, by=by, on=on, reason=reason, amendment=amendment)
    elif decision == "suspend":
        _expect(act, *PENDING_STATES, article=ART_43_3)
        act.state_before_suspension, act.state = act.state, ActState.SUSPENDED
        act.save()
        for term in terms_of(act):
            if term.state == TermState.OPEN:
                terms.suspend_term(term, on=on, reason=reason, by=by, system=True)
        log(act, ActEventKind.SUSPENDED, by=by, on=on, reason=reason)
    else:
        _expect(act, *live, ActState.SUSPENDED, article=ART_43_3)
        state = ActState.CANCELLED if decision == "cancel" else ActState.REVOKED
        _end(act, state, by=by, on=on, reason=reason)
        kind = ActEventKind.CANCELLED if decision == "cancel" else ActEventKind.REVOKED
        log(act, kind, by=by, on=on, reason=reason)
    _tell_signatory(
        act, NoticeKind.ACT_SUPERIOR_DECISION, key=f"superior:{decision}:{on}", decision=decision
    )
    return act


@transaction.atomic
def lift_suspension(act: Act, *, by: User, reason: str = "", on: date | None = None) -> Act:
    """Art. 43(2)-(3): the superior lifts the suspension; the act and its clock go on."""
    act = lock(act)
    on = on or timezone.localdate()
    _require_superior(act, by)
    _expect(act, ActState.SUSPENDED, article=ART_43_3)
    act.state, act.state_before_suspension = act.state_before_suspension, ""
    act.save()
    for term in terms_of(act):
        if term.state == TermState.SUSPENDED:
            terms.resume_term(term, on=on, by=by, reason=reason, system=True)
    log(act, ActEventKind.SUSPENSION_LIFTED, by=by, on=on, reason=reason)
    _tell_signatory(
        act, NoticeKind.ACT_SUPERIOR_DECISION, key=f"superior:lift:{on}", decision="lift"
    )
    return act


def _tell_signatory(act: Act, kind: NoticeKind, *, key: str, **extra: Any) -> None:
    """The signatory hears of it in the system and by e-mail, in their language, written in the
    change's transaction. Of a classified act the notice names neither the addressee nor the
    reasons: e-mail and the bell are not cleared channels (docs/rules.md "Secrecy")."""
    person = act.signatory
    if person is None:
        return
    last = act.events.order_by("-pk").first()
    classified = act.is_classified
    outbox.save(
        outbox.build(
            kind=kind,
            key=outbox.notice_key("act", act.pk, key, person.pk),
            recipients=outbox.staff_recipients(person),
            context={
                "number": act.register_number,
                "act_kind": act.kind,
                "classified": classified,
                "addressee": "" if classified else act.addressee_name,
                "reason": "" if classified or last is None else last.reason,
                "at": _moment(act.consideration_at),
                "place": "" if classified else act.consideration_place,
                "act_uuid": str(act.uuid),
                **extra,
            },
            subject=act,
        )
    )


# --- complaints and claims ----------------------------------------------------------------------


@transaction.atomic
def link_complaint(act: Act, *, by: User, appeal: Appeal) -> Act:
    """Art. 25, 43(1): a complaint against the act is linked to it (its words stay in
    `complained_act`). Art. 43(2): it does not suspend the act: the state and the clock stay."""
    act = lock(act)
    access.require(by, "change", act, message=_("You may not change this act."))
    if appeal.kind != AppealKind.COMPLAINT or not access.may(by, "view", appeal):
        raise RuleViolation(_("Choose a complaint against the act."), article="Art. 25")
    if act.state == ActState.DRAFT:
        raise RuleViolation(_("A draft is not complained about."), article=ART_43_2)
    appeal.complained_act_link = act
    appeal.save(update_fields=["complained_act_link"])
    log(act, ActEventKind.COMPLAINED, by=by, on=timezone.localdate(), appeal=appeal.reference)
    return act


@transaction.atomic
def bring_claim(
    act: Act,
    *,
    by: User,
    court: str,
    demand: str,
    court_bin: str = "",
) -> Act:
    """Art. 39(2): when an act of supervision is rejected or left unconsidered, the prosecutor
    applies to the court to recognise the acts, decisions or (in)action as illegal: a draft claim
    resting on the act."""
    act = lock(act)
    access.require(by, "change", act, message=_("You may not change this act."))
    if act.kind not in SUPERVISION_KINDS or act.state not in CLAIMABLE_STATES:
        raise RuleViolation(
            _("A claim follows an act of supervision rejected or left unconsidered."),
            article=ART_39_2,
        )
    claim = draft_act(
        by=by,
        draft=ActDraft(
            kind=ActKind.CLAIM,
            addressee_kind=AddresseeKind.COURT,
            addressee_name=court,
            addressee_number=court_bin,
            basis_kind=BasisKind.ACT,
            basis_act=act,
            violation=act.violation,
            demand=demand,
            legal_references=act.legal_references,
            is_classified=act.is_classified,
        ),
    )
    log(act, ActEventKind.CLAIM_BROUGHT, by=by, on=timezone.localdate(), claim=claim.pk)
    return claim


def _moment(at: datetime | None) -> str:
    """A time of consideration inside a notice, in the office's time zone, as the pages write it."""
    return timezone.localtime(at).strftime("%d.%m.%Y %H:%M") if at else ""
