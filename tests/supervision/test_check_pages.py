"""Staff pages of legality checks and the register's queue: the list in scope, the check with its
term and the actions of the viewer's role, the officer's queue and decisions."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

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
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_an_invalid_action_form_comes_back_as_400_with_its_errors(cc, client):
    """The bound form's own errors (a missing reason, a bad date) are shown, not dropped."""
    check = started(cc)
    client.force_login(cc.inspector)
    url = reverse("check-action", args=[check.uuid, "suspend"])
    response = client.post(url, {"suspend-cause": "expert_examination", "suspend-on": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="action-suspend"' in page
    assert page.count('class="error"') >= 2  # the reason and the date, next to their fields
    check.refresh_from_db()
    assert check.state == CheckState.RUNNING


def _completed(cc, client, **extra):
    check = started(cc)
    client.force_login(cc.inspector)
    data = {
        "complete-result": "Tariffs checked.",
        "complete-violations": "Tariff above the approved one.",
        "complete-violations_count": "1",
        "complete-on": "2025-03-20",
        **extra,
    }
    response = client.post(reverse("check-action", args=[check.uuid, "complete"]), data)
    check.refresh_from_db()
    return check, response


def test_the_inspector_completes_the_check_with_its_violations_art_19_2(cc, client):
    """Art. 19(2): the result and the violations found, with their number."""
    check, response = _completed(cc, client)
    assert response.status_code == 302
    assert check.state == CheckState.COMPLETED
    assert (check.violations_count, check.violations) == (1, "Tariff above the approved one.")
    page = client.get(reverse("check-detail", args=[check.uuid])).content.decode()
    assert (
        'data-testid="certificate-kk"' in page and 'data-testid="action-hand_certificate"' in page
    )


def test_violations_without_their_number_are_refused_art_19_2(cc, client):
    check, response = _completed(cc, client, **{"complete-violations_count": "0"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert check.state == CheckState.RUNNING


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", "Тексеру нәтижелері"),
        ("ru", "Справка о результатах"),
        ("en", "Certificate of the results"),
    ],
)
def test_the_certificate_of_results_is_a_pdf_in_three_languages_art_19_2(
    cc, client, language, words
):
    import io

    from pypdf import PdfReader

    from tests.conftest import last_audit_record

    check, _response = _completed(cc, client)
    response = client.get(reverse("check-certificate", args=[check.uuid, language]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert words.lower() in " ".join(text.split()).lower()
    assert "Tariff above the approved one." in text
    record = last_audit_record("check.certificate_read")
    assert record.details["language"] == language


def test_no_certificate_before_completion_nor_out_of_scope(cc, cast, client):
    check = started(cc)
    url = reverse("check-certificate", args=[check.uuid, "ru"])
    assert _get(client, cc.inspector, url).status_code == 404
    checks.complete_check(check, by=cc.inspector, result="R", on=date(2025, 3, 20))
    assert _get(client, cast.b_user, url).status_code == 404
    assert _get(client, cc.inspector, url).status_code == 200


def test_a_classified_certificate_is_for_the_cleared_only(cc, client):
    from tests.conftest import last_audit_record

    for user in (cc.head, cc.inspector, cc.officer):
        profile = user.staff_profile
        profile.has_clearance = True
        profile.save()
    check = started(cc, is_classified=True)
    checks.complete_check(check, by=cc.inspector, result="R", on=date(2025, 3, 20))
    url = reverse("check-certificate", args=[check.uuid, "kk"])
    assert _get(client, cc.other_inspector, url).status_code == 404  # no clearance
    assert _get(client, cc.head, url).status_code == 200
    record = last_audit_record("classified.read")
    assert record.details["where"] == "check_certificate"


def test_the_certificate_is_handed_over_after_the_end_art_19_2(cc, client):
    """Art. 19(2): handed to the subject against signature, not before the check ended."""
    check, _response = _completed(cc, client)
    url = reverse("check-action", args=[check.uuid, "hand_certificate"])
    early = {"hand_certificate-received_by": "A. Director", "hand_certificate-on": "2025-03-19"}
    assert client.post(url, early).status_code == 400
    on_time = {**early, "hand_certificate-on": "2025-03-21"}
    assert client.post(url, on_time).status_code == 302
    check.refresh_from_db()
    assert (check.certificate_handed_on, check.certificate_received_by) == (
        date(2025, 3, 21),
        "A. Director",
    )
    page = client.get(reverse("check-detail", args=[check.uuid])).content.decode()
    assert 'data-testid="certificate-handed"' in page
    assert 'data-testid="action-hand_certificate"' not in page  # handed once


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
    # The completed check: its certificate handed over, its appeal owing the final answer in
    # 10 working days (Art. 19(2), 24(4)), the term open.
    from prosecution.models import Term, TermKind, TermState

    done = Check.objects.get(state=CheckState.COMPLETED)
    assert done.certificate_handed_on is not None and done.violations_count == 1
    appeal = done.appeals.get()
    final = Term.objects.get(subject_id=appeal.pk, kind=TermKind.APPEAL_FINAL_AFTER_CHECK)
    assert final.state == TermState.OPEN and final.due_date >= timezone.localdate()


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


def test_an_action_refused_to_the_role_comes_back_with_why(cc, client):
    """A member of staff not named in the resolution posts "start": 400, and the refusal with
    its article is on the page, next to the form (Art. 18(4))."""
    check = registered(cc)
    client.force_login(cc.other_inspector)
    url = reverse("check-action", args=[check.uuid, "start"])
    response = client.post(url, {"start-on": "2025-03-03"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="action-start"' in page and 'role="alert"' in page
    check.refresh_from_db()
    assert check.state == CheckState.REGISTERED


def test_every_field_of_the_check_page_has_an_id_of_its_own(cc, client):
    """Issue 13, point 7: one id per field, so that each label points to its own field."""
    check = started(cc)
    page = _get(client, cc.head, reverse("check-detail", args=[check.uuid])).content.decode()
    assert page.count('name="cancel-reason"') == 1 and "<label" in page
    assert repeated_ids(page) == {} and labels_without_field(page) == []
