"""Decisions on terms taken as the system takes them (prosecution/terms/engine.py), for the tests
that change terms at random and compare the dashboard's tallies with a recount."""

from datetime import date

from prosecution.lib.errors import RuleViolation
from prosecution.models import Term
from prosecution.terms import engine as terms

DECISIONS = ("extend", "suspend", "resume", "meet", "cancel", "sweep")


def decide(term: Term, decision: str, *, on: date, today: date) -> bool:
    """Take `decision` on `term` (dated `on`; a resumption and the sweep, `today`); False when
    the law refuses it (a closed term, a term of another kind ...)."""
    try:
        if decision == "extend":
            terms.extend_term(term, by=None, system=True, reason="volume", length=5, on=on)
        elif decision == "suspend":
            terms.suspend_term(term, on=on, reason="expertise", by=None, system=True)
        elif decision == "resume":
            terms.resume_term(term, on=today, by=None, system=True)
        elif decision == "meet":
            terms.meet_term(term, on=on, system=True)
        elif decision == "cancel":
            terms.cancel_term(term, reason="withdrawn", by=None, system=True)
        else:
            terms.mark_missed(today=on if on < today else today)
    except RuleViolation:
        return False
    return True
