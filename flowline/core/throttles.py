"""Throttle scopes (anonymous, user, login, AI), counted in the configured cache.

Each scope and client has one counter per window of the rate's period, started by its
first request (a fixed window, not DRF's sliding log). DRF keeps a list of every
request's timestamp in the cache and reads, unpickles, grows, pickles and writes it back
on every request: at 2,000/min that is a 2,000-entry list per request, and two Redis
round-trips. A counter is one round-trip on Redis (SET NX EX + INCR in a pipeline) and
an increment in local memory. The bound is the same (at most N requests per window);
a client can burst up to 2N across a window boundary, which a per-minute API limit
tolerates.
"""

import math

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from flowline.core import tenancy


class LiveRatesMixin:
    """Reads the rates from the settings in force, not the ones seen at import time.

    DRF binds `THROTTLE_RATES` to the settings' dict when the module is imported, so
    a changed REST_FRAMEWORK setting (override_settings, a reload) would be ignored.
    """

    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        self.count = self._increment()
        return self.count <= self.num_requests

    def _backend(self):
        # DRF's `cache` is django.core.cache.cache, a proxy: the backend is behind it.
        return caches[DEFAULT_CACHE_ALIAS] if self.cache is default_cache else self.cache

    def _increment(self) -> int:
        cache = self._backend()
        if isinstance(cache, RedisCache):
            full_key = cache.make_and_validate_key(self.key)
            pipe = cache._cache.get_client(full_key, write=True).pipeline(transaction=False)
            pipe.set(full_key, 0, ex=self.duration, nx=True)
            pipe.incr(full_key)
            return pipe.execute()[1]
        for _ in range(2):
            cache.add(self.key, 0, self.duration)
            try:
                return cache.incr(self.key)
            except ValueError:  # expired between add and incr: start the next window
                continue
        return 1

    def wait(self):
        """Seconds until this window's counter expires (at least 1)."""
        cache = self._backend()
        remaining = None
        full_key = cache.make_and_validate_key(self.key)
        if isinstance(cache, RedisCache):
            ttl = cache._cache.get_client(full_key).ttl(full_key)
            remaining = ttl if ttl and ttl > 0 else None
        else:
            expires = getattr(cache, "_expire_info", {}).get(full_key)
            if expires is not None:
                remaining = expires - self.timer()
        if remaining is None:
            remaining = self.duration
        return max(1, math.ceil(remaining))


class AnonThrottle(LiveRatesMixin, AnonRateThrottle):
    scope = "anon"


class UserThrottle(LiveRatesMixin, UserRateThrottle):
    scope = "user"


class LoginThrottle(LiveRatesMixin, SimpleRateThrottle):
    """Per client address on login, registration and password-reset endpoints."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AIThrottle(LiveRatesMixin, SimpleRateThrottle):
    """Per account on endpoints that start AI work."""

    scope = "ai"

    def get_cache_key(self, request, view):
        ctx = tenancy.current()
        ident = ctx.account_id if ctx else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
