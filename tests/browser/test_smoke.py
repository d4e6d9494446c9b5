"""Smoke test of the shell in a real browser: sign in as a demo user, switch language, see
"my work"."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_user_signs_in_switches_language_and_sees_my_work(live_server, page: Page, settings):
    call_command("seed_demo", verbosity=0)
    settings.DEMO_LOGIN_ENABLED = True

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("demo.kokshetau.prosecutor")
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/work/")
    expect(page.get_by_test_id("current-user")).to_have_text("Daniyar Seitkali")
    expect(page.get_by_test_id("empty-work")).to_be_visible()

    page.select_option("#language-select", "en")
    page.locator("form.lang button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(page.get_by_test_id("current-office")).to_have_text(
        "Prosecutor's Office of the City of Kokshetau"
    )

    page.select_option("#language-select", "ru")
    page.locator("form.lang button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_test_id("current-office")).to_have_text("Прокуратура города Кокшетау")
