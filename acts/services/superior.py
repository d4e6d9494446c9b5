"""The superior's powers over an inferior's act (Art. 5(2), 43(3)), complaints against an act
(Art. 25, 43(2)) and the claim to court after a rejected act of supervision (Art. 39(2))."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acts.models import (
    CLAIMABLE_STATES,
    DECIDED_STATES,
    PENDING_STATES,
    SUPERVISION_KINDS,
    Act,
    ActEventKind,
    ActKind,
    ActState,
    AddresseeKind,
    BasisKind,
)
from acts.rules import (
    ART_5_2,
    ART_43_3,
    is_superior,
)
from acts.services.common import (
    ART_39_2,
    ART_43_2,
    _end,
    _expect,
    _not_future,
    _required,
    lock,
    log,
    tell_signatory,
    terms_of,
)
from acts.services.drafting import ActDraft, draft_act
from appeals.models.choices import AppealKind
from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind, TermState
from prosecution.offices import access
from prosecution.terms import engine as terms

if TYPE_CHECKING:
    from appeals.models import Appeal


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
    tell_signatory(
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
    tell_signatory(
        act, NoticeKind.ACT_SUPERIOR_DECISION, key=f"superior:lift:{on}", decision="lift"
    )
    return act


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
