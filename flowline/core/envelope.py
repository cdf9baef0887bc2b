"""The response envelope: one renderer wraps every API response.

Success: {"success": true, "data": ..., "message": ...}
Lists:   {"success": true, "count", "next", "previous", "results"} (built by the paginator)
Errors:  {"success": false, "error", "errors", "code", "request_id"} (built by the handler)

Views return plain data; the renderer wraps it unless the response says it is already
enveloped. `ok()` is for views that want to add a message or a status.
"""

from __future__ import annotations

import decimal
import json
import uuid
from typing import Any

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.utils import encoders

_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z


def _default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def dumps(value: Any) -> bytes:
    """Serialize to JSON bytes the way every Flowline response does."""
    try:
        return orjson.dumps(value, default=_default, option=_ORJSON_OPTIONS)
    except TypeError as error:  # orjson.JSONEncodeError
        if "64-bit" not in str(error):
            raise
    # A JSON document a client stored may hold integers beyond 64 bits, which JSON allows
    # and orjson cannot write: the standard library can (rare, so the slow path is fine).
    return json.dumps(
        value, cls=_FallbackEncoder, ensure_ascii=False, separators=(",", ":")
    ).encode()


class _FallbackEncoder(encoders.JSONEncoder):
    def default(self, value):
        try:
            return _default(value)
        except TypeError:
            return super().default(value)


class EnvelopedResponse(Response):
    """A response whose data is already in envelope form."""

    is_enveloped = True


def ok(
    data: Any = None, *, message: str | None = None, status: int = 200, headers=None
) -> Response:
    """A success envelope with an optional human-readable message."""
    return EnvelopedResponse(
        {"success": True, "data": data, "message": message}, status=status, headers=headers
    )


class EnvelopeJSONRenderer(BaseRenderer):
    """Renders JSON with orjson and wraps bare data in the envelope."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and not getattr(response, "is_enveloped", False):
            if response.status_code >= 400:
                data = error_body(
                    message=_first_message(data) or "Request failed.",
                    code="error",
                    errors=data if isinstance(data, dict) else {},
                    request=(renderer_context or {}).get("request"),
                )
            elif response.status_code != 204:
                data = {"success": True, "data": data, "message": None}
        if data is None:
            return b""
        return dumps(data)


def error_body(*, message: str, code: str, errors: Any = None, request=None, **extra) -> dict:
    """The error envelope, shared by the exception handler and Django's own error views."""
    body = {
        "success": False,
        "error": message,
        "errors": errors or {},
        "code": code,
        "request_id": getattr(request, "request_id", None),
    }
    body.update(extra)
    return body


def _first_message(data: Any) -> str | None:
    """The first human-readable message in a DRF error structure."""
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        if "detail" in data:
            return _first_message(data["detail"])
        for key, value in data.items():
            message = _first_message(value)
            if message:
                return message if key == "non_field_errors" else f"{key}: {message}"
    if isinstance(data, list) and data:
        return _first_message(data[0])
    return None


first_message = _first_message
