"""The cast around acts (tests/act_helpers.py) and the day they are delivered."""

import pytest
import time_machine

from tests.act_helpers import ActCast


@pytest.fixture
def ac(cast):
    return ActCast(cast)


@pytest.fixture
def clock():
    """Monday 2 November 2026, the day the acts are delivered; a test moves on as it goes."""
    with time_machine.travel("2026-11-02 09:00 +05:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def key(tmp_path, settings):
    """The development signer's key in the test's own folder (prosecution/files/signing.py)."""
    settings.DOCUMENT_SIGNING_KEY_FILE = tmp_path / "key.pem"
