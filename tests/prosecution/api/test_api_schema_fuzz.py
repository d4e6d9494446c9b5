"""SECURITY.md 13: the API never answers 5xx and conforms to its OpenAPI schema. Schemathesis
generates requests from the schema that drf-spectacular publishes (the one /api/schema/ serves)
and sends them through the WSGI application (no server), as a member of staff of a regional office
with a token; every response is checked: no server error, a status, content type and body that
the schema declares."""

import json

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
