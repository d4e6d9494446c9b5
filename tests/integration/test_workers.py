"""The timers with the real thing (issue 3): real Celery worker and beat processes on the broker of
the run (kombu's filesystem transport on the embedded default, Redis in the second pass of
.ci/run) and the test database.

- A worker is killed with SIGKILL in the middle of delivering an SMS; another worker delivers it,
  and the gateway sends it exactly once (it recognises the idempotency key of a retry).
- Two beats: only one schedules; each reminder is sent once; when the holder dies the other takes
  over.
- The broker is flushed: the next sweep queues again everything still to be delivered.

The processes run on real time; the terms are placed relative to today, so nothing is slept
through except the few seconds it takes processes to start and a sweep to run (every second
here). Settings shortened for the test: sweep 1 s, lease 3 s, re-queue 1 s, standby 1 s.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from prosecution import workdays
from prosecution.models import Notice, NoticeKind, NoticeState, Office, Position, TermKind
from prosecution.notices import outbox
from prosecution.terms import engine as terms
from prosecution.terms import reminders
from tests.conftest import make_staff

pytestmark = [
    pytest.mark.slow,
    pytest.mark.real_workers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")
WAIT = 60  # seconds: generous for a loaded CI machine; the loops end as soon as the state is seen


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
        return f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.fixture
def env(tmp_path):
    environment = dict(os.environ)
    environment.update(
        DATABASE_URL=_database_url(),
        PROSECUTION_SWEEP_SECONDS="1",
        PROSECUTION_NOTICE_LEASE_SECONDS="3",
        PROSECUTION_NOTICE_REQUEUE_SECONDS="1",
        PROSECUTION_BEAT_STANDBY_SECONDS="1",
        PROSECUTION_SMS_FILE_DIR=str(tmp_path / "sms"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_LOG_LEVEL="INFO",
    )
    environment.pop("DJANGO_DEBUG", None)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # A broker of their own: nothing left on the development broker reaches these workers.
        environment["DJANGO_VAR_DIR"] = str(tmp_path / "var")
    else:
        subprocess.run(
            [CELERY, "-A", "prosecution", "purge", "-f"],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )
    return environment


class Processes:
    """Celery processes, each in its own session (so SIGKILL reaches the pool's children too),
    with its output in a file for the assertion messages."""

    def __init__(self, env, tmp_path):
        self.env, self.tmp_path, self.running = env, tmp_path, {}

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115  closed with the process
        command = [CELERY, "-A", "prosecution", *args, "--loglevel=INFO"]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[name] = process
        return process

    def worker(self, name: str = "worker"):
        return self.start(
            name,
            "worker",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            f"--hostname={name}@%h",
        )

    def beat(self, name: str = "beat"):
        return self.start(name, "beat", f"--schedule={self.tmp_path / (name + '-schedule')}")

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.stem}\n{p.read_text(errors='replace')[-3000:]}"
            for p in self.tmp_path.glob("*.log")
        )

    def stop_all(self) -> None:
        for name in list(self.running):
            process = self.running.pop(name)
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


@pytest.fixture
def processes(env, tmp_path):
    running = Processes(env, tmp_path)
    yield running
    running.stop_all()


def wait_for(condition, what: str, processes: Processes, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n{processes.logs()}")


# An SMS provider that, like real ones, sends a message once per Idempotency-Key --------------


class Gateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, hold: str):
        """hold="before": the first request hangs before the message is sent; "after": the
        message is sent, then the answer hangs. Either way its worker is killed meanwhile."""
        super().__init__(("127.0.0.1", 0), GatewayHandler)
        self.hold, self.requests, self.sent = hold, [], {}
        self.first_arrived, self.release = threading.Event(), threading.Event()
        self.lock = threading.Lock()


class GatewayHandler(BaseHTTPRequestHandler):
    server: Gateway

    def do_POST(self):  # http.server calls it so
        gateway = self.server
        key = self.headers["Idempotency-Key"]
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with gateway.lock:
            gateway.requests.append(key)
            first = len(gateway.requests) == 1
        if first and gateway.hold == "before":
            gateway.first_arrived.set()
            gateway.release.wait(WAIT)
            return  # the client is dead: nothing was sent
        with gateway.lock:
            gateway.sent.setdefault(key, []).append(payload)
            repeat = len(gateway.sent[key]) > 1
            if repeat:
                gateway.sent[key].pop()  # recognised: not sent again
        if first:
            gateway.first_arrived.set()
            gateway.release.wait(WAIT)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(request, env):
    server = Gateway(hold=request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env.update(
        PROSECUTION_SMS_GATEWAY="http",
        PROSECUTION_SMS_HTTP_URL=f"http://127.0.0.1:{server.server_address[1]}/sms",
    )
    yield server
    server.release.set()
    server.shutdown()


def _sms_to_citizen(office) -> Notice:
    subject = get_user_model().objects.create(username="appeal-in-flight")
    with transaction.atomic():
        outbox.notify_applicant(
            kind=NoticeKind.EXTENSION_TO_APPLICANT,
            subject=subject,
            term=None,
            language="kk",
            phone="+77011234567",
            context={
                "reference": "A-17",
                "received": "2026-11-02",
                "due": "2026-12-30",
                "reason": "expert opinion",
                "office_id": office.pk,
            },
        )
    return Notice.objects.get()


@pytest.mark.parametrize("gateway", ["before", "after"], indirect=True)
def test_a_worker_killed_mid_delivery_is_replaced_and_the_sms_goes_once(gateway, processes):
    notice = _sms_to_citizen(Office.objects.get(code="R-AKMOLA"))
    processes.worker("first")
    processes.beat()
    if not gateway.first_arrived.wait(WAIT):
        pytest.fail(f"the first worker never called the gateway\n{processes.logs()}")
    notice.refresh_from_db()
    assert notice.state == NoticeState.SENDING
    processes.kill("first")  # SIGKILL: no cleanup, no acknowledgement, no "sent"
    gateway.release.set()
    processes.worker("second")
    wait_for(
        lambda: Notice.objects.filter(pk=notice.pk, state=NoticeState.SENT).exists(),
        "the second worker to deliver the notice",
        processes,
    )
    notice.refresh_from_db()
    assert notice.attempts == 2
    assert gateway.requests == [str(notice.uuid)] * 2
    # Delivered exactly once: the gateway sent one message for the key.
    assert len(gateway.sent[str(notice.uuid)]) == 1
    assert gateway.sent[str(notice.uuid)][0]["to"] == "+77011234567"
    assert "ұзартылды" in gateway.sent[str(notice.uuid)][0]["text"]


def _terms_due_around_today(office, person):
    today = timezone.localdate()
    dues = {
        NoticeKind.DUE_TODAY: today,
        NoticeKind.REMINDER_1_DAY: workdays.add_working_days(today, 1),
        NoticeKind.REMINDER_3_DAYS: workdays.add_working_days(today, 3),
        NoticeKind.MISSED: today - timedelta(days=2),
    }
    for n, due in enumerate(dues.values()):
        terms.open_term(
            subject=get_user_model().objects.create(username=f"subject-{n}"),
            kind=TermKind.SET_BY_PROSECUTOR,
            office=office,
            start_date=today - timedelta(days=10),
            start_event="instruction",
            responsible=person,
            set_due=due,
        )
    return dues


def test_two_beats_schedule_one_at_a_time_and_each_reminder_goes_once(processes):
    office = Office.objects.get(code="R-AKMOLA")
    person = make_staff("person", office)
    expected = _terms_due_around_today(office, person)
    processes.worker()
    processes.beat("beat-1")
    wait_for(
        lambda: "held by this beat" in processes.log("beat-1"), "beat-1 to take the lock", processes
    )
    processes.beat("beat-2")
    wait_for(lambda: "standing by" in processes.log("beat-2"), "beat-2 to stand by", processes)
    wait_for(
        lambda: (
            set(Notice.objects.filter(state=NoticeState.SENT).values_list("kind", flat=True))
            >= set(expected)
        ),
        "the reminders and the missed term to be delivered",
        processes,
    )
    time.sleep(5)  # five more sweeps of both beats' worth: nothing more may appear
    mine = Notice.objects.filter(recipient=person)
    # In the system only (no e-mail address), once each; and the 09:00 digest once, if the test
    # runs after nine on a working day.
    assert sorted(mine.exclude(kind=NoticeKind.DIGEST).values_list("kind", flat=True)) == sorted(
        expected
    )
    assert mine.filter(kind=NoticeKind.DIGEST).count() <= 1
    assert "held by this beat" not in processes.log("beat-2")
    # The holder dies: the standby takes over and the sweep goes on.
    processes.kill("beat-1")
    wait_for(
        lambda: "held by this beat" in processes.log("beat-2"), "beat-2 to take over", processes
    )
    late = make_staff("late", office)
    terms.open_term(
        subject=get_user_model().objects.create(username="after-takeover"),
        kind=TermKind.SET_BY_PROSECUTOR,
        office=office,
        start_date=timezone.localdate() - timedelta(days=10),
        start_event="instruction",
        responsible=late,
        set_due=timezone.localdate(),
    )
    wait_for(
        lambda: Notice.objects.filter(recipient=late, state=NoticeState.SENT).exists(),
        "the new beat's sweep to remind",
        processes,
    )


def _flush_broker(env) -> None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("redis://"):
        import redis

        redis.Redis.from_url(url).flushdb()
        return
    for message in (Path(env["DJANGO_VAR_DIR"]) / "broker" / "queue").glob("*"):
        message.unlink()


def _manage(env, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_after_the_broker_is_flushed_the_next_sweep_queues_everything_again(
    processes, env, tmp_path
):
    office = Office.objects.get(code="R-AKMOLA")
    person = make_staff("person", office, Position.PROSECUTOR)
    # Written here but not dispatched on commit (outbox.held): the test puts them on the real
    # broker from another process, below.
    with outbox.held():
        _terms_due_around_today(office, person)
        citizen = _sms_to_citizen(office)
        terms.mark_missed()
        reminders.send_reminders()
    # The missed term, three reminders (in the system: no e-mail address) and the citizen's SMS.
    waiting = Notice.objects.filter(state=NoticeState.QUEUED).count()
    assert waiting == 5
    # Onto the real broker (no worker is running yet), then the broker loses everything.
    queued = _manage(env, "from prosecution.notices import outbox; print(len(outbox.dispatch()))")
    assert int(queued) == waiting
    _flush_broker(env)
    processes.worker()
    processes.beat()
    wait_for(
        lambda: not Notice.objects.exclude(state=NoticeState.SENT).exists(),
        "every notice to be delivered after the flush",
        processes,
    )
    assert len(list((tmp_path / "sms").glob("*.json"))) == 1
    citizen.refresh_from_db()
    assert citizen.attempts == 1
    assert set(Notice.objects.values_list("attempts", flat=True)) == {1}
