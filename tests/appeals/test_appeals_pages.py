"""The appeal pages: staff register, search, act on an appeal with errors kept next to the fields;
citizens file online with a code and follow the appeal by number and secret code."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from appeals.models import Appeal, AppealState, OnlineFiling
from prosecution.models import Notice, NoticeKind
from tests.appeal_helpers import CITIZEN_IIN, ready_letter, register, stored_attachment
from tests.html_helpers import labels_without_field, repeated_ids, required_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tuesday_10_november():
    with time_machine.travel("2026-11-10 10:00 +05:00", tick=False):
        yield


@pytest.fixture
def client(client):
    """Pages in English, whatever the default language (Kazakh)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _main(response) -> str:
    """The page's main content, without the per-request CSRF token."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def _registration_post(cast, **extra):
    data = {
        "office": cast.district_a.pk,
        "kind": "appeal",
        "channel": "written",
        "received_on": "2026-11-02",
        "language": "ru",
        "summary": "Невыплата зарплаты",
        "text": "Три месяца не платят.",
        "applicant-TOTAL_FORMS": "2",
        "applicant-INITIAL_FORMS": "0",
        "applicant-0-kind": "individual",
        "applicant-0-iin": CITIZEN_IIN,
        "applicant-0-last_name": "Абаев",
        "applicant-0-first_name": "Ерлан",
        "applicant-0-email": "erlan@mail.kz",
        "applicant-1-kind": "individual",
    }
    data.update(extra)
    return data


def test_staff_register_an_appeal_and_see_its_number_and_term(cast, client):
    client.force_login(cast.a_user)
    response = client.post(reverse("appeal-register"), _registration_post(cast), follow=True)
    appeal = Appeal.objects.get()
    assert response.status_code == 200
    page = response.content.decode()
    assert appeal.reference in page and "23.11.2026" in page  # Art. 24(3): 15 working days
    assert "Art. 24(3)" in page


def test_a_wrong_iin_comes_back_next_to_its_field_with_the_input_kept(cast, client):
    client.force_login(cast.a_user)
    response = client.post(
        reverse("appeal-register"), _registration_post(cast, **{"applicant-0-iin": "900101300127"})
    )
    assert response.status_code == 200 and not Appeal.objects.exists()
    page = response.content.decode()
    assert "check digit" in page and "Три месяца не платят." in page


def test_the_queue_lists_my_appeals_overdue_first(cast, client, head_a):
    from appeals import services

    late, _ = register(cast, received_on=date(2026, 10, 1), summary="Поздняя")
    fresh, _ = register(cast, summary="Свежая")
    for appeal in (fresh, late):
        services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    client.force_login(cast.a_user)
    page = client.get(reverse("appeal-list")).content.decode()
    assert page.index("Поздняя") < page.index("Свежая")


def test_search_finds_by_iin_and_number_within_the_scope_only(cast, client):
    appeal, _ = register(cast)
    client.force_login(cast.b_user)
    assert (
        appeal.reference
        not in client.get(reverse("appeal-list"), {"q": CITIZEN_IIN}).content.decode()
    )
    client.force_login(cast.region_user)
    assert (
        appeal.reference in client.get(reverse("appeal-list"), {"q": CITIZEN_IIN}).content.decode()
    )
    assert (
        appeal.reference
        in client.get(reverse("appeal-list"), {"q": appeal.reference}).content.decode()
    )


def test_an_action_refused_by_the_law_shows_why_and_keeps_the_input(cast, client, head_a):
    from appeals import services

    appeal, _ = register(cast)
    services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    client.force_login(head_a)
    response = client.post(
        reverse("appeal-act", args=[appeal.uuid, "extend"]),
        {"ground": "facts", "until": "2027-02-01", "reason": "Экспертиза"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Art. 24(4)" in page and "Экспертиза" in page
    response = client.post(
        reverse("appeal-act", args=[appeal.uuid, "extend"]),
        {"ground": "facts", "until": "2026-12-15", "reason": "Экспертиза"},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.events.filter(kind="extended").exists()


def test_a_prosecutor_is_not_offered_the_extension_nor_may_post_it(cast, client, head_a):
    from appeals import services

    appeal, _ = register(cast)
    services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    client.force_login(cast.a_user)
    page = client.get(reverse("appeal-detail", args=[appeal.uuid])).content.decode()
    assert 'data-testid="action-extend"' not in page
    assert 'data-testid="action-decide"' in page
    response = client.post(
        reverse("appeal-act", args=[appeal.uuid, "extend"]),
        {"ground": "facts", "until": "2026-12-15", "reason": "x"},
    )
    assert response.status_code == 400 and "may not" in response.content.decode()


def test_the_letter_and_the_attachment_download_as_attachments_within_the_scope(cast, client):
    letter = ready_letter(cast)
    attachment = stored_attachment(cast)
    client.force_login(cast.region_user)
    response = client.get(reverse("appeal-letter", args=[letter.appeal.uuid, letter.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = client.get(
        reverse("appeal-attachment", args=[attachment.appeal.uuid, attachment.uuid])
    )
    assert response.status_code == 200 and "filename*=UTF-8''" in response["Content-Disposition"]
    client.force_login(cast.b_user)
    assert (
        client.get(reverse("appeal-letter", args=[letter.appeal.uuid, letter.uuid])).status_code
        == 404
    )


def test_a_citizen_files_online_confirms_and_follows_the_appeal(cast, client):
    response = client.post(
        reverse("file-appeal"),
        {
            "office": cast.district_a.pk,
            "last_name": "Абаев",
            "first_name": "Ерлан",
            "iin": CITIZEN_IIN,
            "email": "erlan@mail.kz",
            "confirm_by": "email",
            "language": "kk",
            "summary": "Жалақы",
            "text": "Жалақы үш ай төленбейді.",
        },
    )
    filing = OnlineFiling.objects.get()
    assert response.status_code == 302 and str(filing.uuid) in response["Location"]
    code = Notice.objects.get(kind=NoticeKind.ONE_TIME_CODE).context["code"]
    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200 and not Appeal.objects.exists()
    done = client.post(response["Location"], {"code": code}, follow=True)
    appeal = Appeal.objects.get()
    page = done.content.decode()
    assert appeal.reference in page
    secret = page.split('data-testid="filed-code">')[1].split("<")[0]
    # Shown once: the page again shows the status form, not the code.
    assert secret not in client.get(reverse("appeal-filed"), follow=True).content.decode()
    status = client.post(reverse("appeal-status"), {"reference": appeal.reference, "code": secret})
    assert 'data-testid="status-state"' in status.content.decode()
    assert appeal.state == AppealState.REGISTERED


def test_the_status_page_does_not_tell_an_unknown_number_from_a_wrong_code(cast, client):
    appeal, code = register(cast)
    wrong_code = client.post(
        reverse("appeal-status"), {"reference": appeal.reference, "code": "AAAAA"}
    )
    unknown = client.post(reverse("appeal-status"), {"reference": "X/2026/00001", "code": code})
    assert wrong_code.status_code == unknown.status_code == 200
    assert 'data-testid="status"' not in wrong_code.content.decode()
    assert 'data-testid="status"' not in unknown.content.decode()
    # The same page, but for what the person typed (echoed back into the form).
    assert _main(wrong_code).replace(appeal.reference, "").replace("AAAAA", "") == _main(
        unknown
    ).replace("X/2026/00001", "").replace(code, "")


def test_the_status_page_is_rate_limited_per_address(cast, client, settings):
    for _ in range(30):
        client.post(reverse("appeal-status"), {"reference": "X", "code": "Y"})
    limited = client.post(reverse("appeal-status"), {"reference": "X", "code": "Y"})
    assert limited.status_code == 429 and "Retry-After" in limited


def test_every_field_of_the_appeal_page_has_an_id_of_its_own(cast, client, head_a):
    """Issue 13, point 7: the page holds every action's form at once; each label must point to
    its own field, also when a refused form comes back bound."""
    from appeals import services

    appeal, _ = register(cast)
    services.assign_appeal(appeal, by=head_a, executor=cast.a_user)
    client.force_login(head_a)
    page = client.get(reverse("appeal-detail", args=[appeal.uuid])).content.decode()
    assert page.count('name="reason"') > 1  # several actions ask for a reason
    assert repeated_ids(page) == {} and labels_without_field(page) == []
    refused = client.post(
        reverse("appeal-act", args=[appeal.uuid, "extend"]),
        {"ground": "facts", "until": "2027-02-01", "reason": "x"},
    ).content.decode()
    assert repeated_ids(refused) == {} and labels_without_field(refused) == []
    assert 'for="id_extend_reason"' in refused and 'id="id_extend_reason"' in refused


def test_the_required_fields_of_the_appeal_forms_are_marked(cast, client):
    """Issue 13, point 7: the citizen's and the clerk's appeal forms mark what must be filled in,
    visibly (the label) and for assistive technology (`required`), and say what the mark means."""
    public = client.get(reverse("file-appeal")).content.decode()
    needed = {f"id_{name}" for name in ("office", "last_name", "first_name", "iin", "summary")}
    needed |= {"id_language", "id_text"}
    marked, required = required_fields(public)
    assert marked == needed and needed <= required
    assert not {"id_middle_name", "id_email", "id_phone", "id_files"} & (marked | required)
    assert 'data-testid="required-note"' in public
    assert re.search(r'<legend class="required">[^<]*code', public)  # confirm_by, radio buttons

    client.force_login(cast.a_user)
    staff = client.get(reverse("appeal-register")).content.decode()
    marked, required = required_fields(staff)
    needed = {f"id_{name}" for name in ("office", "kind", "channel", "received_on", "summary")}
    needed |= {"id_language", "id_text"}
    assert marked == needed and needed <= required
    assert "id_complained_act" not in required and 'data-testid="required-note"' in staff
