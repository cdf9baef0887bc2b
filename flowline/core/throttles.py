"""Throttle scopes (anonymous, user, login, AI), counted in the configured cache."""

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
