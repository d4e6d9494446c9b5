"""The Celery app, configured for reliability from day one (docs/security.md 19-23).

The settings (CELERY_* in prosecution/settings.py) say:
- late acknowledgement and reject-on-worker-lost: a task whose worker dies is delivered again,
  never lost; every task must therefore be idempotent;
- prefetch 1: a busy worker does not sit on tasks that another could run;
- soft and hard time limits on every task, and a Redis visibility timeout longer than the hard
  limit, so that Redis never redelivers a task that is still running;
- JSON only through the broker; the beat schedule in one place (prosecution/beat.py).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prosecution.settings")

app = Celery("prosecution")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks.py, and those of prosecution's sub-packages (their tasks keep the names they had
# in the one module prosecution.tasks: "prosecution.tasks.sweep_terms" and so on).
PROSECUTION_TASK_PACKAGES = ("terms", "notices", "audit", "public")
app.autodiscover_tasks()
app.autodiscover_tasks([f"prosecution.{package}" for package in PROSECUTION_TASK_PACKAGES])
