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


class MarksRequired:
    """A form that marks what must be filled in (issue 13): its labels get the class "required"
    (static/css/app.css draws the mark), and each required field tells assistive technology so.
    Django writes `required` on most fields itself, but not on a select without an empty choice
    (HTML allows `required` there only with a placeholder): a select gets aria-required. (Radio
    buttons may not carry it: their fieldset's legend carries the mark.)"""

    required_css_class = "required"
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required and isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("aria-required", "true")
