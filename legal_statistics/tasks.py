"""The legal statistics department's tasks (Celery): they take ids, call one service (imported
inside the task's body: services import their tasks at module level, never the other way round),
and are safe to run twice."""

from celery import shared_task


@shared_task(soft_time_limit=60, time_limit=90)
def run_monthly_reports() -> dict:
    """The beat's entry (prosecution/beat.py): on the first working day of a month, claim last
    month's report of every active office and queue its build; every day, queue again the builds
    that were lost (legal_statistics/monthly.py)."""
    from legal_statistics import monthly

    return monthly.run_monthly()


@shared_task(soft_time_limit=240, time_limit=300)
def build_monthly_report(office_id: int, period: str) -> str:
    """Count and render an office's monthly report (WeasyPrint, time-limited); its head is told
    when it is built."""
    from legal_statistics import monthly

    return monthly.build(office_id, period)
