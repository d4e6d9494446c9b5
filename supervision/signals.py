"""What supervision tells the apps built on it. An appeal may be checked (Art. 24(4)); the appeals
app imports supervision, never the other way round (tests/prosecution/test_imports.py), so the
check says it is completed and the appeals app listens (appeals/signals.py)."""

from django.dispatch import Signal

# Sent by supervision/services.py complete_check inside its transaction, with `check`, `by` and
# `on` (the day it ended): a receiver's failure rolls the completion back with it.
check_completed = Signal()
