"""Serving a sandbox provider inside Django: its `handle(request, reply)` answers a view."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import HttpResponse


class ViewReply:
    """A provider's `Reply`, collected into one Django response."""

    def __init__(self) -> None:
        self.response: HttpResponse | None = None
        # What a provider touches on a raw socket handler when it drops the connection.
        self.handler = SimpleNamespace(close_connection=False)

    def json(self, status: int, body, headers: dict | None = None) -> None:
        import json

        self.raw(status, json.dumps(body).encode(), "application/json", headers)

    def raw(self, status: int, data: bytes, content_type: str, headers=None) -> None:
        response = HttpResponse(data, status=status, content_type=content_type)
        for key, value in (headers or {}).items():
            response[key] = value
        self.response = response

    def events(self, chunks: list) -> None:
        import json

        lines = [f"data: {json.dumps(chunk)}\n\n" for chunk in chunks] + ["data: [DONE]\n\n"]
        self.raw(200, "".join(lines).encode(), "text/event-stream")


def serve(provider, request, path: str) -> HttpResponse:
    """Answer a Django request with `provider`, as if it were its own server at `path`."""
    query = request.META.get("QUERY_STRING", "")
    target = "/" + path + (f"?{query}" if query else "")
    headers = dict(request.headers.items())
    reply = ViewReply()
    provider.receive(request.method, target, headers, request.body, reply)
    if reply.response is None:
        # The provider held the answer back ("lost answer") and the client has gone.
        return HttpResponse(status=504)
    return reply.response
