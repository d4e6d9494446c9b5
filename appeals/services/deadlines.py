"""The appeal's terms beyond the first: the extension (Art. 24(4)) and telling the applicant of it
(Art. 24(5)), and the legality check appointed on the appeal (Art. 24(4)). The timers engine
(prosecution/terms/engine.py) computes and guards the dates; these functions say when each runs."""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import workflow
from appeals.models import Appeal, AppealEventKind, AppealState, ExtensionGround
from appeals.services.common import (
    active_terms,
    begin,
    lock,
    log,
    not_before_receipt,
    notify_applicants,
    term_label,
)
from prosecution.lib.errors import RuleViolation
from prosecution.lib.values import required
from prosecution.models import NoticeKind, TermKind
from prosecution.offices import access
from prosecution.terms import engine as terms
from supervision.models import Check, CheckState


@transaction.atomic
def extend_appeal_term(
    appeal: Appeal,
    *,
    by: User,
    until: date,
    ground: str,
    reason: str,
    on: date | None = None,
) -> Appeal:
    """Art. 24(4): by a reasoned decision of the head of the office or a deputy, for a reasonable
    period, when facts must be established or information obtained from other bodies (the
    decision names which: `ground`, an ExtensionGround); at most two months from receipt in all
    (prosecution/terms/rules.py has the reading).

    Art. 24(5): the applicant is told within 3 working days. That is a term of its own, opened by
    the engine; the notice is written now, in the appeal's language, and its delivery meets that
    term (prosecution/notices/outbox.py). An applicant with no e-mail and no phone is told by post,
    which staff record (`record_extension_told`)."""
    appeal, _target = begin(appeal, "extend", by=by)
    if ground not in ExtensionGround.values:
        raise RuleViolation(
            _(
                "An extension names its ground: factual circumstances to establish, or "
                "information to obtain from other bodies."
            ),
            article="Art. 24(4)",
        )
    reason = required(reason, _("An extension needs a reasoned decision."), "Art. 24(4)")
    term = active_terms(appeal, kinds=[TermKind.APPEAL_ANSWER]).first()
    if term is None:
        raise RuleViolation(
            _("Only the 15-working-day term of an appeal can be extended."), article="Art. 24(4)"
        )
    on = not_before_receipt(appeal, on or timezone.localdate(), field="on")
    not_before_receipt(appeal, until, field="until")
    old_due = term.due_date
    term = terms.extend_term(term, by=by, reason=reason, until=until, on=on)
    notice_term = active_terms(appeal, kinds=[TermKind.APPEAL_EXTENSION_NOTICE]).get()
    log(
        appeal,
        AppealEventKind.EXTENDED,
        by=by,
        note=reason,
        extension_ground=ground,
        old_due=old_due,
        new_due=term.due_date,
        tell_by=notice_term.due_date,
    )
    notify_applicants(
        appeal,
        NoticeKind.EXTENSION_TO_APPLICANT,
        term=notice_term,
        due=term.due_date.isoformat(),
        ground=ground,
        reason=reason,
        fulfils_term=True,
    )
    return appeal


@transaction.atomic
def record_extension_told(appeal: Appeal, *, by: User, on: date, how: str) -> Appeal:
    """Art. 24(5): the applicant was told of the extension another way (a letter, a call)."""
    appeal, _target = begin(appeal, "tell_extension", by=by)
    how = required(how, _("Say how the applicant was told."), "Art. 24(5)")
    term = active_terms(appeal, kinds=[TermKind.APPEAL_EXTENSION_NOTICE]).first()
    if term is None:
        raise RuleViolation(_("No extension waits to be told."), article="Art. 24(5)")
    if on > timezone.localdate():
        raise RuleViolation(_("The date cannot be in the future."), code="future_date")
    not_before_receipt(appeal, on, field="on")
    terms.meet_term(term, on=on, by=by, note=how)
    # An event of its own: logged as "term extended", the history showed a second extension that
    # never was (issue 13).
    log(appeal, AppealEventKind.EXTENSION_TOLD, by=by, note=how, told_on=on)
    return appeal


def check_label(check: Check) -> str:
    """How the applicant and staff name the check: its registration number once it has one,
    else the number of the resolution that appointed it."""
    registered = check.registration.reference if check.registration else None
    return registered or check.resolution_number


@transaction.atomic
def appoint_check(
    appeal: Appeal,
    *,
    by: User,
    legality_check: Check,
    interim_reply: str,
    on: date | None = None,
) -> Appeal:
    """Art. 24(4): a legality check is appointed on the appeal (the check itself is appointed by
    its resolution: supervision/services.py appoint_check). The applicant gets an interim reply,
    and the final answer follows within 10 working days of the check's completion, which opens
    that term by itself (check_completed below).

    Our reading, which protects the applicant: the interim reply is the answer due within the
    15 working days of Art. 24(3) (that term is met by it), so the applicant never waits beyond
    15 working days without word."""
    appeal, target = begin(appeal, "appoint_check", by=by)
    interim_reply = required(interim_reply, _("Write the interim reply."), "Art. 24(4)")
    if appeal.check_appointed_on is not None:
        raise RuleViolation(
            _("A check was already appointed on this appeal."), article="Art. 24(4)"
        )
    if not access.may(by, "view", legality_check) or legality_check.state in (
        CheckState.COMPLETED,
        CheckState.CANCELLED,
    ):
        raise RuleViolation(
            _("Choose a check of your scope that is not closed."), article="Art. 24(4)"
        )
    on = not_before_receipt(appeal, on or timezone.localdate(), field="on")
    assert target is not None  # "appoint_check" leads to ON_CHECK (workflow.TRANSITIONS)
    reference = check_label(legality_check)
    previous = appeal.state
    appeal.state = target
    appeal.legality_check = legality_check
    appeal.check_appointed_on = on
    appeal.interim_reply = interim_reply
    appeal.save()
    for term in active_terms(appeal, kinds=[TermKind.APPEAL_ANSWER, TermKind.COMPLAINT_DECISION]):
        terms.meet_term(
            term, on=on, system=True, note=_("Interim reply: check %(ref)s") % {"ref": reference}
        )
    log(
        appeal,
        AppealEventKind.CHECK_APPOINTED,
        by=by,
        from_state=previous,
        note=interim_reply,
        check=reference,
    )
    notify_applicants(
        appeal, NoticeKind.APPEAL_INTERIM_REPLY, check=reference, on=on, reply=interim_reply
    )
    return appeal


@transaction.atomic
def complete_check(appeal: Appeal, *, by: User, completed_on: date) -> Appeal:
    """Art. 24(4): the check is completed; the final answer is due within 10 working days. Staff
    record it only for a check recorded before checks were linked (check_reference); a linked
    check's completion does it by itself (check_completed)."""
    appeal, target = begin(appeal, "complete_check", by=by)
    if appeal.legality_check_id is not None:
        raise RuleViolation(
            _("The linked check's completion is recorded on the check itself."),
            article="Art. 24(4)",
            code="linked_check",
        )
    return _check_completed(appeal, target, by=by, completed_on=completed_on)


def check_completed(check: Check, *, by: User | None, on: date) -> list[Appeal]:
    """Art. 24(4): the check was completed (supervision/signals.py, in the completion's
    transaction): each appeal waiting on it owes its final answer within 10 working days."""
    done = []
    for appeal in Appeal.objects.filter(legality_check=check, state=AppealState.ON_CHECK):
        appeal = lock(appeal)
        target = workflow.expect(appeal, "complete_check")
        done.append(_check_completed(appeal, target, by=None, completed_on=on))
    return done


def _check_completed(
    appeal: Appeal,
    target: str | None,
    *,
    by: User | None,
    completed_on: date,
) -> Appeal:
    # "complete_check" leads to IN_WORK, from ON_CHECK, which appoint_check dated.
    assert target is not None and appeal.check_appointed_on is not None
    if completed_on < appeal.check_appointed_on or completed_on > timezone.localdate():
        raise RuleViolation(
            _("The check completes between its appointment and today."), article="Art. 24(4)"
        )
    reference = check_label(appeal.legality_check) if appeal.legality_check else ""
    previous = appeal.state
    appeal.state = target
    appeal.check_completed_on = completed_on
    appeal.save()
    terms.open_term(
        subject=appeal,
        kind=TermKind.APPEAL_FINAL_AFTER_CHECK,
        office=appeal.office,
        start_date=completed_on,
        start_event=_("Check %(ref)s completed") % {"ref": reference or appeal.check_reference},
        responsible=appeal.executor,
        label=term_label(appeal),
    )
    log(
        appeal,
        AppealEventKind.CHECK_COMPLETED,
        by=by,
        from_state=previous,
        completed_on=completed_on,
        check=reference or appeal.check_reference,
    )
    return appeal
