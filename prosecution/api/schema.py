"""The API's error answers in its OpenAPI schema (docs/security.md 13: the API conforms to its
schema).

drf-spectacular documents what a view returns when all goes well. Every operation can also answer
with the one error shape of prosecution/api/errors.py: 400 (invalid input), 401 (no or a bad
token), 403 (the role may not), 404 (outside the caller's scope, or no such record), 429 (a rate
limit), and an operation that changes something 409 (the law or the record's state does not allow
it now). A postprocessing hook adds them, so that a client, and schemathesis, know them."""

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "article": {"type": "string", "nullable": True},
                "article_label": {"type": "string", "nullable": True},
                "fields": {"type": "object", "additionalProperties": True},
            },
        }
    },
}

_ERRORS = {
    "400": "Invalid input",
    "401": "Not signed in, or the token is not valid",
    "403": "The caller's role may not do this",
    "404": "Not found in the caller's scope",
    "409": "Not allowed by the law or the record's state",
    "429": "Too many requests: try again later",
}
_CHANGES = {"post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "head", *_CHANGES}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in _ERRORS.items():
                if status == "409" and method not in _CHANGES:
                    continue
                responses.setdefault(status, {"description": description, "content": body})
    return result
