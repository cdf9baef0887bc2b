"""Request-level plumbing: request ids, body limits, a clean tenant context per request."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.http import HttpResponse

from flowline.core import tenancy
from flowline.core.envelope import dumps, error_body

# What a client may send as X-Request-ID (and look its metrics up by).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (the client's X-Request-ID when sane) and echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class BodySizeLimitMiddleware:
    """Answers 413 before reading a body larger than the API accepts.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE only guards `request.body`; DRF's parsers read
    the stream directly, so the limit is enforced here from Content-Length.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(length)
        except ValueError:
            size = 0
        is_upload = request.content_type == "multipart/form-data"
        limit = (
            settings.FLOWLINE_MAX_UPLOAD_BYTES if is_upload else settings.FLOWLINE_MAX_BODY_BYTES
        )
        if size > limit and request.path.startswith("/api/"):
            body = error_body(
                message=f"Request body is too large (limit {limit} bytes).",
                code="payload_too_large",
                request=request,
            )
            return HttpResponse(dumps(body), status=413, content_type="application/json")
        return self.get_response(request)


class TenantContextMiddleware:
    """Starts every request with no active account and clears it afterwards.

    Authentication activates the account from the token; the admin (staff only) works
    across accounts through the explicit bypass.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = tenancy.activate(None)
        try:
            if request.path.startswith(settings.FLOWLINE_ADMIN_PATH):
                with tenancy.dangerously_bypass_tenancy():
                    return self.get_response(request)
            return self.get_response(request)
        finally:
            tenancy.deactivate(token)
