"""One exception handler turns every failure into the error envelope."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from flowline.core.envelope import EnvelopedResponse, dumps, error_body, first_message
from flowline.core.errors import ApplicationError
from flowline.core.tenancy import TenancyError

logger = logging.getLogger("flowline.errors")

try:  # Redis backs the cache and throttles when REDIS_URL is set
    from redis.exceptions import ConnectionError as _RedisConnectionError
    from redis.exceptions import TimeoutError as _RedisTimeoutError

    BACKING_SERVICE_ERRORS: tuple[type[BaseException], ...] = (
        _RedisConnectionError,
        _RedisTimeoutError,
    )
except ImportError:  # pragma: no cover (redis is a dependency; embedded mode may lack it)
    BACKING_SERVICE_ERRORS = ()

_CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "parse_error",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def _code_for(exc: exceptions.APIException) -> str:
    for cls in type(exc).__mro__:
        if cls in _CODES:
            code = _CODES[cls]
            break
    else:
        code = "error"
    detail_code = getattr(getattr(exc, "detail", None), "code", None)
    # simplejwt reports token problems as "token_not_valid"; keep such specific codes.
    if (
        isinstance(detail_code, str)
        and detail_code not in {"invalid", "error"}
        and code in {"authentication_failed", "permission_denied", "not_authenticated"}
    ):
        return detail_code
    if isinstance(exc.detail, dict) and isinstance(exc.detail.get("code"), str):
        return str(exc.detail["code"])
    return code


def flowline_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error path answers in the envelope."""
    request = context.get("request")
    if isinstance(exc, ApplicationError):
        body = error_body(
            message=exc.message, code=exc.code, errors=exc.errors, request=request, **exc.extra
        )
        return EnvelopedResponse(body, status=exc.status_code)
    if BACKING_SERVICE_ERRORS and isinstance(exc, BACKING_SERVICE_ERRORS):
        # A backing service that the request truly needs (the shared cache holding OAuth
        # state, ...) is unreachable: a retryable 503. Throttles never get here: they
        # fall back to counting in the process (core.throttles).
        logger.error("Backing service unavailable", exc_info=exc)
        body = error_body(
            message="A service Flowline depends on is unavailable; try again shortly.",
            code="service_unavailable",
            request=request,
        )
        return EnvelopedResponse(body, status=503, headers={"Retry-After": "5"})
    if isinstance(exc, (ProtectedError, RestrictedError)):
        # A delete that other rows still point at (on_delete=PROTECT/RESTRICT): a conflict
        # the client can resolve, not a crash.
        body = error_body(
            message="It is still in use by other records; remove those first.",
            code="in_use",
            request=request,
        )
        return EnvelopedResponse(body, status=409)
    if isinstance(exc, RequestDataTooBig):
        exc = exceptions.APIException("Request body is too large.")
        exc.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        return EnvelopedResponse(
            error_body(message=str(exc.detail), code="payload_too_large", request=request),
            status=413,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, (SuspiciousOperation,)):
        exc = exceptions.ParseError(str(exc) or "Bad request.")
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()

    response = drf_exception_handler(exc, context)
    if response is None:
        if isinstance(exc, TenancyError):
            logger.error("Tenancy violation", exc_info=exc)
        else:
            logger.exception("Unhandled API error", exc_info=exc)
        return EnvelopedResponse(
            error_body(message="Internal server error.", code="server_error", request=request),
            status=500,
        )

    detail = response.data
    errors = {}
    if isinstance(exc, exceptions.ValidationError):
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = first_message(detail) or "Invalid input."
    else:
        message = first_message(detail) or str(exc)
        if isinstance(detail, dict):
            errors = {k: v for k, v in detail.items() if k not in {"detail", "code", "messages"}}
    body = error_body(message=message, code=_code_for(exc), errors=errors, request=request)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait + 0.999)
    enveloped = EnvelopedResponse(body, status=response.status_code)
    for name, value in response.items():
        enveloped[name] = value
    return enveloped


def _api_or_default(status_code: int, message: str, code: str, default_name: str):
    """Django's own error views: the envelope under /api/, Django's pages elsewhere."""

    def view(request, exception=None):
        if request.path.startswith("/api/"):
            body = error_body(message=message, code=code, request=request)
            return HttpResponse(dumps(body), status=status_code, content_type="application/json")
        default = getattr(defaults, default_name)
        return default(request) if status_code == 500 else default(request, exception)

    return view


handler400 = _api_or_default(400, "Bad request.", "bad_request", "bad_request")
handler403 = _api_or_default(403, "Permission denied.", "permission_denied", "permission_denied")
handler404 = _api_or_default(404, "Not found.", "not_found", "page_not_found")
handler500 = _api_or_default(500, "Internal server error.", "server_error", "server_error")
