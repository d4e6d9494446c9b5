"""The act delivered and considered by its addressee: the clocks of Art. 33(3), 36(2) and 37(2),
the time and place told, the protested act suspended (Art. 33(5)), the decision and its report,
the withdrawal (Art. 33(3)); the limitation period of Art. 32(4)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acts.models import (
    BASED_KINDS,
    DECIDED_STATES,
    PENDING_STATES,
    Act,
    ActEventKind,
    ActKind,
    ActState,
)
from acts.rules import (
    ARTICLE_OF,
    KIND_TERMS,
    is_head,
    is_superior,
)
from acts.services.common import (
    ART_33_3,
    ART_33_5,
    ART_36_2,
    _active_terms,
    _end,
    _expect,
    _not_future,
    _open,
    _required,
    _term,
    lock,
    log,
    tell_signatory,
)
from prosecution import workdays
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind, TermKind, TermState
from prosecution.offices import access
from prosecution.terms import engine as terms

if TYPE_CHECKING:
    pass


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
    tell_signatory(act, NoticeKind.ACT_CONSIDERATION_SET, key=f"consideration:{at.isoformat()}")
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
        decided=outcome,  # not `outcome`: that is the audit record's own column (ok, denied)
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
