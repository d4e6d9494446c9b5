"""The statutory terms, kind by kind, with the article that sets each. The engine
(prosecution/terms/engine.py) reads them; nothing else in the code knows a number of days.

Readings chosen where the text is open (written down here and in the issue notes):
- Art. 24(4), "extended ... for a reasonable period, but not more than two months": the whole
  consideration, extension included, ends at most two months after receipt. It is the reading that
  protects the applicant (the other, "two months more on top of 15 working days", lets the answer
  wait longer).
- Art. 18(4), suspension: the day of the suspension counts as a day of the check (the check was
  under way on it), and the day of the resumption is the first day counted again.
- Art. 33(3): the body considers a protest in 10 calendar days, or in a term the prosecutor sets of
  at least 3 working days; Art. 26(3-4): a request for information gives at least 3 working days,
  unless irreversible consequences threaten (then "immediately": a term of 0 days is allowed).
- Art. 36(2): a submission is considered in 30 calendar days, "and where irreversible consequences
  may occur ... within the term the prosecutor sets": a set term is never longer than the 30 days
  (it exists to be shorter), and a shorter one records the consequences that justify it.
- Art. 5(2), 43(3): a superior may suspend an inferior's act: the clock of the act's addressee
  stops with it (the terms of acts are suspendable) and goes on when the suspension is lifted.
- Art. 37(1)(9): a resolution suspends an act or action "for a period not exceeding three working
  days": the date set ends at most 3 working days after the resolution.
"""

from dataclasses import dataclass

from prosecution.models import TermKind
from prosecution.workdays import TermUnit


@dataclass(frozen=True)
class Minimum:
    length: int
    unit: TermUnit


@dataclass(frozen=True)
class TermRule:
    kind: TermKind
    article: str
    unit: TermUnit
    length: int | None  # None: the term is a date set by a prosecutor's decision
    minimum: Minimum | None = None  # for a date set by a prosecutor
    maximum: Minimum | None = None  # a date set by a prosecutor ends at the latest this far on
    # A date set before the statutory term ends needs its reason (Art. 36(2): irreversible
    # consequences threaten).
    shorter_needs_reason: bool = False
    urgent_minimum: Minimum | None = None  # where the law allows "immediately"
    extension_article: str = ""
    max_extension: int | None = None  # in `unit`, over all extensions together
    max_total_months: int | None = None  # the whole term, extensions included, from the start
    suspendable: bool = False
    extension_opens: TermKind | None = None  # a term that an extension starts (Art. 24(5))


RULES: dict[TermKind, TermRule] = {
    rule.kind: rule
    for rule in [
        TermRule(
            TermKind.APPEAL_ANSWER,
            "Art. 24(3)",
            TermUnit.WORKING_DAYS,
            15,
            extension_article="Art. 24(4)",
            max_total_months=2,
            extension_opens=TermKind.APPEAL_EXTENSION_NOTICE,
        ),
        TermRule(TermKind.APPEAL_EXTENSION_NOTICE, "Art. 24(5)", TermUnit.WORKING_DAYS, 3),
        TermRule(TermKind.APPEAL_FINAL_AFTER_CHECK, "Art. 24(4)", TermUnit.WORKING_DAYS, 10),
        TermRule(TermKind.COMPLAINT_DECISION, "Art. 25(1)", TermUnit.WORKING_DAYS, 20),
        # Art. 24(9): the procedural code's term, entered by staff as a date.
        TermRule(
            TermKind.APPEAL_PROCEDURAL,
            "Art. 24(9)",
            TermUnit.WORKING_DAYS,
            None,
            minimum=Minimum(0, TermUnit.WORKING_DAYS),
        ),
        TermRule(
            TermKind.CHECK_DURATION,
            "Art. 18(4)",
            TermUnit.WORKING_DAYS,
            30,
            extension_article="Art. 18(4)",
            max_extension=30,
            suspendable=True,
        ),
        TermRule(
            TermKind.PROTEST_CONSIDERATION,
            "Art. 33(3)",
            TermUnit.CALENDAR_DAYS,
            10,
            minimum=Minimum(3, TermUnit.WORKING_DAYS),
            suspendable=True,
        ),
        TermRule(
            TermKind.SUBMISSION_CONSIDERATION,
            "Art. 36(2)",
            TermUnit.CALENDAR_DAYS,
            30,
            minimum=Minimum(1, TermUnit.WORKING_DAYS),
            maximum=Minimum(30, TermUnit.CALENDAR_DAYS),
            shorter_needs_reason=True,
            suspendable=True,
        ),
        # Art. 36(2): the prosecutor is told of the time and place of consideration no later than
        # 3 working days before it: a date the acts app computes from the consideration's.
        TermRule(
            TermKind.SUBMISSION_CONSIDERATION_NOTICE,
            "Art. 36(2)",
            TermUnit.WORKING_DAYS,
            None,
            minimum=Minimum(0, TermUnit.WORKING_DAYS),
            suspendable=True,
        ),
        TermRule(
            TermKind.ACT_SUSPENSION,
            "Art. 37(1)(9)",
            TermUnit.WORKING_DAYS,
            None,
            minimum=Minimum(0, TermUnit.WORKING_DAYS),
            maximum=Minimum(3, TermUnit.WORKING_DAYS),
        ),
        TermRule(
            TermKind.SUBMISSION_RESULTS, "Art. 36(2)", TermUnit.WORKING_DAYS, 3, suspendable=True
        ),
        TermRule(
            TermKind.INFORMATION_REQUEST,
            "Art. 26(3)",
            TermUnit.WORKING_DAYS,
            None,
            minimum=Minimum(3, TermUnit.WORKING_DAYS),
            urgent_minimum=Minimum(0, TermUnit.WORKING_DAYS),
        ),
        TermRule(
            TermKind.SET_BY_PROSECUTOR,
            "Art. 37",
            TermUnit.WORKING_DAYS,
            None,
            minimum=Minimum(0, TermUnit.WORKING_DAYS),
            suspendable=True,
        ),
    ]
}
