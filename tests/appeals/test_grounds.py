"""The grounds the law names: Art. 24(1)'s seven sub-items, in the law's order and numbers, and
the two grounds of an extension (Art. 24(4)) named beside its reasoned decision."""

import importlib
from datetime import date

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from appeals import services
from appeals.models import AppealEvent, AppealEventKind, ExtensionGround, Ground
from prosecution.lib.errors import RuleViolation
from tests.appeal_helpers import register

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("appeals.migrations.0009_grounds_in_law_order")


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False), translation.override("kk"):
        yield


def _assigned(cast, head_a):
    appeal, _code = register(cast)
    with transaction.atomic():
        return services.assign_appeal(appeal, by=head_a, executor=cast.a_user)


def test_the_grounds_of_art_24_1_are_the_laws_seven_sub_items_in_its_order():
    """Art. 24(1): 1) people who cannot protect themselves, minors, an unlimited range of persons;
    2) rights not protected by the competent body or none; 3) private business; 4) constitutional
    order, national security; 5) harm to life and health; 6) the President; 7) the Prosecutor
    General. The value is the sub-item's number, and the label begins with it."""
    translation.activate("en")
    assert Ground.values == ["1", "2", "3", "4", "5", "6", "7"]
    for value, label in Ground.choices:
        assert str(label).startswith(f"{value}) ")
    assert "unlimited range" in Ground("1").label and "minors" in Ground("1").label
    assert "competent body" in Ground("2").label
    assert "private business" in Ground("3").label
    assert "national security" in Ground("4").label
    assert "life and health" in Ground("5").label
    assert "President" in Ground("6").label and "Prosecutor General" not in Ground("6").label
    assert "Prosecutor General" in Ground("7").label and "President" not in Ground("7").label


def test_the_labels_read_in_russian_and_kazakh():
    grounds = [*Ground, *ExtensionGround]
    with translation.override("en"):
        english = [str(ground.label) for ground in grounds]
    for language in ("ru", "kk"):
        with translation.override(language):
            translated = [str(ground.label) for ground in grounds]
        assert not set(translated) & set(english), language


def test_the_migration_moves_stored_grounds_to_the_laws_numbers(cast, head_a):
    """Art. 24(1): the old list's 2 (an unlimited range of persons) is the law's 1, its 3 the law's
    2 … its 6 the law's 5; the history's recorded grounds move with them; and back."""
    stored = {}
    for old in ("1", "2", "3", "4", "5", "6", "7"):
        appeal, _code = register(cast)
        services.record_ground(appeal, by=cast.a_user, ground=old)
        stored[old] = appeal
    unrecorded, _code = register(cast)

    MIGRATION.forward(django_apps, None)
    law = {"1": "1", "2": "1", "3": "2", "4": "3", "5": "4", "6": "5", "7": "7"}
    for old, appeal in stored.items():
        appeal.refresh_from_db()
        event = appeal.events.get(kind=AppealEventKind.GROUND)
        assert appeal.ground == law[old] and event.data["ground"] == law[old], old
    unrecorded.refresh_from_db()
    assert unrecorded.ground == ""

    MIGRATION.backward(django_apps, None)
    back = {"1": "1", "2": "1", "3": "3", "4": "4", "5": "5", "6": "6", "7": "7"}
    for old, appeal in stored.items():
        appeal.refresh_from_db()
        assert appeal.ground == back[old], old


def test_an_extension_names_its_statutory_ground(cast, head_a):
    """Art. 24(4): the term is extended when factual circumstances must be established or
    information obtained from other bodies, and for no other reason: the decision names which."""
    appeal = _assigned(cast, head_a)
    for missing in ("", "volume"):
        with pytest.raises(RuleViolation) as refused:
            services.extend_appeal_term(
                appeal, by=head_a, until=date(2026, 12, 15), ground=missing, reason="Много работы"
            )
        assert refused.value.article == "Art. 24(4)"
    with transaction.atomic():
        services.extend_appeal_term(
            appeal,
            by=head_a,
            until=date(2026, 12, 15),
            ground=ExtensionGround.OTHER_BODIES,
            reason="Запрошены сведения у акимата",
        )
    event = AppealEvent.objects.get(appeal=appeal, kind=AppealEventKind.EXTENDED)
    assert event.data["extension_ground"] == "other_bodies"
    assert event.note == "Запрошены сведения у акимата"


def test_the_history_shows_the_extensions_ground_in_the_readers_language(cast, head_a, client):
    """Art. 24(4), on the staff page: the ground beside the reasoned decision."""
    appeal = _assigned(cast, head_a)
    client.force_login(head_a)
    refused = client.post(
        reverse("appeal-act", args=[appeal.uuid, "extend"]),
        {"until": "2026-12-15", "reason": "Экспертиза"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400 and 'id="id_extend_ground_0"' in refused.content.decode()
    done = client.post(
        reverse("appeal-act", args=[appeal.uuid, "extend"]),
        {"until": "2026-12-15", "ground": "facts", "reason": "Экспертиза"},
    )
    assert done.status_code == 302
    page = client.get(
        reverse("appeal-detail", args=[appeal.uuid]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert 'data-testid="extension-ground">Основание (п. 4 ст. 24): ' in page
    with translation.override("ru"):
        assert str(ExtensionGround.FACTS.label) in page


def test_the_api_takes_the_extensions_ground_and_refuses_an_extension_without_one(
    cast, head_a, client
):
    """Art. 24(4), through the API: the ground is a field of the request; the event keeps it."""
    appeal = _assigned(cast, head_a)
    client.force_login(head_a)
    url = f"/api/v1/appeals/{appeal.uuid}/extend/"
    data = {"until": "2026-12-10", "reason": "Запрошены сведения из акимата"}
    missing = client.post(url, data, content_type="application/json")
    assert missing.status_code == 400 and "ground" in missing.json()["error"]["fields"]
    done = client.post(url, {**data, "ground": "facts"}, content_type="application/json")
    assert done.status_code == 200, done.content
    events = client.get(f"/api/v1/appeals/{appeal.uuid}/").json()["timeline"]
    extended = [e for e in events if e["kind"] == "extended"]
    assert extended[0]["data"]["extension_ground"] == "facts"
