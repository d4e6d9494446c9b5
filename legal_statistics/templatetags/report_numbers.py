"""How a report writes a change against the year before: with its sign, as a board reads "grew by
+26 %" and "fell by -12 %" (issue 17), and in the reader's number format (floatformat)."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def change(value: float | None) -> str:
    """+276,0 / -100,0 / 0,0; an em dash where there is no change to tell (no base)."""
    if value is None:
        return "—"
    written = floatformat(value, 1)
    return f"+{written}" if value > 0 else written
