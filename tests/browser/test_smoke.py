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
    # The browser asks for English: the official's name in Latin letters (issue 13).
    expect(page.get_by_test_id("current-user")).to_have_text("Daniyar Seyitkali")
    # The demo terms of the district: six, on this prosecutor.
    expect(page.get_by_test_id("my-terms").locator("tbody tr")).to_have_count(6)
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

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
    expect(page.get_by_test_id("current-user")).to_have_text("Данияр Сейітқали")


def test_the_sweep_rings_the_bell_and_the_notices_are_read(live_server, page: Page, settings):
    """Issue 3: a missed term is told to the person in the system; the bell counts it."""
    from prosecution.models import Notice
    from prosecution.terms.tasks import sweep_terms

    call_command("seed_demo", verbosity=0)
    settings.DEMO_LOGIN_ENABLED = True
    sweep_terms()  # the demo has terms past their due date: missed, escalated, delivered
    mine = Notice.objects.filter(recipient__username="demo.kokshetau.prosecutor", channel="in_app")
    unread = mine.count()
    assert unread >= 1

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("demo.kokshetau.prosecutor")
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("unread-count")).to_have_text(str(unread))
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("notices").locator("li")).to_have_count(unread)
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    assert not mine.filter(read_at=None).exists()
