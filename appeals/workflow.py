"""The appeal's state machine, in one place: which action may start from which state, and where
it leads. Services (appeals/services/) call `expect` before they change anything; the database
constraints on Appeal guard what each state must carry."""

from django.utils.translation import gettext as _

from appeals.models import AppealState as S
from prosecution.lib.errors import RuleViolation
from prosecution.models import TermKind
from prosecution.offices import access

# The terms that an answer (or what counts as one: a redirection, a termination) meets; one of
# them runs at a time.
ANSWER_TERM_KINDS = (
    TermKind.APPEAL_ANSWER,
    TermKind.APPEAL_FINAL_AFTER_CHECK,
    TermKind.COMPLAINT_DECISION,
    TermKind.APPEAL_PROCEDURAL,
)

# The article that reserves an action to the role of role_for(), told with a refusal.
_ROLE_ARTICLES = {
    "extend": "Art. 24(4)",  # a reasoned decision of the head of the office or a deputy
    "decide_restore": "Art. 25(1)",  # the considering office grants or refuses it
}


def role_article(appeal, action: str) -> str:
    if action == "decide" and appeal.kind == "complaint":
        return "Art. 25(1)"  # the superior prosecutor decides a complaint
    return _ROLE_ARTICLES.get(action, "")


# action: (states it may start from, state it leads to; None: the state does not change)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "record_ground": ((S.REGISTERED, S.IN_WORK), None),
    "assign": ((S.REGISTERED, S.IN_WORK, S.ON_CHECK), None),  # REGISTERED -> IN_WORK
    "send_to_office": ((S.REGISTERED, S.IN_WORK), S.REGISTERED),
    "mark_procedural": ((S.REGISTERED, S.IN_WORK), None),
    "extend": ((S.REGISTERED, S.IN_WORK), None),
    "tell_extension": ((S.REGISTERED, S.IN_WORK, S.ON_CHECK, S.DECIDED), None),
    "appoint_check": ((S.IN_WORK,), S.ON_CHECK),
    "complete_check": ((S.ON_CHECK,), S.IN_WORK),
    "decide_restore": ((S.REGISTERED, S.IN_WORK), None),  # refused -> NOT_CONSIDERED
    "redirect": ((S.REGISTERED, S.IN_WORK), S.REDIRECTED),
    "terminate": ((S.REGISTERED, S.IN_WORK), S.TERMINATED),
    "close_anonymous": ((S.REGISTERED, S.IN_WORK), S.NOT_CONSIDERED),
    "proceed_anonymous": ((S.NOT_CONSIDERED,), S.REGISTERED),
    "decide": ((S.IN_WORK,), S.DECIDED),
    "reopen": ((S.DECIDED,), S.IN_WORK),
    "send_answer": ((S.DECIDED,), None),  # ANSWERED, or AWAITING_PERSONAL_ANSWER
    "record_personal_answer": ((S.AWAITING_PERSONAL_ANSWER,), S.ANSWERED),
    "attach": ((S.REGISTERED, S.IN_WORK, S.ON_CHECK, S.DECIDED), None),
}


# The role (prosecution/offices/access.py ROLE_ACTIONS) each action needs; "change": any member of
# staff in scope. Registered in appeals/apps.py.
_ROLES = {
    "assign": "assign_appeal",  # the head of the office or a deputy
    "send_to_office": "assign_appeal",
    "extend": "decide",  # Art. 24(4): the head of the office or a deputy
    "decide_restore": "decide",  # Art. 25(1): the considering office's leadership
}


def role_for(appeal, action: str) -> str:
    if action == "decide" and appeal.kind == "complaint":
        return "decide_complaint"  # Art. 25(1): the superior prosecutor
    return _ROLES.get(action, "change")


def expect(appeal, action: str) -> str | None:
    """Refuse an action the appeal's state does not allow; return the state it leads to."""
    sources, target = TRANSITIONS[action]
    if appeal.state not in sources:
        raise RuleViolation(
            _("Not possible while the appeal is “%(state)s”.")
            % {"state": appeal.get_state_display()},
            code="wrong_state",
        )
    return target


def allowed_actions(appeal, user=None) -> list[str]:
    """What the appeal's state allows and, given a user, what their role allows too (the page
    shows these forms; the services check again)."""
    return [
        action
        for action, (sources, _target) in TRANSITIONS.items()
        if appeal.state in sources
        and (user is None or access.may(user, role_for(appeal, action), appeal))
        # A linked check's completion is recorded on the check (appeals/signals.py).
        and not (action == "complete_check" and appeal.legality_check_id is not None)
    ]
