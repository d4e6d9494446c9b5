"""The monthly report (legal_statistics/monthly.py, issue 17): the day of the run by the
working-day calendar, the claim that lets one run win, the build with its progress and its PDF
in Kazakh and Russian, the head's notice (once), and the archive page's scope (404 outside it)."""

from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from legal_statistics import monthly, reports
from legal_statistics.models import MonthlyReport, MonthlyReportState
from legal_statistics.reports import periods
from prosecution.files.uploads import read_stored
from prosecution.lib.errors import RuleViolation
from prosecution.models import Notice, NoticeChannel, NoticeKind, Office, Position
from prosecution.notices import outbox
from prosecution.offices.access import OfficeScope, may, visible_to
from tests.appeal_helpers import register
from tests.conftest import make_day_off, make_staff
from tests.pdf_helpers import flat

pytestmark = pytest.mark.django_db

NOVEMBER = periods.parse("2026-11")


@pytest.fixture
def run_day():
    """Tuesday 1 December 2026, 10:00 in Almaty: the first working day of December."""
    with time_machine.travel("2026-12-01 10:00 +05:00", tick=False):
        yield date(2026, 12, 1)


# The day of the run: the first working day of the month, by the calendar ----------------------


def test_the_first_working_day_is_the_first_when_it_is_a_working_day():
    """docs/rules.md "How terms are counted": Monday-Friday that is not a holiday or day off."""
    assert monthly.first_working_day(2026, 12) == date(2026, 12, 1)  # a Tuesday
    assert monthly.first_working_day(2027, 3) == date(2027, 3, 1)  # a Monday


def test_the_first_working_day_skips_a_weekend():
    assert monthly.first_working_day(2026, 8) == date(2026, 8, 3)  # 1 Aug is a Saturday


def test_the_first_working_day_skips_the_new_year_and_its_day_moved_off_a_weekend():
    """Law "On holidays" Art. 5: 2 January 2027, a Saturday, moves to Monday 4 January (the seeded
    calendar); with 1 January (a holiday) and the Sunday, the first working day is the 5th."""
    assert monthly.first_working_day(2027, 1) == date(2027, 1, 5)


def test_a_day_off_by_order_moves_the_run():
    """Labour Code Art. 85(3): a day off transferred by order is no working day either."""
    make_day_off(date(2027, 3, 1))
    assert monthly.first_working_day(2027, 3) == date(2027, 3, 2)
    assert not monthly.is_run_day(date(2027, 3, 1))
    assert monthly.is_run_day(date(2027, 3, 2))


def test_the_run_acts_only_on_the_first_working_day(cast):
    assert monthly.run_monthly(date(2026, 12, 2))["claimed"] == 0
    assert monthly.run_monthly(date(2027, 1, 4))["claimed"] == 0  # a day off, the 4th
    assert not MonthlyReport.objects.exists()


# The claim: one run wins ---------------------------------------------------------------------


def test_the_run_claims_last_months_report_of_every_active_office_once(cast, run_day):
    Office.objects.filter(pk=cast.other_district.pk).update(is_active=False)
    active = Office.objects.filter(is_active=True).count()
    with transaction.atomic():  # the builds are queued on commit: not here
        first = monthly.run_monthly(run_day)
    assert first["claimed"] == active
    rows = MonthlyReport.objects.all()
    assert rows.count() == 2 * active
    assert set(rows.values_list("period", flat=True)) == {"2026-11"}
    assert set(rows.values_list("language", flat=True)) == {"kk", "ru"}
    assert not rows.filter(office=cast.other_district).exists()
    assert set(rows.values_list("requested_by", flat=True)) == {None}
    # The same day again (the hour after, or a second beat): nothing more.
    assert monthly.run_monthly(run_day)["claimed"] == 0
    assert MonthlyReport.objects.count() == 2 * active


def test_a_second_claim_of_the_same_office_and_month_loses(cast, run_day):
    with transaction.atomic():
        assert monthly.claim_month(cast.district_a, NOVEMBER, by=None) is True
        assert monthly.claim_month(cast.district_a, NOVEMBER, by=None) is False
    assert MonthlyReport.objects.filter(office=cast.district_a).count() == 2


def test_the_database_refuses_a_second_report_of_an_office_month_and_language(cast):
    MonthlyReport.objects.create(office=cast.district_a, period="2026-11", language="kk", total=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.create(
            office=cast.district_a, period="2026-11", language="kk", total=4
        )


# The build: figures, progress, the PDF -------------------------------------------------------


@pytest.fixture
def appeals_of_november(cast):
    """District A: three appeals in November 2026 (two by e-Gov) and one in November 2025;
    district B: one in November 2026."""
    register(cast, received_on=date(2026, 11, 2))
    register(cast, received_on=date(2026, 11, 3), channel="egov", language="kk")
    register(cast, received_on=date(2026, 11, 4), channel="egov", language="kk")
    register(cast, received_on=date(2025, 11, 3))
    register(cast, office=cast.district_b, by=cast.b_user, received_on=date(2026, 11, 5))


def _built(office) -> dict[str, MonthlyReport]:
    return {r.language: r for r in MonthlyReport.objects.filter(office=office, period="2026-11")}


def test_the_build_counts_every_report_and_renders_kazakh_and_russian(
    cast, head_a, appeals_of_november, run_day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly.request_build(by=cast.a_user, office=cast.district_a, period=NOVEMBER)
    built = _built(cast.district_a)
    assert set(built) == {"kk", "ru"}
    for row in built.values():
        assert row.state == MonthlyReportState.BUILT
        assert (row.done, row.total) == (len(reports.REPORTS) + 1,) * 2
        assert row.built_at is not None and row.error == ""
    ru = flat(read_stored(built["ru"].stored_name))
    kk = flat(read_stored(built["kk"].stored_name))
    # The letterhead in each language, the month, every report's title.
    assert "District A (ru)" in ru and "District A (kk)" in kk
    assert "Ноябрь 2026" in ru and "Қараша 2026" in kk
    assert "11.2026" in ru and "11.2025" in ru
    # The moment of the count: a record of November registered later is not in the document.
    counted_on = timezone.localtime(built["ru"].built_at).strftime("%d.%m.%Y")
    assert f"Подсчитано {counted_on}" in ru and f"{counted_on}" in kk
    with translation.override("ru"):
        titles = [str(r.title) for r in reports.REPORTS.values()]
        received = str(reports.get("appeals").figure("received").label)
        egov = str(reports.get("appeals").figure("channel-egov").label)
    for title in titles:
        assert title in ru
    # District A's figures, not district B's: 3 this November against 1, +200.0 %; 2 by e-Gov.
    assert f"{received} 3 1 +200,0" in ru  # the sign of the change written
    assert f"{egov} 2 0 —" in ru


def test_the_region_counts_its_districts(cast, appeals_of_november, run_day):
    counted = monthly.count(cast.region, NOVEMBER)
    appeals = next(c for c in counted if c.report.key == "appeals")
    received = next(r for r in appeals.rows if r.figure.key == "received")
    assert (received.current, received.before) == (4, 1)  # district A's three and B's one


def test_the_progress_is_each_report_counted_then_the_document(cast, run_day, monkeypatch):
    with transaction.atomic():
        monthly.claim_month(cast.district_a, NOVEMBER, by=cast.a_user)
    seen = []
    real_render = monthly.render

    def render(office, period, counted, language):
        row = MonthlyReport.objects.get(office=office, period=period.code, language=language)
        seen.append((row.state, row.done, row.total))
        return real_render(office, period, counted, language)

    monkeypatch.setattr(monthly, "render", render)
    assert monthly.build(cast.district_a.pk, "2026-11") == "built"
    reports_counted = len(reports.REPORTS)
    assert seen == [(MonthlyReportState.BUILDING, reports_counted, reports_counted + 1)] * 2
    # A second message for the same build finds nothing to take.
    assert monthly.build(cast.district_a.pk, "2026-11") == "nothing to build"


def test_a_failed_build_says_why_and_is_built_again_by_hand(
    cast, run_day, monkeypatch, django_capture_on_commit_callbacks
):
    with transaction.atomic():
        monthly.claim_month(cast.district_a, NOVEMBER, by=None)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(monthly, "render", broken)
    assert monthly.build(cast.district_a.pk, "2026-11") == "failed"
    for row in _built(cast.district_a).values():
        assert row.state == MonthlyReportState.FAILED
        assert row.error == "OSError: disk full"
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly.request_build(by=cast.a_user, office=cast.district_a, period=NOVEMBER) == (
            "rebuilt"
        )
    rows = _built(cast.district_a).values()
    assert {row.state for row in rows} == {MonthlyReportState.BUILT}
    assert {row.requested_by_id for row in rows} == {None}  # still the monthly run's


def test_the_administration_shows_why_a_build_failed_and_builds_it_again(
    cast, run_day, monkeypatch, client, django_capture_on_commit_callbacks
):
    """legal_statistics/admin.py: the failed reports are listed with their error, and the action
    builds them again through request_build (the access policy, the audit log); nothing is
    changed by hand."""
    with transaction.atomic():
        monthly.claim_month(cast.district_a, NOVEMBER, by=None)
    with monkeypatch.context() as patched:
        patched.setattr(monthly, "render", lambda *args, **kwargs: 1 / 0)
        assert monthly.build(cast.district_a.pk, "2026-11") == "failed"
    admin = cast.gpo_user  # a staff member of the GPO, made an administrator
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = "/admin/legal_statistics/monthlyreport/"
    listed = client.get(url + "?state__exact=failed")
    assert listed.status_code == 200, (listed.status_code, listed.get("Location"))
    assert listed.context["cl"].result_count == 2
    assert "ZeroDivisionError" in listed.content.decode()
    row = MonthlyReport.objects.filter(office=cast.district_a).first()
    assert client.get(f"{url}{row.pk}/change/").status_code == 200  # viewed, not changed
    ids = list(MonthlyReport.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "build_again", "_selected_action": ids})
    assert {r.state for r in _built(cast.district_a).values()} == {MonthlyReportState.BUILT}


def test_a_built_report_is_not_built_again(cast, run_day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        monthly.request_build(by=cast.a_user, office=cast.district_a, period=NOVEMBER)
    with pytest.raises(RuleViolation) as refused:
        monthly.request_build(by=cast.a_user, office=cast.district_a, period=NOVEMBER)
    assert refused.value.code == "monthly_report_exists"


def test_a_month_not_over_is_refused(cast, run_day):
    with pytest.raises(RuleViolation) as refused:
        monthly.request_build(
            by=cast.a_user, office=cast.district_a, period=periods.parse("2026-12")
        )
    assert refused.value.code == "month_open"
    assert not MonthlyReport.objects.exists()


def test_an_office_outside_the_scope_is_refused_art_5_2(cast, run_day):
    """Art. 5(2): a member of staff acts for their own office and those below it."""
    with pytest.raises(RuleViolation) as refused:
        monthly.request_build(by=cast.b_user, office=cast.district_a, period=NOVEMBER)
    assert refused.value.code == "forbidden"
    assert not MonthlyReport.objects.exists()


def test_a_lost_build_is_queued_again(cast, run_day):
    with transaction.atomic():
        monthly.claim_month(cast.district_a, NOVEMBER, by=None)
    assert monthly.rescue() == 0  # just queued: its message is on its way
    with time_machine.travel("2026-12-01 10:30 +05:00", tick=False):
        assert monthly.rescue() == 1  # eager here: the build ran
    assert {r.state for r in _built(cast.district_a).values()} == {MonthlyReportState.BUILT}


# The head's notice -----------------------------------------------------------------------------


def test_the_head_is_told_once_in_their_language_with_the_archive_link(
    cast, head_a, run_day, django_capture_on_commit_callbacks
):
    deputy = make_staff("deputy_a", cast.district_a, Position.DEPUTY_HEAD)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        monthly.claim_month(cast.district_a, NOVEMBER, by=None)
    told = Notice.objects.filter(kind=NoticeKind.MONTHLY_REPORT)
    assert list(told.values_list("recipient", "channel")) == [(head_a.pk, NoticeChannel.IN_APP)]
    assert monthly.tell_heads(cast.district_a, NOVEMBER) == 1  # asked again: the key holds
    assert told.count() == 1
    assert not told.filter(recipient=deputy).exists()  # the post is not vacant
    title, body = outbox.render(told.get())
    assert title == "Ежемесячный отчёт: District A (ru), Ноябрь 2026"
    assert "/reports/monthly/?office=R-AKMOLA-D1" in body


def test_a_head_with_an_address_gets_both_pdfs_by_e_mail(
    cast, head_a, run_day, mailoutbox, django_capture_on_commit_callbacks
):
    head_a.email = "head-a@prokuror.kz"
    head_a.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        monthly.claim_month(cast.district_a, NOVEMBER, by=None)
    built = _built(cast.district_a)
    assert [m.to for m in mailoutbox] == [["head-a@prokuror.kz"]]
    files = {name: content for name, content, _type in mailoutbox[0].attachments}
    assert set(files) == {
        "monthly-R-AKMOLA-D1-2026-11-kk.pdf",
        "monthly-R-AKMOLA-D1-2026-11-ru.pdf",
    }
    for language in ("kk", "ru"):
        assert files[f"monthly-R-AKMOLA-D1-2026-11-{language}.pdf"] == read_stored(
            built[language].stored_name
        )
    assert "/reports/monthly/?office=R-AKMOLA-D1" in mailoutbox[0].body


def test_where_the_head_is_vacant_the_deputies_are_told(
    cast, run_day, django_capture_on_commit_callbacks
):
    deputy = make_staff("deputy_a", cast.district_a, Position.DEPUTY_HEAD)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        monthly.claim_month(cast.district_a, NOVEMBER, by=None)
    assert list(
        Notice.objects.filter(kind=NoticeKind.MONTHLY_REPORT).values_list("recipient", flat=True)
    ) == [deputy.pk]


def test_a_report_built_by_hand_tells_no_head(
    cast, head_a, run_day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        monthly.request_build(by=cast.a_user, office=cast.district_a, period=NOVEMBER)
    assert not Notice.objects.filter(kind=NoticeKind.MONTHLY_REPORT).exists()


# The office's scope without a person -----------------------------------------------------------


def test_an_office_scope_sees_its_subtree_unclassified_and_may_do_nothing(cast):
    from prosecution.models import StaffProfile

    scope = OfficeScope(cast.region)
    offices = visible_to(scope, Office.objects.all(), office_field="")
    assert set(offices.values_list("code", flat=True)) == {"R-AKMOLA", "R-AKMOLA-D1", "R-AKMOLA-D2"}
    assert not may(scope, "view", cast.district_a)
    profiles = visible_to(scope, StaffProfile.objects.all())
    assert set(profiles.values_list("user__username", flat=True)) == {
        "region",
        "district_a",
        "district_b",
        "inactive_a",
    }


# The archive page ------------------------------------------------------------------------------


@pytest.fixture
def built_a(cast, run_day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        monthly.claim_month(cast.district_a, NOVEMBER, by=None)
    return _built(cast.district_a)


ARCHIVE = "/reports/monthly/"


def test_the_archive_lists_the_reports_in_scope_with_their_downloads(cast, client, built_a):
    client.force_login(cast.region_user)
    page = client.get(ARCHIVE)
    assert page.status_code == 200
    html = page.content.decode()
    for row in built_a.values():
        assert reverse("monthly-report-download", args=[row.uuid]) in html
    download = client.get(reverse("monthly-report-download", args=[built_a["kk"].uuid]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_outside_the_scope_the_archive_hides_and_the_download_is_404(cast, client, built_a):
    client.force_login(cast.b_user)
    html = client.get(ARCHIVE).content.decode()
    assert str(built_a["ru"].uuid) not in html
    assert client.get(
        reverse("monthly-report-download", args=[built_a["ru"].uuid])
    ).status_code == (404)
    assert client.get(ARCHIVE + "?office=R-AKMOLA-D1").status_code == 404


def test_the_reports_page_links_the_archive(cast, client):
    client.force_login(cast.a_user)
    assert ARCHIVE in client.get("/reports/").content.decode()


def test_the_form_queues_a_build_and_the_page_shows_its_progress(cast, client, run_day):
    client.force_login(cast.region_user)
    # The build is queued on commit: in the test's transaction it waits, as behind a busy worker.
    answer = client.post(ARCHIVE, {"office": "R-AKMOLA-D1", "month": "2026-11"})
    assert answer.status_code == 302
    assert answer["Location"] == ARCHIVE + "?office=R-AKMOLA-D1"
    rows = MonthlyReport.objects.filter(office=cast.district_a, period="2026-11")
    assert {(r.state, r.requested_by_id) for r in rows} == {("queued", cast.region_user.pk)}
    page = client.get(answer["Location"]).content.decode()
    assert 'data-testid="progress"' in page
    assert f'value="0" max="{len(reports.REPORTS) + 1}"' in page
    assert 'hx-trigger="every 3s"' in page  # the table asks again while it is built
    MonthlyReport.objects.filter(pk__in=rows).update(done=2, state="building")
    polled = client.get(answer["Location"], headers={"HX-Request": "true"}).content.decode()
    assert polled.lstrip().startswith('<div id="monthly-rows"')
    assert 'value="2"' in polled


@pytest.mark.parametrize(
    ("month", "error"),
    [
        ("2026-13", "No such date in the period."),
        ("November", "Write the month as 2026-11."),
        ("2026-12", "The month is not over yet: its report is built once it is."),
        ("1999-12", "The date cannot be before"),
    ],
)
def test_bad_input_gets_a_clear_error(cast, client, run_day, month, error):
    client.force_login(cast.a_user)
    answer = client.post(
        ARCHIVE, {"office": "R-AKMOLA-D1", "month": month}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 400
    assert error in answer.content.decode()
    assert not MonthlyReport.objects.exists()


def test_an_office_outside_the_scope_cannot_be_chosen(cast, client, run_day):
    client.force_login(cast.a_user)
    answer = client.post(ARCHIVE, {"office": "R-AKMOLA-D2", "month": "2026-11"})
    assert answer.status_code == 400
    assert not MonthlyReport.objects.exists()
