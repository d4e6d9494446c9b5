"""The checks report (issue 17): legality checks sent for registration, registered and refused
(Art. 18(4), 19(1): the Committee's register), started, suspended, extended and completed, in
time and late (Art. 18(4): 30 working days), and those that found violations (Art. 19(2)).

Every figure but the last two counts the checks with an event of its kind on a day of the period
(a check suspended twice counts once: the figure counts checks). Not here yet: the average length
in working days, which is not a list of records and so needs a door of its own.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from legal_statistics.reports.figures import TERMS_MET, Anchor, Figure, Report, terms_met
from legal_statistics.reports.periods import Period
from prosecution.models import TermKind
from supervision.models import Check, CheckEventKind

EVENTS = Anchor("events__on")  # figures.py Anchor: the events' figures in one query

REGISTER = _("Register of checks")
COURSE = _("Course of the checks")
RESULTS = _("Results")


def _with_violations(period: Period) -> Q:
    return Q(violations_count__gt=0)


def _figure(kind: str, section, article: str) -> Figure:
    """The checks with an event of `kind` in the period (each check once)."""
    facet = (("events__kind", kind),)
    return Figure(kind, CheckEventKind(kind).label, None, section, article, EVENTS, facet)


FIGURES = [
    _figure(CheckEventKind.SENT_FOR_REGISTRATION, REGISTER, "Art. 18(4)"),
    _figure(CheckEventKind.REGISTERED, REGISTER, "Art. 18(4)"),
    _figure(CheckEventKind.REGISTRATION_REFUSED, REGISTER, "Art. 18(4)"),
    _figure(CheckEventKind.STARTED, COURSE, "Art. 18(4)"),
    _figure(CheckEventKind.SUSPENDED, COURSE, "Art. 18(4)"),
    _figure(CheckEventKind.EXTENDED, COURSE, "Art. 18(4)"),
    _figure(CheckEventKind.COMPLETED, RESULTS, "Art. 19(2)"),
    Figure(
        "in-time",
        _("Completed in time"),
        terms_met((TermKind.CHECK_DURATION,), in_time=True),
        RESULTS,
        "Art. 18(4)",
        TERMS_MET,
    ),
    Figure(
        "late",
        _("Completed late"),
        terms_met((TermKind.CHECK_DURATION,), in_time=False),
        RESULTS,
        "Art. 18(4)",
        TERMS_MET,
    ),
    Figure(
        "violations",
        _("Completed, violations found"),
        _with_violations,
        RESULTS,
        "Art. 19(2)",
        EVENTS,
        (("events__kind", CheckEventKind.COMPLETED),),
    ),
]

REPORT = Report(
    key="checks",
    title=_("Checks"),
    model=Check,
    figures=FIGURES,
    record_url=lambda check: reverse("check-detail", kwargs={"uuid": check.uuid}),
)
