"""The appeal's state machine, in one place: which action may start from which state, and where
it leads. Services (appeals/services/) call `expect` before they change anything; the database
constraints on Appeal guard what each state must carry."""

from appeals.models import AppealState as S
from prosecution.errors import RuleViolation

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


def expect(appeal, action: str) -> str | None:
    """Refuse an action the appeal's state does not allow; return the state it leads to."""
    sources, target = TRANSITIONS[action]
    if appeal.state not in sources:
        raise RuleViolation(
            f"Not possible while the appeal is “{appeal.get_state_display()}”.",
            code="wrong_state",
        )
    return target


def allowed_actions(appeal) -> set[str]:
    """What the appeal's state allows (the page shows these forms; the role is checked too)."""
    return {action for action, (sources, _) in TRANSITIONS.items() if appeal.state in sources}
