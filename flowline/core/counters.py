"""Windowed counters in the shared cache, with a local fallback while it is unreachable.

Throttles count here. On Redis a count is one round-trip (SET NX EX + INCR in a
pipeline); on any other cache backend, `add` then `incr`.

When the shared cache raises a connection or timeout error, this process stops asking it
for `FLOWLINE_THROTTLE_FALLBACK_SECONDS` (so a paused Redis costs one socket timeout per
process and period, not one per request) and counts in its own memory instead: a
local-memory cache bounded to `FLOWLINE_THROTTLE_FALLBACK_ENTRIES` keys (the oldest are
culled). The switch is logged once per outage, and once again on recovery.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from flowline.core.exceptions import BACKING_SERVICE_ERRORS

logger = logging.getLogger("flowline.throttles")

_lock = threading.Lock()
_state = {"down_until": 0.0, "down": False}
_fallback: LocMemCache | None = None


def fallback() -> LocMemCache:
    """This process's counters while the shared cache is away."""
    global _fallback
    if _fallback is None:
        entries = int(getattr(settings, "FLOWLINE_THROTTLE_FALLBACK_ENTRIES", 10_000))
        _fallback = LocMemCache("flowline-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": entries}})
    return _fallback


def reset() -> None:
    """Forget the local counts and any outage (tests start each from a clean state)."""
    fallback().clear()
    with _lock:
        _state.update(down_until=0.0, down=False)


def _shared(cache):
    # DRF's `cache` is django.core.cache.cache, a proxy: the backend is behind it.
    return caches[DEFAULT_CACHE_ALIAS] if cache is default_cache else cache


def _usable() -> bool:
    return time.monotonic() >= _state["down_until"]


def _failed(exc: BaseException) -> None:
    seconds = float(getattr(settings, "FLOWLINE_THROTTLE_FALLBACK_SECONDS", 30))
    with _lock:
        first = not _state["down"]
        _state.update(down_until=time.monotonic() + seconds, down=True)
    if first:
        logger.warning(
            "Throttle counters unreachable (%s: %s); counting in this process for %ss "
            "at a time until they are back.",
            type(exc).__name__,
            exc,
            int(seconds),
        )


def _recovered() -> None:
    if _state["down"]:
        with _lock:
            was_down, _state["down"] = _state["down"], False
        if was_down:
            logger.warning("Throttle counters reachable again; counting in the shared cache.")


def _count(cache, key: str, duration: int) -> int:
    if isinstance(cache, RedisCache):
        full_key = cache.make_and_validate_key(key)
        pipe = cache._cache.get_client(full_key, write=True).pipeline(transaction=False)
        pipe.set(full_key, 0, ex=duration, nx=True)
        pipe.incr(full_key)
        return pipe.execute()[1]
    for _ in range(2):
        cache.add(key, 0, duration)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: start the next window
            continue
    return 1


def _remaining(cache, key: str) -> float | None:
    full_key = cache.make_and_validate_key(key)
    if isinstance(cache, RedisCache):
        ttl = cache._cache.get_client(full_key).ttl(full_key)
        return ttl if ttl and ttl > 0 else None
    expires = getattr(cache, "_expire_info", {}).get(full_key)
    return None if expires is None else expires - time.time()


def _call(cache, operation, *args):
    shared = _shared(cache)
    if _usable():
        try:
            result = operation(shared, *args)
        except BACKING_SERVICE_ERRORS as exc:
            _failed(exc)
        else:
            _recovered()
            return result
    return operation(fallback(), *args)


def increment(cache, key: str, duration: int) -> int:
    """Count one more under `key` in a window of `duration` seconds; the new count."""
    return _call(cache, _count, key, duration)


def expires_in(cache, key: str) -> float | None:
    """Seconds until `key`'s window ends, or None when unknown."""
    return _call(cache, _remaining, key)


def guarded(operation, default=None):
    """Run `operation()` against the shared cache unless it is known to be down; a
    connection or timeout error marks it down (as for the counters) and answers
    `default`. For best-effort cache users on the request path (request metrics), so a
    paused Redis costs them no more than it costs the throttles."""
    if not _usable():
        return default
    try:
        result = operation()
    except BACKING_SERVICE_ERRORS as exc:
        _failed(exc)
        return default
    _recovered()
    return result
