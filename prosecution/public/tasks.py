"""The public doors' task: rate-limit windows and one-time codes of no further use purged.

Tasks take ids or nothing, call services (imported inside the task's body: services import their
tasks at module level, never the other way round), and are safe to run twice. Each keeps the name it
was registered under when all tasks lived in one module, prosecution.tasks: the beat schedule and
messages already on the broker use it."""

from celery import shared_task


@shared_task(name="prosecution.tasks.purge_public_guards", soft_time_limit=50, time_limit=60)
def purge_public_guards() -> int:
    """Hourly: rate-limit windows and one-time codes that are of no further use."""
    from prosecution.public import confirmations, ratelimit

    return ratelimit.purge() + confirmations.purge()
