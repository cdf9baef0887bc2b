"""Tests and outbound calls: allow-listing a local fake, and servers that stand for an
internal service and for a host that redirects to it.

The private-address guard is on in tests as everywhere. A fake on 127.0.0.1 is reached
only once its `host:port` is allow-listed for the test: `allow_private_host(settings,
fake.base_url)` in the fake's fixture (pytest-django's `settings` puts it back after).

`internal_service()` is a server that must never be reached (it answers like a cloud
metadata endpoint and records every request); `redirect_to(url)` answers every request
with a redirect there. A call site's test allow-lists the redirector as its provider,
makes the call, and checks that it was refused and that the internal service heard
nothing.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flowline.core import urlguard


def allow_private_host(settings, url: str) -> str:
    """Put the `host:port` of `url` on FLOWLINE_ALLOWED_PRIVATE_HOSTS for this test."""
    entry = urlguard.host_port(url)
    current = list(settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS)
    if entry not in current:
        settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = [*current, entry]
    return entry


class ScriptedServer:
    """An HTTP server on 127.0.0.1 answering each request with the next of `answers`
    ((status, headers, body); the last one repeats). `requests` records what came.
    With `hang=True` it reads the request and never answers (until `close()`)."""

    def __init__(self, *answers: tuple[int, dict, bytes], hang: bool = False) -> None:
        self.answers = list(answers) or [(200, {}, b"ok")]
        self.requests: list[dict] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                if hang:
                    server.release.wait(30)
                    return
                index = min(len(server.requests), len(server.answers)) - 1
                status, headers, data = server.answers[index]
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value.format(url=server.url))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> ScriptedServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@contextmanager
def internal_service():
    """A service on an internal address nobody allow-listed (think 169.254.169.254)."""
    with ScriptedServer((200, {"Content-Type": "text/plain"}, b"instance-secret")) as server:
        yield server


@contextmanager
def redirect_to(location: str, *, status: int = 302):
    """A server that answers every request with `status` and `Location: location`."""
    with ScriptedServer((status, {"Location": location}, b"")) as server:
        yield server
