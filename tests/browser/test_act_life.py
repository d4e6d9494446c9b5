"""Issue 16, done when: acts in the browser. A prosecutor brings a submission on a completed check
(Art. 32(2), 36); the addressee's time and place of consideration is recorded and the prosecutor
is told; the act is decided and its results reported (Art. 36(2)); the region's head suspends a
district's protest (Art. 5(2), 43(3))."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from acts import services as acts
from acts.models import Act, ActKind, ActState
from prosecution.models import Notice, NoticeKind, Position, TermKind, TermState
from prosecution.terms import engine as terms
from supervision import services as checks
from tests.act_helpers import draft
from tests.browser.test_appeal_life import _person, _sign_in
from tests.check_helpers import CheckCast, started

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _act(page: Page, action: str, fields: dict, selects: dict | None = None):
    box = page.get_by_test_id(f"action-{action}")
    for name, value in (selects or {}).items():
        box.locator(f"[name={action}-{name}]").select_option(value)
    for name, value in fields.items():
        box.locator(f"[name={action}-{name}]").fill(value)
    box.locator("button[type=submit]").click()
    expect(page.get_by_text("Done.")).to_be_visible()


def test_a_submission_on_a_completed_check_and_a_protest_suspended_by_the_region(
    live_server, page: Page, cast
):
    url = live_server.url
    prosecutor = _person("prosecutor.a", cast.district_a, Position.PROSECUTOR)
    _person("head.region", cast.region, Position.HEAD)
    page.context.set_extra_http_headers({"Accept-Language": "en"})
    cc = CheckCast(cast)
    check = started(cc, on=date(2025, 3, 3))
    checks.complete_check(check, by=cc.inspector, result="Tariffs raised", on=date(2025, 3, 20))

    # The prosecutor opens the completed check and drafts a submission on it.
    _sign_in(page, url, "prosecutor.a")
    page.goto(f"{url}/checks/{check.uuid}/")
    page.get_by_test_id("act-on-check").click()
    form = page.get_by_test_id("act-form")
    form.locator("[name=kind]").select_option("submission")
    form.locator("[name=addressee_kind]").select_option("body")
    form.locator("[name=addressee_name]").fill("Kokshetau Water LLP")
    form.locator("[name=addressee_number]").fill("120540012342")
    form.locator("[name=violation]").fill("Tariffs raised without a hearing")
    form.locator("[name=demand]").fill("Restore the tariffs")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("act-basis")).to_contain_text(check.resolution_number)
    _act(page, "sign", {})
    _act(page, "deliver", {})
    act = Act.objects.get()
    assert act.state == ActState.DELIVERED and act.basis_check == check
    expect(page.get_by_test_id("act-terms")).to_contain_text("Consideration of a submission")

    # The addressee tells the time and place: recorded, and the prosecutor is told.
    at = timezone.localdate() + timedelta(days=7)
    _act(page, "consideration", {"at": f"{at.isoformat()}T10:00", "place": "Board room"})
    expect(page.get_by_test_id("act-consideration")).to_contain_text("Board room")
    notice = Notice.objects.get(kind=NoticeKind.ACT_CONSIDERATION_SET, channel="in_app")
    assert notice.recipient == prosecutor

    # Decided; the results and the measures reported within 3 working days.
    _act(page, "decide", {"decision": "Tariffs restored"}, {"outcome": "satisfied"})
    _act(page, "report", {"measures_taken": "Director reprimanded", "persons_liable": "1"})
    act.refresh_from_db()
    assert (act.state, act.persons_liable) == (ActState.SATISFIED, 1)
    results = terms.terms_of(act).get(kind=TermKind.SUBMISSION_RESULTS)
    assert results.state == TermState.MET
    expect(page.get_by_test_id("act-outcome")).to_contain_text("Director reprimanded")

    # The region's head suspends a district's protest: its clock stops.
    protest = acts.draft_act(by=prosecutor, draft=draft(ActKind.PROTEST))
    protest = acts.sign_act(protest, by=prosecutor)
    protest = acts.deliver_act(protest, by=prosecutor)
    _sign_in(page, url, "head.region")
    page.goto(f"{url}/acts/{protest.uuid}/")
    _act(page, "superior", {"reason": "Review of the grounds"}, {"decision": "suspend"})
    expect(page.get_by_test_id("act-state")).to_have_text("Suspended by a superior")
    term = terms.terms_of(protest).get(kind=TermKind.PROTEST_CONSIDERATION)
    assert term.state == TermState.SUSPENDED
