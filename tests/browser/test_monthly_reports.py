"""Issue 17: the archive of monthly reports in a real browser. A report being built shows its
progress, and the page follows it to the end by itself (htmx asks for the table again: no inline
script, which the CSP forbids); a month that is not over is refused next to its field."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from legal_statistics import monthly
from legal_statistics.models import MonthlyReport, MonthlyReportState
from prosecution.models import Office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_archive_follows_a_build_to_its_download(live_server, page: Page, settings):
    call_command("seed_demo", verbosity=0)
    settings.DEMO_LOGIN_ENABLED = True
    period = monthly.month_before(timezone.localdate())
    # A build under way, as a worker leaves it after the first report.
    row = MonthlyReport.objects.create(
        office=Office.objects.get(code="R-AKMOLA-D1"),
        period=period.code,
        language="kk",
        total=monthly.steps(),
        done=1,
        state=MonthlyReportState.BUILDING,
        started_at=timezone.now(),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("demo.kokshetau.prosecutor")
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.goto(f"{live_server.url}/reports/")
    page.get_by_test_id("monthly-link").click()

    expect(page.get_by_test_id("progress")).to_have_attribute("value", "1")
    expect(page.get_by_test_id("progress")).to_have_attribute("max", str(monthly.steps()))
    MonthlyReport.objects.filter(pk=row.pk).update(done=2)
    expect(page.get_by_test_id("progress")).to_have_attribute("value", "2", timeout=10_000)
    MonthlyReport.objects.filter(pk=row.pk).update(
        state=MonthlyReportState.BUILT,
        done=monthly.steps(),
        stored_name="ab/cd/abcd0000000000000000000000000000.pdf",
        built_at=timezone.now(),
    )
    # No reload: the table is asked for again while something on it is unfinished.
    expect(page.get_by_test_id("download-kk")).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("progress")).to_have_count(0)

    # This month is not over: refused next to the field, nothing queued.
    reports = MonthlyReport.objects.count()  # the demo's own and this one
    page.locator("#id_month").fill(f"{timezone.localdate():%Y-%m}")
    page.locator("form[data-testid=monthly-build] button[type=submit]").click()
    expect(page.get_by_test_id("error-month")).to_be_visible()
    assert MonthlyReport.objects.count() == reports
