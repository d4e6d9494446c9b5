"""Issue 4, done when: the appeal's whole life in the browser. A citizen files online and confirms
with the code; the head of the district assigns it and extends the term (the applicant is told at
once, Art. 24(5)); the executor decides and the answer letter is a PDF in the appeal's language;
the answer is sent; the citizen's complaint (Art. 25) is registered at the region, whose head
decides it and says what becomes of the act (Art. 43(3))."""

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from appeals.models import Appeal, AppealState
from prosecution import workdays
from prosecution.models import Notice, NoticeKind, Position, Term, TermKind, TermState
from tests.appeal_helpers import CITIZEN_IIN
from tests.conftest import make_staff
from tests.signin_helpers import code_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-42"


def _person(username, office, position):
    user = make_staff(username, office, position, language="en")
    user.first_name, user.last_name = username.title(), "Test"
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)  # docs/security.md 6
    return user


def _sign_in(page: Page, url: str, username: str):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    # The second factor: the code the person's authenticator app would show.
    expect(page.get_by_test_id("code-step")).to_be_visible()
    page.locator("#id_code").fill(code_of(TOTPDevice.objects.get(user__username=username)))
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _act(page: Page, action: str, fields: dict, selects: dict | None = None, checks=()):
    box = page.get_by_test_id(f"action-{action}")
    box.locator("summary").click()
    for name, value in checks:
        box.locator(f"[name={name}][value={value}]").check()
    for name, value in (selects or {}).items():
        box.locator(f"[name={name}]").select_option(value)
    for name, value in fields.items():
        box.locator(f"[name={name}]").fill(value)
    box.locator("button[type=submit]").click()
    expect(page.get_by_text("Done.")).to_be_visible()


def test_an_appeal_from_filing_to_the_decision_on_the_complaint(live_server, page: Page, cast):
    url = live_server.url
    _person("head.a", cast.district_a, Position.HEAD)
    executor = _person("prosecutor.a", cast.district_a, Position.PROSECUTOR)
    region_head = _person("head.region", cast.region, Position.HEAD)
    today = timezone.localdate()
    page.context.set_extra_http_headers({"Accept-Language": "en"})

    # The citizen files online, in Russian, and confirms the e-mail address with the code.
    page.goto(f"{url}/appeal/")
    form = page.get_by_test_id("file-form")
    form.locator("[name=office]").select_option(str(cast.district_a.pk))
    for name, value in {
        "last_name": "Абаев",
        "first_name": "Ерлан",
        "iin": CITIZEN_IIN,
        "email": "erlan@mail.kz",
        "summary": "Невыплата зарплаты",
        "text": "Работодатель три месяца не платит зарплату.",
    }.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("[name=language]").select_option("ru")
    form.locator("button[type=submit]").click()
    code = Notice.objects.get(kind=NoticeKind.ONE_TIME_CODE).context["code"]
    page.get_by_test_id("code-form").locator("[name=code]").fill(code)
    page.get_by_test_id("code-form").locator("button[type=submit]").click()
    reference = page.get_by_test_id("filed-reference").inner_text()
    secret = page.get_by_test_id("filed-code").inner_text()
    appeal = Appeal.objects.get(reference=reference)
    answer_term = Term.objects.get(subject_id=appeal.pk, kind=TermKind.APPEAL_ANSWER)
    assert answer_term.due_date == workdays.add_working_days(today, 15)  # Art. 24(3)

    # The head assigns it and extends the term; the applicant hears of it at once (Art. 24(5)).
    _sign_in(page, url, "head.a")
    page.goto(f"{url}/appeals/{appeal.uuid}/")
    expect(page.get_by_test_id("appeal-reference")).to_contain_text(reference)
    _act(page, "assign", {}, selects={"executor": str(executor.pk)})
    until = workdays.add_working_days(today, 25)
    _act(
        page,
        "extend",
        {"until": until.isoformat(), "reason": "Запрошены сведения у акимата"},
        checks=[("ground", "other_bodies")],
    )
    told = Term.objects.get(subject_id=appeal.pk, kind=TermKind.APPEAL_EXTENSION_NOTICE)
    assert told.state == TermState.MET  # the e-mail went out: Art. 24(5) met the same day
    sent = Notice.objects.get(kind=NoticeKind.EXTENSION_TO_APPLICANT, channel="email")
    assert sent.state == "sent" and "продлён" in sent.body
    expect(page.get_by_test_id("terms")).to_contain_text("Art. 24(5)")

    # The executor decides; the letter is a PDF in Russian; the answer is sent by post.
    _sign_in(page, url, "prosecutor.a")
    page.goto(f"{url}/appeals/{appeal.uuid}/")
    _act(
        page,
        "decide",
        {
            "answer_text": "Работодателю внесено представление; задолженность погашена.",
            "legislation": "Трудовой кодекс РК, ст. 113",
        },
        selects={"outcome": "satisfied", "language": "ru"},
    )
    expect(page.get_by_test_id("letter-link")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("letter-link").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    _act(page, "send_answer", {"on": today.isoformat()}, selects={"method": "post"})
    appeal.refresh_from_db()
    assert appeal.state == AppealState.ANSWERED
    assert Term.objects.get(pk=answer_term.pk).state == TermState.MET

    # The citizen sees it answered.
    page.context.clear_cookies()
    page.goto(f"{url}/appeal/status/")
    page.get_by_test_id("status-form").locator("[name=reference]").fill(reference)
    page.get_by_test_id("status-form").locator("[name=code]").fill(secret)
    page.get_by_test_id("status-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("status-state")).to_have_text("Answered")

    # The complaint against the district's answer is registered at the region (Art. 25).
    _sign_in(page, url, "head.region")
    page.goto(f"{url}/appeals/new/")
    form = page.get_by_test_id("register-form")
    form.locator("[name=office]").select_option(str(cast.region.pk))
    form.locator("[name=kind]").select_option("complaint")
    form.locator("[name=language]").select_option("ru")
    form.locator("[name=summary]").fill("Жалоба на ответ районной прокуратуры")
    form.locator("[name=text]").fill("Не согласен с ответом, задолженность не погашена.")
    form.locator("[name=complained_office]").select_option(str(cast.district_a.pk))
    form.locator("[name=complained_act]").fill(f"Ответ на обращение {reference}")
    form.locator("[name=learned_on]").fill(today.isoformat())
    form.locator("[name=applicant-0-iin]").fill(CITIZEN_IIN)
    form.locator("[name=applicant-0-last_name]").fill("Абаев")
    form.locator("[name=applicant-0-first_name]").fill("Ерлан")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("appeal-reference")).to_contain_text("R-AKMOLA/")
    complaint = Appeal.objects.get(kind="complaint")
    assert complaint.office == cast.region
    assert Term.objects.get(subject_id=complaint.pk).due_date == workdays.add_working_days(
        today, 20
    )
    expect(page.get_by_test_id("earlier")).to_contain_text(reference)
    _act(page, "assign", {}, selects={"executor": str(region_head.pk)})
    _act(
        page,
        "decide",
        {
            "answer_text": "Ответ районной прокуратуры отменён; проведена проверка.",
            "legislation": "Конституционный закон «О прокуратуре», ст. 43",
        },
        selects={"outcome": "satisfied", "language": "ru", "act_effect": "cancelled"},
    )
    expect(page.get_by_test_id("outcome")).to_contain_text("Cancelled")
    complaint.refresh_from_db()
    assert complaint.state == AppealState.DECIDED and complaint.act_effect == "cancelled"
