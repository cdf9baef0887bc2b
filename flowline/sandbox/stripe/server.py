"""Serving the fake Stripe over HTTP, form-encoded as the SDK sends its requests.

In tests the fake is a real HTTP server on 127.0.0.1 (a thread, `FakeStripeServer`); in
sandbox mode Flowline serves it at /sandbox/stripe/ through `answer()`. Both decode
Stripe's bracket notation (`a[b][0][c]=v`) the same way.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from flowline.sandbox.stripe.fake_stripe import FakeStripe


def parse_form(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding back into structures: a[b][0][c]=v -> {"a": {"b": [{"c": v}]}}."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    converted = {k: _lists(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


def answer(fake: FakeStripe, method: str, path: str, query: str, body: str, headers: dict):
    """(status, JSON payload) of one request, form-encoded as the SDK sends them."""
    params = parse_form(parse_qsl(query if method == "GET" else body, True))
    with fake.lock:
        return fake.handle(method, path, params, {k.lower(): v for k, v in headers.items()})


class _Handler(BaseHTTPRequestHandler):
    fake: FakeStripe

    def log_message(self, format, *args):  # quiet test output
        pass

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        headers = dict(self.headers.items())
        status, payload = answer(self.fake, method, url.path, url.query, body, headers)
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("Request-Id", f"req_fake{len(self.fake.requests)}")
        if status >= 400:
            self.send_header("Stripe-Should-Retry", "false")
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_DELETE(self):
        self._serve("DELETE")


class FakeStripeServer:
    """`with FakeStripeServer() as server:` serves `server.fake` at `server.url`."""

    def __init__(self) -> None:
        self.fake = FakeStripe()
        handler = type("Handler", (_Handler,), {"fake": self.fake})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeStripeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> FakeStripeServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
