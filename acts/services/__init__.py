"""Every change of an act of the prosecutor's office (Art. 32-43; docs/rules.md "Acts of the
prosecutor's office"), one function per action. Each locks the act, checks the actor through the
one access policy, checks the state the action expects, appends an ActEvent and an audit record,
and refuses with a RuleViolation citing the article.

The clocks are prosecution.Term rows driven through the terms engine (acts/rules.py KIND_TERMS):
a protest's 10 calendar days or the prosecutor's term of at least 3 working days (Art. 33(3)), a
submission's 30 calendar days, its notice of consideration and its report of results
(Art. 36(2)), the term a resolution sets (Art. 37(2)). They start when the act is delivered.
Pages, the API and the demo call these; nothing else writes an act.
"""

from acts.services.common import REGISTER_SCOPE, terms_of
from acts.services.consideration import (
    decide_act,
    deliver_act,
    record_consideration,
    report_result,
    suspend_protested_act,
    withdraw_act,
)
from acts.services.drafting import ActDraft, correct_draft, draft_act, register_number, sign_act
from acts.services.superior import (
    SUPERIOR_DECISIONS,
    bring_claim,
    lift_suspension,
    link_complaint,
    superior_decision,
)

__all__ = [
    "REGISTER_SCOPE",
    "SUPERIOR_DECISIONS",
    "ActDraft",
    "bring_claim",
    "correct_draft",
    "decide_act",
    "deliver_act",
    "draft_act",
    "lift_suspension",
    "link_complaint",
    "record_consideration",
    "register_number",
    "report_result",
    "sign_act",
    "superior_decision",
    "suspend_protested_act",
    "terms_of",
    "withdraw_act",
]
