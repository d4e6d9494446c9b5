"""Form widgets shared by the apps."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A browser's date picker (`<input type="date">`) reads and writes only ISO dates
    (YYYY-MM-DD), whatever the page's language. Django's DateInput writes the value in the
    language's first input format (06.12.2026 in Russian and Kazakh), which the browser cannot
    read: the field came up empty, and a clerk's registration failed with "required" on the date
    received (issue 13). The value is always ISO here; what the person sees is the browser's
    rendering of it in their locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
