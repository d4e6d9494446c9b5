"""docs/security.md 26: no request answers 5xx, signed in or not. JSON nested too deep or too
large, NUL bytes and numbers or dates out of any sensible range get 400: in the API's error shape
(prosecution/api/errors.py) under /api/, and a page that says what was wrong elsewhere. One test
per door that fell (issue 14)."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000

# The doors that take a JSON body without signing in.
PUBLIC_JSON_DOORS = [
    "/api/v1/auth/token/",
    "/api/v1/receptions/public/bookings/",
    "/api/v1/receptions/public/manage/",
    # A fixed id: the test ids must be the same in every xdist worker that collects them.
    "/api/v1/receptions/public/bookings/00000000-0000-4000-8000-000000000000/confirm/",
]


def _is_error_shape(answer, code: str = "") -> bool:
    body = answer.json()
    assert answer["Content-Type"] == "application/json"
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return not code or body["error"]["code"] == code


@pytest.fixture
def token(cast):
    return Token.objects.create(user=cast.region_user).key


@pytest.mark.parametrize("path", PUBLIC_JSON_DOORS)
@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["list", "object"])
def test_json_nested_fifty_thousand_deep_is_refused_before_parsing(client, path, body):
    answer = client.post(path, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert _is_error_shape(answer, "parse_error")


def test_json_nested_a_little_is_still_read(client):
    """The limit is far above any real request: a body nested a few levels is parsed (and
    refused for what it says, not for its shape)."""
    body = '{"username": "x", "password": "y", "otp": [[[[1]]]]}'
    answer = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid"


def test_a_json_body_over_the_size_limit_is_refused_in_the_error_shape(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"username": "' + "x" * 2000 + '", "password": "y"}'
    answer = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert answer.status_code == 413
    assert _is_error_shape(answer, "too_large")


def test_a_nul_byte_in_the_public_office_search_is_a_400_page(client):
    answer = client.get("/reception/?q=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("text/html")
    assert b"it holds a NUL character" in answer.content


@pytest.mark.parametrize("path", ["/api/v1/appeals/", "/api/v1/deadlines/"])
def test_a_nul_byte_in_an_office_filter_is_a_400(client, token, path):
    answer = client.get(f"{path}?office=%00", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer.status_code == 400
    assert _is_error_shape(answer, "invalid")


def test_a_nul_byte_in_a_parameter_name_is_a_400(client, token):
    answer = client.get("/api/v1/offices/?a%00b=1", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer.status_code == 400
    assert _is_error_shape(answer, "invalid")


def test_a_nul_byte_in_a_form_field_is_a_400_page(client, cast):
    client.force_login(cast.a_user)
    answer = client.post("/reception/staff/book/", {"schedule": "\x00"})
    assert answer.status_code == 400


def test_a_term_that_would_end_past_the_calendar_is_a_400(client, token):
    answer = client.get(
        "/api/v1/calendar/compute/?start=9999-12-31&term=15", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert answer.status_code == 400
    assert _is_error_shape(answer, "invalid")
    assert "start" in answer.json()["error"]["fields"]


@pytest.mark.parametrize("year", ["99999999999999999999", "0", "10000"])
def test_a_calendar_year_out_of_range_is_a_400(client, token, year):
    answer = client.get(f"/api/v1/calendar/?year={year}", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer.status_code == 400
    assert _is_error_shape(answer, "invalid")
    assert "year" in answer.json()["error"]["fields"]


def test_a_form_over_the_size_limit_is_a_page_that_says_so(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = client.post("/reception/", {"q": "x" * 2000}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 413
    assert answer["Content-Type"].startswith("text/html")
    assert b"The request is too large." in answer.content


def test_the_depth_is_measured_without_recursion_and_ignores_strings():
    from prosecution.api.parsers import depth

    assert depth(b'{"a": [1, {"b": "[[[[{{{{"}], "c": "\\"]]"}') == 3
    assert depth(DEEP.encode()) == 50_000
    assert depth(b"") == 0


def test_a_nul_byte_in_a_cookie_is_a_400_before_the_session_is_read(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    answer = client.get("/reception/")
    assert answer.status_code == 400


@pytest.mark.parametrize("path", ["/appeal/", "/api/v1/auth/token/"])
def test_a_body_larger_than_any_record_is_refused_before_it_is_read(client, settings, path):
    """Issue 14: a 100 MB upload went to a temporary file before the 10 MB refusal. The length
    the client declares is enough to refuse it; the body is never read."""
    settings.REQUEST_MAX_BYTES = 1000
    answer = client.generic(
        "POST",
        path,
        b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="100000000",
    )
    assert answer.status_code == 413
    if path.startswith("/api/"):
        assert _is_error_shape(answer, "too_large")
