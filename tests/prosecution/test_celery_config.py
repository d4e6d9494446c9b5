"""docs/security.md 19-23: the Celery app is configured so that no task is lost when a worker
dies."""

from django.conf import settings

from prosecution.celery import app


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_every_task_has_time_limits_below_the_visibility_timeout():
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # Redis redelivers an unacknowledged task after the visibility timeout: it must be longer
        # than the longest a task may run, or a running task would be run twice.
        visibility = app.conf.broker_transport_options["visibility_timeout"]
        assert visibility > app.conf.task_time_limit


def test_only_json_crosses_the_broker():
    assert app.conf.task_serializer == "json"
    assert set(app.conf.accept_content) == {"json"}


def test_the_clock_is_almaty_time():
    assert app.conf.timezone == "Asia/Almaty"


def test_beat_entries_expire_before_they_run_again():
    for name, entry in app.conf.beat_schedule.items():
        expires = entry.get("options", {}).get("expires")
        assert expires, f"{name} has no expires"


def test_the_embedded_broker_needs_no_server():
    """README: without CELERY_BROKER_URL, kombu's filesystem transport under var/."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = app.conf.broker_transport_options
        assert options["data_folder_in"].startswith(str(settings.VAR_DIR))
        assert options["control_folder"].startswith(str(settings.VAR_DIR))


def test_the_embedded_broker_is_polled_ten_times_a_second():
    """Issue 13: at kombu's default (once a second) a worker took ~6 messages a second and a
    message waited 0.63 s; at 0.1 s, 93 a second and 31 ms (bench/README.md)."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        assert app.conf.broker_transport_options["polling_interval"] == 0.1
