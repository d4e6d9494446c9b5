"""The checks report (legal_statistics/reports/checks.py): the register (sent, registered,
refused), the course (started, suspended, extended) and the results (completed, in time and late
against the 30 working days of Art. 18(4), violations found, Art. 19(2)) against checks made by
the test; and the rule that every figure's list holds as many checks as the figure says."""

from datetime import date, timedelta

import pytest
import time_machine

from legal_statistics import reports
from legal_statistics import services as register
from legal_statistics.reports import periods
from supervision import services as checks
from supervision.models import SuspensionCause
from tests.check_helpers import appointed, started

pytestmark = pytest.mark.django_db

REPORT = reports.get("checks")
YEAR = periods.parse("2025")


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    """Overrides the appeals' clock of conftest.py: the checks are of March 2025 on."""
    with time_machine.travel("2025-03-03 10:00 +05:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def made(cc, _tuesday_10_november):
    clock = _tuesday_10_november
    in_time = started(cc, on=date(2025, 3, 3), resolution_number="1")
    late = started(cc, on=date(2025, 3, 3), resolution_number="2")
    suspended = started(cc, on=date(2025, 3, 3), resolution_number="3")
    extended = started(cc, on=date(2025, 3, 3), resolution_number="4")
    refused = appointed(cc, resolution_number="5")
    register.refuse_registration(
        checks.send_for_registration(refused, by=cc.head), by=cc.officer, reason="Нет основания"
    )
    clock.move_to("2025-03-20 10:00 +05:00")
    checks.complete_check(
        in_time,
        by=cc.inspector,
        result="Завышение тарифов",
        violations="Завышение тарифов",
        violations_count=2,
        on=date(2025, 3, 20),
    )
    checks.suspend_check(
        suspended,
        by=cc.inspector,
        cause=SuspensionCause.EXPERT_EXAMINATION,
        reason="Экспертиза",
        on=date(2025, 3, 10),
    )
    checks.extend_check(
        extended,
        by=cc.head,
        days=10,
        reason="Много договоров",
        consent_number="2-05/9",
        consent_date=date(2025, 3, 14),
        on=date(2025, 3, 17),
    )
    due = checks.term_of(late).due_date
    clock.move_to(f"{due + timedelta(days=3)} 10:00 +05:00")
    checks.complete_check(late, by=cc.inspector, result="Нарушений нет", on=due + timedelta(days=1))
    return locals()


def _pks(user, office, key, period=YEAR) -> set[int]:
    records = REPORT.records(REPORT.figure(key), user, office, period)
    return set(records.values_list("pk", flat=True))


def test_the_register_sent_registered_refused_art_18_4(cast, made):
    region = cast.region_user, cast.region
    assert len(_pks(*region, "sent_for_registration")) == 5
    assert _pks(*region, "registered") == {
        made[name].pk for name in ("in_time", "late", "suspended", "extended")
    }
    assert _pks(*region, "registration_refused") == {made["refused"].pk}


def test_started_suspended_extended(cast, made):
    region = cast.region_user, cast.region
    assert len(_pks(*region, "started")) == 4
    assert _pks(*region, "suspended") == {made["suspended"].pk}
    assert _pks(*region, "extended") == {made["extended"].pk}


def test_completed_in_time_and_late_art_18_4_and_violations_found_art_19_2(cast, made):
    region = cast.region_user, cast.region
    assert _pks(*region, "completed") == {made["in_time"].pk, made["late"].pk}
    assert _pks(*region, "in-time") == {made["in_time"].pk}
    assert _pks(*region, "late") == {made["late"].pk}
    assert _pks(*region, "violations") == {made["in_time"].pk}
    # March alone: the late one was completed in April.
    assert _pks(*region, "completed", periods.parse("2025-03")) == {made["in_time"].pk}


def test_the_year_before_and_the_scope(cast, made):
    rows = {row.figure.key: row for row in REPORT.rows(cast.region_user, cast.region, YEAR)}
    assert (rows["started"].current, rows["started"].before, rows["started"].change) == (4, 0, None)
    assert all(row.current == 0 for row in REPORT.rows(cast.b_user, cast.district_b, YEAR))


def test_every_figure_is_a_door_its_list_holds_as_many_checks(cast, made):
    for user, office in ((cast.region_user, cast.region), (cast.a_user, cast.district_a)):
        for period in (YEAR, periods.parse("2025-03"), periods.parse("2025-Q2")):
            for row in REPORT.rows(user, office, period):
                listed = list(REPORT.records(row.figure, user, office, period))
                assert len(listed) == row.current, (row.figure.key, period)
