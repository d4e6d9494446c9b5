"""Appeals of November 2026 made for the reports' tests (legal_statistics/reports/appeals.py)."""

from datetime import date

import pytest
import time_machine
from django.db import transaction

from appeals import services
from appeals.models import Appeal, AppealState, Outcome
from legal_statistics.reports.appeals import ANSWER_TERMS
from prosecution.models import Term
from prosecution.terms import engine as terms
from tests.appeal_helpers import register


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        yield


def _answered(appeal, *, outcome, on):
    """The answer sent on `on` (building the letter is the appeals tests' business): the fields
    send_answer sets, and the answer term met that day through the term engine."""
    Appeal.objects.filter(pk=appeal.pk).update(
        state=AppealState.ANSWERED, outcome=outcome, answered_on=on
    )
    term = Term.objects.get(subject_id=appeal.pk, kind__in=ANSWER_TERMS)
    terms.meet_term(term, on=on, system=True, note="answered")


@pytest.fixture
def made(cast, head_a):
    """November 2026 in district A, with one appeal of November 2025 and one of district B."""
    with transaction.atomic():
        satisfied, _ = register(cast)  # in writing, Russian
        services.assign_appeal(satisfied, by=head_a, executor=cast.a_user)
        services.record_ground(satisfied, by=cast.a_user, ground="2")
        services.extend_appeal_term(
            satisfied, by=head_a, until=date(2026, 12, 15), ground="facts", reason="Запрос"
        )
        services.extend_appeal_term(
            satisfied, by=head_a, until=date(2026, 12, 20), ground="facts", reason="Ещё запрос"
        )
        late, _ = register(cast, channel="egov", language="kk")
        redirected, _ = register(cast, channel="egov", language="kk")
        services.redirect_appeal(redirected, by=cast.a_user, to_body="Полиция", reason="Не наше")
        anonymous, _ = register(cast, applicants=[], is_anonymous=True, channel="call_centre")
        complaint, _ = register(
            cast,
            office=cast.region,
            by=cast.region_user,
            kind="complaint",
            complained_office=cast.district_a,
            complained_act="Отказ в приёме",
            learned_on=date(2026, 10, 30),
        )
        in_b, _ = register(cast, office=cast.district_b, by=cast.b_user)
        last_year, _ = register(cast, received_on=date(2025, 11, 3))
    _answered(satisfied, outcome=Outcome.SATISFIED, on=date(2026, 11, 20))
    # 15 working days from 2 November end on 23 November: the 25th is late (Art. 24(3)).
    _answered(late, outcome=Outcome.EXPLAINED, on=date(2026, 11, 25))
    _answered(complaint, outcome=Outcome.PARTLY, on=date(2026, 11, 24))
    _answered(last_year, outcome=Outcome.REFUSED, on=date(2025, 11, 10))
    return locals()
