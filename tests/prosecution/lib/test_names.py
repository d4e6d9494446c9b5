"""People's names in the reader's script (prosecution/lib/names.py): Cyrillic as stored, Latin
letters on English pages and letters (issue 13)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from prosecution.lib.names import latin, shown_name


@pytest.mark.parametrize(
    ("cyrillic", "latin_form"),
    [
        ("Данияр Сейітқали", "Daniyar Seyitkali"),
        ("Айгүл Нұрланова", "Aygul Nurlanova"),
        ("Ерлан Тоқаев", "Erlan Tokaev"),
        ("Мәдина Омарова", "Madina Omarova"),
        ("Щукин Юрий", "Shchukin Yuriy"),
        ("Әлиева-Ким Жанар", "Alieva-Kim Zhanar"),
        ("Smith John", "Smith John"),  # already Latin: unchanged
    ],
)
def test_a_cyrillic_name_reads_in_latin_letters(cyrillic, latin_form):
    assert latin(cyrillic) == latin_form


def test_the_name_follows_the_language_of_the_page():
    person = get_user_model()(username="demo.x", first_name="Данияр", last_name="Сейітқали")
    with translation.override("en"):
        assert shown_name(person) == "Daniyar Seyitkali"
    for language in ("kk", "ru"):
        with translation.override(language):
            assert shown_name(person) == "Данияр Сейітқали"
    nameless = get_user_model()(username="clerk.7")
    with translation.override("en"):
        assert shown_name(nameless) == "clerk.7" and shown_name(None) == ""
