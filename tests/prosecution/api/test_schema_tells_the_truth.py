"""docs/security.md 13: the API conforms to its schema (issue 13, point 12). A client generated
from /api/schema/ crashed on the first appeal it read: `earlier_appeal` was null in the answer
and a non-nullable uuid in the schema. So every GET of the API, list and detail, is called on the
demo data as people of several levels, and each answer is validated against the schema that
/api/schema/ serves (openapi-core: OpenAPI 3.0's nullable, path templates, content types). The
schema is in English whatever the caller's language, and offers request bodies as JSON only."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_core.exceptions import OpenAPIError

from appeals.models import ReceptionSchedule
from prosecution.accounts import tokens

pytestmark = pytest.mark.django_db

# People of every level of the demo: the General Prosecutor's Office, a region's head, a
# district's prosecutor (executor of appeals), the reception and the statistics officers.
PEOPLE = [
    "demo.pg",
    "demo.akmola.head",
    "demo.kokshetau.prosecutor",
    "demo.reception",
    "demo.statistics",
]
# Cyrillic, Kazakh letters included: none belongs in an English schema.
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _schema(client, **headers) -> dict:
    answer = client.get("/api/schema/", {"format": "json"}, **headers)
    assert answer.status_code == 200
    return json.loads(answer.content)


def _why(error: Exception) -> str:
    """The schema's own words for a mismatch: each field's path and what it broke."""
    errors = getattr(error.__cause__, "schema_errors", None) or []
    return (
        "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:150]}" for e in errors)
        or f"{type(error).__name__}: {str(error)[:300]}"
    )


def _filled(path: str, operation: dict, values: dict[str, str]) -> str | None:
    """The path with its parameters from `values`; None when one has no value."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            if parameter["name"] not in values:
                return None
            path = path.replace("{" + parameter["name"] + "}", values[parameter["name"]])
    return path


def _walk(client, document: dict, headers: dict) -> list[tuple[str, str, object]]:
    """GET every list, then every detail of the first row of each list (and every row's detail
    for the lists whose rows differ most: appeals, terms and checks), as the caller of `headers`;
    (path template, url, answer) for each call made."""
    calls: list[tuple[str, str, object]] = []
    gets = [(p, ops["get"]) for p, ops in document["paths"].items() if "get" in ops]
    lists = [(p, op) for p, op in gets if "{" not in p]
    details = [(p, op) for p, op in gets if "{" in p]
    rows: dict[str, list[dict]] = {}
    for path, _operation in lists:
        answer = client.get(path, {"limit": 500}, **headers)
        calls.append((path, path, answer))
        if answer.status_code == 200:
            body = answer.json()
            rows[path] = body["results"] if isinstance(body, dict) and "results" in body else body
    for path, operation in details:
        parent = path[: path.index("{")]
        listed = rows.get(parent, [])
        every = parent.rstrip("/").rsplit("/", 1)[-1] in {"appeals", "deadlines", "checks"}
        for row in listed if every else listed[:1]:
            if not isinstance(row, dict):
                continue
            values = {k: str(v) for k, v in row.items() if k in {"uuid", "id"}}
            if parent.endswith("public/offices/"):
                values = {"uuid": str(row.get("uuid", ""))}
            url = _filled(path, operation, values)
            if url is not None:
                calls.append((path, url, client.get(url, **headers)))
    # The GETs that need a query, or a path parameter taken from another list.
    schedule = ReceptionSchedule.objects.filter(is_active=True).select_related("office").first()
    assert schedule is not None
    asked = {
        "/api/v1/calendar/compute/": {"start": "2026-12-01", "term": 15, "unit": "working_days"},
        "/api/v1/receptions/public/slots/": {"schedule": str(schedule.uuid)},
    }
    for path, query in asked.items():
        calls.append((path, path, client.get(path, query, **headers)))
    for report in ("appeals", "checks", "acts"):  # the caller's own office, this month
        path = "/api/v1/reports/{report}/"
        calls.append(
            (
                path,
                path.replace("{report}", report),
                client.get(path.replace("{report}", report), **headers),
            )
        )
    path = "/api/v1/reports/{report}/trend/"  # the main figures by month, this year
    for report in ("appeals", "checks", "acts"):
        url = path.replace("{report}", report)
        calls.append((path, url, client.get(url, **headers)))
    path = "/api/v1/reports/{report}/{figure}/"
    url = "/api/v1/reports/appeals/received/"
    calls.append((path, url, client.get(url, {"period": "2026"}, **headers)))
    path = "/api/v1/receptions/public/offices/{uuid}/"
    url = path.replace("{uuid}", str(schedule.office.uuid))
    calls.append((path, url, client.get(url, **headers)))
    return calls


def test_every_get_answers_as_the_schema_says_on_the_demo_data(client):
    call_command("seed_demo", verbosity=0)
    document = _schema(client)
    api = OpenAPI.from_dict(document)
    answered, failures = set(), []
    for username in PEOPLE:
        token = tokens.issue(get_user_model().objects.get(username=username))[0]
        headers = {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_ACCEPT_LANGUAGE": "ru"}
        calls = _walk(client, document, headers)
        for path, url, answer in calls:
            if answer.status_code != 200:
                # A role that may not read a register is refused: that answer is checked too.
                assert answer.status_code in {400, 403, 404}, (username, url, answer.content)
            try:
                api.validate_response(
                    DjangoOpenAPIRequest(answer.wsgi_request), DjangoOpenAPIResponse(answer)
                )
            except OpenAPIError as error:  # every failure listed, not the first
                failures.append(f"{username} GET {url}: {_why(error)}")
            if answer.status_code == 200:
                answered.add(path)
    assert not failures, "\n".join(failures)
    # Every GET of the schema was answered with a 200 at least once: none went unchecked.
    gets = {p for p, operations in document["paths"].items() if "get" in operations}
    assert gets - answered == set()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_schema_is_in_english_whatever_the_callers_language(client, language):
    """Field titles and choices came out in Kazakh in an English schema (issue 13)."""
    asked = _schema(client, HTTP_ACCEPT_LANGUAGE=language)
    with_lang = json.loads(client.get("/api/schema/", {"format": "json", "lang": "kk"}).content)
    text = json.dumps(asked, ensure_ascii=False)
    assert not _CYRILLIC.search(text), _CYRILLIC.search(text)
    assert asked == with_lang == _schema(client)


def test_no_django_help_text_of_a_username_leaks_into_the_schema(client):
    """`decided_by` carried "Required. 150 characters or fewer…" of Django's User.username."""
    text = json.dumps(_schema(client))
    assert "150 characters" not in text and "Letters, digits and" not in text


def test_fields_that_can_be_null_are_nullable(client):
    components = _schema(client)["components"]["schemas"]
    detail = components["AppealDetail"]["properties"]
    for name in ("earlier_appeal", "executor", "decided_by", "complained_office", "redirected_on"):
        assert detail[name].get("nullable") is True, name
    for name in ("uuid", "reference", "office", "received_on"):
        assert not detail[name].get("nullable"), name
    # A list is empty, never null.
    assert not detail["co_executors"].get("nullable")
    booking = components["Booking"]["properties"]
    assert booking["passed_to"].get("nullable") and booking["appeal"].get("nullable")


def test_request_bodies_are_offered_as_json_only(client):
    """A body offered as JSON, form and multipart at once made openapi-python-client emit code
    that did not import (issue 13); no operation of the API uploads a file."""
    document = _schema(client)
    offered = {
        (method, path): set(operation["requestBody"]["content"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    assert offered and all(types == {"application/json"} for types in offered.values())


def test_a_form_body_is_refused_with_415_in_the_error_shape(client):
    body = {"username": "someone", "password": "secret"}
    answer = client.post("/api/v1/auth/token/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 415, answer.content
    assert answer.json()["error"]["code"] == "unsupported_media_type"
