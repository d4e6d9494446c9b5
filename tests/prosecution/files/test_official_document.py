"""The official document (templates/documents/official.html): the letterhead, register number,
date, addressee, the statute in words, the signatory's position and class rank and the QR code,
each in the document's language (kk, ru, en), in the text layer a reader searches."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from prosecution.files.documents import render_pdf
from prosecution.models import ClassRank, Office, Position, StaffProfile
from tests.pdf_helpers import flat, read

KAZAKH_LETTERS = "әғқңөұүһі"
QR_URL = "https://prokuror.example.kz/acts/0d5c0f4e-1111-4222-8333-944455556666/"


def context() -> dict:
    """Nothing saved: rendering reads no database."""
    office = Office(
        code="R-AKMOLA",
        name_kk="Ақмола облысының прокуратурасы",
        name_ru="Прокуратура Акмолинской области",
        name_en="Prosecutor's Office of Akmola Region",
    )
    user = get_user_model()(username="kurmangali", first_name="Нұрлан", last_name="Құрманғали")
    rank = ClassRank(
        code="senior_counsellor",
        seniority=4,
        name_kk="аға әділет кеңесшісі",
        name_ru="старший советник юстиции",
        name_en="Senior Counsellor of Justice",
    )
    StaffProfile(user=user, office=office, position=Position.HEAD, class_rank=rank)
    return {
        "office": office,
        "reference_number": "2-15-26/17",
        "date": date(2026, 3, 12),
        "title": "Protest",
        "addressee_lines": [f"Әкімдік ({KAZAKH_LETTERS})", "БСН 990140000385"],
        "statute": "Art. 33(3)",
        "signatory": user,
        "qr_url": QR_URL,
    }


@pytest.mark.parametrize(
    ("language", "office", "statute", "position", "rank"),
    [
        (
            "kk",
            "АҚМОЛА ОБЛЫСЫНЫҢ ПРОКУРАТУРАСЫ",
            "«Прокуратура туралы» Қазақстан Республикасы Конституциялық заңының 33-бабының "
            "3-тармағы",
            "Прокуратура органының басшысы",
            "аға әділет кеңесшісі",
        ),
        (
            "ru",
            "ПРОКУРАТУРА АКМОЛИНСКОЙ ОБЛАСТИ",
            "пункт 3 статьи 33 Конституционного закона Республики Казахстан «О прокуратуре»",
            "Руководитель органа прокуратуры",
            "старший советник юстиции",
        ),
        (
            "en",
            "PROSECUTOR'S OFFICE OF AKMOLA REGION",
            "paragraph 3 of Article 33 of the Constitutional Law of the Republic of Kazakhstan "
            "«On the Prosecutor's Office»",
            "Head of office",
            "Senior Counsellor of Justice",
        ),
    ],
    ids=["kk", "ru", "en"],
)
def test_the_document_speaks_its_language(language, office, statute, position, rank):
    pdf = render_pdf("documents/official.html", context(), language=language)
    content = flat(pdf)

    assert office in content
    assert "2-15-26/17" in content and "12.03.2026" in content
    assert f"Әкімдік ({KAZAKH_LETTERS})" in content and "990140000385" in content
    assert statute in content
    assert position in content and rank in content
    # The signatory's name in the document's script (prosecution/lib/names.py).
    assert ("Nurlan Kurmangali" if language == "en" else "Нұрлан Құрманғали") in content
    assert QR_URL in content


def test_the_qr_code_is_drawn_into_the_page_without_fetching_anything(monkeypatch):
    """The QR code is a data: URL (prosecution/files/qr.py): WeasyPrint draws its SVG as vectors,
    the fetcher is asked for nothing but the bundled CSS and fonts."""
    fetched = []
    from prosecution.files.documents import StaticOnlyFetcher  # the class whose calls we count

    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url.split(":", 1)[0])
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    with_qr = render_pdf("documents/official.html", context(), language="en")
    without = render_pdf("documents/official.html", {**context(), "qr_url": ""}, language="en")

    assert set(fetched) == {"file", "data"}
    # The drawing: the page with a code holds many more path operations than without it.
    drawn = read(with_qr).pages[0].get_contents().get_data()
    plain = read(without).pages[0].get_contents().get_data()
    assert len(drawn) > len(plain) + 2000
