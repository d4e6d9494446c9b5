"""Staff pages of acts (acts/views/staff.py): the list in scope with its filters, the act with its
clocks and the actions of the viewer's role, refusals answered 400 with the form bound."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from acts.models import Act, ActKind, ActState
from tests.act_helpers import complaint_against, delivered, drafted, signed

# On Monday 2 November 2026, the day the acts are delivered (tests/acts/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


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


def test_a_draft_is_corrected_on_its_page(ac, client):
    act = drafted(ac)
    client.force_login(ac.prosecutor)
    url = reverse("act-correct", args=[act.uuid])
    assert client.get(url).status_code == 200
    data = {
        "kind": "submission",
        "addressee_kind": "body",
        "addressee_name": "Akimat of Kokshetau",
        "addressee_number": "120540012342",
        "basis_kind": "other",
        "basis_text": "Monitoring",
        "demand": "A narrower demand",
    }
    assert client.post(url, data).status_code == 302
    act.refresh_from_db()
    assert act.demand == "A narrower demand"
    signed_act = signed(ac)
    assert client.get(reverse("act-correct", args=[signed_act.uuid])).status_code == 404


def test_a_complaint_is_linked_from_the_act_and_its_page_links_back_art_43_2(ac, cast, client):
    act = delivered(ac, ActKind.PROTEST)
    complaint = complaint_against(ac, "The district's protest")
    client.force_login(ac.regional_head)
    response = client.post(
        reverse("act-action", args=[act.uuid, "complaint"]),
        {"complaint-appeal": complaint.reference},
    )
    assert response.status_code == 302
    page = client.get(reverse("appeal-detail", args=[complaint.uuid])).content.decode()
    assert 'data-testid="complained-act-link"' in page
    page = client.get(reverse("act-detail", args=[act.uuid])).content.decode()
    assert complaint.reference in page
    act.refresh_from_db()
    assert act.state == ActState.DELIVERED  # Art. 43(2): not suspended


def test_the_check_page_links_the_acts_on_it_that_the_viewer_may_see(ac, cc, client):
    """Art. 19(2): the acts of response hang from the check they rest on; a classified one only
    for the cleared (docs/rules.md "Secrecy"), like every record."""
    from acts.models import BasisKind
    from tests.check_helpers import started

    check = started(cc, on=date(2026, 10, 1))
    plain = drafted(ac, basis_kind=BasisKind.CHECK, basis_check=check)
    secret = drafted(ac, basis_kind=BasisKind.CHECK, basis_check=check)
    Act.objects.filter(pk=secret.pk).update(is_classified=True)

    page = _get(client, cc.other_inspector, reverse("check-detail", args=[check.uuid]))
    content = page.content.decode()
    assert reverse("act-detail", args=[plain.uuid]) in content
    assert reverse("act-detail", args=[secret.uuid]) not in content
