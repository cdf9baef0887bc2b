"""A real webhook receiver on 127.0.0.1 and helpers to read what it got."""

import hashlib
import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config.celery import app as celery_app
from flowline.core.testing.outbound import allow_private_host


class Receiver:
    """An HTTP endpoint in a thread that records every request and answers `status`
    (with `body`, and a `Location` header when told to redirect)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.body = b"thanks"
        self.location = ""
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    """A receiver whose address is allow-listed for the test."""
    server = Receiver()
    allow_private_host(settings, server.url)
    yield server
    server.close()


@pytest.fixture
def eager_tasks():
    """Celery tasks queued during the test run at once, in this thread."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def signature_is_valid(secret: str, request: dict) -> bool:
    """What a receiver does: HMAC-SHA256 over "<t>.<raw body>", constant-time compare."""
    parts = dict(
        item.split("=", 1) for item in request["headers"]["X-Flowline-Signature"].split(",")
    )
    expected = hmac.new(
        secret.encode(), f"{parts['t']}.".encode() + request["body"], hashlib.sha256
    ).hexdigest()
    return parts["t"] == request["headers"]["X-Flowline-Timestamp"] and hmac.compare_digest(
        expected, parts["v1"]
    )
