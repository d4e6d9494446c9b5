"""The monthly reports with the real thing (issue 17: "the monthly beat entry runs once per month
even with two beats, and the heads get one report each"): real Celery worker and beat processes,
as the timer tests run them (tests/integration/test_workers.py: its fixtures and settings, and the
monthly entry every second here).

Today is made the first working day of its month the way the law makes one: the days of the month
before it are days off by order (Labour Code Art. 85(3)), and today, if a weekend, a working day
by transfer (docs/rules.md "How terms are counted"). The worker and the beats read that calendar
from the database, as they read the real one.
"""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db.models import Count
from django.utils import timezone

from legal_statistics import monthly
from legal_statistics.models import MonthlyReport, MonthlyReportState
from prosecution import workdays
from prosecution.models import (
    CalendarDay,
    CalendarDayKind,
    Notice,
    NoticeKind,
    NoticeState,
    Office,
    Position,
)
from tests.conftest import make_staff
from tests.integration.test_workers import (  # the timer tests' processes and their settings
    env,  # noqa: F401  a fixture
    processes,  # noqa: F401  a fixture
    wait_for,
)
from tests.pdf_helpers import flat

pytestmark = [
    pytest.mark.slow,
    pytest.mark.real_workers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
OFFICES = ("R-AKMOLA", "R-PAVLODAR")


def _make_today_the_first_working_day() -> None:
    today = timezone.localdate()
    names = {"name_kk": "x", "name_ru": "x", "name_en": "Day off by order (test)"}
    day = today.replace(day=1)
    while day < today:
        CalendarDay.objects.update_or_create(
            date=day,
            defaults={"kind": CalendarDayKind.DAY_OFF, "legal_source": "Order (test)", **names},
        )
        day += timedelta(days=1)
    if not workdays.is_working_day(today):
        CalendarDay.objects.update_or_create(
            date=today,
            defaults={
                "kind": CalendarDayKind.WORKING_DAY,
                "legal_source": "Order (test)",
                **names,
            },
        )
    workdays.invalidate()
    assert monthly.is_run_day(today)


def test_two_beats_build_each_offices_report_once_and_each_head_is_told_once(
    processes,  # noqa: F811  the fixture imported above
    env,  # noqa: F811
    tmp_path,
):
    _make_today_the_first_working_day()
    # Two offices to report on (each PDF takes a worker about a second).
    Office.objects.exclude(code__in=OFFICES).update(is_active=False)
    heads = {
        code: make_staff(f"head-{code.lower()}", Office.objects.get(code=code), Position.HEAD)
        for code in OFFICES
    }
    make_staff("deputy-akmola", Office.objects.get(code="R-AKMOLA"), Position.DEPUTY_HEAD)
    env["PROSECUTION_MONTHLY_REPORTS_SECONDS"] = "1"
    # The worker's files (the PDFs) where this test can read them, on either broker.
    var = Path(env.setdefault("DJANGO_VAR_DIR", str(tmp_path / "var")))
    reports = MonthlyReport.objects.all()
    told = Notice.objects.filter(kind=NoticeKind.MONTHLY_REPORT)

    processes.worker()
    processes.beat("beat-1")
    wait_for(
        lambda: "held by this beat" in processes.log("beat-1"), "beat-1 to take the lock", processes
    )
    processes.beat("beat-2")
    wait_for(lambda: "standing by" in processes.log("beat-2"), "beat-2 to stand by", processes)
    wait_for(
        lambda: (
            reports.filter(state=MonthlyReportState.BUILT).count() == 2 * len(OFFICES)
            and told.filter(state=NoticeState.SENT).count() == len(OFFICES)
        ),
        "the reports to be built and the heads told",
        processes,
    )
    # The holder dies: the standby takes over and runs the monthly entry again, every second.
    processes.kill("beat-1")
    wait_for(
        lambda: "held by this beat" in processes.log("beat-2"), "beat-2 to take over", processes
    )
    wait_for(
        lambda: "run_monthly_reports" in processes.log("beat-2"),
        "beat-2 to send the monthly entry",
        processes,
    )
    time.sleep(3)  # three more runs' worth: nothing more may appear

    period = monthly.month_before(timezone.localdate()).code
    per_office = reports.values("office__code", "period").annotate(n=Count("pk"))
    assert sorted((r["office__code"], r["period"], r["n"]) for r in per_office) == [
        (code, period, 2) for code in OFFICES
    ]
    assert set(reports.values_list("state", flat=True)) == {MonthlyReportState.BUILT}
    assert set(reports.values_list("requested_by", flat=True)) == {None}
    # One notice per head (in the system: they have no e-mail address), none to the deputy.
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted(
        head.username for head in heads.values()
    )
    for report in reports.select_related("office"):
        pdf = (var / "private" / report.stored_name).read_bytes()
        assert pdf.startswith(b"%PDF-") and len(pdf) == report.size
        name = {"kk": report.office.name_kk, "ru": report.office.name_ru}[report.language]
        assert name in flat(pdf)
