"""Issue 15, done when: a check's whole life in the browser. A district head appoints a check and
names it on an appeal (Art. 24(4)); the registration officer registers it (Art. 18(4), 19(1)); the
named inspector starts it, suspends and resumes it; the head extends it with the Prosecutor
General's consent (seed 004 para. 19(38)); the inspector completes it with the violations found
and the certificate of results (Art. 19(2)), which comes as a PDF and is handed to the subject;
the appeal's final answer is then due in 10 working days (Art. 24(4)); the subject looks the
check up on /check/ (Art. 19(1))."""

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from appeals import services as appeals
from prosecution import workdays
from prosecution.models import Office, Position, Term, TermKind
from supervision.models import Check, CheckState
from tests.appeal_helpers import register
from tests.browser.test_appeal_life import _person, _sign_in
from tests.check_helpers import VALID_BIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _act(page: Page, action: str, fields: dict, selects: dict | None = None):
    """One action form of the check's page, its fields named with the action's prefix."""
    box = page.get_by_test_id(f"action-{action}")
    for name, value in (selects or {}).items():
        box.locator(f"[name={action}-{name}]").select_option(value)
    for name, value in fields.items():
        box.locator(f"[name={action}-{name}]").fill(value)
    box.locator("button[type=submit]").click()
    expect(page.get_by_text("Done.")).to_be_visible()


def _signed_in(browser: Browser, url: str, username: str) -> Page:
    """A window of its own for each person, signed in once: a TOTP code is accepted once, and
    one person signing in twice within its 30 seconds would be refused (docs/security.md 6)."""
    page = browser.new_page(extra_http_headers={"Accept-Language": "en"})
    _sign_in(page, url, username)
    return page


def test_a_check_on_an_appeal_from_appointment_to_the_final_answer(
    live_server, browser: Browser, cast
):
    url = live_server.url
    head = _person("head.a", cast.district_a, Position.HEAD)
    inspector = _person("inspector.a", cast.district_a, Position.PROSECUTOR)
    _person("officer.kpssu", Office.objects.get(code="KPSSU"), Position.LEGAL_STATISTICS_OFFICER)
    today = timezone.localdate()
    appeal, _code = register(cast, received_on=today)
    with transaction.atomic():
        appeals.assign_appeal(appeal, by=head, executor=inspector)

    # The district head appoints the check by a resolution naming the inspector (Art. 18(1)).
    page = head_page = _signed_in(browser, url, "head.a")
    page.goto(f"{url}/checks/appoint/")
    form = page.get_by_test_id("appoint-form")
    for name, value in {
        "resolution_number": "2-15/501",
        "resolution_date": today.isoformat(),
        "subject_number": VALID_BIN,
        "subject_name": "Kokshetau Water LLP",
        "subject_address": "Kokshetau, Abai st. 1",
        "subject_matter": "Wages owed to the employees",
        "period_from": f"{today.year - 1}-01-01",
        "period_to": f"{today.year - 1}-12-31",
    }.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("[name=ground]").select_option("unlimited_persons")
    form.locator("[name=subject_kind]").select_option("organisation")
    form.locator(f"[name=inspectors][value='{inspector.pk}']").check()
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("check-state")).to_have_text("Draft")
    check = Check.objects.get(resolution_number="2-15/501")
    _act(page, "send", {})

    # ... and names it on the appeal, with the interim reply to the applicant (Art. 24(4)).
    page.goto(f"{url}/appeals/{appeal.uuid}/")
    box = page.get_by_test_id("action-appoint_check")
    box.locator("summary").click()
    box.locator("[name=legality_check]").select_option(str(check.pk))
    box.locator("[name=interim_reply]").fill("Назначена проверка, о результатах сообщим.")
    box.locator("button[type=submit]").click()
    expect(page.get_by_text("Done.")).to_be_visible()
    expect(page.get_by_test_id("appeal-check")).to_contain_text("2-15/501")

    # The registration officer registers it from the queue (Art. 18(4), 19(1)).
    page = _signed_in(browser, url, "officer.kpssu")
    page.goto(f"{url}/register/")
    page.get_by_test_id("register-queue").get_by_test_id("register").click()
    check.refresh_from_db()
    assert check.state == CheckState.REGISTERED
    reference = check.registration.reference

    # The named inspector starts, suspends and resumes it; the clock stops and goes on.
    page = inspector_page = _signed_in(browser, url, "inspector.a")
    page.goto(f"{url}/checks/{check.uuid}/")
    expect(page.get_by_test_id("registration")).to_have_text(reference)
    _act(page, "start", {"on": today.isoformat()})
    expect(page.get_by_test_id("check-term")).to_be_visible()
    _act(
        page,
        "suspend",
        {"reason": "Expert examination of the payroll"},
        {"cause": "expert_examination"},
    )
    expect(page.get_by_test_id("check-state")).to_have_text("Suspended")
    _act(page, "resume", {"reason": "Expert opinion received"})
    expect(page.get_by_test_id("check-state")).to_have_text("Running")

    # The head extends it once, with the Prosecutor General's consent (seed 004 para. 19(38)).
    page = head_page
    page.goto(f"{url}/checks/{check.uuid}/")
    _act(
        page,
        "extend",
        {
            "days": "10",
            "reason": "Large volume of payroll records",
            "consent_number": "2-05/77",
            "consent_date": today.isoformat(),
        },
    )
    expect(page.get_by_test_id("check-term")).to_contain_text("Extended by 10 working days")
    expect(page.get_by_test_id("action-extend")).to_have_count(0)  # once (Art. 18(4))

    # The inspector completes it with the violations found; the certificate is a PDF in each
    # language and is handed to the subject against signature (Art. 19(2)).
    page = inspector_page
    page.goto(f"{url}/checks/{check.uuid}/")
    _act(
        page,
        "complete",
        {
            "result": "Wages were paid late to 12 employees.",
            "violations": "Art. 113 of the Labour Code: wages paid 3 months late.",
            "violations_count": "1",
            "on": today.isoformat(),
        },
    )
    expect(page.get_by_test_id("check-state")).to_have_text("Completed")
    for language in ("kk", "ru", "en"):
        with page.expect_download() as download:
            page.get_by_test_id(f"certificate-{language}").click()
        assert download.value.path().read_bytes().startswith(b"%PDF")
    _act(page, "hand_certificate", {"received_by": "A. Director", "on": today.isoformat()})
    expect(page.get_by_test_id("certificate-handed")).to_contain_text("A. Director")
    expect(page.get_by_test_id("check-appeal")).to_have_text(appeal.reference)

    # The appeal's final answer is due 10 working days after the check's end (Art. 24(4)).
    page.get_by_test_id("check-appeal").click()
    expect(page.get_by_test_id("terms")).to_contain_text("Art. 24(4)")
    final = Term.objects.get(subject_id=appeal.pk, kind=TermKind.APPEAL_FINAL_AFTER_CHECK)
    assert final.due_date == workdays.add_working_days(today, 10)
    expect(page.get_by_test_id("terms")).to_contain_text(final.due_date.strftime("%d.%m.%Y"))

    # The subject looks its check up, without signing in (Art. 19(1)).
    page = browser.new_page(extra_http_headers={"Accept-Language": "en"})
    page.goto(f"{url}/check/")
    form = page.get_by_test_id("check-lookup-form")
    form.locator("[name=reference]").fill(reference)
    form.locator("[name=subject_number]").fill(VALID_BIN)
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("registered")).to_be_visible()
    expect(page.get_by_test_id("inspectors")).to_contain_text("Inspector.A Test")
    expect(page.get_by_test_id("term")).to_contain_text(today.strftime("%d.%m.%Y"))
