"""The beat schedule, in one place. Every entry expires before its next run, so a backlog after an
outage never piles up duplicate runs. The 09:00 digest is a step of the sweep (it catches up after
a beat restart, which a crontab entry would not)."""

from celery.schedules import crontab


def beat_schedule(sweep_seconds: int = 60, monthly_reports_seconds: int = 3600) -> dict:
    return {
        "terms-sweep": {
            "task": "prosecution.tasks.sweep_terms",
            "schedule": float(sweep_seconds),
            "options": {"expires": max(1, sweep_seconds - 10) if sweep_seconds > 10 else 1},
        },
        # Reminders of personal receptions: a task of the appeals app, named here by its path
        # (prosecution imports no app; the beat schedule stays in one place).
        "reception-reminders": {
            "task": "appeals.tasks.send_reception_reminders",
            "schedule": 5 * 60.0,
            "options": {"expires": 4 * 60},
        },
        "public-guards-purge": {
            "task": "prosecution.tasks.purge_public_guards",
            "schedule": crontab(minute=17),
            "options": {"expires": 30 * 60},
        },
        # Online appeals never confirmed: their data and files are not kept beyond a day.
        "appeals-filings-purge": {
            "task": "appeals.tasks.purge_online_filings",
            "schedule": crontab(minute=23),
            "options": {"expires": 30 * 60},
        },
        # The audit records a process left unchained when it died between a commit and its seal
        # (prosecution/audit/chain.py); verify_audit_log warns of any older than 15 minutes.
        "audit-log-seal": {
            "task": "prosecution.tasks.seal_audit_log",
            "schedule": 5 * 60.0,
            "options": {"expires": 4 * 60},
        },
        "audit-log-anchor": {
            "task": "prosecution.tasks.anchor_audit_log",
            "schedule": crontab(minute=41),
            "options": {"expires": 30 * 60},
        },
        # The monthly reports of the offices (legal_statistics/monthly.py): hourly, it acts on the
        # first working day of a month only, and claims what no earlier run has, so a beat that
        # was down at one hour catches up at the next; other days it queues lost builds again.
        "monthly-reports": {
            "task": "legal_statistics.tasks.run_monthly_reports",
            "schedule": float(monthly_reports_seconds),
            "options": {"expires": max(1, monthly_reports_seconds - 10)},
        },
        # Signed acts whose documents were lost on the way (acts/tasks.py): queued again.
        "act-documents-rescue": {
            "task": "acts.tasks.rescue_act_documents",
            "schedule": 10 * 60.0,
            "options": {"expires": 9 * 60},
        },
        "calendar-horizon-check": {
            "task": "prosecution.tasks.check_calendar_horizon",
            "schedule": crontab(minute=0, hour=8),
            "options": {"expires": 60 * 60},
        },
    }
