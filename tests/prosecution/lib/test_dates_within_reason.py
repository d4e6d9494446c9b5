"""docs/security.md 26, issue 14: one rule for every date a person or a program enters
(prosecution/lib/dates.py). Not before the start of the records (2000-01-01, a setting), not
after 2100, and not in the future for the day something happened. Every date field of every form,
serializer and admin form carries the rule; the doors that let year 1 through are tested by
behaviour."""

import importlib
import pkgutil
from datetime import date, timedelta

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from appeals.models import Appeal
from prosecution.lib import dates

pytestmark = pytest.mark.django_db

PACKAGES = ("prosecution", "appeals", "legal_statistics", "acts", "supervision")


def _import_everything():
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations" in module.name or module.name.endswith(("wsgi", "asgi", "celery")):
                continue
            importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in PACKAGES


def _carries_the_rule(field) -> bool:
    return any(isinstance(v, dates.WithinReason) for v in field.validators)


DATE_FORM_FIELDS = (forms.DateField, forms.DateTimeField)
DATE_SERIALIZER_FIELDS = (serializers.DateField, serializers.DateTimeField)


def test_every_date_field_of_every_form_carries_the_rule():
    _import_everything()
    checked, missing = 0, []
    for form in {c for c in _subclasses(forms.BaseForm) if _ours(c)}:
        for name, field in form.base_fields.items():
            if isinstance(field, DATE_FORM_FIELDS) and not field.disabled:
                checked += 1
                if not _carries_the_rule(field):
                    missing.append(f"{form.__module__}.{form.__name__}.{name}")
    assert missing == [], "\n".join(sorted(missing))
    assert checked >= 11  # the appeal's dates, the schedule's, the day called off


# Serializers that only shape answers: nothing a client sends goes through them. Every other
# serializer, a new one included, is checked.
ANSWERS = {
    "AppealDetailSerializer",
    "AppealSerializer",
    "BookingSerializer",
    "CancelledDaySerializer",
    "DashboardSerializer",
    "EarlierAppealSerializer",
    "ExplainedDaySerializer",
    "FiguresSerializer",
    "HeldSerializer",
    "PeriodSerializer",  # a report's period as the answer names it (legal_statistics/report_api.py)
    "PublicBookingSerializer",
    "PublicScheduleSerializer",
    "ScheduleSerializer",
    "SlotSerializer",
    "TermDetailSerializer",
    "TermEventSerializer",
    "TermResultSerializer",
    "TermSerializer",
    "WeekSerializer",
}


def test_every_date_field_of_every_serializer_carries_the_rule():
    _import_everything()
    checked, missing = 0, []
    for serializer in {c for c in _subclasses(serializers.Serializer) if _ours(c)}:
        if serializer.__name__ in ANSWERS:
            continue
        if issubclass(serializer, serializers.ModelSerializer) and not hasattr(serializer, "Meta"):
            continue  # an abstract base: its fields are checked in the subclasses that use it
        for name, field in serializer().fields.items():
            if isinstance(field, DATE_SERIALIZER_FIELDS) and not field.read_only:
                checked += 1
                if not _carries_the_rule(field):
                    missing.append(f"{serializer.__module__}.{serializer.__name__}.{name}")
    assert missing == [], "\n".join(sorted(missing))
    assert checked >= 25


def test_every_date_field_of_the_administration_carries_the_rule(cast):
    _import_everything()
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("root", password=None)
    checked, missing = 0, []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_change_permission(request) and not model_admin.has_add_permission(
            request
        ):
            continue
        form = model_admin.get_form(request)
        for name, field in form.base_fields.items():
            if isinstance(field, DATE_FORM_FIELDS):
                checked += 1
                if not _carries_the_rule(field):
                    missing.append(f"{model.__name__}.{name}")
    assert missing == [], "\n".join(sorted(missing))
    assert checked >= 2  # a day of the calendar, a clearance's expiry


# The rule itself --------------------------------------------------------------------------------


def test_the_floor_is_the_start_of_the_records_and_a_setting(settings):
    with pytest.raises(ValidationError) as error:
        dates.PLANNED(date(1999, 12, 31))
    assert error.value.code == "date_floor"
    dates.PLANNED(date(2000, 1, 1))
    settings.RECORDS_START = date(2010, 1, 1)
    with pytest.raises(ValidationError):
        dates.PLANNED(date(2009, 12, 31))


def test_the_ceiling_keeps_the_arithmetic_of_terms_inside_the_calendar():
    dates.PLANNED(date(2100, 12, 31))
    with pytest.raises(ValidationError) as error:
        dates.PLANNED(date(9999, 12, 31))
    assert error.value.code == "date_ceiling"


def test_a_day_something_happened_is_today_at_the_latest():
    today = timezone.localdate()
    dates.HAPPENED(today)
    dates.PLANNED(today + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        dates.HAPPENED(today + timedelta(days=1))
    assert error.value.code == "date_future"


# The doors that let year 1 through (issue 14) ---------------------------------------------------


@pytest.fixture
def api(cast, client):
    token = Token.objects.create(user=cast.a_user).key
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client


def test_an_appeal_received_in_year_one_is_refused_by_the_api(api):
    """Art. 24(3): receipt is day 0 of the term; a receipt before the records began registered a
    missed, escalated appeal."""
    body = {
        "office": "R-AKMOLA-D1",
        "received_on": "0001-01-01",
        "language": "ru",
        "summary": "Жалоба",
        "text": "Текст",
        "is_anonymous": True,
        "reports_offence_or_threat": True,
    }
    answer = api.post(
        "/api/v1/appeals/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert answer.status_code == 400
    assert "received_on" in answer.json()["error"]["fields"]
    assert not Appeal.objects.exists()


def test_a_typo_in_the_year_of_receipt_on_the_staff_form_is_refused(cast, client):
    client.force_login(cast.a_user)
    page = client.post(
        "/appeals/new/",
        {
            "office": cast.district_a.pk,
            "kind": "appeal",
            "channel": "written",
            "received_on": "0206-12-01",
            "language": "ru",
            "summary": "Жалоба",
            "text": "Текст",
            "last_name": "Абаев",
            "first_name": "Ерлан",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code in (200, 400)
    assert "The date cannot be before" in page.content.decode()
    assert not Appeal.objects.exists()


def test_a_check_appointed_in_year_one_is_refused(api, cast, head_a):
    from django.db import transaction

    from appeals import services
    from tests.appeal_helpers import register

    appeal, _code = register(cast)
    with transaction.atomic():
        services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    answer = api.post(
        f"/api/v1/appeals/{appeal.uuid}/appoint-check/",
        {"reference": "CH-1", "interim_reply": "Назначена проверка.", "on": "0001-01-01"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "on" in answer.json()["error"]["fields"]
    appeal.refresh_from_db()
    assert appeal.check_appointed_on is None


def test_a_dashboard_filter_before_the_records_is_refused(api):
    answer = api.get("/api/v1/dashboard/?due_from=0001-01-01")
    assert answer.status_code == 400
    assert "due_from" in answer.json()["error"]["fields"]


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "0001-01-01T00:00+14:00", "9999-12-31T23:59"])
def test_a_slot_named_out_of_the_calendar_leads_back_to_the_schedule(cast, client, at):
    from tests.reception_helpers import appointment, leader

    schedule = appointment(leader(cast.region, "akmola_head"))
    answer = client.get(f"/reception/official/{schedule.uuid}/book/", {"at": at})
    assert answer.status_code == 302


def test_a_deadline_filter_before_the_records_is_refused(api):
    answer = api.get("/api/v1/deadlines/?due_after=0001-01-01")
    assert answer.status_code == 400
    assert "due_after" in answer.json()["error"]["fields"]


def test_the_day_list_of_a_day_out_of_reason_shows_today(cast, client):
    client.force_login(cast.a_user)
    answer = client.get("/reception/staff/day/", {"day": "0001-01-01"})
    assert answer.status_code == 200
    assert answer.context["day"] == timezone.localdate()
