"""Helpers of the appeals tests: a head of district A and one call that registers an appeal."""

from datetime import date

from django.db import transaction

from appeals import services
from appeals.models import AppealLanguage, Channel

RECEIVED = date(2026, 11, 2)  # a Monday; no day off in November 2026
# The check digit is worked out by hand in tests/prosecution/public/test_citizen_guards.py.
CITIZEN_IIN = "900101300126"


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


def ready_letter(cast):
    """An appeal of district A decided by its head, with its answer letter really built."""
    from django.contrib.auth import get_user_model

    from appeals import letters
    from appeals.services.answer import current_letter
    from prosecution.models import Position
    from tests.conftest import make_staff

    head = get_user_model().objects.filter(username="head_letter").first() or make_staff(
        "head_letter", cast.district_a, Position.HEAD
    )
    appeal, _code = register(cast)
    with transaction.atomic():
        services.assign_appeal(appeal, by=head, executor=cast.a_user)
        services.decide_appeal(
            appeal,
            by=head,
            outcome="explained",
            answer_text="Разъяснено право на обращение в суд.",
            legislation="Трудовой кодекс РК, ст. 113",
        )
    letter = current_letter(appeal)
    assert letters.build(letter.pk) == "ready"
    letter.refresh_from_db()
    return letter


def stored_attachment(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from appeals.services.files import attach_files

    appeal, _code = register(cast)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with transaction.atomic():
        (attachment,) = attach_files(
            appeal,
            by=cast.a_user,
            files=[SimpleUploadedFile("Справка.pdf", pdf, content_type="application/pdf")],
        )
    return attachment
