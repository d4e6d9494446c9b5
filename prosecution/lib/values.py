"""What every service does with what it is given and what it records: a required text, and the
details of an event made ready for a JSON column (appeals' and checks' histories, the outbox)."""

from typing import Any

from prosecution.lib.errors import RuleViolation


def required(value: str, message: str, article: str = "") -> str:
    """The text without its surrounding blanks; refused (with `message`, citing `article`) when
    nothing is left."""
    value = (value or "").strip()
    if not value:
        raise RuleViolation(message, article=article, code="required")
    return value


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: dates as ISO strings."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}
