"""The appeals report (issue 17): what came in a period, how it was considered and how it ended.

Each figure narrows the appeals of the scope (figures.py); the date that puts an appeal in the
period is the one of the fact counted: received_on for what came, the meeting of the answer term
for what was considered, answered_on for outcomes, the event's day for extensions, forwarding and
closings (an appeal extended twice in a period counts once: the figure counts appeals).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appeals.models import (
    Appeal,
    AppealEvent,
    AppealEventKind,
    AppealKind,
    AppealLanguage,
    Channel,
    Ground,
    Outcome,
)
from legal_statistics.reports import tallies
from legal_statistics.reports.figures import (
    TERMS_MET,
    Anchor,
    Figure,
    Report,
    terms_met,
)
from legal_statistics.reports.periods import Period
from prosecution.models import TermKind

# The terms whose meeting is the consideration of an appeal: Art. 24(3) for appeals, Art. 25(1)
# for complaints against a prosecutor (prosecution/terms/rules.py). A redirection or a
# termination meets the term too: it ends consideration (appeals/services/triage.py).
ANSWER_TERMS = (TermKind.APPEAL_ANSWER, TermKind.COMPLAINT_DECISION)


# The dates the figures range over (figures.py Anchor): one query for each.
ON_RECEIPT = Anchor("received_on")
ON_ANSWER = Anchor("answered_on")
ON_REDIRECTION = Anchor("redirected_on")
EVENTS = Anchor("events__at", moment=True)

RECEIVED = _("Received")
CONSIDERED = _("Considered")
OUTCOMES = _("Outcomes")
COURSE = _("Course of consideration")


def _received(key: str, label, article: str = "", **facet) -> Figure:
    return Figure(key, label, None, RECEIVED, article, ON_RECEIPT, tuple(facet.items()))


def _event(key: str, label, kind: str, article: str = "", **facet) -> Figure:
    """The appeals with an event of `kind` in the period (each appeal once)."""
    facet = {"events__kind": kind, **facet}
    return Figure(key, label, None, COURSE, article, EVENTS, tuple(facet.items()))


def _figures() -> list[Figure]:
    figures = [_received("received", _("Received in all"))]
    figures += [_received(f"channel-{c.value}", c.label, channel=c.value) for c in Channel]
    figures += [_received(f"kind-{k.value}", k.label, kind=k.value) for k in AppealKind]
    figures += [
        _received(f"language-{lang.value}", lang.label, language=lang.value)
        for lang in AppealLanguage
    ]
    figures += [
        _received(f"ground-{g.value}", g.label, "Art. 24(1)", ground=g.value) for g in Ground
    ]
    figures += [
        Figure(
            "in-time",
            _("Considered in time"),
            terms_met(ANSWER_TERMS, in_time=True),
            CONSIDERED,
            "Art. 24(3)",
            TERMS_MET,
        ),
        Figure(
            "late",
            _("Considered late"),
            terms_met(ANSWER_TERMS, in_time=False),
            CONSIDERED,
            "Art. 24(3)",
            TERMS_MET,
        ),
    ]
    figures += [
        Figure(f"outcome-{o}", o.label, None, OUTCOMES, "", ON_ANSWER, (("outcome", o.value),))
        for o in (Outcome.SATISFIED, Outcome.PARTLY, Outcome.REFUSED, Outcome.EXPLAINED)
    ]
    figures += [
        _event("extended", _("Term extended"), AppealEventKind.EXTENDED, "Art. 24(4)"),
        Figure(
            "redirected",
            _("Redirected to the competent body"),
            None,
            COURSE,
            "Art. 24(1)",
            ON_REDIRECTION,
        ),
        _event("forwarded", _("Sent to another office"), AppealEventKind.SENT_TO_OFFICE),
        _event(
            "repeated-closed",
            _("Repeated, consideration terminated"),
            AppealEventKind.TERMINATED,
            "Art. 24(8)",
        ),
        _event(
            "anonymous-closed",
            _("Anonymous, not considered"),
            AppealEventKind.NOT_CONSIDERED,
            "Art. 24(6)",
            is_anonymous=True,
        ),
        Figure(
            "complaints-upheld",
            _("Complaints against prosecutors upheld"),
            _upheld,
            COURSE,
            "Art. 25",
            ON_ANSWER,
        ),
    ]
    return figures


def _upheld(period: Period) -> Q:
    return Q(kind=AppealKind.COMPLAINT, outcome__in=(Outcome.SATISFIED, Outcome.PARTLY))


FIGURES = _figures()

REPORT = Report(
    key="appeals",
    title=_("Appeals"),
    model=Appeal,
    figures=FIGURES,
    record_url=lambda appeal: reverse("appeal-detail", kwargs={"uuid": appeal.uuid}),
    # Counted ahead (tallies.py): the appeal, its events counted, its answer terms.
    tallied_by=(
        tallies.itself(Appeal),
        tallies.events_counted(AppealEvent, "appeal_id", FIGURES),
        tallies.terms_counted(Appeal, ANSWER_TERMS),
    ),
)
