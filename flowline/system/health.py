"""Health checks behind `system/status/`. Other apps register theirs (broker, workers)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[], str]
    required: bool = True


_checks: dict[str, Check] = {}


def register(name: str, run: Callable[[], str], *, required: bool = True) -> None:
    """Add a check; `run` returns a state word and raises when the part is down."""
    _checks[name] = Check(name, run, required)


def run_all() -> tuple[bool, dict[str, str]]:
    """Run every check; healthy when every required one passed."""
    healthy, states = True, {}
    for check in _checks.values():
        try:
            states[check.name] = check.run()
        except Exception as exc:  # a health check reports failures, it never raises
            states[check.name] = f"down: {type(exc).__name__}"
            healthy = healthy and not check.required
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


register("database", _database)
register("cache", _cache)
