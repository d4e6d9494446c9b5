"""docs/security.md 13: the API never answers 5xx and conforms to its OpenAPI schema. Schemathesis
generates requests from the schema that drf-spectacular publishes (the one /api/schema/ serves)
and sends them through the WSGI application (no server), as a member of staff of a regional office
with a token; every response is checked: no server error, a status, content type and body that
the schema declares."""

import json
from urllib.parse import quote

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from prosecution.wsgi import application

pytestmark = pytest.mark.django_db

# Built at collection, without a request or the database (pytest-schemathesis's fixture loader
# does not run on pytest 9); the same document as GET /api/schema/.
_document = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(_document)))
schema.app = application


@pytest.fixture
def token(cast, settings):
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis's WSGI requests name this host
    # As Django's test client does: a request must not close the test's database connection
    # (the test's transaction, and SQLite's in-memory database, would go with it).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield Token.objects.get_or_create(user=cast.region_user)[0].key
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=4,  # per operation; ~60 operations on both databases
    deadline=None,
    derandomize=True,  # the same requests every run: a failure here is reproducible
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        # Left out, on purpose: the schema cannot say everything the services check (an office
        # the caller may address, a date the law allows), so a schema-valid request may be
        # refused (400/409); and the list filters ignore a value they do not know, as DRF's
        # filters do, rather than refuse it. Every answer is still checked for a 5xx and
        # against the schema.
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


def test_a_path_no_route_matches_answers_in_the_api_error_shape(client):
    answer = client.get("/api/v1/appeals/0.5/assign/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
    assert answer.json() == {"error": {"code": "not_found", "message": "Not found."}}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_every_operation_documents_the_error_answers(client):
    document = client.get("/api/schema/", {"format": "json"}).json()
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "404", "429"} | ({"409"} if method != "get" else set())
            assert expected <= set(operation["responses"]), (method, path)


# Hostile inputs at every operation of the schema (docs/security.md 26, issue 14): a new route is
# covered by default. Each operation is called signed in and not: a body nested 50,000 deep, and
# every parameter (query and path) a NUL byte or a number out of any range; the answer is never
# a 5xx, and under /api/ always the error shape.
_OPERATIONS = [
    (method.upper(), path, operation)
    for path, operations in _document["paths"].items()
    for method, operation in operations.items()
    if method in {"get", "post", "put", "patch", "delete"}
]
_DEEP = "[" * 50_000 + "]" * 50_000
_HOSTILE_VALUES = {
    "nul": "\x00",
    "huge": "9" * 30,
    "far_date": "9999-12-31",
    "year_one": "0001-01-01",
}


def _url(path: str, operation: dict, value: str) -> str:
    filled = path
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            schema = parameter.get("schema", {})
            given = (
                "00000000-0000-4000-8000-000000000000" if schema.get("format") == "uuid" else value
            )
            filled = filled.replace("{" + parameter["name"] + "}", quote(given, safe=""))
    return filled


def _query(operation: dict, value: str) -> dict:
    return {p["name"]: value for p in operation.get("parameters", []) if p["in"] == "query"}


@pytest.mark.parametrize("signed_in", [True, False], ids=["token", "anonymous"])
@pytest.mark.parametrize(
    ("method", "path", "operation"), _OPERATIONS, ids=[f"{m} {p}" for m, p, _o in _OPERATIONS]
)
def test_no_operation_answers_5xx_to_hostile_input(
    client, token, method, path, operation, signed_in
):
    headers = {"HTTP_HOST": "localhost"}  # the host the token fixture allows
    if signed_in:
        headers["HTTP_AUTHORIZATION"] = f"Token {token}"
    answers = []
    if method in {"POST", "PUT", "PATCH"}:
        url = _url(path, operation, "1")
        answers.append(
            client.generic(method, url, _DEEP, content_type="application/json", **headers)
        )
    for value in _HOSTILE_VALUES:
        url = _url(path, operation, value)
        if method == "GET":
            answers.append(client.get(url, _query(operation, value), **headers))
        else:
            body = json.dumps({"value": value})
            answers.append(
                client.generic(method, url, body, content_type="application/json", **headers)
            )
    for answer in answers:
        assert answer.status_code < 500, (method, path, answer.status_code)
        if answer.status_code >= 400:
            body = answer.json()
            assert set(body) >= {"error"}, (method, path, body)
            assert body["error"]["code"] != "bad_request", "the request never reached the view"
