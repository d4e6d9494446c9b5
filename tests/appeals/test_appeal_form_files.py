"""The public appeal form and a file it refuses (issue 13; docs/security.md 14): a file too large or
not what its name says is named next to the field, in the citizen's language, and nothing they
typed is lost; the page says the files must be chosen again (a browser never sends a file back)
and shows the limits before anything is sent. It answered 500 and lost everything."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appeals.models import OnlineFiling
from prosecution.models import ConfirmationCode
from tests.appeal_helpers import CITIZEN_IIN

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _form(cast, *files) -> dict:
    return {
        "office": cast.district_a.pk,
        "last_name": "Абаев",
        "first_name": "Ерлан",
        "iin": CITIZEN_IIN,
        "email": "erlan@mail.kz",
        "confirm_by": "email",
        "language": "ru",
        "summary": "Невыплата заработной платы",
        "text": "Работодатель третий месяц не выплачивает заработную плату.",
        "files": list(files),
    }


def _sent(client, cast, *files, language="ru"):
    client.cookies["django_language"] = language
    page = client.post(reverse("file-appeal"), _form(cast, *files), HTTP_ACCEPT_LANGUAGE=language)
    return page, page.content.decode()


def _kept_everything_typed(html: str) -> bool:
    return (
        'value="Абаев"' in html
        and f'value="{CITIZEN_IIN}"' in html
        and "Работодатель третий месяц не выплачивает заработную плату." in html
        and 'data-testid="files-lost"' in html
    )


def test_a_program_named_pdf_is_refused_next_to_the_field_and_nothing_typed_is_lost(cast, client):
    program = SimpleUploadedFile("справка.pdf", b"MZ\x90\x00" + b"\x00" * 2000)
    page, html = _sent(client, cast, program)
    assert page.status_code == 200
    assert 'id="id_files-error"' in html and "справка.pdf:" in html
    assert _kept_everything_typed(html)
    assert "Выберите файлы ещё раз" in html
    assert not OnlineFiling.objects.exists() and not ConfirmationCode.objects.exists()


def test_a_file_over_the_limit_is_refused_with_the_limit_and_a_good_one_is_not_stored(
    cast, client, settings, tmp_path
):
    settings.PRIVATE_FILES_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (2 * 1024 * 1024))
    good = SimpleUploadedFile("letter.pdf", PDF)
    page, html = _sent(client, cast, good, big, language="kk")
    assert page.status_code == 200 and "scan.pdf:" in html and "letter.pdf:" not in html
    assert _kept_everything_typed(html)
    assert not OnlineFiling.objects.exists() and not any(tmp_path.rglob("*.pdf"))


def test_too_many_files_are_refused_next_to_the_field(cast, client, settings):
    settings.UPLOAD_MAX_FILES = 1
    page, html = _sent(client, cast, *(SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(2)))
    assert page.status_code == 200 and 'id="id_files-error"' in html
    assert _kept_everything_typed(html)


@pytest.mark.parametrize(
    ("language", "limit"),
    [("kk", "әрқайсысы 10 МБ"), ("ru", "не более 10 МБ каждый"), ("en", "at most 10 MB each")],
)
def test_the_form_says_the_limits_before_anything_is_sent(client, cast, language, limit):
    client.cookies["django_language"] = language
    html = client.get(reverse("file-appeal"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert limit in html
