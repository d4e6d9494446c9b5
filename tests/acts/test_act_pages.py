"""Staff pages of acts (acts/views/staff.py): the list in scope with its filters, the act with its
clocks and the actions of the viewer's role, refusals answered 400 with the form bound."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from acts.models import Act, ActKind, ActState
from tests.act_helpers import ActCast, delivered, drafted, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def ac(cast):
    return ActCast(cast)


@pytest.fixture(autouse=True)
def _monday_2_november():
    with time_machine.travel("2026-11-02 09:00 +05:00", tick=False):
        yield


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_list_shows_the_acts_in_scope_only(ac, cast, client):
    act = signed(ac)
    own = _get(client, cast.a_user, reverse("act-list")).content.decode()
    assert act.register_number in own
    above = _get(client, ac.regional_head, reverse("act-list")).content.decode()
    assert act.register_number in above
    other = _get(client, cast.b_user, reverse("act-list")).content.decode()
    assert 'data-testid="no-acts"' in other


def test_the_list_filters_by_kind_state_and_lateness(ac, client):
    protest = delivered(ac, ActKind.PROTEST)
    submission = signed(ac)
    page = _get(client, ac.prosecutor, reverse("act-list") + "?kind=protest").content.decode()
    assert protest.register_number in page and submission.register_number not in page
    page = _get(client, ac.prosecutor, reverse("act-list") + "?state=signed").content.decode()
    assert submission.register_number in page and protest.register_number not in page
    with time_machine.travel("2026-11-20 09:00 +05:00", tick=False):  # the protest's 10 days over
        page = _get(client, ac.prosecutor, reverse("act-list") + "?late=on").content.decode()
    assert protest.register_number in page and submission.register_number not in page


def test_an_act_out_of_scope_is_404(ac, cast, client):
    act = signed(ac)
    for who in (cast.b_user, cast.other_user):
        assert _get(client, who, reverse("act-detail", args=[act.uuid])).status_code == 404
    client.force_login(cast.b_user)
    url = reverse("act-action", args=[act.uuid, "deliver"])
    assert client.post(url, {"deliver-on": "2026-11-02"}).status_code == 404


def test_the_act_page_shows_its_clock_and_why_this_date_art_33_3(ac, client):
    act = delivered(ac, ActKind.PROTEST)
    page = _get(client, ac.prosecutor, reverse("act-detail", args=[act.uuid])).content.decode()
    assert 'data-testid="act-terms"' in page and "12.11.2026" in page
    assert 'data-testid="action-decide"' in page
    assert 'data-testid="action-superior"' not in page
    page = _get(client, ac.regional_head, reverse("act-detail", args=[act.uuid])).content.decode()
    assert 'data-testid="action-superior"' in page


def test_a_draft_is_made_on_the_page_and_a_day_off_is_named(ac, client):
    client.force_login(ac.prosecutor)
    data = {
        "kind": "submission",
        "addressee_kind": "body",
        "addressee_name": "Akimat",
        "addressee_number": "120540012342",
        "basis_kind": "other",
        "basis_text": "Monitoring",
        "term_set_until": "2026-11-07",  # a Saturday
        "urgency_reason": "Roof",
    }
    response = client.post(reverse("act-new"), data)
    assert response.status_code == 400
    assert "07.11.2026" in response.content.decode()
    data["term_set_until"] = "2026-11-10"
    response = client.post(reverse("act-new"), data)
    assert response.status_code == 302
    assert Act.objects.get().urgency_reason == "Roof"


def test_a_refused_action_answers_400_with_the_article_art_40(ac, client):
    act = drafted(ac, ActKind.PUBLIC_APPEAL)
    client.force_login(ac.prosecutor)
    response = client.post(
        reverse("act-action", args=[act.uuid, "sign"]), {"sign-on": "2026-11-02"}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    act.refresh_from_db()
    assert act.state == ActState.DRAFT


def test_the_signatory_signs_and_delivers_from_the_page(ac, client):
    act = drafted(ac)
    client.force_login(ac.prosecutor)
    for action in ("sign", "deliver"):
        url = reverse("act-action", args=[act.uuid, action])
        assert client.post(url, {f"{action}-on": "2026-11-02"}).status_code == 302
    act.refresh_from_db()
    assert act.state == ActState.DELIVERED and act.limitation_suspended_on == date(2026, 11, 2)


def test_a_rejected_act_offers_a_claim_to_court_art_39_2(ac, client):
    from acts import services

    act = delivered(ac, ActKind.PROTEST)
    services.decide_act(
        act, by=ac.prosecutor, outcome="rejected", decision="No", on=date(2026, 11, 2)
    )
    page = _get(client, ac.prosecutor, reverse("act-detail", args=[act.uuid])).content.decode()
    assert 'data-testid="action-claim"' in page
    response = client.post(
        reverse("act-action", args=[act.uuid, "claim"]),
        {"claim-court": "Court No. 2", "claim-demand": "Declare illegal"},
    )
    claim = Act.objects.get(kind=ActKind.CLAIM)
    assert response.status_code == 302 and response["Location"].endswith(f"{claim.uuid}/")


def test_the_list_is_read_in_a_fixed_number_of_queries(ac, client, django_assert_max_num_queries):
    for _ in range(5):
        signed(ac)
    client.force_login(ac.prosecutor)
    client.get(reverse("act-list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("act-list")).status_code == 200


def test_the_demo_has_acts_of_every_kind_in_every_state(db):
    from acts.demo import seed_demo_acts
    from prosecution.seed.demo import seed_demo
    from supervision.demo import seed_demo_checks

    seed_demo()
    seed_demo_checks()
    made = seed_demo_acts()
    assert made >= len(ActKind.values)
    assert seed_demo_acts() == 0  # idempotent
    assert set(Act.objects.values_list("kind", flat=True)) == set(ActKind.values)
    assert set(Act.objects.values_list("state", flat=True)) == set(ActState.values)
    from acts import selectors
    from acts.models import ActEventKind

    assert selectors.acts_in_scope(
        Act.objects.first().drafted_by, selectors.ActFilters(late=True)
    ).exists()
    assert Act.objects.filter(events__kind=ActEventKind.CANCELLED).count() == 1
    # One published (Art. 42, acts/publication.py), nothing classified among the published.
    assert Act.objects.filter(published_at__isnull=False, is_classified=False).count() == 1
