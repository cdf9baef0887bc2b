"""Per-room event ids and the bounded window of recent events kept for replay.

Redis when REDIS_URL is set (every web node and worker shares it), process memory
otherwise (embedded mode: one process).
"""

from __future__ import annotations

import threading
from collections import deque
from functools import cache

import orjson
from django.conf import settings


class MemoryBuffer:
    def __init__(self, window: int):
        self.window = window
        self._lock = threading.Lock()
        self._seq: dict[str, int] = {}
        self._events: dict[str, deque] = {}

    def append(self, room: str, event: str, data: dict) -> int:
        """Give `data` the room's next `event_id`, keep it for replay, return the id."""
        with self._lock:
            seq = self._seq.get(room, 0) + 1
            self._seq[room] = seq
            data["event_id"] = seq
            self._events.setdefault(room, deque(maxlen=self.window)).append((seq, event, data))
            return seq

    def append_many(self, rooms: list[str], event: str, data: dict) -> dict[str, dict]:
        """`append` of one event to several rooms at once: each room's copy of `data`
        (with its `room` and `event_id`), by room."""
        bodies = {room: {**data, "room": room} for room in rooms}
        with self._lock:
            for room, body in bodies.items():
                seq = self._seq.get(room, 0) + 1
                self._seq[room] = seq
                body["event_id"] = seq
                self._events.setdefault(room, deque(maxlen=self.window)).append((seq, event, body))
        return bodies

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
