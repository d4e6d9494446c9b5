"""A bare Celery app for bench/bench_broker.py: one task that records when it ran, on the broker
that BENCH_BROKER_URL and BENCH_BROKER_OPTIONS (JSON) name, with the worker settings of
prosecution/settings.py (late acknowledgement, prefetch 1, JSON only). No Django: the figures are
the broker's and the worker's, not the project's."""

import json
import os
import time
from pathlib import Path

from celery import Celery

app = Celery("bench_broker")
app.conf.update(
    broker_url=os.environ.get("BENCH_BROKER_URL", "filesystem://"),
    broker_transport_options=json.loads(os.environ.get("BENCH_BROKER_OPTIONS", "{}")),
    broker_connection_retry_on_startup=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    worker_hijack_root_logger=False,
)
DONE = Path(os.environ.get("BENCH_DONE_DIR", "."))


@app.task(name="bench.mark")
def mark(label: str) -> None:
    """Leave a file named `label` holding the time it ran (the sender compares it with the time
    it sent)."""
    (DONE / label).write_text(repr(time.time()))
