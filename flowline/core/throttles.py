"""Throttle scopes (anonymous, user, login, AI), counted in the configured cache."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from flowline.core import tenancy


class AnonThrottle(AnonRateThrottle):
    scope = "anon"


class UserThrottle(UserRateThrottle):
    scope = "user"


class LoginThrottle(SimpleRateThrottle):
    """Per client address on login, registration and password-reset endpoints."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AIThrottle(SimpleRateThrottle):
    """Per account on endpoints that start AI work."""

    scope = "ai"

    def get_cache_key(self, request, view):
        ctx = tenancy.current()
        ident = ctx.account_id if ctx else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
