"""Browser tests: pytest-playwright driving Debian's Chromium (playwright cannot download its own
browsers here). Playwright's sync API runs an event loop in this thread, so Django's guard against
ORM calls from async code has to be told that these tests are synchronous."""

import os

import pytest

from tests.conftest import CHROMIUM, NO_BROWSER


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(NO_BROWSER)  # tests/conftest.py skips them first: only a race gets here
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _sync_tests_under_playwright():
    """Set for the rest of the session: the database is flushed after the test, when function-
    scoped fixtures are already gone (tests/prosecution/test_deployment.py keeps it out of its
    subprocesses)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(autouse=True)
def _reference_data(_sync_tests_under_playwright, reference_data):
    """The reference data, reseeded (tests/conftest.py)."""
