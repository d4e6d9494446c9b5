"""The beat schedule, in one place. Every entry expires before its next run, so a backlog after an
outage never piles up duplicate runs."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    "terms-sweep": {
        "task": "prosecution.tasks.sweep_terms",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    "calendar-horizon-check": {
        "task": "prosecution.tasks.check_calendar_horizon",
        "schedule": crontab(minute=0, hour=8),
        "options": {"expires": 60 * 60},
    },
}
