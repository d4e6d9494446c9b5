"""Issue 15, part 6, in a real browser: the demo inspector of Esil District sends a request for
information (2 working days refused, Art. 26(3)), records its answer, and finds the demo summons
whose forced delivery was refused at night (Art. 26(13))."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from prosecution import workdays

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_request_is_sent_answered_and_a_refused_forced_delivery_shown(
    live_server, page: Page, settings
):
    call_command("seed_demo", verbosity=0)
    settings.DEMO_LOGIN_ENABLED = True
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("demo.astana.inspector")
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.get_by_test_id("nav-functions").click()
    expect(page.get_by_test_id("records")).to_be_visible()  # the demo's requests

    page.get_by_test_id("new-record").click()
    today = timezone.localdate()
    form = page.get_by_test_id("new-form")
    form.locator("#id_matter").fill("Heating tariffs")
    form.locator("#id_addressee_kind").select_option("body")
    form.locator("#id_addressee_name").fill("Akimat of Esil district")
    form.locator("#id_addressee_number").fill("120540012342")
    form.locator("#id_requested").fill("The tariff decisions of 2025")
    form.locator("#id_sent_on").fill(today.isoformat())
    form.locator("#id_due").fill(workdays.add_working_days(today, 2).isoformat())
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("new-form").locator(".error")).to_be_visible()  # Art. 26(3)
    due = workdays.add_working_days(today, 3)
    page.get_by_test_id("new-form").locator("#id_due").fill(due.isoformat())
    page.get_by_test_id("new-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("due")).to_have_text(due.strftime("%d.%m.%Y"))

    answer = page.get_by_test_id("action-answer")
    answer.locator("#id_answer-answer").fill("The decisions are attached.")
    answer.locator("button[type=submit]").click()
    expect(page.get_by_test_id("action-answer")).to_have_count(0)
    expect(page.get_by_test_id("record")).to_contain_text("The decisions are attached.")

    page.goto(f"{live_server.url}/supervision/summonses/")
    page.get_by_role("link", name="Ерлан Жақсыбеков").click()
    expect(page.get_by_test_id("deliveries")).to_contain_text("Art. 26(13)")
