"""Issue 13 in the browser, as a citizen and a head meet it in Russian: a program named .pdf on
the public appeal form is refused next to the field with everything typed still there and the
request to choose the files again; the code is sent again from the confirm page and the new code
files the appeal; the head's registration form opens with today's date in the picker, and the
appeals page opens on what to hand out."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from appeals.models import Appeal, OnlineFiling
from prosecution.models import Notice, NoticeKind, Position
from tests.appeal_helpers import CITIZEN_IIN
from tests.conftest import make_staff
from tests.signin_helpers import code_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-42"


def _russian(page: Page, url: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": url}])


def test_a_citizen_gets_past_a_refused_file_and_a_lost_code(
    live_server, page: Page, cast, tmp_path
):
    url = live_server.url
    _russian(page, url)
    page.goto(f"{url}/appeal/")
    expect(page.locator("form[data-testid=file-form]")).to_contain_text("не более 10 МБ каждый")
    page.locator("#id_office").select_option(str(cast.district_a.pk))
    page.locator("#id_last_name").fill("Абаев")
    page.locator("#id_first_name").fill("Ерлан")
    page.locator("#id_iin").fill(CITIZEN_IIN)
    page.locator("#id_phone").fill("+7 701 111 22 33")
    page.locator("input[name=confirm_by][value=phone]").check()
    page.locator("#id_summary").fill("Невыплата зарплаты")
    page.locator("#id_text").fill("Работодатель третий месяц не платит.")
    program = tmp_path / "справка.pdf"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 4000)
    page.locator("#id_files").set_input_files(str(program))
    page.locator("form[data-testid=file-form] button[type=submit]").click()
    expect(page.locator("#id_files-error")).to_contain_text("справка.pdf")
    expect(page.get_by_test_id("files-lost")).to_contain_text("Выберите файлы ещё раз")
    expect(page.locator("#id_text")).to_have_value("Работодатель третий месяц не платит.")
    expect(page.locator("#id_iin")).to_have_value(CITIZEN_IIN)
    assert not OnlineFiling.objects.exists()

    page.locator("#id_files").set_input_files([])
    page.locator("form[data-testid=file-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/appeal/confirm/"))
    page.get_by_test_id("code-again").locator("button").click()
    expect(page.get_by_role("status")).to_contain_text("Прежний код больше не действует")
    filing = OnlineFiling.objects.get()
    code = Notice.objects.get(
        kind=NoticeKind.ONE_TIME_CODE, subject_id=filing.confirmation_id
    ).context["code"]
    page.locator("#id_code").fill(code)
    page.locator("form[data-testid=code-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/appeal/filed/"))
    assert Appeal.objects.count() == 1


def test_a_head_registers_with_todays_date_and_lands_on_what_to_hand_out(
    live_server, page: Page, cast
):
    url = live_server.url
    head = make_staff("head.hours", cast.district_a, Position.HEAD, language="ru")
    head.set_password(PASSWORD)
    head.save()
    TOTPDevice.objects.create(user=head, name="phone", confirmed=True)
    _russian(page, url)
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill("head.hours")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.locator("#id_code").fill(code_of(TOTPDevice.objects.get(user=head)))
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()

    page.goto(f"{url}/appeals/new/")
    received = page.locator("#id_received_on")
    expect(received).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    page.locator("#id_summary").fill("Невыплата зарплаты")
    page.locator("#id_text").fill("Работодатель не платит.")
    page.locator("#id_applicant-0-last_name").fill("Абаев")
    page.locator("#id_applicant-0-first_name").fill("Ерлан")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_text("Обязательное поле")).to_have_count(0)
    appeal = Appeal.objects.get()

    page.goto(f"{url}/appeals/")
    expect(page.locator("main h2")).to_have_text("К распределению")
    expect(page.get_by_test_id("appeals")).to_contain_text(appeal.reference)


def test_pages_break_no_rule_of_the_security_policy(live_server, page: Page, cast):
    """Issue 13, point 7: the security policy blocked htmx's inline style on every page; the
    browser reports each violation, and a failed request (the icon was 404) as an error."""
    url = live_server.url
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for path in ("/", "/appeal/", "/reception/", "/check/", "/accounts/login/"):
        page.goto(f"{url}{path}")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__violations") == [], path
    assert errors == []
    icon = page.request.get(f"{url}/favicon.ico")
    assert icon.ok and icon.body()[:4] == b"\x00\x00\x01\x00"
