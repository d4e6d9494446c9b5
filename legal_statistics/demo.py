"""Demo monthly report for `make run`: last month's report of the Prosecutor's Office of Akmola
Region, in Kazakh and Russian, built at the seed as the first working day's run would build it
(legal_statistics/monthly.py), so that the archive at /reports/monthly/ has a report to open and
the regional head `demo.akmola.head` a notice of it. Only one office: every office's report is
what the beat builds on the first working day, and the seed should stay quick. Idempotent: a month
already claimed is left alone."""

from django.db import transaction
from django.utils import timezone

from legal_statistics import monthly
from legal_statistics.models import MonthlyReport, MonthlyReportState
from prosecution.models import Office

OFFICE = "R-AKMOLA"


def seed_demo_monthly() -> int:
    office = Office.objects.filter(code=OFFICE, is_active=True).first()
    if office is None:
        return 0  # the demo offices come first
    period = monthly.month_before(timezone.localdate())
    if MonthlyReport.objects.filter(office=office, period=period.code).exists():
        return 0
    with transaction.atomic():
        claimed = monthly.claim_month(office, period, by=None)
    if not claimed:
        return 0
    # Built here rather than by `make run`'s worker, which finds the rows built and does nothing
    # (where tasks run at once, as in the tests, the claim's own task has built them already).
    monthly.build(office.pk, period.code)
    built = MonthlyReport.objects.filter(office=office, period=period.code)
    return built.filter(state=MonthlyReportState.BUILT).count()
