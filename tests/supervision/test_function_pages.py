"""Staff pages of analyses, assessments, requests and summonses: the lists in the user's scope,
the record with its term and "why this date", the actions by role, a refusal shown next to its
form with a 400, outside the scope a 404 (Art. 5(2))."""

from datetime import date

import pytest
from django.urls import reverse

from supervision.models import InformationRequest, StudyKind, SummonsState
from tests.check_helpers import VALID_BIN, started
from tests.conftest import last_audit_record, make_staff
from tests.dashboard_terms import on_day
from tests.supervision.function_helpers import FRIDAY, request, study, summoned

pytestmark = pytest.mark.django_db


def _detail(slug: str, record) -> str:
    return reverse("function-detail", kwargs={"slug": slug, "uuid": record.uuid})


@on_day(FRIDAY)
def test_the_list_shows_the_scope_and_filters(cast, client, django_assert_max_num_queries):
    mine = request(cast.a_user, addressee_name="Akimat of Esil")
    request(cast.b_user, addressee_name="Akimat of Saryarka")
    client.force_login(cast.a_user)
    url = reverse("function-list", kwargs={"slug": "information-requests"})
    page = client.get(url).content.decode()
    assert "Akimat of Esil" in page and "Saryarka" not in page
    assert "Akimat of Esil" not in client.get(url + "?state=answered").content.decode()
    client.force_login(cast.region_user)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Esil" in page and "Saryarka" in page
    assert str(mine.uuid) in page


@on_day(FRIDAY)
def test_the_record_shows_its_term_and_why_this_date_art_26_3(cast, client):
    sent = request(cast.a_user)
    client.force_login(cast.a_user)
    page = client.get(_detail("information-requests", sent)).content.decode()
    assert "30.03.2026" in page  # three working days over Nauryz
    assert "Why this date" in page or "Почему" in page or "Неге" in page
    assert 'data-testid="action-answer"' in page
    assert 'data-testid="action-withdraw"' not in page  # leadership only


@on_day(FRIDAY)
def test_outside_the_scope_is_404_art_5_2(cast, client):
    sent = request(cast.a_user)
    client.force_login(cast.b_user)
    assert client.get(_detail("information-requests", sent)).status_code == 404
    action = reverse(
        "function-action",
        kwargs={"slug": "information-requests", "uuid": sent.uuid, "action": "answer"},
    )
    assert client.post(action, {"answer-answer": "x"}).status_code == 404
    # An analysis is not found under the assessments' address either.
    analysis = study(cast.a_user, cast.a_user, kind=StudyKind.ANALYSIS)
    client.force_login(cast.a_user)
    assert client.get(_detail("assessments", analysis)).status_code == 404
    assert client.get(_detail("analyses", analysis)).status_code == 200


@on_day(FRIDAY)
def test_two_working_days_are_refused_on_the_form_with_a_400_art_26_3(cast, client):
    client.force_login(cast.a_user)
    url = reverse("function-new", kwargs={"slug": "information-requests"})
    values = {
        "matter": "Tariffs",
        "addressee_kind": "body",
        "addressee_name": "Akimat",
        "addressee_number": VALID_BIN,
        "requested": "The decisions",
        "sent_on": "2026-03-20",
        "due": "2026-03-27",
    }
    response = client.post(url, values)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not InformationRequest.objects.exists()
    response = client.post(url, {**values, "due": "2026-03-30"})
    assert response.status_code == 302
    assert InformationRequest.objects.count() == 1


def test_a_refused_forced_delivery_is_shown_with_its_article_art_26_14(cast, client):
    head = make_staff("head_pages", cast.district_a, "head")
    with on_day(FRIDAY):
        s = summoned(cast.a_user, birth_date=date(2013, 1, 1), person_iin="")
    with on_day(date(2026, 3, 30)):
        client.force_login(cast.a_user)
        appearance = reverse(
            "function-action",
            kwargs={"slug": "summonses", "uuid": s.uuid, "action": "appearance"},
        )
        assert client.post(appearance, {"appearance-outcome": "not_appeared"}).status_code == 302
        page = client.get(_detail("summonses", s)).content.decode()
        assert 'data-testid="action-force"' not in page  # a prosecutor does not decide it
        client.force_login(head)
        force = reverse(
            "function-action", kwargs={"slug": "summonses", "uuid": s.uuid, "action": "force"}
        )
        response = client.post(
            force,
            {
                "force-deliver_at": "2026-03-31T10:00",
                "force-reason": "Absent",
                "force-executing_body": "Police",
                "force-legal_representative_told": "on",
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert 'data-testid="deliveries"' in page and "Art. 26(14)" in page
    s.refresh_from_db()
    assert s.state == SummonsState.NOT_APPEARED


def test_a_classified_read_is_audited(cast, client):
    cleared = make_staff("cleared_pages", cast.district_a, has_clearance=True)
    with on_day(FRIDAY):
        sent = request(cleared, is_classified=True)
        client.force_login(cleared)
        assert client.get(_detail("information-requests", sent)).status_code == 200
    record = last_audit_record("classified.read")
    assert record.details["ids"] == [sent.pk]
    client.force_login(cast.a_user)  # no clearance: not found
    with on_day(FRIDAY):
        assert client.get(_detail("information-requests", sent)).status_code == 404


def test_the_check_page_links_its_requests_and_summonses(cc, client):
    with on_day(date(2025, 3, 4)):
        check = started(cc)
        request(cc.inspector, legality_check=check, sent_on=date(2025, 3, 4), due=date(2025, 3, 7))
        client.force_login(cc.inspector)
        page = client.get(reverse("check-detail", args=[check.uuid])).content.decode()
    assert 'data-testid="check-functions"' in page
    assert f"?check={check.uuid}" in page and "Akimat of Esil district" in page


@on_day(FRIDAY)
@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("district_a", True),
        ("region", True),
        ("gpo", True),
        ("district_b", False),
        ("inactive", False),
        ("anonymous", False),
    ],
)
def test_who_sees_a_summons_art_5_2(cast, client, who, seen):
    s = summoned(cast.a_user)
    user = cast.users()[who]
    if user is not None:
        client.force_login(user)
    response = client.get(_detail("summonses", s))
    if seen:
        assert response.status_code == 200 and s.person_name in response.content.decode()
    else:
        assert response.status_code in (302, 404)
        assert s.person_name not in response.content.decode()


@on_day(FRIDAY)
def test_a_request_made_from_an_analysis_is_linked_to_it_art_26_3(cast, client):
    analysis = study(cast.a_user, cast.a_user)
    client.force_login(cast.a_user)
    page = client.get(_detail("analyses", analysis)).content.decode()
    assert f"?study={analysis.uuid}" in page
    url = reverse("function-new", kwargs={"slug": "information-requests"})
    values = {
        "matter": "Tariffs",
        "addressee_kind": "body",
        "addressee_name": "Antimonopoly department",
        "addressee_number": VALID_BIN,
        "requested": "Complaints of 2025",
        "sent_on": "2026-03-20",
        "due": "2026-03-30",
    }
    assert client.post(f"{url}?study={analysis.uuid}", values).status_code == 302
    sent = InformationRequest.objects.get()
    assert sent.study == analysis
    assert "Antimonopoly department" in client.get(_detail("analyses", analysis)).content.decode()
    client.force_login(cast.b_user)  # a study out of scope: not found
    assert client.get(f"{url}?study={analysis.uuid}").status_code == 404
