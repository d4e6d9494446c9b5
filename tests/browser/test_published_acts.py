"""Issue 16, done when: the public page shows a published act redacted (Art. 42). The prosecutor
who signed an act to a person opens its publication preview, reads what the public will read and
what was taken out, confirms it is on a violation of rights and publishes; a visitor without an
account finds it on the public page with the person's name, IIN, address and phone taken out."""

import pytest
from playwright.sync_api import Page, expect

from acts.models import Act, AddresseeKind
from prosecution.models import Position
from tests.act_documents_helpers import signed_act
from tests.browser.test_appeal_life import _person, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IIN = "900101300017"


def test_a_prosecutor_publishes_an_act_and_the_public_reads_it_redacted(
    live_server, page: Page, cast
):
    url = live_server.url
    prosecutor = _person("prosecutor.pub", cast.district_a, Position.PROSECUTOR)
    act = signed_act(
        cast,
        promote=False,
        addressee_kind=AddresseeKind.PERSON,
        addressee_name="Иванова Анна Сергеевна",
        addressee_number=IIN,
        addressee_address="г. Кокшетау, ул. Абая, д. 5, кв. 12",
        violation=(
            "Ивановой А.С. (ИИН 900101300017, тел. +7 701 234 56 78) не выплачено пособие; "
            "нарушено право на социальное обеспечение."
        ),
    )
    Act.objects.filter(pk=act.pk).update(signatory=prosecutor)
    page.context.set_extra_http_headers({"Accept-Language": "ru"})

    _sign_in(page, url, "prosecutor.pub")
    page.goto(f"{url}/acts/{act.uuid}/publication/")
    shown = page.get_by_test_id("public-text")
    expect(shown).to_contain_text("нарушено право на социальное обеспечение")
    expect(shown).not_to_contain_text("Иванов")
    expect(shown).not_to_contain_text(IIN)
    expect(page.get_by_test_id("redacted")).to_contain_text(IIN)
    page.locator("[name=on_rights]").check()
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("published-at")).to_be_visible()

    # A visitor, no sign-in: the list, then the act, redacted.
    page.context.clear_cookies()
    page.goto(f"{url}/published-acts/")
    listing = page.get_by_test_id("published-acts")
    expect(listing).to_contain_text(act.register_number)
    listing.get_by_role("link").first.click()
    public = page.get_by_test_id("public-text")
    expect(public).to_contain_text("нарушено право на социальное обеспечение")
    for secret in ("Иванов", "Анна", IIN, "Абая", "701 234"):
        expect(public).not_to_contain_text(secret)
