"""The audit log's task: its head anchored outside the database every hour.

Tasks take ids or nothing, call services (imported inside the task's body: services import their
tasks at module level, never the other way round), and are safe to run twice. Each keeps the name it
was registered under when all tasks lived in prosecution/tasks.py: the beat schedule and messages
already on the broker use it."""

from celery import shared_task


@shared_task(name="prosecution.tasks.anchor_audit_log", soft_time_limit=50, time_limit=60)
def anchor_audit_log() -> int | None:
    """Hourly: the audit log's head written outside the database (prosecution/audit/)."""
    from prosecution.audit import log as audit

    anchor = audit.take_anchor()
    return anchor.seq if anchor else None
