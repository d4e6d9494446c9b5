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
from legal_statistics.reports.figures import Figure, Report, Where, terms_met
from legal_statistics.reports.periods import Period
from prosecution.models import TermKind

# The terms whose meeting is the consideration of an appeal: Art. 24(3) for appeals, Art. 25(1)
# for complaints against a prosecutor (prosecution/terms/rules.py). A redirection or a
# termination meets the term too: it ends consideration (appeals/services/triage.py).
ANSWER_TERMS = (TermKind.APPEAL_ANSWER, TermKind.COMPLAINT_DECISION)


def _received(**lookup) -> Where:
    def where(period: Period) -> Q:
        return Q(received_on__range=period.range, **lookup)

    return where


def _answered(**lookup) -> Where:
    def where(period: Period) -> Q:
        return Q(answered_on__range=period.range, **lookup)

    return where


def _event(kind: str, **lookup) -> Where:
    def where(period: Period) -> Q:
        events = AppealEvent.objects.filter(kind=kind, at__date__range=period.range)
        return Q(pk__in=events.values("appeal_id"), **lookup)

    return where


def _redirected(period: Period) -> Q:
    return Q(redirected_on__range=period.range)


RECEIVED = _("Received")
CONSIDERED = _("Considered")
OUTCOMES = _("Outcomes")
COURSE = _("Course of consideration")


def _figures() -> list[Figure]:
    figures = [Figure("received", _("Received in all"), _received(), RECEIVED)]
    figures += [
        Figure(f"channel-{c.value}", c.label, _received(channel=c.value), RECEIVED) for c in Channel
    ]
    figures += [
        Figure(f"kind-{k.value}", k.label, _received(kind=k.value), RECEIVED) for k in AppealKind
    ]
    figures += [
        Figure(f"language-{lang.value}", lang.label, _received(language=lang.value), RECEIVED)
        for lang in AppealLanguage
    ]
    figures += [
        Figure(f"ground-{g.value}", g.label, _received(ground=g.value), RECEIVED, "Art. 24(1)")
        for g in Ground
    ]
    figures += [
        Figure(
            "in-time",
            _("Considered in time"),
            terms_met(Appeal, ANSWER_TERMS, in_time=True),
            CONSIDERED,
            "Art. 24(3)",
        ),
        Figure(
            "late",
            _("Considered late"),
            terms_met(Appeal, ANSWER_TERMS, in_time=False),
            CONSIDERED,
            "Art. 24(3)",
        ),
    ]
    figures += [
        Figure(f"outcome-{o}", o.label, _answered(outcome=o), OUTCOMES)
        for o in (Outcome.SATISFIED, Outcome.PARTLY, Outcome.REFUSED, Outcome.EXPLAINED)
    ]
    figures += [
        Figure(
            "extended", _("Term extended"), _event(AppealEventKind.EXTENDED), COURSE, "Art. 24(4)"
        ),
        Figure(
            "redirected", _("Redirected to the competent body"), _redirected, COURSE, "Art. 24(1)"
        ),
        Figure(
            "forwarded",
            _("Sent to another office"),
            _event(AppealEventKind.SENT_TO_OFFICE),
            COURSE,
        ),
        Figure(
            "repeated-closed",
            _("Repeated, consideration terminated"),
            _event(AppealEventKind.TERMINATED),
            COURSE,
            "Art. 24(8)",
        ),
        Figure(
            "anonymous-closed",
            _("Anonymous, not considered"),
            _event(AppealEventKind.NOT_CONSIDERED, is_anonymous=True),
            COURSE,
            "Art. 24(6)",
        ),
        Figure(
            "complaints-upheld",
            _("Complaints against prosecutors upheld"),
            _answered(kind=AppealKind.COMPLAINT, outcome__in=(Outcome.SATISFIED, Outcome.PARTLY)),
            COURSE,
            "Art. 25",
        ),
    ]
    return figures


REPORT = Report(
    key="appeals",
    title=_("Appeals"),
    model=Appeal,
    figures=_figures(),
    record_url=lambda appeal: reverse("appeal-detail", kwargs={"uuid": appeal.uuid}),
)
