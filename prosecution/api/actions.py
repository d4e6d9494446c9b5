"""One POST route per action on one record, the same way in every app's API (appeals/api.py,
supervision/api.py, supervision/functions/api.py, acts/api.py): look the record up in the caller's
scope (404 before any input is read), validate the input, call one service with the record, the
caller and the input, and answer with the record as it is now (the viewset's `detail_response`,
or the route's own `answer`)."""

import inspect
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response


def caller(request: Request) -> User:
    """The signed-in caller (the API's permission classes let no one else through)."""
    user = request.user
    assert isinstance(user, User)
    return user


def record_action(
    name: str,
    input_serializer: Any,
    service: Callable[..., object],
    summary: str,
    *,
    path: str,
    operation_id: str,
    responses: dict[int, Any],
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    answer: Callable[[Any, Any, object], Response] | None = None,
) -> Any:
    """The route `path` of a viewset attribute `name`; `prepare` adapts the validated input to
    the service's keywords, if they differ; `answer(viewset, record, what the service returned)`
    replaces the record's detail as the answer."""

    def handler(self: Any, request: Request, uuid: str | None = None) -> Response:
        record = self.get_object()
        data = input_serializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        result = service(record, by=caller(request), **(prepare(values) if prepare else values))
        if answer is not None:
            return answer(self, record, result)
        return self.detail_response(record.uuid)

    handler.__name__ = name
    routed = action(detail=True, methods=["post"], url_path=path, url_name=path)(handler)
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=inspect.cleandoc(service.__doc__ or ""),
        request=input_serializer,
        responses=responses,
    )(routed)
