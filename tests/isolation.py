"""What keeps a test from depending on the tests that ran before it in its process, or beside it in
another one (pytest-xdist: `make test` runs the suite on every core). tests/conftest.py wires it.

The database. A transactional test (transactional_db, live_server, django_db(transaction=True))
ends with a flush of every table, and with it the reference data the migrations seed (offices,
ranks, calendar: prosecution/migrations/0002_seed_reference.py) that the cast reads. pytest-django
orders the tests as Django does (the ones in a rolled-back transaction first), so a serial run
never puts such a test after a flush. pytest-xdist's --dist load happens to keep that order in
each worker; worksteal does not (a worker takes tests from the end of another one's queue), nor
does a kept database (--reuse-db) that the previous run left flushed. So the migrated database
is serialized once, when it is created, and put back before the next test that uses the
database after a transactional one: every test starts from the same rows under the same
primary keys, whatever ran before it. Why not the alternatives:
- pytest-django's serialized_rollback: the test loads the rows at its start, and a test in a
  rolled-back transaction that follows it still finds the tables empty; and once a browser test
  has run in the process (Playwright's event loop, tests/browser/), the connection no longer
  carries the serialized rows, and serialized_rollback silently loads nothing.
- re-running the seed functions: the offices and content types come back under new keys, which
  then clash with the rows a serialized_rollback test loads (a unique code, app label), and every
  new data migration would have to be added here too.
- xdist groups (--dist loadgroup) for the transactional tests: they would put some thirty of the
  slowest tests on one worker, the tests after them in that worker would still start from an
  empty database, and the modes that hand out tests by scope run one of the schemathesis cases
  of tests/prosecution/api/test_api_schema_fuzz.py, which share one node id (tests/conftest.py
  refuses them).

The broker. The real Celery worker tests (tests/integration/test_workers.py, marked real_workers)
start worker and beat processes on the broker of the run, purge and flush it. On the embedded
default each test has a broker folder of its own; on Redis (the second pass of .ci/run) the broker
is one database for the whole run, so two of these tests at once would take each other's tasks (for
a test database of the other worker) and empty each other's queue. They take turns: an exclusive
lock per broker URL, held for the test (--dist load hands them out together, in one chunk, as a
rule, so that the lock is seldom waited for).
"""

import contextlib
import fcntl
import hashlib
import tempfile
from pathlib import Path

import pytest

# pytest-django's fixtures through which a test reaches the database (besides its django_db mark),
# and those of them that make the test transactional (as pytest-django's _django_db_helper says).
DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}
FLUSHING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _transaction_args(transaction=False, reset_sequences=False, **_):
    """The arguments of pytest.mark.django_db that make the test transactional."""
    return transaction or reset_sequences


def uses_db(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def flushes(item: pytest.Item) -> bool:
    """Whether the test runs as a TransactionTestCase, which empties every table at its end."""
    marker = item.get_closest_marker("django_db")
    if marker and _transaction_args(*marker.args, **marker.kwargs):
        return True
    return bool(FLUSHING_FIXTURES & set(getattr(item, "fixturenames", ())))


class MigratedDatabase:
    """The test databases as the migrations left them: taken once, put back after a flush."""

    def __init__(self):
        self.rows: dict[str, dict[type, list]] = {}  # alias: model: instances, as migrated
        self.blocker = None
        self.flushed = False

    def take(self, blocker) -> None:
        """Right after the test databases are created (tests/conftest.py: django_db_setup)."""
        from django.core import serializers
        from django.db import connections

        self.blocker, self.rows = blocker, {}
        with blocker.unblock():
            for alias in connections:
                connection = connections[alias]
                # pytest-django has serialized it already if a test asks for serialized_rollback.
                contents = getattr(connection, "_test_serialized_contents", None)
                contents = contents or connection.creation.serialize_db_to_string()
                rows = self.rows.setdefault(alias, {})
                for deserialized in serializers.deserialize("json", contents, using=alias):
                    # No many-to-many rows are migrated; put_back would have to bring them back.
                    assert not deserialized.m2m_data, deserialized
                    rows.setdefault(type(deserialized.object), []).append(deserialized.object)

    def put_back(self) -> None:
        """The flush of a transactional test emptied every table, then (without
        serialized_rollback) post_migrate made the content types and permissions again, under new
        keys; so only the tables of the migrated rows may hold any: they are emptied and the rows
        inserted again, with their keys, in one transaction (the foreign keys are checked at its
        commit). A flush and a load as Django's serialized_rollback does them (TRUNCATE of every
        table, a save per row) take seconds on PostgreSQL; this takes a tenth of one."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import connections, transaction

        self.flushed = False
        if not self.rows:
            return  # the test databases are not made yet: the flushing test never reached them
        with self.blocker.unblock():
            for alias, rows in self.rows.items():
                connection = connections[alias]
                with transaction.atomic(using=alias), connection.cursor() as cursor:
                    for model in rows:
                        table = connection.ops.quote_name(model._meta.db_table)
                        cursor.execute(f"DELETE FROM {table}")  # a model's table, not input
                    for model, instances in rows.items():
                        model._base_manager.using(alias).bulk_create(instances)
        ContentType.objects.clear_cache()


MIGRATED = MigratedDatabase()


@contextlib.contextmanager
def broker_turn():
    """Held by a real Celery worker test for as long as it runs (see the module's docstring)."""
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        yield  # tests/integration/test_workers.py gives each test a broker folder of its own
        return
    key = hashlib.sha256(url.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"prosecution-tests-broker-{key}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
