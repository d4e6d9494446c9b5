"""The shell of the user interface: headers, languages, sign-in, demo accounts."""

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from prosecution.models import Office, StaffProfile, Term

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/reception/", "/api/v1/offices/", "/no-such-page/"])
def test_every_response_carries_the_security_headers(client, url):
    """docs/security.md 12: HSTS, CSP with object-src 'none' and frame-ancestors 'none', nosniff,
    Referrer-Policy: on pages, API answers and errors alike."""
    response = client.get(url, secure=True)
    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert int(response["Strict-Transport-Security"].split("max-age=")[1].split(";")[0]) >= 31536000


def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_pages_fetch_nothing_from_the_internet(client):
    """The intranet has no internet: every asset is served by the app itself."""
    for url in ("/", "/reception/", "/accounts/login/", "/api/docs/"):
        html = client.get(url).content.decode()
        assert "http://" not in html.replace("http://www.w3.org", "")
        assert "https://" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "Қазақстан Республикасының Бас прокуратурасы"),
        ("ru", "Генеральная прокуратура Республики Казахстан"),
        ("en", "General Prosecutor's Office of the Republic of Kazakhstan"),
    ],
)
def test_the_language_switch_changes_pages_and_office_names(client, language, expected):
    response = client.post(reverse("set_language"), {"language": language, "next": "/reception/"})
    assert response.status_code == 302
    page = client.get("/reception/")
    assert page["Content-Language"] == language
    assert escape(expected) in page.content.decode()


def test_staff_pages_need_a_sign_in(client):
    response = client.get("/work/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_my_work_shows_the_office_of_the_member_of_staff(cast, client):
    client.force_login(cast.a_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/work/").content.decode()
    assert "District A" in html
    assert "Nothing is waiting for you." in html


def test_office_page_lists_staff_and_subordinate_offices(cast, client):
    client.force_login(cast.region_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("office-page", args=[cast.region.uuid])).content.decode()
    assert "District A" in html and "District B" in html


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_demo_password_works_only_while_demo_login_is_enabled(client, settings):
    """README: the demo password works only when DJANGO_DEBUG is on."""
    call_command("seed_demo", verbosity=0)
    settings.DEMO_LOGIN_ENABLED = False
    assert _login(client, "demo.pg", settings.DEMO_PASSWORD).status_code == 200  # form again
    assert "_auth_user_id" not in client.session
    settings.DEMO_LOGIN_ENABLED = True
    response = _login(client, "demo.pg", settings.DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/work/"
    client.logout()
    assert _login(client, "demo.pg", "wrong-password").status_code == 200
    assert "_auth_user_id" not in client.session


def test_demo_data_has_two_offices_under_every_region_and_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    first = (Office.objects.count(), StaffProfile.objects.count(), Term.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Office.objects.count(), StaffProfile.objects.count(), Term.objects.count()) == first
    # Terms around today: some already past their due date (the sweep will mark them missed),
    # some still running, on every demo district.
    today = timezone.localdate()
    assert Term.objects.filter(due_date__lt=today).exists()
    assert Term.objects.filter(due_date__gte=today).exists()
    assert Term.objects.filter(responsible__username="demo.kokshetau.prosecutor").count() == 6
    for region in Office.objects.filter(kind__in=["regional", "city_republican"]):
        assert region.children.count() >= 2, region.code
    for username in (
        "demo.pg",
        "demo.akmola.head",
        "demo.kokshetau.prosecutor",
        "demo.reception",
        "demo.statistics",
        "demo.clerk",
    ):
        assert StaffProfile.objects.get(user__username=username).is_demo


def test_my_work_lists_my_active_terms_most_urgent_first(cast, client):
    from datetime import date

    from prosecution.models import TermKind
    from prosecution.terms import engine as terms

    for subject, kind, start in [
        (cast.district_a, TermKind.COMPLAINT_DECISION, date(2026, 6, 1)),
        (cast.district_b, TermKind.APPEAL_ANSWER, date(2026, 3, 20)),
    ]:
        terms.open_term(
            subject=subject,
            kind=kind,
            office=cast.district_a,
            start_date=start,
            start_event="received",
            responsible=cast.a_user,
        )
    closed = terms.open_term(
        subject=cast.region,
        kind=TermKind.APPEAL_ANSWER,
        office=cast.district_a,
        start_date=date(2026, 1, 5),
        start_event="received",
        responsible=cast.a_user,
    )
    terms.meet_term(closed, on=date(2026, 1, 10), system=True)
    client.force_login(cast.a_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/work/").content.decode()
    assert html.index("15.04.2026") < html.index("Art. 25(1)")  # appeal due first
    assert "Answer to an appeal" in html
    assert html.count("<tr class=") == 2  # the met term is not listed


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "Art. 24(3)"), ("ru", "п. 3 ст. 24"), ("kk", "24-баптың 3-тармағы")],
)
def test_a_terms_article_is_shown_as_the_readers_language_cites_it(language, shown):
    """docs/rules.md, Art. 24(3): the article under which a term runs, on every page that shows
    a term, reads as the reader's language cites it, not as the code's key."""
    with translation.override(language):
        rendered = Template("{% load articles %}{{ code|article }}").render(
            Context({"code": "Art. 24(3)"})
        )
    assert rendered == shown


def test_the_site_has_an_icon(client):
    """Issue 13, point 7: /favicon.ico answered 404 on every first visit."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/").content.decode()


def test_htmx_is_told_not_to_inject_a_style_the_policy_blocks(client):
    """Issue 13, point 7, docs/security.md 12: style-src 'self' refuses htmx's inline indicator
    style, so htmx is configured not to inject it and the stylesheet carries its rules
    (tests/browser/test_first_hour.py watches the browser report no violation)."""
    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page
    assert page.index('name="htmx-config"') < page.index("htmx-2")  # read before htmx starts
    with open(finders.find("css/app.css"), encoding="utf-8") as css:
        assert ".htmx-request .htmx-indicator" in css.read()
