"""How fast do messages go through the broker of `make run` (issue 13)? A real Celery worker (two
processes, as Procfile.dev starts it) takes no-op tasks from each broker that needs no server, and
from Redis for comparison:

- latency: one message at a time to an idle worker, 20 times: median and p95 from `delay()` to the
  task running;
- throughput: BENCH_MESSAGES messages sent at once (a backlog, as a seed leaves one): messages per
  second until the last has run.

Run from the project root (prints figures, asserts nothing about them):

    .venv/bin/python bench/bench_broker.py

The filesystem transport is run with several polling intervals; kombu's SQLAlchemy transport
(SQLite) only if SQLAlchemy is installed; Redis only if BENCH_REDIS_URL answers.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CELERY = str(Path(sys.executable).parent / "celery")
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "300"))
LATENCY_SAMPLES = 20
TIMEOUT = 600.0
IDLE_SECONDS = 10.0


def _cpu_seconds(pid: int) -> float:
    """CPU time of the worker's main process (the consumer that polls the broker), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _filesystem(folder: Path, polling: float) -> tuple[str, dict]:
    queue = folder / "queue"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
        "control_folder": str(folder / "control"),
        "polling_interval": polling,
    }
    return "filesystem://", options


def _variants(tmp: Path):
    for polling in (1.0, 0.1, 0.05):
        yield f"filesystem, polling {polling:g} s", *_filesystem(tmp / f"fs-{polling}", polling)
    try:
        import sqlalchemy  # noqa: F401
    except ImportError:
        print("(kombu's SQLAlchemy transport left out: SQLAlchemy is not installed)")
    else:
        # Its polling stays at 1 s: kombu hands the transport options to SQLAlchemy's
        # create_engine, which refuses `polling_interval`.
        url = f"sqla+sqlite:///{tmp / 'broker.sqlite3'}"
        yield "sqlalchemy on SQLite, polling 1 s", url, {}
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
    try:
        import redis

        redis.Redis.from_url(redis_url).ping()
    except Exception:
        print(f"(Redis left out: {redis_url} does not answer)")
    else:
        redis.Redis.from_url(redis_url).flushdb()
        yield "redis (a server, for comparison)", redis_url, {}


def _wait_for(path: Path, deadline: float) -> float:
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(path)
        time.sleep(0.002)
    for _ in range(100):
        text = path.read_text()
        if text:
            return float(text)
        time.sleep(0.002)
    raise TimeoutError(path)


def _run(name: str, url: str, options: dict, tmp: Path) -> dict:
    done = tmp / f"done-{len(list(tmp.iterdir()))}"
    done.mkdir()
    env = dict(
        os.environ,
        BENCH_BROKER_URL=url,
        BENCH_BROKER_OPTIONS=json.dumps(options),
        BENCH_DONE_DIR=str(done),
        PYTHONPATH=str(HERE),
    )
    os.environ.update(env)  # the sender below reads the same settings
    import importlib

    import broker_app

    importlib.reload(broker_app)
    worker = subprocess.Popen(
        [CELERY, "-A", "broker_app", "worker", "--concurrency=2", "--loglevel=WARNING"],
        env=env,
        cwd=HERE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Ready when a first message has gone through.
        broker_app.mark.delay("warm-up")
        _wait_for(done / "warm-up", time.monotonic() + 120)
        idle = _cpu_seconds(worker.pid)
        time.sleep(IDLE_SECONDS)
        idle = (_cpu_seconds(worker.pid) - idle) / IDLE_SECONDS
        latencies = []
        for n in range(LATENCY_SAMPLES):
            label = f"latency-{n}"
            sent = time.time()
            broker_app.mark.delay(label)
            latencies.append(_wait_for(done / label, time.monotonic() + TIMEOUT) - sent)
            time.sleep(0.37)  # an idle worker: the next message comes at another moment of its poll
        started = time.time()
        for n in range(MESSAGES):
            broker_app.mark.delay(f"backlog-{n}")
        sending = time.time() - started
        last = max(
            _wait_for(done / f"backlog-{n}", time.monotonic() + TIMEOUT) for n in range(MESSAGES)
        )
        elapsed = last - started
    finally:
        worker.terminate()
        worker.wait(30)
    latencies.sort()
    return {
        "name": name,
        "median": statistics.median(latencies),
        "p95": latencies[round(0.95 * len(latencies)) - 1],
        "send": MESSAGES / sending,
        "rate": MESSAGES / elapsed,
        "elapsed": elapsed,
        "idle": idle,
    }


def _row(r: dict) -> str:
    return (
        f"| {r['name']} | {r['median'] * 1000:.0f} ms | {r['p95'] * 1000:.0f} ms "
        f"| {r['send']:.0f} | {r['rate']:.1f} | {r['elapsed']:.1f} s | {r['idle']:.1%} |"
    )


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for name, url, options in list(_variants(tmp)):
            results.append(_run(name, url, options, tmp))
            print(_row(results[-1]), flush=True)
    print(f"\nA worker of 2 processes; latency of {LATENCY_SAMPLES} single messages; a backlog of")
    print(f"{MESSAGES} messages sent at once.\n")
    print(
        "| broker | latency median | latency p95 | sent per s | run per s | backlog drained in "
        "| idle worker CPU |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(_row(r))


if __name__ == "__main__":
    main()
