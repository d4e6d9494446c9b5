"""What a reader meets is in their language (issue 13, point 6, beside the messages of the term
engine): the legal source of a day off, and the names of the demo officials who sign letters in
Kazakh and Russian."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from prosecution import workdays
from prosecution.notices import channels
from prosecution.seed.demo import head_name

pytestmark = pytest.mark.django_db

# 16 December 2026 (Wednesday) and 17 December (Thursday): Independence Day, Law "On holidays in
# the Republic of Kazakhstan" Art. 1; a working-day term across them skips both.
SOURCES = {
    "kk": "«Қазақстан Республикасындағы мерекелер туралы» Заң, 1-бап",
    "ru": "Закон «О праздниках в Республике Казахстан», ст. 1",
    "en": 'Law "On holidays in the Republic of Kazakhstan" Art. 1',
}


@pytest.mark.parametrize("language", sorted(SOURCES))
def test_the_legal_source_of_a_day_off_is_in_the_readers_language(language):
    with translation.override(language):
        why = workdays.explain(date(2026, 12, 14), 5)
    sources = {day.legal_source for day in why.skipped if day.legal_source}
    assert sources and all(source.startswith(SOURCES[language]) for source in sources), sources


def _cyrillic(text: str) -> bool:
    return all(not c.isalpha() or "\u0400" <= c <= "\u04ff" for c in text)


def test_the_demo_officials_sign_with_cyrillic_names(settings, tmp_path):
    from django.core.management import call_command

    settings.SMS_FILE_DIR = tmp_path / "sms"
    channels.sms_gateway.cache_clear()  # built once per process, for the directory of its time
    call_command("seed_demo", verbosity=0)
    channels.sms_gateway.cache_clear()
    staff = (
        get_user_model().objects.filter(username__startswith="demo.").exclude(username="demo.admin")
    )
    names = [f"{u.first_name} {u.last_name}" for u in staff]
    assert names and all(_cyrillic(name) for name in names), names
    heads = [n for u, n in zip(staff, names, strict=True) if u.username.endswith(".head")]
    assert len(set(heads)) == len(heads)


def test_the_demo_heads_are_men_and_women_each_named_once():
    names = [head_name(n) for n in range(128)]
    assert len(set(names)) == 128
