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
from legal_statistics.reports import tallies
from legal_statistics.reports.figures import TERMS_MET, Anchor, Figure, Report, terms_met
from legal_statistics.reports.periods import Period

# The terms of consideration an act opens when delivered (acts/rules.py KIND_TERMS): Art. 33(3)
# a protest, Art. 36(2) a submission, Art. 37 a resolution within the term it sets.
CONSIDERATION_TERMS = tuple(sorted(set(KIND_TERMS.values())))
DECISIONS = (ActState.SATISFIED, ActState.PARTLY_SATISFIED, ActState.REJECTED)


def _based(period: Period) -> Q:
    """Acts of supervision and response (Art. 32(1)(1)-(2)), not the organisational ones."""
    return Q(kind__in=BASED_KINDS)


def _decided(outcome: str, **lookup) -> tuple[tuple[str, str], ...]:
    """The facet of the acts decided with `outcome` in the period (the event, so that an act
    decided and later cancelled by a superior still counts as decided)."""
    facet = {"events__kind": ActEventKind.DECIDED, "events__data__decided": outcome, **lookup}
    return tuple(facet.items())


# The dates the figures range over (figures.py Anchor): one query for each.
SIGNED = Anchor("signed_on")
EVENTS = Anchor("events__on")
PUBLISHED_AT = Anchor("published_at", moment=True)

BROUGHT = _("Brought")
TERMS = _("Considered")
SUPERIOR = _("Decisions of a superior")
PUBLISHED = _("Published acts")


def _figures() -> list[Figure]:
    figures = [Figure("brought", _("Brought in all"), _based, BROUGHT, anchor=SIGNED)]
    figures += [
        Figure(
            f"brought-{kind}",
            ActKind(kind).label,
            None,
            BROUGHT,
            ARTICLE_OF[kind],
            SIGNED,
            (("kind", kind),),
        )
        for kind in BASED_KINDS
    ]
    for outcome in DECISIONS:
        section = ActState(outcome).label
        figures.append(
            Figure(f"{outcome}", _("All kinds"), None, section, "", EVENTS, _decided(outcome))
        )
        figures += [
            Figure(
                f"{outcome}-{kind}",
                ActKind(kind).label,
                None,
                section,
                ARTICLE_OF[kind],
                EVENTS,
                _decided(outcome, kind=kind),
            )
            for kind in CONSIDERED_KINDS
        ]
    figures += [
        Figure(
            "in-time",
            _("Considered in time"),
            terms_met(CONSIDERATION_TERMS, in_time=True),
            TERMS,
            "Art. 33(3), 36(2), 37",
            TERMS_MET,
        ),
        Figure(
            "late",
            _("Considered late"),
            terms_met(CONSIDERATION_TERMS, in_time=False),
            TERMS,
            "Art. 33(3), 36(2), 37",
            TERMS_MET,
        ),
    ]
    figures += [
        Figure(
            f"superior-{kind}",
            ActEventKind(kind).label,
            None,
            SUPERIOR,
            "Art. 43(3)",
            EVENTS,
            (("events__kind", kind),),
        )
        for kind in (ActEventKind.CANCELLED, ActEventKind.REVOKED, ActEventKind.SUSPENDED)
    ]
    figures.append(
        Figure(
            "published",
            _("Published acts"),
            None,
            PUBLISHED,
            PUBLICATION_ARTICLE,
            PUBLISHED_AT,
        )
    )
    return figures


FIGURES = _figures()

REPORT = Report(
    key="acts",
    title=_("Acts"),
    model=Act,
    figures=FIGURES,
    record_url=lambda act: reverse("act-detail", kwargs={"uuid": act.uuid}),
    # Counted ahead (tallies.py): the act, its events counted, its terms of consideration.
    tallied_by=(
        tallies.itself(Act),
        tallies.events_counted(ActEvent, "act_id", FIGURES),
        tallies.terms_counted(Act, CONSIDERATION_TERMS),
    ),
)
