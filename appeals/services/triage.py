"""Triage: on what ground the prosecutor's office considers the appeal (Art. 24(1)), and the
appeals it does not consider itself: redirected (no ground), anonymous (Art. 24(6)), repeated
(Art. 24(8)), governed by a procedural code (Art. 24(9)), a late complaint whose term is not
restored (Art. 25(1))."""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import (
    Appeal,
    AppealEventKind,
    AppealState,
    Ground,
    Outcome,
    ProceduralCode,
    RestoreDecision,
)
from appeals.selectors import same_applicant
from appeals.services.common import (
    ANSWER_TERM_KINDS,
    active_terms,
    begin,
    log,
    not_before_receipt,
    notify_applicants,
    term_label,
)
from appeals.services.intake import open_answer_term
from prosecution.lib.errors import RuleViolation
from prosecution.lib.values import required
from prosecution.models import NoticeKind, TermKind
from prosecution.terms import engine as terms


@transaction.atomic
def record_ground(appeal: Appeal, *, by: User, ground: str) -> Appeal:
    """Art. 24(1), items 1-7: the ground on which the prosecutor's office considers it."""
    appeal, _target = begin(appeal, "record_ground", by=by)
    if ground not in Ground.values:
        raise RuleViolation(_("Choose one of the grounds of Art. 24(1)."), article="Art. 24(1)")
    appeal.ground = ground
    appeal.save(update_fields=["ground", "updated_at"])
    log(appeal, AppealEventKind.GROUND, by=by, note=appeal.get_ground_display(), ground=ground)
    return appeal


def _meet_answer_terms(appeal: Appeal, *, on: date, by: User, note: str) -> None:
    """What counts as the answer (a redirection, a termination, the answer itself) meets the
    answer term that runs."""
    for term in active_terms(appeal):
        terms.meet_term(term, on=on, system=True, note=note)


def _close(appeal: Appeal, state: str, outcome: str, *, on: date) -> str:
    previous = appeal.state
    appeal.state = state
    appeal.outcome = outcome
    appeal.answered_on = on
    return previous


@transaction.atomic
def redirect_appeal(
    appeal: Appeal, *, by: User, to_body: str, reason: str, on: date | None = None
) -> Appeal:
    """Art. 24(1): an appeal on none of the grounds goes to the competent body; the body and the
    date are recorded, the applicant is told, and this counts as its answer (the term is met)."""
    appeal, target = begin(appeal, "redirect", by=by)
    to_body = required(to_body, _("Name the body the appeal goes to."), "Art. 24(1)")
    reason = required(reason, _("Say why the appeal is redirected."), "Art. 24(1)")
    on = not_before_receipt(appeal, on or timezone.localdate(), field="on")
    assert target is not None  # "redirect" leads to REDIRECTED (workflow.TRANSITIONS)
    previous = _close(appeal, target, Outcome.REDIRECTED, on=on)
    appeal.redirected_to = to_body[:300]
    appeal.redirected_on = on
    appeal.answer_text = reason
    appeal.save()
    _meet_answer_terms(appeal, on=on, by=by, note=_("Redirected to %(body)s") % {"body": to_body})
    log(appeal, AppealEventKind.REDIRECTED, by=by, from_state=previous, note=reason, to=to_body)
    notify_applicants(appeal, NoticeKind.APPEAL_REDIRECTED, body=to_body, on=on, reason=reason)
    return appeal


@transaction.atomic
def terminate_repeated(appeal: Appeal, *, by: User, earlier: Appeal, reason: str) -> Appeal:
    """Art. 24(8): a repeated appeal of the same applicant, with no new arguments or newly found
    circumstances, to which an answer was already given, is terminated, citing that answer."""
    appeal, target = begin(appeal, "terminate", by=by)
    reason = required(reason, _("Say why the appeal brings no new arguments."), "Art. 24(8)")
    earlier = Appeal.objects.get(pk=earlier.pk)  # its state now, not as the caller last read it
    if earlier.pk == appeal.pk or earlier.received_on > appeal.received_on:
        raise RuleViolation(_("Cite an earlier appeal."), article="Art. 24(8)")
    if earlier.state != AppealState.ANSWERED:
        raise RuleViolation(
            _("Only an appeal already answered can make a later one repeated."),
            article="Art. 24(8)",
            code="earlier_not_answered",
        )
    if not same_applicant(appeal).filter(pk=earlier.pk).exists():
        raise RuleViolation(
            _("The earlier appeal is not of the same applicant."), article="Art. 24(8)"
        )
    on = timezone.localdate()
    # "terminate" leads to TERMINATED; an answered appeal has its date of answer.
    assert target is not None and earlier.answered_on is not None
    previous = _close(appeal, target, Outcome.TERMINATED, on=on)
    appeal.earlier_appeal = earlier
    appeal.answer_text = reason
    appeal.save()
    _meet_answer_terms(appeal, on=on, by=by, note=_("Terminated as repeated (Art. 24(8))"))
    log(
        appeal,
        AppealEventKind.TERMINATED,
        by=by,
        from_state=previous,
        note=reason,
        earlier=earlier.reference,
    )
    notify_applicants(
        appeal,
        NoticeKind.APPEAL_TERMINATED,
        earlier=earlier.reference,
        earlier_answered=earlier.answered_on.isoformat(),
        reason=reason,
    )
    return appeal


@transaction.atomic
def close_anonymous(appeal: Appeal, *, by: User, reason: str = "") -> Appeal:
    """Art. 24(6): an anonymous appeal that reports no criminal offence and no threat to national
    or public security is not considered (nobody to answer: its term is cancelled)."""
    appeal, target = begin(appeal, "close_anonymous", by=by)
    if not appeal.is_anonymous:
        raise RuleViolation(_("The appeal is not anonymous."), article="Art. 24(6)")
    assert target is not None  # "close_anonymous" leads to NOT_CONSIDERED (workflow.TRANSITIONS)
    previous = appeal.state
    appeal.state = target
    appeal.reports_offence_or_threat = False
    appeal.save()
    for term in active_terms(appeal, kinds=list(TermKind)):
        terms.cancel_term(term, reason="Art. 24(6)", by=by, system=True)
    log(
        appeal,
        AppealEventKind.NOT_CONSIDERED,
        by=by,
        from_state=previous,
        note=reason or _("Art. 24(6): an anonymous appeal is not considered."),
    )
    return appeal


@transaction.atomic
def proceed_anonymous(appeal: Appeal, *, by: User, reason: str) -> Appeal:
    """Art. 24(6): staff find that an anonymous appeal reports a criminal offence being prepared
    or committed, or a threat to national or public security: it is considered, and its term runs
    from its receipt (not from today: the delay was ours)."""
    appeal, target = begin(appeal, "proceed_anonymous", by=by)
    if not appeal.is_anonymous:
        raise RuleViolation(_("The appeal is not anonymous."), article="Art. 24(6)")
    reason = required(reason, _("Say what the appeal reports."), "Art. 24(6)")
    assert target is not None  # "proceed_anonymous" leads to REGISTERED (workflow.TRANSITIONS)
    previous = appeal.state
    appeal.state = target
    appeal.reports_offence_or_threat = True
    appeal.save()
    if not active_terms(appeal, kinds=[TermKind.APPEAL_ANSWER]).exists():
        # A term cancelled when it was closed gives way: the clock starts over (logged here).
        terms.terms_of(appeal).filter(kind=TermKind.APPEAL_ANSWER).delete()
        open_answer_term(appeal)
    log(appeal, AppealEventKind.PROCEEDS, by=by, from_state=previous, note=reason)
    return appeal


@transaction.atomic
def mark_procedural(appeal: Appeal, *, by: User, code: str, due: date, reason: str) -> Appeal:
    """Art. 24(9), 25(3-4): an appeal governed by a procedural code follows that code's term,
    which staff enter; the 15-working-day term of Art. 24(3) is cancelled."""
    appeal, _target = begin(appeal, "mark_procedural", by=by)
    if code not in ProceduralCode.values:
        raise RuleViolation(_("Choose the procedural code."), article="Art. 24(9)")
    reason = required(reason, _("Cite the norm of the code that sets the term."), "Art. 24(9)")
    if appeal.procedural_code:
        raise RuleViolation(_("The appeal is already marked so."), article="Art. 24(9)")
    not_before_receipt(appeal, due, field="due")
    for term in active_terms(appeal, kinds=ANSWER_TERM_KINDS):
        terms.cancel_term(term, reason=f"Art. 24(9): {reason}", by=by, system=True)
    terms.open_term(
        subject=appeal,
        kind=TermKind.APPEAL_PROCEDURAL,
        office=appeal.office,
        start_date=appeal.received_on,
        start_event=reason[:200],
        responsible=appeal.executor,
        set_due=due,
        label=term_label(appeal),
    )
    appeal.procedural_code = code
    appeal.save(update_fields=["procedural_code", "updated_at"])
    log(appeal, AppealEventKind.PROCEDURAL, by=by, note=reason, code=code, due=due)
    return appeal


@transaction.atomic
def decide_restore(appeal: Appeal, *, by: User, granted: bool, reason: str) -> Appeal:
    """Art. 25(1): the considering office grants or refuses, with reasons, the request to restore
    the missed term to complain. Refused: the complaint is not considered, and the applicant is
    told why (that is its answer: the term is met)."""
    appeal, _target = begin(appeal, "decide_restore", by=by)
    if appeal.restore != RestoreDecision.REQUESTED:
        raise RuleViolation(_("No request to restore the term is pending."), article="Art. 25(1)")
    reason = required(
        reason, _("A decision on restoring the term gives its reasons."), "Art. 25(1)"
    )
    appeal.restore = RestoreDecision.GRANTED if granted else RestoreDecision.REFUSED
    appeal.restore_reason = reason
    previous = appeal.state
    if not granted:
        on = timezone.localdate()
        _close(appeal, AppealState.NOT_CONSIDERED, Outcome.NOT_CONSIDERED, on=on)
        appeal.answer_text = reason
        appeal.save()
        _meet_answer_terms(appeal, on=on, by=by, note=_("Term to complain not restored"))
        notify_applicants(appeal, NoticeKind.APPEAL_ANSWERED, outcome=Outcome.NOT_CONSIDERED, on=on)
    else:
        appeal.save()
    log(
        appeal,
        AppealEventKind.RESTORE,
        by=by,
        from_state=previous if not granted else "",
        note=reason,
        granted=granted,
    )
    return appeal
