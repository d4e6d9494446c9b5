"""The monthly report (issue 17): "a monthly report as a PDF in Kazakh and Russian, built by a beat
entry on the first working day of each month for every office, sent to its head through the
outbox and kept in an archive page; a report built by hand on a large office shows its progress".

- The run (`run_monthly`, the beat's task legal_statistics/tasks.py): on the first working day of
  a month, by the working-day calendar (prosecution/workdays.py; docs/rules.md "How terms are
  counted": Labour Code Art. 84-85, Law "On holidays" Art. 5), it claims last month's report of
  every active office by inserting its rows (MonthlyReport, one per language). The unique
  constraint lets one insert win: a second beat, or the same beat an hour later, finds the rows
  and does nothing.
- The build (`build`, a worker): every report of legal_statistics/reports/ is counted once for the
  office and everything below it, through the counting seam (Report.rows → Report.counts) as
  `OfficeScope(office)` (prosecution/offices/access.py: the office's scope without a person's
  grants or clearance, since the archive is read by everyone in the office); then one PDF per
  language is rendered (prosecution/files/documents.py) and stored in the private files.
- The head of the office is told once through the outbox (a notice keyed by office and month)
  when a report of the monthly run is built.
- A person may build a report by hand (`request_build`) for an office in their scope and a month
  that is over; the archive page shows its progress, `done` of `total` steps.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from legal_statistics import reports
from legal_statistics.models import MonthlyReport, MonthlyReportState
from legal_statistics.reports import periods
from legal_statistics.reports.figures import Report, Row
from legal_statistics.tasks import build_monthly_report
from prosecution import workdays
from prosecution.audit import log as audit
from prosecution.files import documents
from prosecution.lib.errors import RuleViolation
from prosecution.models import NoticeKind, Office
from prosecution.notices import outbox
from prosecution.offices import access
from prosecution.offices.access import OfficeScope
from prosecution.terms.reminders import heads_of

log = logging.getLogger(__name__)

# Kazakh, the state language, and Russian, used officially alongside it (Constitution Art. 7).
LANGUAGES = ("kk", "ru")
# A build that began longer ago than this was lost with its worker: longer than a task's hard
# time limit, so that a live worker has always finished or been killed by then.
LEASE = timedelta(seconds=settings.TASK_HARD_TIME_LIMIT + 60)
# A queued build whose message never reached a worker (a flushed broker) is queued again after this.
REQUEUE = timedelta(minutes=15)


def steps() -> int:
    """A build's steps: each report counted, then the document rendered."""
    return len(reports.REPORTS) + 1


# When ------------------------------------------------------------------------------------------


def first_working_day(year: int, month: int) -> date:
    """The month's first working day by the calendar (docs/rules.md "How terms are counted":
    weekends, holidays and transferred days off; Labour Code Art. 84-85, Law "On holidays"
    Art. 5)."""
    return workdays.next_working_day_on_or_after(date(year, month, 1))


def month_before(day: date) -> periods.Period:
    """The month before the one of `day`: the month the report of `day`'s run is about."""
    last = day.replace(day=1) - timedelta(days=1)
    return periods.parse(f"{last.year}-{last.month:02d}")


def is_run_day(day: date) -> bool:
    return day == first_working_day(day.year, day.month)


# The claim -------------------------------------------------------------------------------------


def claim_month(office: Office, period: periods.Period, *, by: User | None) -> bool:
    """Insert the office's rows of the month, one per language; False if another caller has
    inserted them (the unique constraint monthly_report_once decides). The build is queued once
    the rows are committed."""
    try:
        with transaction.atomic():
            for language in LANGUAGES:
                MonthlyReport.objects.create(
                    office=office,
                    period=period.code,
                    language=language,
                    total=steps(),
                    requested_by=by,
                )
    except IntegrityError:
        return False
    _queue(office.pk, period.code)
    return True


def _queue(office_id: int, code: str) -> None:
    transaction.on_commit(lambda: build_monthly_report.delay(office_id, code))


def run_monthly(today: date | None = None) -> dict:
    """The beat's monthly run: on the first working day of a month, last month's report of every
    active office that has none yet. On any other day it only rescues lost builds. Safe to run
    any number of times, from any number of beats."""
    today = today or timezone.localdate()
    result = {"claimed": 0, "rescued": rescue()}
    if not is_run_day(today):
        return result
    period = month_before(today)
    claimed = MonthlyReport.objects.filter(period=period.code).values("office_id")
    for office in Office.objects.filter(is_active=True).exclude(pk__in=claimed).order_by("path"):
        result["claimed"] += claim_month(office, period, by=None)
    if result["claimed"]:
        log.info("monthly reports of %s: %s offices claimed", period.code, result["claimed"])
    return result


def rescue(now=None) -> int:
    """Builds lost on the way: queued long ago (the broker lost the message) or building past the
    lease (the worker died). Each office and month is queued again; `build` claims its rows."""
    now = now or timezone.now()
    lost = (
        MonthlyReport.objects.filter(
            Q(state=MonthlyReportState.QUEUED, requested_at__lt=now - REQUEUE)
            | Q(state=MonthlyReportState.BUILDING, started_at__lt=now - LEASE)
        )
        .order_by()  # the model's ordering would make (office, month, language) distinct
        .values_list("office_id", "period")
        .distinct()
    )
    found = list(lost)
    for office_id, code in found:
        build_monthly_report.delay(office_id, code)
    return len(found)


# By hand ---------------------------------------------------------------------------------------


def request_build(*, by: User, office: Office, period: periods.Period) -> str:
    """A person asks for the report of `office`, in their scope (Art. 5(2): their own office or
    one below it), for a month that is over. A report that failed is built again; one that is
    queued, being built or built is not (the archive keeps what was built). Returns "queued" or
    "rebuilt"."""
    access.require(by, "view", office, office_field="")
    if period.end >= timezone.localdate().replace(day=1):
        raise RuleViolation(
            _("The month is not over yet: its report is built once it is."), code="month_open"
        )
    if claim_month(office, period, by=by):
        audit.record("monthly_report.requested", target=office, actor=by, period=period.code)
        return "queued"
    failed = MonthlyReport.objects.filter(
        office=office, period=period.code, state=MonthlyReportState.FAILED
    )
    # The row keeps who asked first: a report of the monthly run rebuilt by hand is still told
    # to the head.
    again = failed.update(
        state=MonthlyReportState.QUEUED,
        done=0,
        error="",
        started_at=None,
        requested_at=timezone.now(),
    )
    if not again:
        raise RuleViolation(
            _("The report of this office for this month is in the archive already."),
            code="monthly_report_exists",
        )
    audit.record("monthly_report.rebuilt", target=office, actor=by, period=period.code)
    _queue(office.pk, period.code)
    return "rebuilt"


# The build -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    report: Report
    rows: list[Row]


def _claim_rows(office_id: int, code: str) -> list[MonthlyReport]:
    """Take the office's rows of the month that are queued, or whose build was lost (past the
    lease), with a conditional UPDATE: a second worker with the same message takes none."""
    now = timezone.now()
    takeable = MonthlyReport.objects.filter(office_id=office_id, period=code).filter(
        Q(state=MonthlyReportState.QUEUED)
        | Q(state=MonthlyReportState.BUILDING, started_at__lt=now - LEASE)
    )
    ids = list(takeable.values_list("pk", flat=True))
    # `total` anew: the register of reports may have grown since the rows were written.
    takeable.filter(pk__in=ids).update(
        state=MonthlyReportState.BUILDING, started_at=now, done=0, total=steps(), error=""
    )
    return list(
        MonthlyReport.objects.filter(
            pk__in=ids, state=MonthlyReportState.BUILDING, started_at=now
        ).select_related("office")
    )


def count(office: Office, period: periods.Period, on_step=None) -> list[Counted]:
    """Every report of the office and everything below it, the month and the same month a year
    before, as the office's scope sees it (OfficeScope). `on_step(n)` after each report."""
    # Read through the one access policy as the office's scope (prosecution/offices/access.py).
    scope = OfficeScope(office)
    counted = []
    for n, report in enumerate(reports.REPORTS.values(), start=1):
        counted.append(Counted(report, report.rows(scope, office, period)))
        if on_step is not None:
            on_step(n)
    return counted


def context_for(office: Office, period: periods.Period, counted: Sequence[Counted]) -> dict:
    return {
        "office": office,
        "period": period,
        "before": period.year_before(),
        "counted": counted,
        "date": timezone.localdate(),
        # The figures are those of this moment: a record of the month registered later is in the
        # reports' pages, not here (the PDF says so).
        "counted_at": timezone.localtime(),
        "title": _monthly_title(period),
    }


def _monthly_title(period: periods.Period):
    # Lazy: the renderer resolves it in the document's language.
    return format_lazy("{} {}", gettext_lazy("Monthly report"), period.code)


def render(
    office: Office, period: periods.Period, counted: Sequence[Counted], language: str
) -> bytes:
    return documents.render_pdf(
        "legal_statistics/monthly/document.html",
        context_for(office, period, counted),
        language=language,
    )


def build(office_id: int, code: str) -> str:
    """The worker's build of an office's month: count once, render each language, store each
    PDF (to a temporary file, then moved), then tell the head if it was the monthly run's. A
    row says built (with its file) or failed (with the error), never half of either. Returns
    what happened, for logs and tests."""
    rows = _claim_rows(office_id, code)
    if not rows:
        return "nothing to build"  # built, being built by another worker, or gone
    ids = [row.pk for row in rows]
    office, period = rows[0].office, periods.parse(code)

    def progress(n: int) -> None:
        MonthlyReport.objects.filter(pk__in=ids, state=MonthlyReportState.BUILDING).update(done=n)

    try:
        counted = count(office, period, on_step=progress)
        for row in rows:
            pdf = render(office, period, counted, row.language)
            stored_name = documents.store_pdf(row.uuid.hex, pdf)
            MonthlyReport.objects.filter(pk=row.pk, state=MonthlyReportState.BUILDING).update(
                state=MonthlyReportState.BUILT,
                done=row.total,
                stored_name=stored_name,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                built_at=timezone.now(),
            )
    except Exception as error:  # the row says what went wrong; a person may build it again
        log.exception("monthly report of office %s for %s failed", office_id, code)
        MonthlyReport.objects.filter(pk__in=ids, state=MonthlyReportState.BUILDING).update(
            state=MonthlyReportState.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return "failed"
    tell_heads(office, period)
    return "built"


def tell_heads(office: Office, period: periods.Period) -> int:
    """The head of the office (or, where the post is vacant, the deputies: prosecution/terms/
    reminders.py heads_of) is sent the monthly report once it is built in every language, if it
    is the monthly run's: in the system, a link to the archive; by e-mail, the link and the PDFs
    attached (prosecution/notices/channels.py). The notice's key names the office and the month,
    so a second build or a second beat writes nothing more."""
    mine = list(MonthlyReport.objects.filter(office=office, period=period.code))
    if any(row.state != MonthlyReportState.BUILT for row in mine):
        return 0
    if not any(row.requested_by_id is None for row in mine):
        return 0  # built by hand for the person who asked: they see it on the page
    heads = heads_of([office.pk]).get(office.pk, [])
    archive = reverse("monthly-reports") + f"?office={office.code}"
    notices = []
    for head in heads:
        notices += outbox.build(
            kind=NoticeKind.MONTHLY_REPORT,
            key=outbox.notice_key("monthly-report", office.pk, period.code),
            recipients=outbox.staff_recipients(head),
            context={
                "office_id": office.pk,
                "month": period.start.isoformat(),
                "period": period.code,
                "archive": archive,
                "attachments": [
                    {
                        "stored_name": row.stored_name,
                        "name": f"monthly-{office.code}-{period.code}-{row.language}.pdf",
                        "content_type": "application/pdf",
                    }
                    for row in mine
                ],
            },
        )
    with transaction.atomic():
        outbox.save(notices)
    return len(heads)


# Reading ---------------------------------------------------------------------------------------


def unfinished(rows: QuerySet[MonthlyReport] | Sequence[MonthlyReport]) -> bool:
    return any(
        row.state in (MonthlyReportState.QUEUED, MonthlyReportState.BUILDING) for row in rows
    )
