"""The audit log's tasks: the records a dead process left unchained are chained, and the chain's
head is anchored outside the database every hour.

Tasks take ids or nothing, call services (imported inside the task's body: services import their
tasks at module level, never the other way round), and are safe to run twice. They are named in the
prosecution.tasks namespace, as every task of the sub-packages is: the anchor's name is the one it
had when all tasks lived in that one module (the beat schedule and messages on a broker use it),
and the seal, new here, is named as its neighbours."""

from celery import shared_task


@shared_task(name="prosecution.tasks.seal_audit_log", soft_time_limit=50, time_limit=60)
def seal_audit_log() -> int:
    """Every five minutes: records committed but left unchained (a process that died between its
    commit and its seal, or a seal that failed) are chained (prosecution/audit/chain.py)."""
    from prosecution.audit import chain

    return chain.seal_all()


@shared_task(name="prosecution.tasks.anchor_audit_log", soft_time_limit=50, time_limit=60)
def anchor_audit_log() -> int | None:
    """Hourly: the audit log's head written outside the database (prosecution/audit/anchors.py),
    after whatever was left unchained has been chained, so that the anchor covers every commit
    before it."""
    from prosecution.audit import anchors, chain

    chain.seal_all()
    anchor = anchors.take_anchor()
    return anchor.seq if anchor else None
