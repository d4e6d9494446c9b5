"""The check's state machine, in one place: which action may start from which state, and who takes
it. supervision/services.py calls `expect` before it changes anything; the staff pages and the API
offer what `allowed_actions` returns (the services decide again on submit). The database
constraints on Check guard what each state must carry."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from prosecution.lib.errors import RuleViolation
from prosecution.offices import access
from prosecution.offices.access import Viewer
from prosecution.terms import engine as terms
from supervision.models import Check
from supervision.models import CheckState as S
from supervision.selectors import term_of

# Who takes an action (Art. 18(1), 18(4)): any member of staff in scope who may change the check,
# a named inspector, or the appointing authority (a prosecutor who may appoint checks, in the
# appointing office or above it).
STAFF, INSPECTOR, AUTHORITY = "staff", "inspector", "authority"

NOT_CLOSED = (
    S.DRAFT,
    S.AWAITING_REGISTRATION,
    S.REGISTRATION_REFUSED,
    S.REGISTERED,
    S.RUNNING,
    S.SUSPENDED,
)

# action: (states it may start from, who takes it). Art. 18(4): a check begins once registered.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "send": ((S.DRAFT, S.REGISTRATION_REFUSED), STAFF),
    "correct": ((S.DRAFT, S.REGISTRATION_REFUSED), AUTHORITY),
    "start": ((S.REGISTERED,), INSPECTOR),
    "suspend": ((S.RUNNING,), INSPECTOR),
    "resume": ((S.SUSPENDED,), INSPECTOR),
    "extend": ((S.RUNNING,), AUTHORITY),
    "complete": ((S.RUNNING,), INSPECTOR),
    "hand_certificate": ((S.COMPLETED,), INSPECTOR),  # Art. 19(2), after the completion
    "inspectors": (NOT_CLOSED, AUTHORITY),
    "cancel": (NOT_CLOSED, AUTHORITY),
}

# Art. 18(4): a check under another law is neither registered nor bound by the term rule; it
# starts from the draft, is never sent, and has no term to extend.
EXEMPT_SOURCES: dict[str, tuple[str, ...]] = {"send": (), "start": (S.DRAFT,), "extend": ()}


def sources(check: Check, action: str) -> tuple[str, ...]:
    states, _who = TRANSITIONS[action]
    if check.is_exempt:
        return EXEMPT_SOURCES.get(action, states)
    return states


def expect(check: Check, action: str, *, article: str) -> None:
    """Refuse an action the check's state does not allow."""
    if check.state not in sources(check, action):
        raise RuleViolation(
            _("This cannot be done to a check in the state “%(state)s”.")
            % {"state": check.get_state_display()},
            article=article,
            code="wrong_state",
        )


def allowed_actions(check: Check, user: Viewer) -> list[str]:
    """The actions the check's page offers `user` now: the state allows them and the user is who
    takes them."""
    # supervision/services.py imports this module: may_appoint is read where it is needed.
    from supervision.services import may_appoint

    if not isinstance(user, User) or not access.may(user, "change", check):
        return []
    who = {STAFF}
    if check.inspectors.filter(pk=user.pk).exists():
        who.add(INSPECTOR)
    if may_appoint(user) and access.may(user, "appoint_check", check):
        who.add(AUTHORITY)
    actions = [
        action
        for action, (_states, taker) in TRANSITIONS.items()
        if taker in who and check.state in sources(check, action)
    ]
    if "hand_certificate" in actions and check.certificate_handed_on is not None:
        actions.remove("hand_certificate")  # handed once, against one signature
    term = term_of(check) if "extend" in actions else None
    if term is not None and terms.extensions_left(term) == 0:  # Art. 18(4): once
        actions.remove("extend")  # the engine would refuse it (prosecution/terms/rules.py)
    return actions
