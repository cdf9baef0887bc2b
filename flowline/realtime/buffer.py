"""Per-room event ids and the bounded window of recent events kept for replay.

Redis when REDIS_URL is set (every web node and worker shares it), process memory
otherwise (embedded mode: one process). Either way a room nobody published to for a day
is forgotten (Redis by the keys' TTL, memory by a sweep): every job has a room of its own,
and the embedded process kept each one's events (about 4 KB a job) for its whole life,
memory that grew with every job run (found looking for what grows in the mixed load soak).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from functools import cache

import orjson
from django.conf import settings


class MemoryBuffer:
    TTL = 24 * 60 * 60  # as RedisBuffer's keys: a room idle this long is forgotten
    SWEEP_EVERY = 1000  # appends between two looks for idle rooms

    def __init__(self, window: int, *, clock=time.monotonic):
        self.window = window
        self._lock = threading.Lock()
        self._seq: dict[str, int] = {}
        self._events: dict[str, deque] = {}
        self._touched: dict[str, float] = {}  # least recently published to first
        self._clock = clock
        self._appends = 0

    def append(self, room: str, event: str, data: dict) -> int:
        """Give `data` the room's next `event_id`, keep it for replay, return the id."""
        with self._lock:
            return self._append_locked(room, event, data, self._clock())

    def append_many(self, rooms: list[str], event: str, data: dict) -> dict[str, dict]:
        """`append` of one event to several rooms at once: each room's copy of `data`
        (with its `room` and `event_id`), by room."""
        bodies = {room: {**data, "room": room} for room in rooms}
        with self._lock:
            now = self._clock()
            for room, body in bodies.items():
                self._append_locked(room, event, body, now)
        return bodies

    def _append_locked(self, room: str, event: str, data: dict, now: float) -> int:
        seq = self._seq.get(room, 0) + 1
        self._seq[room] = seq
        data["event_id"] = seq
        self._events.setdefault(room, deque(maxlen=self.window)).append((seq, event, data))
        self._touched.pop(room, None)
        self._touched[room] = now
        self._appends += 1
        if self._appends % self.SWEEP_EVERY == 0:
            self._forget_idle(now)
        return seq

    def _forget_idle(self, now: float) -> None:
        while self._touched:
            room, touched = next(iter(self._touched.items()))
            if now - touched <= self.TTL:
                return
            del self._touched[room]
            self._seq.pop(room, None)
            self._events.pop(room, None)

    def rooms(self) -> int:
        with self._lock:
            return len(self._seq)

    def last(self, room: str) -> int:
        with self._lock:
            return self._seq.get(room, 0)

    def since(self, room: str, last_id: int) -> list[tuple[int, str, dict]]:
        with self._lock:
            return [item for item in self._events.get(room, ()) if item[0] > last_id]


class RedisBuffer:
    TTL = 24 * 60 * 60

    def __init__(self, url: str, window: int):
        import redis

        self.redis = redis.Redis.from_url(url, **redis_timeouts())
        self.window = window

    def append(self, room: str, event: str, data: dict) -> int:
        seq = int(self.redis.incr(f"flowline:rt:seq:{room}"))
        data["event_id"] = seq
        key = f"flowline:rt:buf:{room}"
        pipe = self.redis.pipeline()
        pipe.zadd(key, {orjson.dumps([seq, event, data], default=str): seq})
        pipe.zremrangebyrank(key, 0, -self.window - 1)
        pipe.expire(key, self.TTL)
        pipe.expire(f"flowline:rt:seq:{room}", self.TTL)
        pipe.execute()
        return seq

    def append_many(self, rooms: list[str], event: str, data: dict, also=None) -> dict[str, dict]:
        """`append` of one event to several rooms in two round trips (the ids, then the
        events), whatever the number of rooms. `also(pipe, bodies)` may queue more
        commands on the second one (the Socket.IO publish)."""
        bodies = {room: {**data, "room": room} for room in rooms}
        pipe = self.redis.pipeline(transaction=False)
        for room in rooms:
            pipe.incr(f"flowline:rt:seq:{room}")
        for room, seq in zip(rooms, pipe.execute(), strict=True):
            bodies[room]["event_id"] = int(seq)
        pipe = self.redis.pipeline(transaction=False)
        for room, body in bodies.items():
            key = f"flowline:rt:buf:{room}"
            pipe.zadd(
                key, {orjson.dumps([body["event_id"], event, body], default=str): body["event_id"]}
            )
            pipe.zremrangebyrank(key, 0, -self.window - 1)
            pipe.expire(key, self.TTL)
            pipe.expire(f"flowline:rt:seq:{room}", self.TTL)
        if also is not None:
            also(pipe, bodies)
        pipe.execute()
        return bodies

    def last(self, room: str) -> int:
        return int(self.redis.get(f"flowline:rt:seq:{room}") or 0)

    def since(self, room: str, last_id: int) -> list[tuple[int, str, dict]]:
        rows = self.redis.zrangebyscore(f"flowline:rt:buf:{room}", f"({last_id}", "+inf")
        return [tuple(orjson.loads(row)) for row in rows]


def redis_timeouts() -> dict:
    """Timeouts for the Redis clients that publish: fail fast rather than stall the caller."""
    timeout = settings.FLOWLINE_REALTIME_REDIS_TIMEOUT
    return {"socket_timeout": timeout, "socket_connect_timeout": timeout}


@cache
def event_buffer() -> MemoryBuffer | RedisBuffer:
    window = settings.FLOWLINE_REALTIME_REPLAY_WINDOW
    if settings.REDIS_URL:
        return RedisBuffer(settings.REDIS_URL, window)
    return MemoryBuffer(window)
