"""Helpers of the appeals tests: a head of district A and one call that registers an appeal."""

from datetime import date

from django.db import transaction

from appeals import services
from appeals.models import AppealLanguage, Channel

RECEIVED = date(2026, 11, 2)  # a Monday; no day off in November 2026
CITIZEN_IIN = "900101300126"  # check digit worked out by hand in tests/test_citizen_guards.py


def citizen(**extra) -> services.ApplicantData:
    data = {
        "iin": CITIZEN_IIN,
        "last_name": "Абаев",
        "first_name": "Ерлан",
        "email": "erlan@mail.kz",
        "phone": "+7 701 111 22 33",
    }
    data.update(extra)
    return services.ApplicantData(**data)


def register(cast, *, by=None, office=None, applicants=None, **extra):
    """An appeal received in district A on Monday 2 November 2026, in Russian, by its clerk."""
    fields = {
        "office": office or cast.district_a,
        "channel": Channel.WRITTEN,
        "received_on": RECEIVED,
        "language": AppealLanguage.RU,
        "summary": "Невыплата заработной платы",
        "text": "Работодатель три месяца не выплачивает зарплату.",
        "applicants": [citizen()] if applicants is None else applicants,
        "by": by or cast.a_user,
    }
    fields.update(extra)
    with transaction.atomic():
        return services.register_appeal(**fields)
