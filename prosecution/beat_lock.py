"""One beat at a time (issue 3: "only one beat may schedule at a time, even if two are started").

`SingleBeatScheduler` holds a lock for as long as it schedules:
- on PostgreSQL, a session advisory lock on a connection of its own: the database drops it the
  moment the holder's process or connection dies, so a standby beat takes over within seconds;
- on the embedded default (SQLite, one machine), an exclusive flock on var/beat.lock, which the
  kernel drops when the holder dies.

A second beat waits before it even opens its schedule file and checks again every
BEAT_STANDBY_SECONDS; a beat that loses its lock (the database restarted) stops sending until it
holds it again. The sweep itself is idempotent as well, so even a moment of overlap sends nothing
twice: the lock keeps the broker from carrying duplicate work, the keys keep people from getting
duplicate notices.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from pathlib import Path
from typing import TextIO

from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

# pg_advisory_lock takes a bigint; any fixed number unique to this purpose in the database.
ADVISORY_KEY = 0x70726F73_62656174  # "prosbeat"


class _PostgresLock:
    def __init__(self):
        self._wrapper = None

    def acquire(self) -> bool:
        try:
            if self._wrapper is None:
                # A connection of its own, outside Django's per-thread handling, kept open for
                # as long as the lock is held.
                self._wrapper = connections.create_connection("default")
            with self._wrapper.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
                return bool(cursor.fetchone()[0])
        except Exception:
            log.exception("beat lock: cannot reach the database")
            self.release()
            return False

    def still_held(self) -> bool:
        """The lock lives as long as the session: if the connection answers, it is ours."""
        if self._wrapper is None:
            return False
        try:
            with self._wrapper.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND classid = %s AND objid = %s",
                    [ADVISORY_KEY >> 32, ADVISORY_KEY & 0xFFFFFFFF],
                )
                return cursor.fetchone()[0] > 0
        except Exception:
            self.release()
            return False

    def release(self) -> None:
        if self._wrapper is not None:
            # Unlock explicitly: the server ends a closed session asynchronously, and a standby
            # asking at that moment would still find the lock taken.
            with contextlib.suppress(Exception), self._wrapper.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
            with contextlib.suppress(Exception):  # closing a dead connection
                self._wrapper.close()
            self._wrapper = None


class _FileLock:
    def __init__(self, path: Path):
        self.path = path
        self._handle: TextIO | None = None

    def acquire(self) -> bool:
        handle = open(self.path, "a+")  # noqa: SIM115  kept open while the lock is held
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle
        return True

    def still_held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def make_lock():
    if connections["default"].vendor == "postgresql":
        return _PostgresLock()
    return _FileLock(Path(settings.VAR_DIR) / "beat.lock")


class SingleBeatScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self._lock = make_lock()
        self._holding: bool | None = False  # None: standing by, and said so
        super().__init__(*args, **kwargs)

    def setup_schedule(self):
        # Wait for the lock before opening the schedule file: a standby never touches it.
        while not self._take():
            time.sleep(settings.BEAT_STANDBY_SECONDS)
        super().setup_schedule()

    def _take(self) -> bool:
        if self._lock.acquire():
            self._holding = True
            log.warning("beat lock: held by this beat; scheduling")
            return True
        if self._holding is not None:
            log.warning("beat lock: another beat holds it; standing by")
            self._holding = None  # say it once
        return False

    def tick(self, *args, **kwargs):
        if not self._lock.still_held():
            log.warning("beat lock: lost; not scheduling until it is held again")
            self._lock.release()
            if not self._take():
                return settings.BEAT_STANDBY_SECONDS
        return super().tick(*args, **kwargs)

    def close(self):
        try:
            super().close()
        finally:
            self._lock.release()
