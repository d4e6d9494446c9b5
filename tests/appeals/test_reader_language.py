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
    # The demo citizens of the receptions too; their e-mail addresses in Latin letters.
    from appeals.models import Booking

    citizens = Booking.objects.exclude(last_name="")
    assert citizens and all(_cyrillic(f"{b.last_name} {b.first_name}") for b in citizens)
    assert all(b.email.isascii() for b in citizens)
    # And the demo's own terms, which name citizens in their labels.
    from prosecution.models import Term

    labels = list(
        Term.objects.filter(start_event="demo data").values_list("subject_label", flat=True)
    )
    assert labels and all(_cyrillic(label.replace(".", "")) for label in labels), labels[:6]


def test_a_page_in_english_shows_an_officials_name_in_latin_letters(cast, client):
    """Issue 13: "Данияр Сейітқали" in Cyrillic on Kazakh and Russian pages; on an English one,
    in Latin letters (prosecution/lib/names.py)."""
    from django.urls import reverse

    cast.a_user.first_name, cast.a_user.last_name = "Данияр", "Сейітқали"
    cast.a_user.save()
    client.force_login(cast.a_user)
    for language, name in (("en", "Daniyar Seyitkali"), ("ru", "Данияр Сейітқали")):
        client.cookies["django_language"] = language
        html = client.get(reverse("my-work")).content.decode()
        assert f'data-testid="current-user">{name}<' in html, language


def test_the_appeals_executor_and_history_name_people_in_the_readers_script(cast, head_a, client):
    """Issue 13: the list, the appeal's executor and who acted in its history, in Latin letters
    on an English page, as stored on a Russian one."""
    from django.db import transaction
    from django.urls import reverse

    from appeals import services
    from tests.appeal_helpers import register

    cast.a_user.first_name, cast.a_user.last_name = "Данияр", "Сейітқали"
    cast.a_user.save()
    appeal, _code = register(cast)
    with transaction.atomic():
        services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    client.force_login(cast.a_user)
    for language, name in (("en", "Daniyar Seyitkali"), ("ru", "Данияр Сейітқали")):
        client.cookies["django_language"] = language
        detail = client.get(reverse("appeal-detail", args=[appeal.uuid])).content.decode()
        listed = client.get(reverse("appeal-list")).content.decode()
        other = "Данияр" if language == "en" else "Daniyar"
        assert name in detail and other not in detail, language
        assert name in listed and other not in listed, language


def test_the_demo_heads_are_men_and_women_each_named_once():
    names = [head_name(n) for n in range(128)]
    assert len(set(names)) == 128


def test_the_bell_shows_a_notice_in_the_language_of_the_page(cast, client):
    """A notice delivered in Kazakh (the person's language then) reads in Russian on a Russian
    page, and in Kazakh again on a Kazakh one; what was delivered is kept as it was."""
    from prosecution.models import Notice, NoticeChannel, TermKind
    from prosecution.notices import outbox
    from prosecution.terms import engine as terms

    subject = get_user_model().objects.create(username="subject-bell")
    terms.open_term(
        subject=subject,
        kind=TermKind.SET_BY_PROSECUTOR,
        office=cast.district_a,
        start_date=date(2026, 11, 10),
        start_event="instruction",
        responsible=cast.a_user,
        set_due=date(2026, 12, 1),
        label="Запрос в акимат № 7",
    )
    terms.mark_missed(date(2026, 12, 2))
    notice = Notice.objects.get(recipient=cast.a_user, channel=NoticeChannel.IN_APP)
    Notice.objects.filter(pk=notice.pk).update(language="kk")
    assert outbox.deliver(notice.pk) == "sent"
    notice.refresh_from_db()
    russian, _body = outbox.render(notice, language="ru")
    assert russian != notice.title
    client.force_login(cast.a_user)
    client.cookies["django_language"] = "ru"
    html = client.get("/notices/").content.decode()
    assert russian in html and notice.title not in html
    client.cookies["django_language"] = "kk"
    kazakh = client.get("/notices/").content.decode()
    assert notice.title in kazakh
    notice.refresh_from_db()
    assert outbox.render(notice)[0] == notice.title  # the stored one: what was delivered


@pytest.mark.parametrize(
    ("language", "seat"), [("kk", "Көкшетау"), ("ru", "Кокшетау"), ("en", "Kokshetau")]
)
def test_an_offices_seat_is_named_in_the_readers_language(cast, client, language, seat):
    """The reference data writes a region's seat into the address in English ("Kokshetau" under
    a Russian letterhead); the reader sees it in their language. A typed address stays as typed."""
    from django.urls import reverse

    from prosecution.models import Office

    assert cast.region.address == "Kokshetau"
    with translation.override(language):
        assert cast.region.place == seat
        assert Office(address="ул. Абая, 1").place == "ул. Абая, 1"
    client.force_login(cast.region_user)
    client.cookies["django_language"] = language
    html = client.get(reverse("office-page", args=[cast.region.uuid])).content.decode()
    assert seat in html
    if language != "en":
        assert "Kokshetau" not in html


def test_the_history_names_a_choice_in_the_readers_language(cast, client):
    """A clerk working in Kazakh registers a written appeal: the history's note (the channel)
    reads in the language of whoever reads it, not of the clerk."""
    from django.urls import reverse

    from appeals.models import AppealEventKind, Channel
    from tests.appeal_helpers import register

    with translation.override("kk"):
        appeal, _code = register(cast)
    event = appeal.events.get(kind=AppealEventKind.REGISTERED)
    with translation.override("kk"):
        kazakh = str(Channel.WRITTEN.label)
    with translation.override("ru"):
        russian = str(Channel.WRITTEN.label)
        assert event.shown_note == russian != kazakh == event.note
    client.force_login(cast.a_user)
    client.cookies["django_language"] = "ru"
    html = client.get(reverse("appeal-detail", args=[appeal.uuid])).content.decode()
    history = html.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert russian in history and kazakh not in history


def test_the_apis_history_names_a_choice_in_the_readers_language(cast, client):
    """As the page (above): the API's timeline serves the note in the request's language, where
    it served the note as the clerk's language wrote it."""
    from appeals.models import Channel
    from tests.appeal_helpers import register

    with translation.override("kk"):
        appeal, _code = register(cast)
        kazakh = str(Channel.WRITTEN.label)
    with translation.override("ru"):
        russian = str(Channel.WRITTEN.label)
    client.force_login(cast.a_user)
    answer = client.get(f"/api/v1/appeals/{appeal.uuid}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    registered = next(e for e in answer["timeline"] if e["kind"] == "registered")
    assert registered["note"] == russian != kazakh


def test_a_letter_in_english_is_signed_in_latin_letters(cast):
    """The signatory's name in the letter's language: Cyrillic in a Russian letter, Latin letters
    in an English one (issue 13)."""
    from django.template.loader import render_to_string

    from appeals.letters import context_for
    from tests.appeal_helpers import ready_letter

    letter = ready_letter(cast)
    head = letter.appeal.decided_by
    head.first_name, head.last_name = "Айгүл", "Нұрланова"
    head.save()
    for language, name in (("en", "Aygul Nurlanova"), ("ru", "Айгүл Нұрланова")):
        with translation.override(language):
            html = render_to_string("appeals/answer_letter.html", context_for(letter))
        assert f'<span class="signatory-name">{name}</span>' in html, language
