"""Codes that a person reads out or types from paper: a booking's code, an appeal's status code."""

from django.utils.crypto import get_random_string

# Letters and digits that cannot be mistaken for one another (no I/1, O/0).
READABLE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def readable_code(length: int) -> str:
    """`length` random characters of READABLE_ALPHABET in two halves joined by a hyphen
    ("ABCD-EFGH"): easier to read out and to type than one run."""
    raw = get_random_string(length, READABLE_ALPHABET)
    half = length // 2
    return f"{raw[:half]}-{raw[half:]}"
