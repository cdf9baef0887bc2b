"""The base of every sandbox provider: a fake of an external API speaking its real protocol.

A provider runs either as its own threaded HTTP server on 127.0.0.1 and a free port (what
the tests start, `with FakeGraphAPI() as fake:`), or mounted inside Flowline under
`/sandbox/<name>/` (`mount(root)`, served by `flowline.sandbox.views`), where sandbox mode
points Flowline's real client code at it. The same `handle(request, reply)` answers both.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sequence:
    """Ids a provider hands out (`next(sequence)`), thread-safe; unlike `itertools.count`
    its position is saved with the sandbox's state, so ids given after a restart never
    repeat one given before (Flowline keeps them: a repeated Stripe event id is ignored)."""

    def __init__(self, start: int = 1) -> None:
        self.next_value = start
        self._lock = threading.Lock()

    def __iter__(self):
        return self

    def __next__(self) -> int:
        with self._lock:
            value, self.next_value = self.next_value, self.next_value + 1
            return value

    def advance_to(self, value: int) -> None:
        with self._lock:
            self.next_value = max(self.next_value, value)

    def __getstate__(self) -> dict:
        return {"next_value": self.next_value}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["next_value"])


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeServer:
    """Start with `start()`, stop with `stop()`; subclasses implement `handle(request)`.

    Every request is kept in `requests` (method, path, headers, json body, raw body) for
    assertions.
    `release` is set on stop, so handlers that hang ("slow" mode) return promptly.
    """

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._mounted_root = ""

    # How many requests a mounted provider keeps for inspection (a test server keeps all).
    mounted_history = 200
    # Called after each request a mounted provider answered (the sandbox saves its state).
    on_change = None
    # What belongs to the running process, not to the service: never saved.
    RUNTIME_ATTRIBUTES = frozenset(
        {"requests", "release", "on_change", "hang_seconds", "_lock", "_server", "_mounted_root"}
    )

    def snapshot(self) -> dict:
        """The service's state (tokens, posts, files...), to be restored by `restore`."""
        return {
            key: value
            for key, value in vars(self).items()
            if key not in self.RUNTIME_ATTRIBUTES and not _is_lock(value)
        }

    def restore(self, state: dict) -> None:
        vars(self).update(state)

    @property
    def root(self) -> str:
        if self._mounted_root:
            return self._mounted_root
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                fake._dispatch(self, "GET")

            def do_POST(self) -> None:
                fake._dispatch(self, "POST")

            def do_DELETE(self) -> None:
                fake._dispatch(self, "DELETE")

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def mount(self, root: str) -> FakeServer:
        """Serve inside Flowline at `root` (an absolute URL ending in /sandbox/<name>)."""
        self._mounted_root = root.rstrip("/")
        return self

    def receive(self, method: str, path: str, headers: dict, raw: bytes, reply) -> None:
        """Answer one request (`path` with its query, relative to `root`) through `reply`."""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = {
            "method": method,
            "path": path,
            "headers": {key.lower(): value for key, value in headers.items()},
            "json": body,
            "body": raw,
        }
        with self._lock:
            self.requests.append(request)
            if self._mounted_root and len(self.requests) > self.mounted_history:
                del self.requests[: -self.mounted_history]
        try:
            self.handle(request, reply)
        finally:
            if self.on_change is not None:
                self.on_change()

    def _dispatch(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        self.receive(method, handler.path, dict(handler.headers.items()), raw, Reply(handler))

    def handle(self, request: dict, reply: Reply) -> None:  # pragma: no cover
        raise NotImplementedError

    def bearer(self, request: dict) -> str:
        return request["headers"].get("authorization", "").removeprefix("Bearer ").strip()


_LOCKS = (type(threading.Lock()), type(threading.RLock()), threading.Event, threading.Condition)


def _is_lock(value) -> bool:
    return isinstance(value, _LOCKS)


class Reply:
    """Writes one response: JSON, raw bytes, or server-sent events."""

    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self.handler = handler

    def json(self, status: int, body, headers: dict | None = None) -> None:
        self.raw(status, json.dumps(body).encode(), "application/json", headers)

    def raw(self, status: int, data: bytes, content_type: str, headers=None) -> None:
        self.handler.send_response(status)
        self.handler.send_header("Content-Type", content_type)
        self.handler.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.handler.send_header(key, value)
        self.handler.end_headers()
        self.handler.wfile.write(data)

    def events(self, chunks: list) -> None:
        """An SSE stream: one `data:` line per chunk, then `data: [DONE]`."""
        self.handler.send_response(200)
        self.handler.send_header("Content-Type", "text/event-stream")
        self.handler.send_header("Cache-Control", "no-cache")
        self.handler.send_header("Connection", "close")
        self.handler.end_headers()
        for chunk in chunks:
            self.handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.handler.wfile.flush()
        self.handler.wfile.write(b"data: [DONE]\n\n")
        self.handler.wfile.flush()
        self.handler.close_connection = True
