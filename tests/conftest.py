"""A fixed cast of users, one per level of the hierarchy (healthchecks' hc/test.py idea):

GPO ─┬─ R-AKMOLA ─┬─ R-AKMOLA-D1  (district A)
     │            └─ R-AKMOLA-D2  (district B)
     └─ R-PAVLODAR ── R-PAVLODAR-D1
"""

import importlib
import os

import pytest
from django.contrib.auth import get_user_model

from prosecution import workdays
from prosecution.models import CalendarDay, Office, Position, StaffProfile
from prosecution.offices.services import create_office

# The browser the browser tests drive (tests/browser/conftest.py); `make test` installs it where
# it can (.ci/browser_deps), and where it could not, those tests are skipped with this reason.
CHROMIUM = os.environ.get("PROSECUTION_CHROMIUM", "/usr/bin/chromium")
NO_BROWSER = f"{CHROMIUM} is missing (apt-get install chromium as root; .ci/run does)"


def pytest_report_header(config):
    """The first lines of the run say that the browser tests will be skipped, and why."""
    if not os.path.exists(CHROMIUM) and not os.environ.get("PROSECUTION_SKIP_BROWSER"):
        return [f"browser tests skipped: {NO_BROWSER}"]
    return []


def pytest_configure(config):
    """pytest-xdist's modes that hand out tests by scope (loadscope, loadfile, loadgroup) key the
    tests by node id, and the schemathesis cases of tests/prosecution/api/test_api_schema_fuzz.py
    share one: they would run one case of 59, and say nothing. `make test` uses --dist load."""
    dist = getattr(config.option, "dist", "no")
    if dist in {"loadscope", "loadfile", "loadgroup"} and getattr(config.option, "tx", None):
        raise pytest.UsageError(
            f"--dist {dist} would run one schemathesis case of "
            "tests/prosecution/api/test_api_schema_fuzz.py (they share one node id): "
            "use --dist load or --dist worksteal"
        )


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the second pass of .ci/run")
        for item in items:
            if item.get_closest_marker("postgres"):
                item.add_marker(skip)
    if os.environ.get("PROSECUTION_SKIP_BROWSER") or not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(
            reason="browser tests run in the first pass of .ci/run only"
            if os.environ.get("PROSECUTION_SKIP_BROWSER")
            else NO_BROWSER
        )
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _audit_log_flushable():
    """Transactional tests empty every table after themselves; on SQLite with DELETE, which the
    audit log's triggers refuse (migrations 0010 and 0011). The test runner's flush lifts them for
    its own statements and puts them back. (PostgreSQL's flush is a TRUNCATE, which they let
    through.)"""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)
    migrations = [
        importlib.import_module(f"prosecution.migrations.{name}")
        for name in ("0010_audit_log", "0011_pending_audit_records")
    ]
    original = operations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        guarded = [migration for migration in migrations if migration.TABLE in tables]
        lift = [statement for migration in guarded for statement in migration.SQLITE_REVERSE]
        restore = [statement for migration in guarded for statement in migration.SQLITE]
        return [*lift, *statements, *restore]

    operations.sql_flush = sql_flush
    yield
    operations.sql_flush = original


@pytest.fixture(autouse=True)
def _plain_http(settings, tmp_path):
    """Production settings redirect to HTTPS; the test client speaks plain HTTP. The demo seed
    makes appeals in two districts only (all of them take half a minute), and last year's in none
    (tests/legal_statistics/reports/test_reports_on_demo.py asks for one). The audit log's anchors
    of a test are its own (var/'s belong to the development database)."""
    settings.SECURE_SSL_REDIRECT = False
    settings.DEMO_APPEAL_OFFICES = 2
    settings.DEMO_HISTORY_OFFICES = 0
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Tests of the real sign-in (marked `real_second_factor`) hash a password at every step: a
    fast hasher there (tests/signin_helpers.py), the production ones everywhere else."""
    if request.node.get_closest_marker("real_second_factor"):
        from tests.signin_helpers import FAST_HASHERS

        settings.PASSWORD_HASHERS = FAST_HASHERS


def sealed_audit_log():
    """The audit log's records, once those of the test's changes are chained. A test runs inside
    a transaction that never commits, so the sealer that runs after a commit
    (prosecution/audit/chain.py) never runs by itself: this is that moment."""
    from prosecution.audit import chain
    from prosecution.models import AuditRecord

    chain.seal_all()
    return AuditRecord.objects.all()


def last_audit_record(action: str):
    """The latest record of `action` in the audit log (the test's records chained first)."""
    return sealed_audit_log().filter(action=action).latest("seq")


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(request, monkeypatch):
    """Tests sign staff in with client.force_login, which logs in with no second factor: the
    session guard would sign them out again (docs/security.md 6). Here, and only in tests,
    force_login also marks the session verified by a confirmed authenticator of the user, as the
    code step does. Tests of the sign-in itself go through the real pages
    (tests/prosecution/accounts/test_signin.py); those marked `real_second_factor` get Django's
    force_login unchanged."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        mark_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


def mark_verified(client, user):
    """The session of `client` passed the second factor with an authenticator of `user`."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Tests roll their transactions back; the per-process calendar must not outlive them."""
    workdays.invalidate()
    yield
    workdays.invalidate()


def _district(parent: Office, code: str, name: str) -> Office:
    return create_office(
        parent=parent,
        code=code,
        kind="district",
        name_kk=f"{name} (kk)",
        name_ru=f"{name} (ru)",
        name_en=name,
    )


def make_staff(username: str, office: Office, position: str = Position.PROSECUTOR, **extra):
    user = get_user_model().objects.create_user(username=username, password=None)
    StaffProfile.objects.create(user=user, office=office, position=position, **extra)
    return user


def make_day_off(day) -> CalendarDay:
    """An order makes `day` a day off (Labour Code Art. 85(3))."""
    return CalendarDay.objects.create(
        date=day,
        kind="day_off",
        name_kk="x",
        name_ru="x",
        name_en="Transferred day off",
        legal_source="Order (test)",
    )


class Cast:
    def __init__(self):
        self.gpo = Office.objects.get(code="GPO")
        self.region = Office.objects.get(code="R-AKMOLA")
        self.other_region = Office.objects.get(code="R-PAVLODAR")
        self.district_a = _district(self.region, "R-AKMOLA-D1", "District A")
        self.district_b = _district(self.region, "R-AKMOLA-D2", "District B")
        self.other_district = _district(self.other_region, "R-PAVLODAR-D1", "Other district")
        self.gpo_user = make_staff("gpo", self.gpo, Position.DEPUTY)
        self.region_user = make_staff("region", self.region, Position.HEAD)
        self.a_user = make_staff("district_a", self.district_a)
        self.b_user = make_staff("district_b", self.district_b)
        self.other_user = make_staff("other", self.other_district)
        self.inactive_user = make_staff("inactive_a", self.district_a)
        self.inactive_user.is_active = False
        self.inactive_user.save()

    def users(self):
        return {
            "gpo": self.gpo_user,
            "region": self.region_user,
            "district_a": self.a_user,
            "district_b": self.b_user,
            "inactive": self.inactive_user,
            "anonymous": None,
        }


@pytest.fixture
def cast(db) -> Cast:
    return Cast()


@pytest.fixture
def cc(cast):
    """The cast around legality checks (tests/check_helpers.py)."""
    from tests.check_helpers import CheckCast

    return CheckCast(cast)


@pytest.fixture
def head_a(cast):
    """The head of district A (leadership: assigns, extends, decides)."""
    return make_staff("head_a", cast.district_a, Position.HEAD, language="ru")


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Unit tests run tasks in the test process (the outbox's dispatch would otherwise leave
    messages on the development broker). tests/integration/test_workers.py runs the real
    processes."""
    from prosecution.celery import app

    if request.node.get_closest_marker("real_workers"):
        yield
        return
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def reference_data(transactional_db):
    """The migrations' reference data (the offices, ranks and calendar) in a transactional test. An
    earlier transactional test flushed the database, and the reference data with it; the
    migrated database is put back before the next test that uses it (pytest_runtest_setup below),
    so a transactional test finds it as every other test does."""


# --- Tests run in any order, and beside each other (pytest-xdist): tests/isolation.py ---------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb):
    """pytest-django's, then the migrated database is taken, to be put back after a flush; with
    --reuse-db it is put back at the end too, so that the next run finds it as migrated."""
    from tests.isolation import MIGRATED

    MIGRATED.take(django_db_blocker)
    yield
    if django_db_keepdb and MIGRATED.flushed:
        MIGRATED.put_back()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """Before any fixture of the test: the migrated database is put back if a transactional test
    flushed it, and a transactional test (unless skipped outright) will flush it."""
    from tests.isolation import MIGRATED, flushes, uses_db

    if MIGRATED.flushed and uses_db(item):
        MIGRATED.put_back()
    if flushes(item) and not item.get_closest_marker("skip"):
        MIGRATED.flushed = True
    return (yield)


@pytest.fixture(autouse=True)
def _real_workers_take_turns(request):
    """One real Celery worker test at a time on a shared broker (tests/isolation.py). Autouse:
    taken before tests/integration/test_workers.py's fixtures purge the broker and start the
    processes, and released after they are stopped."""
    if not request.node.get_closest_marker("real_workers"):
        yield
        return
    from tests.isolation import broker_turn

    with broker_turn():
        yield


@pytest.fixture(autouse=True, scope="session")
def _files_of_this_worker(tmp_path_factory):
    """What the code writes to files (uploads and letters; the SMS of the file gateway) goes to a
    directory of this run and of this xdist worker (tmp_path_factory's base is per worker), not to
    var/ beside the development database."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("var")
    with override_settings(PRIVATE_FILES_ROOT=root / "private", SMS_FILE_DIR=root / "sms"):
        yield


@pytest.fixture
def steady_calendar(monkeypatch):
    """For the tests that count a page's queries: the loaded calendar is checked against its
    table every RECHECK_SECONDS (prosecution/workdays.py), and a loaded machine can cross that
    line inside the counted block (one query more: 15 of 14 was seen under load). What is counted
    is the page's own cost."""
    monkeypatch.setattr(workdays, "RECHECK_SECONDS", 3600.0)
