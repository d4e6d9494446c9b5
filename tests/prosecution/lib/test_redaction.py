"""Personal data out of a text before publication (Art. 42; prosecution/lib/redaction.py): IINs and
BINs, phone numbers, e-mails, addresses and the names the record knows, in Kazakh, Russian and
English, and the list of what was taken out for the prosecutor's preview."""

import pytest
from django.utils import translation

from prosecution.lib.redaction import redact

IIN = "900101300017"


def kinds(result):
    return [f.kind for f in result.findings]


def test_russian_text_art_42():
    text = (
        f"Гражданка Иванова Анна Сергеевна (ИИН {IIN}), проживающая по адресу ул. Абая, д. 5, "
        "кв. 12, тел. +7 701 234 56 78, e-mail anna.iv@mail.kz, обратилась с жалобой. "
        "Ивановой А.С. отказано в выплате пособия по ст. 33 Закона."
    )
    with translation.override("ru"):
        result = redact(text, names=["Иванова Анна Сергеевна"])

    for secret in (IIN, "Абая", "701 234", "anna.iv@", "Иванов", "Анн", "Сергеевн"):
        assert secret not in result.text, secret
    # The law and the rest of the sentence stay: the public reads what the violation was.
    assert "отказано в выплате пособия по ст. 33 Закона" in result.text
    assert set(kinds(result)) == {"name", "identifier", "address", "phone", "email"}
    assert "ул. Абая, д. 5, кв. 12" in [f.text for f in result.findings]


def test_kazakh_text_with_case_endings_and_initials_art_42():
    text = (
        "Сейтқали Әлихан Ғалымұлының өтініші бойынша тексеру жүргізілді. "
        "Сейтқалиға Ә. Ғ. жәрдемақы төленбеген. Мекенжайы: Абай көшесі, 12-үй, 5-пәтер. "
        f"ЖСН {IIN}, телефоны 8 (701) 234-56-78."
    )
    with translation.override("kk"):
        result = redact(text, names=["Сейтқали Әлихан Ғалымұлы"])

    for secret in ("Сейтқали", "Әлихан", "Ғалымұл", "Абай", IIN, "234-56-78"):
        assert secret not in result.text, secret
    assert "жәрдемақы төленбеген" in result.text
    assert "Ә. Ғ." not in result.text


def test_english_text_and_a_known_address_art_42():
    text = (
        "Mr John Smith of 12 Abai Street, apt. 5 was refused a benefit; his employer "
        "(BIN 990140000385) did not pay. Contact: j.smith@example.com, +77012345678. "
        "The office at Kunaev 8 answered Smith."
    )
    with translation.override("en"):
        result = redact(text, names=["John Smith"], addresses=["Kunaev 8"])

    assert result.text == (
        "Mr [name] of [address] was refused a benefit; his employer "
        "(BIN [IIN/BIN]) did not pay. Contact: [e-mail], [phone]. "
        "The office at [address] answered [name]."
    )
    assert [f.text for f in result.findings][:2] == ["John Smith", "12 Abai Street, apt. 5"]


def test_the_findings_are_where_the_text_had_them():
    text = f"ИИН {IIN}; ИИН {IIN}."
    result = redact(text)

    assert [(f.start, f.end) for f in result.findings] == [(4, 16), (22, 34)]
    assert all(text[f.start : f.end] == f.text for f in result.findings)


@pytest.mark.parametrize(
    "text",
    [
        "Статья 33(3) Конституционного закона, срок 10 календарных дней, 2026 год.",
        "Тіркеу нөмірі 2-15-26/1234, 12.03.2026.",
        "Register number 2026/17 of 12.03.2026; Art. 36(2).",
        "Сумма 1 250 000 тенге; 15 человек.",
    ],
)
def test_text_without_personal_data_is_left_as_it_is(text):
    result = redact(text, names=["Иванова Анна"])
    assert result.text == text
    assert result.findings == []


def test_a_short_word_of_a_name_is_not_hunted_everywhere():
    """Two-letter words (Ли, Ан) would take half the text with them; the record's full name still
    goes."""
    result = redact("Ли Ан подал жалобу; ан — не имя.", names=["Ли Ан"])
    assert result.text == "Ли Ан подал жалобу; ан — не имя."
