"""Publication of acts (Art. 42; acts/publication.py, acts/public_views.py): the prosecutor decides
after a preview that is exactly what the public reads; personal data redacted; only acts on
violations of rights; never a classified act, nor a draft; the public pages need no sign-in, speak
kk/ru/en and are rate-limited like the other public doors."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from acts import public_views, publication
from acts.models import Act, ActState, AddresseeKind
from prosecution.lib.errors import RuleViolation
from prosecution.models import Position, StaffProfile
from tests.act_documents_helpers import signed_act
from tests.conftest import last_audit_record, make_staff

IIN = "900101300017"


@pytest.fixture
def person_act(cast):
    """An act to a person: their name and address are personal data."""
    return signed_act(
        cast,
        addressee_kind=AddresseeKind.PERSON,
        addressee_name="Иванова Анна Сергеевна",
        addressee_number=IIN,
        addressee_address="г. Кокшетау, ул. Абая, д. 5, кв. 12",
        violation=(
            "Ивановой А.С. (ИИН 900101300017, тел. +7 701 234 56 78) не выплачено пособие; "
            "нарушено право на социальное обеспечение."
        ),
    )


def test_the_preview_is_exactly_what_is_published_art_42(cast, person_act):
    shown = publication.public_text(person_act)
    act = publication.publish_act(person_act, by=person_act.signatory, on_violation_of_rights=True)

    assert (act.public_addressee, act.public_violation, act.public_demand) == (
        shown.addressee,
        shown.violation,
        shown.demand,
    )
    for secret in ("Иванов", "Анна", IIN, "701 234"):
        assert secret not in act.public_addressee + act.public_violation, secret
    assert "нарушено право на социальное обеспечение" in act.public_violation
    assert {f.kind for f in shown.findings} >= {"name", "identifier", "phone"}
    record = last_audit_record("act.published")
    assert record.target_id == str(act.pk)


def test_a_classified_act_is_never_published_art_42(cast):
    act = signed_act(cast, is_classified=True)
    StaffProfile.objects.filter(user=act.signatory).update(has_clearance=True)  # may read it
    with pytest.raises(RuleViolation) as refused:
        publication.publish_act(act, by=act.signatory, on_violation_of_rights=True)
    assert refused.value.article == "Art. 42" and refused.value.code == "classified"


def test_the_database_refuses_a_published_classified_act_art_42(cast):
    act = signed_act(cast, is_classified=True, on_violation_of_rights=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Act.objects.filter(pk=act.pk).update(
            published_at=timezone.now(), published_by=act.signatory
        )


def test_the_database_refuses_an_act_not_on_rights_or_a_draft_art_42(cast):
    act = signed_act(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Act.objects.filter(pk=act.pk).update(
            published_at=timezone.now(), published_by=act.signatory
        )


def test_only_an_act_on_a_violation_of_rights_is_published_art_42(cast):
    act = signed_act(cast)
    with pytest.raises(RuleViolation) as refused:
        publication.publish_act(act, by=act.signatory, on_violation_of_rights=False)
    assert refused.value.code == "not_on_rights"


def test_a_draft_is_not_published_art_42(cast):
    act = signed_act(cast, state=ActState.DRAFT, number=None, year=None, signed_on=None)
    with pytest.raises(RuleViolation) as refused:
        publication.publish_act(act, by=act.signatory, on_violation_of_rights=True)
    assert refused.value.code == "draft"


def test_the_prosecutor_decides_not_a_colleague_art_42(cast):
    act = signed_act(cast)
    colleague = make_staff("colleague", cast.district_a)
    head = make_staff("head", cast.district_a, Position.HEAD)
    with pytest.raises(RuleViolation):
        publication.publish_act(act, by=colleague, on_violation_of_rights=True)
    with pytest.raises(RuleViolation):
        publication.publish_act(act, by=cast.b_user, on_violation_of_rights=True)
    assert publication.publish_act(act, by=head, on_violation_of_rights=True).published_at


def test_the_preview_page_shows_the_public_text_and_publishes(client, cast, person_act):
    client.force_login(person_act.signatory)
    url = reverse("act_documents:publication", args=[person_act.uuid])

    page = client.get(url).content.decode()
    assert "Иванова Анна Сергеевна" not in page.split('data-testid="redacted"')[0]
    assert IIN in page.split('data-testid="redacted"')[1]  # listed as taken out

    client.post(url, {"on_rights": "1"})
    person_act.refresh_from_db()
    assert person_act.published_at is not None

    client.force_login(cast.b_user)  # a sibling district: not found
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("language", "heading"),
    [("kk", "Жарияланған актілер"), ("ru", "Опубликованные акты"), ("en", "Published acts")],
)
def test_the_public_pages_show_only_published_redacted_acts(
    client, cast, person_act, language, heading
):
    publication.publish_act(person_act, by=person_act.signatory, on_violation_of_rights=True)
    hidden = signed_act(cast, number=18, addressee_name="Не опубликованный адресат")
    client.cookies["django_language"] = language

    listing = client.get(reverse("acts_public:list"), HTTP_ACCEPT_LANGUAGE=language)
    assert listing.status_code == 200
    text = listing.content.decode()
    assert heading in text
    assert person_act.register_number in text and hidden.register_number not in text
    detail = client.get(reverse("acts_public:detail", args=[person_act.uuid])).content.decode()
    for secret in ("Иванов", IIN, "Абая"):
        assert secret not in detail
    assert "нарушено право на социальное обеспечение" in detail
    assert client.get(reverse("acts_public:detail", args=[hidden.uuid])).status_code == 404


def test_the_public_page_keeps_what_was_published_not_the_live_text(client, cast, person_act):
    publication.publish_act(person_act, by=person_act.signatory, on_violation_of_rights=True)
    Act.objects.filter(pk=person_act.pk).update(violation="Новый текст, ИИН 900101300017")

    detail = client.get(reverse("acts_public:detail", args=[person_act.uuid])).content.decode()
    assert "Новый текст" not in detail and IIN not in detail


def test_withdrawn_from_publication_the_act_leaves_the_public_page(client, cast, person_act):
    publication.publish_act(person_act, by=person_act.signatory, on_violation_of_rights=True)
    publication.withdraw_publication(person_act, by=person_act.signatory)

    assert client.get(reverse("acts_public:detail", args=[person_act.uuid])).status_code == 404


def test_the_public_pages_are_rate_limited_per_address(client, cast, monkeypatch):
    """docs/security.md 17: the atomic counter of the other public doors."""
    monkeypatch.setattr(public_views, "READ_LIMIT", 2)
    url = reverse("acts_public:list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
