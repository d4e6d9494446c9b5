"""Two figures of supervision (issue 15), on PostgreSQL:

1. The audited subject's public lookup (POST /check/, Art. 19(1)) in requests per second through
   the project's WSGI application, next to a bare Django view (a view that returns "ok") served by
   the same application, middleware and all, in the same run. The ratio is the figure: what the
   lookup itself costs (the form, the rate limit, the query, the term, the page) on top of what
   every request pays.
2. The register's queue (GET /register/, legal_statistics/register_views.py) for the Committee's
   registration officer `demo.statistics`, with BENCH_REGISTER_N registrations in the register
   (default 100,000: a third waiting, the rest registered), first page and a deep page.

Run from the project root (PostgreSQL must answer; the database is created if missing):

    DJANGO_SECRET_KEY=... .venv/bin/python bench/bench_supervision.py

- BENCH_SUPERVISION_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/prosecution_bench_sv):
  a database of its own, never the app's. It is migrated and given the demo data (seed_demo), then
  BENCH_REGISTER_N checks with their registrations are added (once; a rerun with the same number
  reuses them).
- BENCH_REQUESTS (default 400): requests per lookup figure, after 20 warm-up requests.
- BENCH_RUNS (default 9, at least 7): timed runs of the queue page; the median is printed.

The lookup's rate limit (30 an hour per address and per BIN/IIN) would answer 429 after 30
requests: the bench raises it for its own process (supervision.views.public.LOOKUP_LIMIT), so that
what is timed is a found check's answer, counted against the limit as a real one is. Every answer
is checked (status, and the registration number on the page). Timings are printed, never asserted.
"""

from __future__ import annotations

import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/prosecution_bench_sv"
REGISTER_N = int(os.environ.get("BENCH_REGISTER_N", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
RUNS = max(int(os.environ.get("BENCH_RUNS", "9")), 7)
WARM_UP = 20
BATCH = 5000
BENCH_TAG = "BENCH-SV"  # resolution numbers of the bench's own checks start with it


def _setup_django(url: str) -> None:
    root = Path(__file__).resolve().parent
    sys.path.insert(0, str(root.parent))
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prosecution.settings")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://localhost/")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")  # the Host the requests carry
    os.environ["DATABASE_URL"] = url
    from bench_dashboard import _create_database_if_missing  # the same set-up as the dashboard's

    _create_database_if_missing(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _seed_demo() -> None:
    from django.core.management import call_command

    from supervision.models import Check

    if Check.objects.filter(office__code="C-ASTANA-D1").exists():
        return
    started = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    print(f"seed_demo: {time.perf_counter() - started:.1f} s", file=sys.stderr)


def _seed_register(n: int) -> None:
    """n checks in the Esil District office and their registrations: every third waits in the
    Committee's queue, the rest are registered with numbers of their own year. Bulk-inserted (the
    services would take an hour), in the shape the services leave."""
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from legal_statistics.models import Registration, RegistrationState
    from prosecution.models import Office
    from supervision.models import Check, CheckGround, CheckState, SubjectKind

    existing = Check.objects.filter(resolution_number__startswith=BENCH_TAG).count()
    if existing == n:
        return
    if existing:
        with transaction.atomic():
            ids = Check.objects.filter(resolution_number__startswith=BENCH_TAG)
            Check.objects.filter(pk__in=ids).update(registration=None)
            Registration.objects.filter(legality_check__in=ids).delete()
            ids.delete()
    office = Office.objects.get(code="C-ASTANA-D1")
    register = Registration.objects.values_list("office_id", flat=True).first()
    head = get_user_model().objects.get(username="demo.c-astana-d1.head")
    officer = get_user_model().objects.get(username="demo.statistics")
    now, today = timezone.now(), timezone.localdate()
    started = time.perf_counter()
    for first in range(0, n, BATCH):
        with transaction.atomic():
            checks = Check.objects.bulk_create(
                Check(
                    office=office,
                    office_path=office.path,
                    resolution_number=f"{BENCH_TAG}-{i}",
                    resolution_date=today - timedelta(days=i % 300),
                    appointed_by=head,
                    ground=CheckGround.UNLIMITED_PERSONS,
                    subject_kind=SubjectKind.ORGANISATION,
                    subject_number="120540012342",
                    subject_name=f"Bench subject {i}",
                    subject_address="Astana",
                    subject_matter="Bench",
                    period_from=date(2025, 1, 1),
                    period_to=date(2025, 12, 31),
                    state=CheckState.AWAITING_REGISTRATION if i % 3 == 0 else CheckState.REGISTERED,
                )
                for i in range(first, min(first + BATCH, n))
            )
            registrations = Registration.objects.bulk_create(
                Registration(
                    legality_check=check,
                    office_id=register,
                    check_office=office,
                    sent_by=head,
                    **(
                        {}
                        if check.state == CheckState.AWAITING_REGISTRATION
                        else {
                            "state": RegistrationState.REGISTERED,
                            "year": 1900 + (i // 1_000_000),  # apart from the real numbers
                            "number": i % 1_000_000 + 1,
                            "reference": f"{BENCH_TAG}/{i}",
                            "decided_at": now,
                            "decided_by": officer,
                        }
                    ),
                )
                for i, check in zip(range(first, first + len(checks)), checks, strict=True)
            )
            for check, registration in zip(checks, registrations, strict=True):
                if registration.state == RegistrationState.REGISTERED:
                    check.registration = registration
            Check.objects.bulk_update(checks, ["registration"])
        sys.stderr.write(f"\rregister: {min(first + BATCH, n):,}/{n:,}")
    sys.stderr.write(f"\rregister: {n:,} in {time.perf_counter() - started:.0f} s\n")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE supervision_check; ANALYZE legal_statistics_registration")


# --- Requests through the WSGI application ------------------------------------------------------


class Wsgi:
    """Calls the project's WSGI application in-process, as a WSGI server would (no socket): the
    whole middleware stack, sessions and CSRF included."""

    def __init__(self):
        from django.core.wsgi import get_wsgi_application

        self.app = get_wsgi_application()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, ip: str = "10.0.0.1"):
        from wsgiref.util import setup_testing_defaults

        body = urlencode(data or {}).encode()
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REMOTE_ADDR": ip,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_ACCEPT_LANGUAGE": "ru",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
        setup_testing_defaults(environ)
        answer: dict = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            for name, value in headers:
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]

        chunks = self.app(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return answer["status"], content


def _csrf(client: Wsgi, path: str) -> str:
    import re

    status, page = client.request("GET", path)
    assert status == 200, (path, status)
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on " + path
    return found.group(1).decode()


def _rps(call, n: int) -> float:
    for _ in range(WARM_UP):
        call()
    started = time.perf_counter()
    for _ in range(n):
        call()
    return n / (time.perf_counter() - started)


def bench_lookup() -> None:
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    from prosecution import urls
    from supervision.models import Check
    from supervision.views import public

    public.LOOKUP_LIMIT = 10**9  # see the module's docstring

    def bare(request):
        return HttpResponse("ok")

    urls.urlpatterns.append(path("bench-bare/", bare))
    clear_url_caches()

    check = (
        Check.objects.filter(
            office__code="C-ASTANA-D1", registration__isnull=False, is_classified=False
        )
        .exclude(resolution_number__startswith=BENCH_TAG)
        .select_related("registration")
        .order_by("pk")
        .first()
    )
    assert check is not None and check.registration is not None, (
        "seed_demo made no registered check"
    )
    reference = check.registration.reference
    client = Wsgi()
    token = _csrf(client, "/check/")
    found = {"reference": reference, "subject_number": check.subject_number}
    wrong = {"reference": reference + "9", "subject_number": check.subject_number}

    def lookup(data, expect_found):
        def call():
            status, page = client.request("POST", "/check/", {**data, "csrfmiddlewaretoken": token})
            assert status == 200, status
            # A found check shows its section; a wrong pair, the form's one error.
            assert (b'data-testid="check-lookup"' in page) == expect_found
            assert (b'role="alert"' in page) != expect_found
            assert reference.encode() in page

        return call

    def bare_call():
        status, page = client.request("GET", "/bench-bare/")
        assert status == 200 and page == b"ok", status

    figures = [
        ("bare view (GET, same middleware)", _rps(bare_call, REQUESTS)),
        ("lookup, found (POST /check/)", _rps(lookup(found, True), REQUESTS)),
        ("lookup, wrong pair", _rps(lookup(wrong, False), REQUESTS)),
        ("bare view again", _rps(bare_call, REQUESTS)),
    ]
    floor = statistics.mean([figures[0][1], figures[3][1]])
    print(f"\nPublic lookup through the WSGI app ({REQUESTS} requests each, one process):")
    print(f"{'what':<36} {'req/s':>8} {'ms/req':>8} {'bare/this':>10}")
    for label, rps in figures:
        print(f"{label:<36} {rps:8.0f} {1000 / rps:8.2f} {floor / rps:10.2f}")


def bench_queue() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from legal_statistics.models import Registration, RegistrationState

    officer = get_user_model().objects.get(username="demo.statistics")
    client = Wsgi()
    # A signed-in session (the bench does not type a password): the test client's login.
    session_client = Client()
    session_client.force_login(officer)
    # ... past the second factor, as the code step leaves the session (docs/security.md 6).
    device = TOTPDevice.objects.filter(user=officer, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=officer, name="bench", confirmed=True)
    session = session_client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    waiting = Registration.objects.filter(state=RegistrationState.PENDING).count()
    total = Registration.objects.count()
    deep = max(waiting // 50 // 2, 1)

    def page(number):
        def call():
            status, content = client.request("GET", f"/register/?page={number}")
            assert status == 200, status
            return content

        return call

    content = page(1)()
    assert BENCH_TAG.encode() in content or b"<table" in content
    print(
        f"\nRegister queue (GET /register/ as demo.statistics; {total:,} registrations, "
        f"{waiting:,} waiting, 50 a page; median of {RUNS}):"
    )
    for label, number in [("first page", 1), (f"page {deep}", deep)]:
        times = []
        call = page(number)
        call()
        for _ in range(RUNS):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        print(f"  {label:<16} {statistics.median(times):8.1f} ms")


def main() -> None:
    url = os.environ.get("BENCH_SUPERVISION_DATABASE_URL", DEFAULT_URL)
    _setup_django(url)
    _seed_demo()
    _seed_register(REGISTER_N)
    print(
        f"bench_supervision on {platform.python_implementation()} {platform.python_version()},"
        f" {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    bench_lookup()
    bench_queue()


if __name__ == "__main__":
    main()
