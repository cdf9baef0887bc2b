"""A real Flowline ASGI server (Django + Socket.IO + embedded worker) on 127.0.0.1 for tests."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest
import socketio
import uvicorn

from flowline.core.testing.redis_server import RedisServer
from flowline.core.testing.throwaway import free_port


@contextmanager
def live_asgi_server(timeout: float = 20.0):
    """Serve `config.asgi.application` in a thread; yields its base URL."""
    # A fresh server replays no event of earlier tests: their rows' ids come back after
    # a rollback, so an in-memory replay buffer would hand one test's `agent_1` events to
    # the next (as a restarted process's memory would not).
    from flowline.realtime import buffer

    buffer.event_buffer.cache_clear()
    shared = buffer.event_buffer()
    if isinstance(shared, buffer.RedisBuffer):  # kept in Redis between tests
        for key in shared.redis.scan_iter("flowline:rt:buf:*"):
            shared.redis.delete(key)
    port = free_port()
    config = uvicorn.Config(
        "config.asgi:application",
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name="live-asgi")
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:  # readiness, not timing: bounded by the deadline
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live ASGI server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=timeout)


class EventRecorder:
    """Collects Socket.IO events and lets a test wait for one that matches."""

    def __init__(self):
        self.events: list[tuple[str, dict]] = []
        self._changed = threading.Condition()

    def record(self, name: str):
        def handler(data):
            with self._changed:
                self.events.append((name, data))
                self._changed.notify_all()

        return handler

    def wait_for(self, predicate, timeout: float = 15.0):
        """The first recorded (name, data) matching `predicate`; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for name, data in self.events:
                    if predicate(name, data):
                        return name, data
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no matching event; saw {[n for n, _ in self.events]}")
                self._changed.wait(remaining)

    def of(self, name: str) -> list[dict]:
        with self._changed:
            return [data for event, data in self.events if event == name]


EVENTS = ("task_update", "agent_action", "pipeline_update", "notification", "chat_message")


def member_token(member) -> str:
    """The access token a test member signs in with (its API client's Bearer header)."""
    return member.client._credentials["HTTP_AUTHORIZATION"].split(" ", 1)[1]


def connect_client(
    base_url: str,
    *,
    auth=None,
    headers=None,
    transports=("websocket",),
    join: tuple[str, ...] = (),
    events=EVENTS,
) -> tuple[socketio.Client, EventRecorder]:
    """A Socket.IO client connected to /api/socket.io that records `events`; joins each
    room in `join` (failing the test if a join is refused)."""
    recorder = EventRecorder()
    client = socketio.Client(reconnection=False)
    for name in events:
        client.on(name, recorder.record(name))
    client.connect(
        base_url,
        socketio_path="api/socket.io",
        auth=auth,
        headers=headers or {},
        transports=list(transports),
        wait_timeout=10,
    )
    for room in join:
        answer = client.call("join", {"room": room}, timeout=5)
        assert answer["ok"], answer
    return client, recorder


@pytest.fixture
def realtime_redis(settings):
    """Real-time events through a Redis of this test's own, which it may pause: the path
    events and room closings take between processes and nodes."""
    from flowline.realtime import buffer, public

    if not RedisServer.available():
        pytest.skip("needs redis-server to run a Redis of the test's own")
    with RedisServer() as server:
        settings.REDIS_URL = server.url
        public._redis_emitter.cache_clear()
        buffer.event_buffer.cache_clear()
        try:
            yield server
        finally:
            public._redis_emitter.cache_clear()
            buffer.event_buffer.cache_clear()
