"""How the social app calls platforms over HTTP: the outbound client, its errors told as
`flowline.social.errors`, with the platforms' own rules on top.

- `PlatformClient`: publishing, reading and media calls. A 403 refuses the call or the
  content (a dead token is a 401 or the platform's own error code, read by each
  adapter's `raise_for`); X's `x-rate-limit-reset` counts as Retry-After.
- `SignInClient`: OAuth token and identity calls. Whatever is not transient is the
  grant being refused.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from django.conf import settings

from flowline.core import outbound
from flowline.core.outbound import errors as core
from flowline.social.errors import (
    AuthorizationError,
    ContentRejected,
    TransientPlatformError,
    UnknownOutcome,
)


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Retry-After (seconds or an HTTP date), or X's x-rate-limit-reset epoch."""
    seconds = outbound.retry_after(response.headers)
    if seconds is not None:
        return seconds
    reset = response.headers.get("x-rate-limit-reset")
    if reset and reset.isdigit():
        return max(0.0, int(reset) - datetime.now(UTC).timestamp())
    return None


class PlatformClient(outbound.Client):
    """Calls to one platform, with social's error classes."""

    errors = {
        core.UnknownOutcome: UnknownOutcome,
        core.Transient: TransientPlatformError,
        core.AuthRefused: AuthorizationError,
        core.OutboundError: ContentRejected,
    }

    def __init__(self, platform: str, *, service: str | None = None) -> None:
        super().__init__(
            service=service or platform,
            timeout=httpx.Timeout(
                settings.SOCIAL_HTTP_TIMEOUT, connect=settings.SOCIAL_HTTP_CONNECT_TIMEOUT
            ),
        )
        self.platform = platform

    def classify(self, response: httpx.Response) -> type[core.OutboundError]:
        if response.status_code == 403:
            return core.Rejected
        return super().classify(response)

    def make_error(self, kind, message, *, response=None, **fields):
        if response is not None and issubclass(kind, core.Transient):
            fields.setdefault("retry_after", retry_after_seconds(response))
        return super().make_error(
            kind, message, response=response, platform=self.platform, **fields
        )


class SignInClient(PlatformClient):
    """Token and identity calls of a platform's OAuth flow."""

    errors = {
        core.Transient: TransientPlatformError,
        core.OutboundError: AuthorizationError,
    }

    def __init__(self, platform: str) -> None:
        super().__init__(platform, service=f"{platform} sign-in")

    def classify(self, response: httpx.Response) -> type[core.OutboundError]:
        kind = core.kind_for_status(response.status_code)
        return kind if issubclass(kind, core.Transient) else core.AuthRefused

    def describe(self, response: httpx.Response) -> str:
        if issubclass(self.classify(response), core.Transient):
            return f"{self.service} answered {response.status_code}."
        detail = outbound.error_detail(outbound.json_body(response))
        return f"{self.platform} refused the authorization: {detail or response.status_code}"

    def make_error(self, kind, message, *, response=None, **fields):
        if response is not None and issubclass(kind, core.AuthRefused):
            body = outbound.json_body(response)
            fields.setdefault("platform_code", str(body.get("error") or response.status_code))
        return super().make_error(kind, message, response=response, **fields)
