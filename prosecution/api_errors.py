"""One error shape for the API: {"error": {"code", "message", "article"?, "fields"?}}."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from prosecution.errors import RuleViolation
from prosecution.ratelimit import RateLimited


def exception_handler(exc, context):
    if isinstance(exc, RateLimited):
        body = {"error": {"code": exc.code, "message": exc.message}}
        return Response(
            body,
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, RuleViolation):
        body = {"error": {"code": exc.code, "message": exc.message, "article": exc.article}}
        return Response(body, status=status.HTTP_409_CONFLICT)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        body = {
            "error": {
                "code": getattr(detail["detail"], "code", "error"),
                "message": str(detail["detail"]),
            }
        }
    else:
        body = {"error": {"code": "invalid", "message": "Invalid input.", "fields": detail}}
    response.data = body
    return response
