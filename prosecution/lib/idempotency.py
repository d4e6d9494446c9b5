"""Idempotency keys (docs/security.md 18): a caller that retries a creation sends the key of its
first attempt, and gets the first record back instead of a second one."""

from django.utils.translation import gettext as _

from prosecution.lib.errors import RuleViolation

HEADER = "Idempotency-Key"
MAX_LENGTH = 100  # the key's column (Appeal.idempotency_key)


def clean_key(value: str | None) -> str:
    """The key without surrounding spaces; refused if empty or longer than MAX_LENGTH."""
    key = (value or "").strip()
    if not key or len(key) > MAX_LENGTH:
        raise RuleViolation(
            _("Send an Idempotency-Key header of 1 to 100 characters."), code="idempotency_key"
        )
    return key
