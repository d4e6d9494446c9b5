"""The change against the year before as a report writes it (legal_statistics/templatetags/
report_numbers.py): signed, in the reader's number format, a dash where there is no base."""

from django.utils import translation

from legal_statistics.templatetags.report_numbers import change


def test_growth_carries_its_sign_a_fall_its_minus_and_nothing_a_dash():
    with translation.override("en"):
        assert change(26.0) == "+26.0"
        assert change(-12.0) == "-12.0"
        assert change(0.0) == "0.0"
        assert change(None) == "—"
    with translation.override("ru"):
        assert change(276.0) == "+276,0"
