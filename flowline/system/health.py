"""Health checks behind `system/status/`. Other apps register theirs (broker, workers)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[], str]
    required: bool = True
    # Other names the same state is reported under (IGNY8 calls the workers `celery`);
    # the check runs once.
    aliases: tuple[str, ...] = ()


_checks: dict[str, Check] = {}


def register(
    name: str, run: Callable[[], str], *, required: bool = True, aliases: tuple[str, ...] = ()
) -> None:
    """Add a check; `run` returns a state word and raises when the part is down."""
    _checks[name] = Check(name, run, required, aliases)


def run_all() -> tuple[bool, dict[str, str]]:
    """Run every check; healthy when every required one passed."""
    healthy, states = True, {}
    for check in _checks.values():
        try:
            states[check.name] = check.run()
        except Exception as exc:  # a health check reports failures, it never raises
            states[check.name] = f"down: {type(exc).__name__}"
            healthy = healthy and not check.required
        for alias in check.aliases:
            states[alias] = states[check.name]
    return healthy, states


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "connected"


def _cache() -> str:
    key = f"flowline:health:{uuid.uuid4().hex}"
    cache.set(key, "1", 5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)
    return "connected"


def _redis() -> str:
    """Redis itself (cache, broker, throttles, Socket.IO share it when REDIS_URL is set);
    the embedded installation runs without it."""
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "connected"


register("database", _database)
register("cache", _cache)
register("redis", _redis)
