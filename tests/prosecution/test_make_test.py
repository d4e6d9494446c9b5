"""Issue 13, point 9: `make test` sets up what the browser tests need on a fresh machine, as
.ci/run does (one script, .ci/browser_deps); where the browser cannot be installed, the browser
tests are skipped and the run says why on its first lines."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCRIPT = ROOT / ".ci" / "browser_deps"


def _without_apt(tmp_path: Path) -> dict[str, str]:
    """An environment where Chromium is missing and apt-get cannot be found."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("id", "env"):
        (bin_dir / tool).symlink_to(shutil.which(tool) or f"/usr/bin/{tool}")
    return {
        **os.environ,
        "PATH": str(bin_dir),
        "PROSECUTION_CHROMIUM": str(tmp_path / "no-chromium"),
    }


def test_make_test_and_ci_install_the_browser_through_one_script():
    dry_run = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert ".ci/browser_deps" in dry_run
    assert dry_run.index(".ci/browser_deps") < dry_run.index("pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".ci/browser_deps --required" in ci and "apt-get" not in ci


def test_without_a_way_to_install_the_browser_make_test_runs_on_and_says_why(tmp_path):
    env = _without_apt(tmp_path)
    told = subprocess.run(["/bin/bash", SCRIPT], env=env, capture_output=True, text=True)
    assert told.returncode == 0
    assert told.stdout.strip().count("\n") == 0 and "browser tests will be skipped" in told.stdout
    refused = subprocess.run(
        ["/bin/bash", SCRIPT, "--required"], env=env, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "FATAL" in refused.stderr


def test_a_present_browser_is_left_alone(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    env = {**_without_apt(tmp_path), "PROSECUTION_CHROMIUM": str(chromium)}
    done = subprocess.run(["/bin/bash", SCRIPT, "--required"], env=env, capture_output=True)
    assert done.returncode == 0 and done.stdout == b""


def test_without_the_browser_its_tests_are_skipped_with_the_reason_on_top(tmp_path):
    env = {
        # Not this run's xdist worker: the inner run is a run of its own.
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
        "PROSECUTION_CHROMIUM": str(tmp_path / "no-chromium"),
        "PROSECUTION_SKIP_BROWSER": "",
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/browser/test_smoke.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    header = run.stdout[: run.stdout.index("collected")]
    assert f"browser tests skipped: {tmp_path / 'no-chromium'} is missing" in header
    assert "2 skipped" in run.stdout and "failed" not in run.stdout and "error" not in run.stdout
