"""The acts report (issue 17): acts of supervision and response brought in a period by kind, what
the addressees decided, whether in time, what the superiors cancelled, revoked or suspended, and
what was published.

The date that puts an act in the period is the one of the fact counted: signed_on for acts
brought, the decision's day for decisions (the event, so that an act decided and later cancelled
by a superior still counts as decided), the consideration term's meeting for in time and late,
the superior's decision's day, and the day of publication.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from acts.models import BASED_KINDS, Act, ActEvent, ActEventKind, ActKind, ActState
from acts.publication import ARTICLE as PUBLICATION_ARTICLE
from acts.rules import ARTICLE_OF, CONSIDERED_KINDS, KIND_TERMS
from legal_statistics.reports.figures import Figure, Report, Where, terms_met
from legal_statistics.reports.periods import Period

# The terms of consideration an act opens when delivered (acts/rules.py KIND_TERMS): Art. 33(3)
# a protest, Art. 36(2) a submission, Art. 37 a resolution within the term it sets.
CONSIDERATION_TERMS = tuple(sorted(set(KIND_TERMS.values())))
DECISIONS = (ActState.SATISFIED, ActState.PARTLY_SATISFIED, ActState.REJECTED)


def _brought(**lookup) -> Where:
    def where(period: Period) -> Q:
        return Q(signed_on__range=period.range, **lookup)

    return where


def _event(kind: str, **lookup) -> Where:
    """The acts with an event of `kind` on a day of the period; `lookup` narrows the events."""

    def where(period: Period) -> Q:
        events = ActEvent.objects.filter(kind=kind, on__range=period.range, **lookup)
        return Q(pk__in=events.values("act_id"))

    return where


def _decided(outcome: str, **lookup) -> Where:
    event = _event(ActEventKind.DECIDED, data__decided=outcome)

    def where(period: Period) -> Q:
        return event(period) & Q(**lookup)

    return where


def _published(period: Period) -> Q:
    return Q(published_at__date__range=period.range)


BROUGHT = _("Brought")
TERMS = _("Considered")
SUPERIOR = _("Decisions of a superior")
PUBLISHED = _("Published acts")


def _figures() -> list[Figure]:
    figures = [Figure("brought", _("Brought in all"), _brought(kind__in=BASED_KINDS), BROUGHT)]
    figures += [
        Figure(
            f"brought-{kind}", ActKind(kind).label, _brought(kind=kind), BROUGHT, ARTICLE_OF[kind]
        )
        for kind in BASED_KINDS
    ]
    for outcome in DECISIONS:
        section = ActState(outcome).label
        figures.append(Figure(f"{outcome}", _("All kinds"), _decided(outcome), section))
        figures += [
            Figure(
                f"{outcome}-{kind}",
                ActKind(kind).label,
                _decided(outcome, kind=kind),
                section,
                ARTICLE_OF[kind],
            )
            for kind in CONSIDERED_KINDS
        ]
    figures += [
        Figure(
            "in-time",
            _("Considered in time"),
            terms_met(Act, CONSIDERATION_TERMS, in_time=True),
            TERMS,
            "Art. 33(3), 36(2), 37",
        ),
        Figure(
            "late",
            _("Considered late"),
            terms_met(Act, CONSIDERATION_TERMS, in_time=False),
            TERMS,
            "Art. 33(3), 36(2), 37",
        ),
    ]
    figures += [
        Figure(f"superior-{kind}", ActEventKind(kind).label, _event(kind), SUPERIOR, "Art. 43(3)")
        for kind in (ActEventKind.CANCELLED, ActEventKind.REVOKED, ActEventKind.SUSPENDED)
    ]
    figures.append(
        Figure("published", _("Published acts"), _published, PUBLISHED, PUBLICATION_ARTICLE)
    )
    return figures


REPORT = Report(
    key="acts",
    title=_("Acts"),
    model=Act,
    figures=_figures(),
    record_url=lambda act: reverse("act-detail", kwargs={"uuid": act.uuid}),
)
