"""Issue 3: the deadline dashboard in a real browser, for the GPO, a region and a district demo
account; each sees its own subtree and nothing else."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.form button[type=submit]").click()
    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_test_id("dashboard")).to_be_visible()


def test_supervisors_drill_down_from_the_republic_to_the_terms(live_server, page: Page, settings):
    call_command("seed_demo", verbosity=0)
    settings.DEMO_LOGIN_ENABLED = True

    # The GPO sees the regions; Akmola's row holds its two demo districts' 12 terms.
    _sign_in(page, live_server, "demo.pg", settings.DEMO_PASSWORD)
    akmola = page.get_by_test_id("by-office").locator('tr[data-office="R-AKMOLA"]')
    expect(akmola).to_be_visible()
    expect(page.get_by_test_id("by-office").locator('tr[data-office="R-PAVLODAR"]')).to_be_visible()
    akmola.get_by_role("link").first.click()
    # The region: its two districts, then one district's list of terms with "why this date".
    rows = page.get_by_test_id("by-office").locator("tbody tr[data-office^='R-AKMOLA-']")
    expect(rows).to_have_count(2)
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_test_id("items").locator("tbody tr")).to_have_count(6)
    expect(page.get_by_test_id("items").locator("details").first).to_be_visible()
    expect(page.get_by_test_id("trend")).to_be_visible()
    page.context.clear_cookies()  # sign out

    # The region's head sees Akmola and nothing of Pavlodar.
    _sign_in(page, live_server, "demo.akmola.head", settings.DEMO_PASSWORD)
    expect(
        page.get_by_test_id("by-office").locator("tbody tr[data-office^='R-AKMOLA-']")
    ).to_have_count(2)
    expect(page.locator('tr[data-office="R-PAVLODAR"]')).to_have_count(0)
    response = page.goto(f"{live_server.url}/dashboard/?office=R-PAVLODAR")
    assert response.status == 404

    # A district prosecutor gets the list of the district's terms at once.
    page.context.clear_cookies()
    _sign_in(page, live_server, "demo.kokshetau.prosecutor", settings.DEMO_PASSWORD)
    expect(page.get_by_test_id("by-office")).to_have_count(0)
    expect(page.get_by_test_id("items").locator("tbody tr")).to_have_count(6)


def test_the_dashboard_fits_a_phone_and_its_tables_scroll_in_their_box(
    live_server, page: Page, settings
):
    """Issue 13, point 8: at 390 px the page widened to 978 px; now the page keeps the screen's
    width and each wide table scrolls sideways inside its own box."""
    call_command("seed_demo", verbosity=0)
    settings.DEMO_LOGIN_ENABLED = True
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, "demo.pg", settings.DEMO_PASSWORD)
    for url in ("/dashboard/", "/dashboard/?office=R-AKMOLA-D1&list=1"):
        page.goto(f"{live_server.url}{url}")
        expect(page.get_by_test_id("dashboard")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        # What sticks out, should it fail: the elements past the right edge outside a box.
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-box'))"
            ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
        )
        assert width <= 390, (url, width, wide)
    # The list's table is wider than the screen, and its box scrolls.
    box = page.get_by_test_id("items").locator("xpath=..")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth") is True
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
