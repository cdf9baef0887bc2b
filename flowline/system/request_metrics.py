"""Per-request metrics (003 `system/request-metrics/{request_id}/`).

A middleware measures every authenticated API request -- wall time, this thread's CPU
time and block I/O, database queries and their time, status -- and keeps the figures in
the cache under the account and the request's `X-Request-ID` for
`FLOWLINE_REQUEST_METRICS_TTL` seconds. Cost per request: two `getrusage` calls, a
counter around each query, and one cache write after the response is built. A cache that
is down costs the metrics, never the request (core.counters.guarded: one timeout per
outage period, like the throttles).
"""

from __future__ import annotations

import resource
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from flowline.core import counters, tenancy

# Per-thread figures where the platform has them (Linux); else the whole process.
_WHO = getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)
_BLOCK = 512  # getrusage counts block I/O in 512-byte blocks
_MB = 1024 * 1024


def _key(account_id: int, request_id: str) -> str:
    return f"flowline:request-metrics:{account_id}:{request_id}"


class _QueryCounter:
    """A database execute wrapper: counts queries and sums their time."""

    __slots__ = ("count", "seconds")

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class RequestMetricsMiddleware:
    """Measures API requests; sits inside TenantContextMiddleware so the account the
    request authenticated as is still active when the response comes back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        queries = _QueryCounter()
        usage_before, started = resource.getrusage(_WHO), time.perf_counter()
        with connection.execute_wrapper(queries):
            response = self.get_response(request)
        wall = time.perf_counter() - started
        ctx = tenancy.current()
        request_id = getattr(request, "request_id", None)
        if ctx is not None and request_id:
            _record(request, response, ctx, request_id, wall, queries, usage_before)
        return response


def _record(request, response, ctx, request_id, wall, queries, usage_before) -> None:
    usage = resource.getrusage(_WHO)
    cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
    entry = {
        "request_id": request_id,
        "method": request.method,
        "path": request.path[:500],
        "status_code": response.status_code,
        "user_id": ctx.user_id,
        "started_at": timezone.now().isoformat(),
        "duration_ms": round(wall * 1000, 3),
        "cpu_time_ms": round(cpu * 1000, 3),
        "cpu_percent": round(100 * cpu / wall, 1) if wall > 0 else 0.0,
        # ru_maxrss is in KiB on Linux: the process's peak resident memory.
        "memory_mb": round(usage.ru_maxrss / 1024, 1),
        "io_read_mb": round((usage.ru_inblock - usage_before.ru_inblock) * _BLOCK / _MB, 3),
        "io_write_mb": round((usage.ru_oublock - usage_before.ru_oublock) * _BLOCK / _MB, 3),
        "db_query_count": queries.count,
        "db_time_ms": round(queries.seconds * 1000, 3),
    }
    key, ttl = _key(ctx.account_id, request_id), settings.FLOWLINE_REQUEST_METRICS_TTL
    # Best effort: while the cache is away the figures are dropped, at no cost per request.
    counters.guarded(lambda: cache.set(key, entry, timeout=ttl))


def request_metrics_get(*, account_id: int, request_id: str) -> dict | None:
    """The figures of one of the account's requests, while they are kept."""
    return counters.guarded(lambda: cache.get(_key(account_id, request_id)))
