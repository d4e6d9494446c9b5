"""Identifiers of people and organisations in Kazakhstan, validated before anything is stored.

The IIN (individual identification number) and the BIN (business identification number) are both
12 digits whose last digit is a check digit (Law "On national registers of identification numbers";
the same algorithm for both): the weighted sum of the first 11 digits with weights 1..11, modulo
11; if that is 10, again with weights 3..11, 1, 2; if that is 10 too, the number is not valid.
The IIN also begins with the date of birth (YYMMDD) and then a digit for the century and sex.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_FIRST = tuple(range(1, 12))
_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def check_digit(first11: str) -> int | None:
    digits = [int(c) for c in first11]
    for weights in (_FIRST, _SECOND):
        value = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if value != 10:
            return value
    return None


def _twelve_digits(value: str, what: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if not re.fullmatch(r"\d{12}", value):
        raise ValidationError(_("%(what)s is 12 digits.") % {"what": what}, code="format")
    if check_digit(value[:11]) != int(value[11]):
        raise ValidationError(
            _("%(what)s is not valid: its check digit does not match.") % {"what": what},
            code="check_digit",
        )
    return value


def validate_iin(value: str) -> str:
    """The IIN, cleaned, or ValidationError. The century digit 1-6 gives the date of birth, which
    must exist and not lie in the future; 0 (numbers given to some foreign citizens) has none."""
    value = _twelve_digits(value, str(_("The IIN")))
    century = int(value[6])
    if century:
        if century > 6:
            raise ValidationError(_("The IIN is not valid."), code="century")
        year = 1700 + 100 * ((century + 1) // 2) + int(value[:2])  # 1-2: 1800s, 3-4: 1900s ...
        try:
            born = date(year, int(value[2:4]), int(value[4:6]))
        except ValueError:
            raise ValidationError(_("The IIN is not valid."), code="birth_date") from None
        if born > timezone.localdate():
            raise ValidationError(_("The IIN is not valid."), code="birth_date")
    return value


def validate_bin(value: str) -> str:
    """The BIN, cleaned, or ValidationError. Its 5th digit is the kind of entity (4 resident, 5
    non-resident legal entity, 6 individual entrepreneur in joint venture)."""
    value = _twelve_digits(value, str(_("The BIN")))
    if value[4] not in "456":
        raise ValidationError(_("The BIN is not valid."), code="entity_kind")
    return value


def normalize_phone(value: str) -> str:
    """A Kazakhstan mobile number as +7XXXXXXXXXX (8XXXXXXXXXX and 7XXXXXXXXXX are accepted)."""
    digits = re.sub(r"[\s()\-]", "", value or "")
    match = re.fullmatch(r"(?:\+7|8|7)(7\d{9})", digits)
    if not match:
        raise ValidationError(
            _("Enter a mobile number such as +7 701 234 56 78."), code="phone_format"
        )
    return "+7" + match.group(1)
