"""Throttle scopes (anonymous, user, login, AI), counted in the configured cache.

Each scope and client has one counter per window of the rate's period, started by its
first request (a fixed window, not DRF's sliding log). DRF keeps a list of every
request's timestamp in the cache and reads, unpickles, grows, pickles and writes it back
on every request: at 2,000/min that is a 2,000-entry list per request, and two Redis
round-trips. A counter is one round-trip on Redis (SET NX EX + INCR in a pipeline) and
an increment in local memory. The bound is the same (at most N requests per window);
a client can burst up to 2N across a window boundary, which a per-minute API limit
tolerates.

Clients are told apart by `core.client_address` (forwarded headers only from trusted
proxies; an IPv6 client by its /64).

A throttle never makes the API unavailable. When the shared cache (Redis) cannot be
reached, counting goes on in this process's memory (bounded, see `counters`) for
`FLOWLINE_THROTTLE_FALLBACK_SECONDS`, logged once per outage, and the request is
answered; then Redis is tried again. Each process then enforces the limits on its own
share of the traffic, which is what an outage costs.
"""

import hashlib
import math
from collections.abc import Mapping
from typing import cast

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from flowline.core import counters, tenancy
from flowline.core.client_address import counted_address


class LiveRatesMixin(SimpleRateThrottle):
    """Reads the rates from the settings in force, not the ones seen at import time.

    DRF binds `THROTTLE_RATES` to the settings' dict when the module is imported, so
    a changed REST_FRAMEWORK setting (override_settings, a reload) would be ignored.
    """

    def __init__(self) -> None:
        # The stubs type the setting's rates as numbers; DRF reads "100/min" strings.
        self.THROTTLE_RATES = cast("dict[str, str | None]", api_settings.DEFAULT_THROTTLE_RATES)
        super().__init__()

    def get_ident(self, request):
        return counted_address(request)

    def allow_request(self, request, view):
        plan_rate = self._plan_rate()
        if plan_rate is not None:
            # The plan's rate replaces the installation's, higher or lower, counted in
            # the plan's own period (a key of its own, so windows never mix).
            self.num_requests, self.duration = plan_rate
        if self.num_requests is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        if plan_rate is not None:
            key = f"{key}:{self.duration}"
        self.key = key
        self.now = self.timer()
        self.count = self._increment(key)
        return self.count <= self.num_requests

    def _plan_rate(self) -> tuple[int, int] | None:
        """(requests, seconds) the active account's plan sets in this scope, or None (no
        account, or the plan leaves the scope to the installation). The rates come with
        the request's membership (`TenantContext.rates`), so this asks no database."""
        ctx = tenancy.current()
        rate = dict(ctx.rates).get(self.scope) if ctx is not None and self.scope else None
        if not rate:
            return None
        requests, seconds = self.parse_rate(rate)
        return (requests, seconds) if requests is not None and seconds is not None else None

    def _increment(self, key: str) -> int:
        return counters.increment(self.cache, key, self.duration)

    def wait(self):
        """Seconds until this window's counter expires (at least 1)."""
        remaining = counters.expires_in(self.cache, self.key)
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


class LoginIdentityThrottle(LiveRatesMixin, SimpleRateThrottle):
    """Per account named on the same endpoints (the body's `email` or `username`, else
    the signed-in user), from any address: however many addresses a client uses, one
    account's logins, reset and verification mails share one budget."""

    scope = "login_identity"

    def get_cache_key(self, request, view):
        name = None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            data = request.data  # a body that does not parse is the view's 400, as before
            if isinstance(data, Mapping):
                name = data.get("email") or data.get("username")
        if not isinstance(name, str) or not name.strip():
            name = getattr(request.user, "email", None) if request.user else None
        if not isinstance(name, str) or not name.strip():
            return None
        digest = hashlib.sha256(name.strip().lower().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


class AIThrottle(LiveRatesMixin, SimpleRateThrottle):
    """Per account on endpoints that start AI work."""

    scope = "ai"

    def get_cache_key(self, request, view):
        ctx = tenancy.current()
        ident = ctx.account_id if ctx else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
