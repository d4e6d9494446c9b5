"""Staff pages of legality checks and the register's queue: the list in scope, the check with its
term and the actions of the viewer's role, the officer's queue and decisions."""

from datetime import date

import pytest
from django.urls import reverse

from legal_statistics.models import RegistrationState
from supervision import services as checks
from supervision.models import Check, CheckState, SubjectKind
from tests.check_helpers import VALID_BIN, appointed, registered, started
from tests.html_helpers import labels_without_field, repeated_ids

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_list_shows_the_checks_in_scope_only(cc, cast, client):
    check = appointed(cc)
    own = _get(client, cast.a_user, reverse("check-list")).content.decode()
    assert check.resolution_number in own
    other = _get(client, cast.other_user, reverse("check-list")).content.decode()
    assert 'data-testid="no-checks"' in other


def test_the_list_filters_by_state(cc, cast, client):
    appointed(cc, resolution_number="DRAFT-1")
    registered(cc, resolution_number="REG-1")
    page = _get(client, cc.head, reverse("check-list") + "?state=registered").content.decode()
    assert "REG-1" in page and "DRAFT-1" not in page


def test_a_check_out_of_scope_is_404(cc, cast, client):
    check = appointed(cc)
    page = _get(client, cast.b_user, reverse("check-detail", args=[check.uuid]))
    assert page.status_code == 404


def test_the_check_page_offers_each_role_its_actions(cc, client):
    check = registered(cc)
    page = _get(client, cc.inspector, reverse("check-detail", args=[check.uuid])).content.decode()
    assert 'data-testid="action-start"' in page and 'data-testid="action-cancel"' not in page
    page = _get(client, cc.head, reverse("check-detail", args=[check.uuid])).content.decode()
    assert 'data-testid="action-start"' not in page and 'data-testid="action-cancel"' in page


def test_the_inspector_starts_and_suspends_the_check_from_its_page(cc, client):
    check = registered(cc)
    client.force_login(cc.inspector)
    url = reverse("check-action", args=[check.uuid, "start"])
    response = client.post(url, {"start-on": "2025-03-03"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.state == CheckState.RUNNING
    page = client.get(reverse("check-detail", args=[check.uuid])).content.decode()
    assert 'data-testid="check-term"' in page
    # A refusal comes back next to the form, with its article.
    url = reverse("check-action", args=[check.uuid, "suspend"])
    response = client.post(
        url,
        {"suspend-cause": "expert_examination", "suspend-reason": "x", "suspend-on": "2024-01-01"},
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_a_head_appoints_a_check_from_the_form(cc, client):
    client.force_login(cc.head)
    response = client.post(
        reverse("check-appoint"),
        {
            "resolution_number": "15-01/99",
            "resolution_date": "2025-03-03",
            "ground": "minors",
            "subject_kind": SubjectKind.ORGANISATION,
            "subject_number": VALID_BIN,
            "subject_name": "School No. 5",
            "subject_address": "Kokshetau",
            "subject_matter": "Meals",
            "period_from": "2024-09-01",
            "period_to": "2025-02-28",
            "inspectors": [cc.inspector.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_a_prosecutor_cannot_open_the_appointment_form_art_18_1(cc, client):
    assert _get(client, cc.inspector, reverse("check-appoint")).status_code == 404


def test_the_officer_registers_from_the_queue(cc, client):
    check = appointed(cc)
    entry = checks.send_for_registration(check, by=cc.head)
    page = _get(client, cc.officer, reverse("register-queue")).content.decode()
    assert check.resolution_number in page
    response = client.post(reverse("register-decide", args=[entry.uuid, "register"]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == RegistrationState.REGISTERED
    page = client.get(reverse("register-queue")).content.decode()
    assert 'data-testid="queue-empty"' in page


def test_a_prosecutor_cannot_register_from_the_queue(cc, client):
    entry = checks.send_for_registration(appointed(cc), by=cc.head)
    client.force_login(cc.inspector)
    client.post(reverse("register-decide", args=[entry.uuid, "register"]))
    entry.refresh_from_db()
    assert entry.state == RegistrationState.PENDING


def test_the_check_list_counts_its_queries(cc, client, django_assert_max_num_queries):
    for n in range(5):
        started(cc, resolution_number=f"Q-{n}", on=date(2025, 3, 3))
    client.force_login(cc.head)
    client.get(reverse("check-list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("check-list"))


def test_the_demo_has_checks_in_every_state_and_a_queue_for_demo_statistics(db, client):
    from django.contrib.auth import get_user_model

    from legal_statistics import register
    from prosecution.seed.demo import seed_demo
    from supervision.demo import seed_demo_checks

    seed_demo()
    assert seed_demo_checks() == 11
    assert seed_demo_checks() == 0  # idempotent
    states = set(Check.objects.values_list("state", flat=True))
    assert states == set(CheckState.values) - {CheckState.DRAFT}
    officer = get_user_model().objects.get(username="demo.statistics")
    assert register.register_queue(officer).count() == 2


def test_reading_a_classified_check_is_audited(cc, client):
    from tests.conftest import last_audit_record

    for user in (cc.head, cc.inspector):
        profile = user.staff_profile
        profile.has_clearance = True
        profile.save()
    check = appointed(cc, is_classified=True)
    assert _get(client, cc.head, reverse("check-detail", args=[check.uuid])).status_code == 200
    record = last_audit_record("classified.read")
    assert (record.details["where"], record.details["ids"]) == ("check_page", [check.pk])


def test_the_head_corrects_a_refused_resolution_on_its_page(cc, client):
    from legal_statistics import services as register

    check = appointed(cc)
    entry = checks.send_for_registration(check, by=cc.head)
    register.refuse_registration(entry, by=cc.officer, reason="Wrong period")
    page = _get(client, cc.head, reverse("check-detail", args=[check.uuid])).content.decode()
    assert 'data-testid="correct-resolution"' in page
    form = client.get(reverse("check-correct", args=[check.uuid]))
    assert form.status_code == 200 and check.subject_name in form.content.decode()
    assert (
        _get(client, cc.inspector, reverse("check-correct", args=[check.uuid])).status_code == 404
    )


def test_every_field_of_the_check_page_has_an_id_of_its_own(cc, client):
    """Issue 13, point 7: one id per field, so that each label points to its own field."""
    check = started(cc)
    page = _get(client, cc.head, reverse("check-detail", args=[check.uuid])).content.decode()
    assert page.count('name="cancel-reason"') == 1 and "<label" in page
    assert repeated_ids(page) == {} and labels_without_field(page) == []
