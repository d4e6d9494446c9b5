"""Terms in a given state on a given day, for the dashboard tests (legal_statistics/). The dashboard
only reads, so the rows are written directly (and counted in the dashboard's tallies, as the term
services would); prosecution/terms/engine.py has its own tests."""

from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.contenttypes.models import ContentType

from prosecution.models import Office, Term, TermKind, TermState
from prosecution.terms import tallies

ALMATY = ZoneInfo("Asia/Almaty")
# Friday 20 March 2026, the eve of Nauryz (21-25 March: Saturday, Sunday and three holidays): "due
# within 3 working days" reaches Monday 30 March.
FRIDAY_BEFORE_NAURYZ = date(2026, 3, 20)
_subjects = count(1)


def on_day(day: date):
    """Freeze the clock at 10:00 in Almaty on `day` (a decorator or a context manager)."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=ALMATY), tick=False
    )


def make_term(
    office: Office,
    due: date,
    state: str = TermState.OPEN,
    *,
    kind: str = TermKind.APPEAL_ANSWER,
    responsible=None,
    classified: bool = False,
    met_on: date | None = None,
    label: str = "",
) -> Term:
    start = due - timedelta(days=21)
    number = next(_subjects)
    term = Term.objects.create(
        subject_type=ContentType.objects.get_for_model(Office),
        subject_id=10_000 + number,
        subject_label=label or f"Appeal No. {number}",
        office=office,
        office_path=office.path,
        responsible=responsible,
        kind=kind,
        is_classified=classified,
        legal_basis="Art. 24(3)",
        start_event="received",
        start_date=start,
        unit="working_days",
        length=15,
        count_from=start,
        due_date=due,
        state=state,
        suspended_on=start + timedelta(days=3) if state == TermState.SUSPENDED else None,
        met_on=met_on if met_on else (due if state == TermState.MET else None),
    )
    tallies.record([(None, tallies.facts(term))])
    return term
