"""The API's error answers in its OpenAPI schema (docs/security.md 13: the API conforms to its
schema).

drf-spectacular documents what a view returns when all goes well. Every operation can also answer
with the one error shape of prosecution/api/errors.py: 400 (invalid input), 401 (no or a bad
token), 403 (the role may not), 404 (outside the caller's scope, or no such record), 429 (a rate
limit), and an operation that changes something 409 (the law or the record's state does not allow
it now). A postprocessing hook adds them, so that a client, and schemathesis, know them.

The schema is one document in English, whatever the caller's language (issue 13: field titles
came out in Kazakh): SchemaView renders it under English, and the schema of each view is
AutoSchema's (below).
SchemaView lives in prosecution/api/views.py: drf-spectacular's views import the schema class."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from rest_framework import serializers

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


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema of a view, made to tell the truth where it guessed (issue 13: a
    generated client crashed on the first appeal it read).

    - A declared read-only field that follows a nullable model field (`earlier_appeal`,
      `executor`, `decided_by` as a username …) is nullable: DRF's ModelSerializer passes
      null=True on as allow_null only to the fields it builds itself.
    - A read-only choice of a model field that may be blank may answer "".
    - A field that names a related record by its slug does not take the slug field's help text
      (Django's "Required. 150 characters or fewer…" of a username, said of `decided_by`).
    - An optional choice whose default is not a choice (an empty string for "none given") has no
      default in the schema: "" is not a value a client may send, and the schema was invalid."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not schema:
            return schema
        if isinstance(field, serializers.RelatedField) and not field.help_text:
            schema.pop("description", None)
        enum = schema.get("enum")
        if enum is not None and "" not in enum and _answers_blank(field):
            schema["enum"] = [*enum, ""]
        return schema

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if not meta.get("nullable") and any(f.null for f in _source_fields(field)):
            meta["nullable"] = True
        if (
            isinstance(field, serializers.ChoiceField)
            and "default" in meta
            and meta["default"] not in field.choices
        ):
            del meta["default"]
        return meta


def _source_fields(field) -> list:
    """The model fields a read-only field's source follows, up to its first step that is not
    a concrete model field (a property, a method, a list); [] for a field that takes input."""
    source = getattr(field, "source", None)
    if not getattr(field, "read_only", False) or not source or source == "*":
        return []
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    followed = []
    for attribute in source.split("."):
        try:
            model_field = model._meta.get_field(attribute) if model is not None else None
        except FieldDoesNotExist:
            model_field = None
        # A list (reverse or many-to-many) is empty, never null.
        if model_field is None or not model_field.concrete or model_field.many_to_many:
            break
        followed.append(model_field)
        model = model_field.related_model
    return followed


def _answers_blank(field) -> bool:
    """A read-only choice whose model field may be blank answers "" (DRF drops allow_blank from
    the fields it makes read-only): the checks' `ground`, `exempt_kind` …"""
    followed = _source_fields(field)
    return bool(followed) and followed[-1].blank and not followed[-1].is_relation
