"""Registration numbers of appeals: unique per office and year, without gaps
(prosecution/lib/numbering.py)."""

from appeals.models import RegistrationCounter
from prosecution.lib import numbering
from prosecution.models import Office


def next_number(office: Office, year: int) -> int:
    """The next number of `office` in `year`. Must run inside the registration's transaction."""
    return numbering.take(RegistrationCounter, office=office, year=year)


def reference(office: Office, year: int, number: int) -> str:
    return f"{office.code}/{year}/{number:05d}"
