"""Pages call the API in process, as a client would, and render what it answers.

A page that lists, creates, updates or runs an action on something the API already serves
calls that endpoint's view with a sub-request carrying the member's cookies: the same
authentication, roles, tenancy, throttles, validation, services and envelope as any
client. Nothing about the rules is written again for the console, and every action of the
console is, by construction, possible through the API.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest


@dataclass(frozen=True)
class Answer:
    """What the API answered: its status and its JSON body (the envelope)."""

    status: int
    body: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def message(self) -> str:
        return self.body.get("message") or self.body.get("error") or ""

    @property
    def errors(self) -> dict:
        """Field errors, as lists of strings (nested ones flattened into their field)."""
        found = self.body.get("errors") or {}
        if not isinstance(found, dict):
            return {}
        return {name: _strings(value) for name, value in found.items()}

    @property
    def code(self) -> str:
        return self.body.get("code", "")


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{k}: {'; '.join(_strings(v))}" for k, v in value.items()]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [str(value)]


class Endpoint:
    """One API view, called in process: `Endpoint(SiteViewSet, {"get": "list"})`."""

    def __init__(self, view_class, actions: dict | None = None):
        self.view = view_class.as_view(actions) if actions else view_class.as_view()

    def call(
        self,
        request,
        method: str = "GET",
        *,
        query: dict | None = None,
        body: dict | None = None,
        files: dict | None = None,
        **url_kwargs,
    ) -> Answer:
        """`files` (name -> uploaded file) sends `body` and the files as multipart/form-data,
        for the API's upload endpoints."""
        sub = _sub_request(request, method, query=query, body=body, files=files)
        response = self.view(sub, **url_kwargs)
        if hasattr(response, "render"):
            response.render()
        content = response.content
        return Answer(response.status_code, orjson.loads(content) if content else {})


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + str(value).encode() + b"\r\n")
    for name, upload in files.items():
        filename = (getattr(upload, "name", "") or name).replace('"', "")
        kind = getattr(upload, "content_type", None) or "application/octet-stream"
        upload.seek(0)
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
        )
        parts.append(head.encode() + upload.read() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _sub_request(
    request, method: str, *, query: dict | None, body: dict | None, files: dict | None = None
) -> WSGIRequest:
    """A request with the member's headers and cookies, and a JSON (or, with files,
    multipart) body of our choosing."""
    if files:
        raw, content_type = _multipart(body or {}, files)
    else:
        raw = orjson.dumps(body) if body is not None else b""
        content_type = "application/json" if raw else ""
    environ = {
        key: value
        for key, value in request.META.items()
        if key.startswith(("HTTP_", "SERVER_", "REMOTE_")) or key in ("wsgi.url_scheme",)
    }
    environ.pop("HTTP_AUTHORIZATION", None)
    environ.update(
        {
            "REQUEST_METHOD": method,
            "PATH_INFO": request.path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": urlencode(query or {}, doseq=True),
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(raw)),
            "wsgi.input": io.BytesIO(raw),
            "wsgi.url_scheme": request.scheme,
        }
    )
    # The page has checked the double-submit token already (a form may carry it in a
    # field); the API's check reads the header.
    token = request.COOKIES.get(settings.AUTH_COOKIE_CSRF)
    if token:
        environ[settings.AUTH_CSRF_HEADER] = token
    sub = WSGIRequest(environ)
    sub.request_id = getattr(request, "request_id", None)  # type: ignore[attr-defined]
    return sub
