"""The one-time codes of a citizen on `make run`, as a new user meets them (issue 13): the real
`make run` (migrate, the demo seed, then the web process, the Celery worker and beat of
Procfile.dev) on a fresh var/, on the embedded default (SQLite and kombu's filesystem broker).

Through the public pages, citizens file appeals online and book receptions (one asks for the
code again); each code must be in
var/sms/ (the development SMS gateway) within ARRIVAL_SECONDS of the click that asked for it, and
must work on the confirm page. The p95 of the CODES arrivals is printed. Before issue 13 the demo
seed left ~730 messages on the broker, drained at ~2.5 a second: the first codes took minutes.

The second pass of .ci/run (PostgreSQL and Redis) does not repeat it: the embedded default is the
subject."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.reception_helpers import iin

pytestmark = [
    pytest.mark.slow,
    pytest.mark.real_workers,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("filesystem://"),
        reason="the embedded default (filesystem broker) is tested in the first pass of .ci/run",
    ),
]
ROOT = Path(__file__).resolve().parents[2]
ARRIVAL_SECONDS = 5.0
# Nine bookings, ten appeals (the last asks for its code again): the hourly limit of each door per
# address is ten.
CODES = 20
START_SECONDS = 420  # migrate and the whole demo seed on a loaded two-core machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Run:
    url: str
    var: Path
    log: Path

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    port = _free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DJANGO_DEBUG")
    }
    env.update(DJANGO_VAR_DIR=str(var), PROSECUTION_PORT=str(port))
    env.update(PROSECUTION_SITE_URL=f"http://127.0.0.1:{port}")
    log = var.parent / "make-run.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["make", "run"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    run = Run(url=f"http://127.0.0.1:{port}", var=var, log=log)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not (_answers(run.url) and re.search(r"celery@\S+ ready", run.tail())):
            assert process.poll() is None, f"make run stopped:\n{run.tail()}"
            assert time.monotonic() < deadline, f"make run did not start:\n{run.tail()}"
            time.sleep(0.5)
        yield run
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/", timeout=2):
            return True
    except OSError:
        return False


class Browser:
    """A citizen's browser without JavaScript: cookies, forms with their CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, page: str, data: dict) -> tuple[str, str]:
        data = {"csrfmiddlewaretoken": _csrf(page), **data}
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.geturl(), error.read().decode()


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path


class Phone:
    """The citizen's phone: the development gateway's var/sms/, one JSON file per message."""

    def __init__(self, var: Path):
        self.folder = var / "sms"

    def wait_for_code(self, number: str, since: float) -> tuple[str, float]:
        """The code sent to `number` and how long after `since` (time.monotonic()) it arrived."""
        deadline = since + 60
        while time.monotonic() < deadline:
            for path in self.folder.glob("*.json") if self.folder.exists() else ():
                message = json.loads(path.read_text(encoding="utf-8"))
                if message["to"] == number:
                    arrived = time.monotonic() - since
                    path.unlink()  # read: the next code to this number is a new file
                    code = re.search(r"\b(\d{6})\b", message["text"])
                    assert code, message
                    return code.group(1), arrived
            time.sleep(0.02)
        raise AssertionError(f"no code reached {number} within 60 s")


def _file_an_appeal(browser: Browser, phone: Phone, n: int, again: bool = False) -> list[float]:
    """The seconds each code took; with `again`, the citizen also asks for the code again and
    confirms with the second."""
    _url, page = browser.get("/appeal/")
    office = re.search(r'<select name="office"[^>]*>.*?<option value="(\d+)"', page, re.S)
    number = f"+7707123{n:04d}"
    form = {
        "office": office.group(1),
        "last_name": "Абаев",
        "first_name": "Ерлан",
        "iin": iin(100 + n),
        "phone": number,
        "confirm_by": "phone",
        "language": "ru",
        "summary": "Невыплата заработной платы",
        "text": "Работодатель третий месяц не выплачивает заработную плату.",
    }
    asked = time.monotonic()
    url, page = browser.post("/appeal/", page, form)
    assert "/appeal/confirm/" in url, page[-2000:]
    code, arrived = phone.wait_for_code(number, asked)
    arrivals = [arrived]
    if again:
        confirm = _path(url)
        asked = time.monotonic()
        url, page = browser.post(confirm + "again/", page, {})
        assert _path(url) == confirm, page[-2000:]
        code, arrived = phone.wait_for_code(number, asked)
        arrivals.append(arrived)
    url, page = browser.post(_path(url), page, {"code": code})
    assert _path(url) == "/appeal/filed/", page[-2000:]
    return arrivals


def _book_a_reception(browser: Browser, phone: Phone, n: int) -> float:
    _url, page = browser.get("/reception/")
    offices = re.findall(r'href="(/reception/office/[0-9a-f-]+/)"', page)
    for office in offices:
        _url, page = browser.get(office)
        schedule = re.search(r'href="(/reception/official/[0-9a-f-]+/)"', page)
        if schedule:
            break
    _url, page = browser.get(schedule.group(1))
    slots = re.findall(r'class="slot" data-slot="[^"]+" href="([^"]+)"', page)
    book_url, page = browser.get(slots[0].replace("&amp;", "&"))  # the first still free
    number = f"+7707124{n:04d}"
    form = {
        "at": re.search(r'name="at" value="([^"]+)"', page).group(1),
        "request_key": re.search(r'name="request_key" value="([^"]+)"', page).group(1),
        "last_name": "Абаев",
        "first_name": "Ерлан",
        "iin": iin(200 + n),
        "phone": number,
        "language": "kk",
        "matter": "Работодатель не выплачивает зарплату.",
        "confirm_by": "phone",
    }
    asked = time.monotonic()
    url, page = browser.post(_path(book_url), page, form)
    assert "/reception/confirm/" in url, page[-2000:]
    code, arrived = phone.wait_for_code(number, asked)
    url, page = browser.post(_path(url), page, {"code": code})
    assert "/reception/manage/" in url, page[-2000:]
    return arrived


def test_codes_reach_the_citizen_within_seconds_of_make_run(make_run, capsys):
    phone = Phone(make_run.var)
    arrivals = []
    for n in range(CODES // 2 - 1):
        arrivals += _file_an_appeal(Browser(make_run.url), phone, n)
        arrivals.append(_book_a_reception(Browser(make_run.url), phone, n))
    arrivals += _file_an_appeal(Browser(make_run.url), phone, CODES, again=True)
    arrivals.sort()
    p95 = arrivals[round(0.95 * len(arrivals)) - 1]
    with capsys.disabled():
        print(
            f"\n{len(arrivals)} one-time codes on `make run`: median "
            f"{arrivals[len(arrivals) // 2]:.2f} s, p95 {p95:.2f} s, slowest {arrivals[-1]:.2f} s"
        )
    assert arrivals[-1] <= ARRIVAL_SECONDS, (arrivals, make_run.tail())
