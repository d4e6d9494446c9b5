"""One error shape for the API: {"error": {"code", "message", "article"?, "article_label"?,
"fields"?}}, the message and the article's label in the caller's language (Accept-Language)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from prosecution.audit import log as audit
from prosecution.lib.errors import RuleViolation, error_shape, is_api
from prosecution.public import refusals
from prosecution.public.ratelimit import RateLimited

# Refusals by the API's own permission and authentication checks (audited here; a service's
# refusal, RuleViolation "forbidden", was audited where the access policy said no).
DENIALS = (
    exceptions.PermissionDenied,
    exceptions.NotAuthenticated,
    exceptions.AuthenticationFailed,
    DjangoPermissionDenied,
)


def exception_handler(exc, context):
    if isinstance(exc, DENIALS):
        request = context.get("request")
        audit.denied(
            refusal=getattr(exc, "default_code", "permission_denied"),
            path=getattr(request, "path", ""),
            method=getattr(request, "method", ""),
        )
    elif isinstance(exc, Http404):
        _audit_hidden(context.get("view"))
    if isinstance(exc, RateLimited):
        if type(exc) is RateLimited:  # a citizen's door (staff's lockout is audited there)
            refusals.refused(exc.scope or "api", "rate_limited")
        body = {"error": {"code": exc.code, "message": exc.message}}
        return Response(
            body,
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, RuleViolation):
        # "article" is the key the code cites ("Art. 24(4)"), the same in every language, as
        # the terms' legal_basis is; "article_label" is how the reader's language cites it.
        error: dict[str, object] = {
            "code": exc.code,
            "message": exc.message,
            "article": exc.article,
            "article_label": exc.article_label,
        }
        if exc.field:
            # A value the rule refuses (prosecution/lib/errors.py): invalid input, in its field.
            error["fields"] = {exc.field: [exc.message]}
            return Response({"error": error}, status=status.HTTP_400_BAD_REQUEST)
        # "forbidden": the caller sees the record (the views look it up in their scope, so what
        # they cannot see is a 404 before any service runs) but their role may not do this.
        # Everything else the law or the state does not allow is a conflict.
        forbidden = exc.code == "forbidden"
        return Response(
            {"error": error},
            status=status.HTTP_403_FORBIDDEN if forbidden else status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, RequestDataTooBig):
        # DRF reads a JSON or form body through HttpRequest.body, which refuses one above
        # DATA_UPLOAD_MAX_MEMORY_SIZE; Django would answer with its HTML 400 (issue 14).
        return Response(_too_large(), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        # A service validated a value (e.g. an IIN's check digit): the field names are its own.
        return Response(_invalid(as_serializer_error(exc)), status=status.HTTP_400_BAD_REQUEST)
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
        body = _invalid(detail)
    response.data = body
    return response


def _audit_hidden(view) -> None:
    """A 404 of a detail route: if the record exists, it is out of the caller's scope, and that is
    a denial (one more query, on this path only)."""
    kwargs = getattr(view, "kwargs", None) or {}
    lookup_field = getattr(view, "lookup_field", "pk")
    value = kwargs.get(getattr(view, "lookup_url_kwarg", None) or lookup_field)
    if value is None:
        return
    try:
        model = view.get_queryset().model
        pk = model._default_manager.filter(**{lookup_field: value}).values_list("pk", flat=True)
        hidden = pk.first()
    except (DjangoValidationError, ValueError, TypeError, exceptions.APIException):
        return  # not a well-formed key: nothing was hidden
    if hidden is not None:
        meta = model._meta
        audit.denied((f"{meta.app_label}.{meta.model_name}", hidden, ""), checked="view")


def _invalid(fields) -> dict:
    return error_shape("invalid", _("Invalid input."), fields=fields)


def _cannot_read() -> str:
    return _("The request cannot be read.")


def _too_large() -> dict:
    return error_shape("too_large", _("The request is too large."))


# Outside DRF's views (a path no route matches, an error before a view runs), Django answers with
# HTML pages; under /api/ a client gets the API's error shape instead (docs/security.md 13).


def bad_request(request, exception):
    """A request Django itself refused (SuspiciousOperation: a body or a form too large, too many
    fields or files, a host not allowed; BadRequest)."""
    too_large = isinstance(exception, RequestDataTooBig)
    code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE if too_large else status.HTTP_400_BAD_REQUEST
    if is_api(request):
        body = _too_large() if too_large else error_shape("bad_request", _cannot_read())
        return JsonResponse(body, status=code)
    message = _("The request is too large.") if too_large else _cannot_read()
    return render(request, "400.html", {"message": message}, status=code)


def page_not_found(request, exception):
    if is_api(request):
        body = error_shape("not_found", _("Not found."))
        return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        body = error_shape("server_error", _("Server error."))
        return JsonResponse(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
