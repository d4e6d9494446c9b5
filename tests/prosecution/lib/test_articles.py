"""An article as the reader's language cites it (prosecution/lib/articles.py): the short form of
pages and messages, and the form in words of official documents, down to a subparagraph
(Art. 32(1)(3): organisational acts)."""

import pytest
from django.utils import translation

from prosecution.lib.articles import article_in_words, article_label


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("en", "Art. 24(4)", "Art. 24(4)"),
        ("ru", "Art. 24(4)", "п. 4 ст. 24"),
        ("kk", "Art. 24(4)", "24-баптың 4-тармағы"),
        ("en", "Art. 32(1)(3)", "Art. 32(1)(3)"),
        ("ru", "Art. 32(1)(3)", "пп. 3 п. 1 ст. 32"),
        ("kk", "Art. 32(1)(3)", "32-баптың 1-тармағының 3-тармақшасы"),
        ("ru", "", ""),
    ],
)
def test_the_short_form(language, code, expected):
    with translation.override(language):
        assert article_label(code) == expected


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        (
            "en",
            "Art. 33",
            "Article 33 of the Constitutional Law of the Republic of Kazakhstan "
            "«On the Prosecutor's Office»",
        ),
        (
            "ru",
            "Art. 36(2)",
            "пункт 2 статьи 36 Конституционного закона Республики Казахстан «О прокуратуре»",
        ),
        (
            "kk",
            "Art. 32(1)(3)",
            "«Прокуратура туралы» Қазақстан Республикасы Конституциялық заңының "
            "32-бабының 1-тармағының 3-тармақшасы",
        ),
        (
            "ru",
            "Art. 32(1)(3)",
            "подпункт 3 пункта 1 статьи 32 Конституционного закона Республики Казахстан "
            "«О прокуратуре»",
        ),
    ],
)
def test_the_form_in_words_of_a_document(language, code, expected):
    with translation.override(language):
        assert article_in_words(code) == expected


def test_another_citation_is_translated_as_it_is():
    with translation.override("ru"):
        assert article_in_words("Labour Code, Art. 85") == "Labour Code, Art. 85"
        assert article_in_words("") == ""
