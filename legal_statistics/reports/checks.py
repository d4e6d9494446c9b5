"""The checks report (issue 17): legality checks sent for registration, registered and refused
(Art. 18(4), 19(1): the Committee's register), started, suspended, extended and completed, in
time and late (Art. 18(4): 30 working days), and those that found violations (Art. 19(2)).

Every figure but the last two counts the checks with an event of its kind on a day of the period
(a check suspended twice counts once: the figure counts checks). The average length in working days
is a Value (figures.py) beside the completed checks it averages, each with its own length: the
door is that list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from legal_statistics.reports import tallies
from legal_statistics.reports.figures import TERMS_MET, Anchor, Figure, Report, average, terms_met
from legal_statistics.reports.periods import Period
from prosecution import workdays
from prosecution.models import TermKind
from supervision.models import Check, CheckEvent, CheckEventKind

EVENTS = Anchor("events__on")  # figures.py Anchor: the events' figures in one query

REGISTER = _("Register of checks")
COURSE = _("Course of the checks")
RESULTS = _("Results")


def _with_violations(period: Period) -> Q:
    return Q(violations_count__gt=0)


def _measured(period: Period) -> Q:
    """The checks completed in the period (the figure's anchor and facet) that the term of
    Art. 18(4) governs: not the exempt ones, which run under their own laws."""
    return Q(exempt_kind="")


STOPS = (CheckEventKind.SUSPENDED, CheckEventKind.RESUMED)


def length_in_working_days(check: Check) -> int:
    """Art. 18(4): the working days a check ran, from its start (day 0, docs/rules.md "How terms
    are counted") to its completion, without the days it stood suspended: the day of a suspension
    counts, the day of the resumption is the first counted again (docs/rules.md "Readings"; the
    term engine counts so, prosecution/terms/engine.py resume_term). A suspension never resumed
    stands until the completion. Reads the check's suspensions and resumptions (prefetched as
    `stops` for the report; its events otherwise)."""
    assert check.started_on is not None and check.completed_on is not None
    stops = getattr(check, "stops", None)
    if stops is None:
        stops = [e for e in check.events.order_by("on", "at", "pk") if e.kind in STOPS]
    return _length(check.started_on, check.completed_on, [(e.kind, e.on) for e in stops])


def lengths_in_working_days(checks: QuerySet[Check]) -> Iterator[int]:
    """length_in_working_days of each of `checks`, read as columns: their dates, and their
    suspensions and resumptions in one query (the average of a year of the republic's checks)."""
    stops: defaultdict[int, list[tuple[str, date]]] = defaultdict(list)
    events = (
        CheckEvent.objects.filter(legality_check__in=checks.values("pk"), kind__in=STOPS)
        .order_by("legality_check_id", "on", "at", "pk")
        .values_list("legality_check_id", "kind", "on")
    )
    for check_id, kind, on in events:
        stops[check_id].append((kind, on))
    for pk, started_on, completed_on in checks.values_list("pk", "started_on", "completed_on"):
        assert started_on is not None and completed_on is not None  # the checks completed
        yield _length(started_on, completed_on, stops[pk])


def _length(started_on: date, completed_on: date, stops: Sequence[tuple[str, date]]) -> int:
    """The length of a check from its dates and its stops (kind, day) in their order."""
    length = workdays.working_days_between(started_on, completed_on)
    suspended_on = None
    for kind, on in stops:
        if kind == CheckEventKind.SUSPENDED and suspended_on is None:
            suspended_on = on
        elif kind == CheckEventKind.RESUMED and suspended_on is not None:
            # The days after the suspension up to the day before the resumption stood still.
            length -= workdays.working_days_between(
                suspended_on, max(on - timedelta(days=1), suspended_on)
            )
            suspended_on = None
    if suspended_on is not None:
        length -= workdays.working_days_between(suspended_on, completed_on)
    return length


_STOPS = Prefetch(
    "events",
    queryset=CheckEvent.objects.filter(kind__in=STOPS).order_by("on", "at", "pk"),
    to_attr="stops",
)


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
    Figure(
        "length",
        _("Completed checks with a statutory term, length in working days"),
        _measured,
        RESULTS,
        "Art. 18(4)",
        EVENTS,
        (("events__kind", CheckEventKind.COMPLETED),),
        value=average(
            _("average"),
            length_in_working_days,
            related=(_STOPS,),
            over=lengths_in_working_days,
        ),
    ),
]

REPORT = Report(
    key="checks",
    title=_("Checks"),
    model=Check,
    figures=FIGURES,
    record_url=lambda check: reverse("check-detail", kwargs={"uuid": check.uuid}),
    # Counted ahead (tallies.py): the check, its events counted, its term of Art. 18(4).
    tallied_by=(
        tallies.itself(Check),
        tallies.events_counted(CheckEvent, "legality_check_id", FIGURES),
        tallies.terms_counted(Check, (TermKind.CHECK_DURATION,)),
    ),
)
