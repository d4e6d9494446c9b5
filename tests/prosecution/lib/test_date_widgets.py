"""Every date a form shows goes to the browser as an ISO date (issue 13): `<input type="date">`
reads nothing else, and Django wrote the value in the language's format (06.12.2026 in Russian and
Kazakh), so the field came up empty and a clerk's first registration failed with "required" on
the date received. Every form of the project with a date is rendered in kk, ru and en."""

import importlib
from datetime import date

import pytest
import time_machine
from django import forms
from django.urls import reverse
from django.utils import translation

from prosecution.models import Position
from tests.conftest import make_staff

LANGUAGES = ("kk", "ru", "en")
FORM_MODULES = ("appeals.forms", "appeals.reception.forms", "prosecution.accounts.views")
DAY = date(2026, 12, 6)


def _project_forms() -> list[type[forms.BaseForm]]:
    for module in FORM_MODULES:
        importlib.import_module(module)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(("appeals.", "prosecution.", "legal_statistics.")):
            found.append(cls)
    return found


def _date_fields():
    return [
        pytest.param(form, name, id=f"{form.__name__}.{name}")
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField) and not field.widget.is_hidden
    ]


def test_the_forms_with_dates_are_found():
    assert len(_date_fields()) >= 10


@pytest.mark.parametrize(("form", "name"), _date_fields())
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_date_field_renders_a_date_picker_with_an_iso_value(form, name, language):
    widget = form.base_fields[name].widget
    with translation.override(language):
        html = widget.render(name, DAY)
    assert 'type="date"' in html and 'value="2026-12-06"' in html, html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_registration_form_opens_with_today_as_the_date_received(client, cast, language):
    clerk = make_staff("clerk_dates", cast.district_a, Position.HEAD, language=language)
    client.cookies["django_language"] = language
    with time_machine.travel("2026-12-06 10:00 +05:00", tick=False):
        client.force_login(clerk)
        html = client.get(reverse("appeal-register"), HTTP_ACCEPT_LANGUAGE=language)
    html = html.content.decode()
    assert 'name="received_on" value="2026-12-06"' in html
    assert "06.12.2026" not in html.split('name="received_on"')[1].split(">")[0]
