"""What can go wrong talking to a social platform, as classes callers (the posts scheduler,
token health, chat senders) decide on.

- `TransientPlatformError`: 429, 5xx, connection failures. Retry later (`retry_after` seconds
  when the platform said so). Never a reason to disconnect an account.
- `AuthorizationError`: the token is invalid, expired or revoked (Graph code 190, X 401,
  LinkedIn 401). The account is marked and its owner told once to reconnect.
- `ContentRejected`: the platform refused this content (duplicate, too long, bad media).
  Retrying the same content will fail the same way.
- `UnknownOutcome`: the request was sent and no answer came back: the post may exist.
  Settle it with `adapter.find_published()`, never by sending again.

They refine the outbound layer's errors (`core.outbound.errors`): a
`TransientPlatformError` is a `Transient`, an `AuthorizationError` an `AuthRefused`, and
so on. All are `ApplicationError`s so an API view that lets one through renders a proper
envelope.
"""

from __future__ import annotations

from flowline.core.errors import ApplicationError
from flowline.core.outbound import errors as outbound


class PlatformError(outbound.OutboundError):
    """Base of every social platform error."""

    status_code = 502
    default_code = "platform_error"
    transient = False

    def __init__(self, message: str, *, platform: str = "", platform_code: str = "", **kwargs):
        super().__init__(message, **kwargs)
        self.platform = platform
        self.platform_code = str(platform_code or "")


class TransientPlatformError(PlatformError, outbound.Transient):
    """The platform is rate limiting, failing or unreachable; retry later (`retry_after`
    seconds when it said so)."""

    default_code = "platform_unavailable"
    status_code = 503
    transient = True


class AuthorizationError(PlatformError, outbound.AuthRefused):
    """The account's token is dead: the owner must reconnect the account."""

    default_code = "social_account_unauthorized"
    status_code = 409


class ContentRejected(PlatformError, outbound.Rejected):
    """The platform refused the content itself."""

    default_code = "platform_content_rejected"
    status_code = 422


class UnknownOutcome(PlatformError, outbound.UnknownOutcome):
    """The request went out and no answer came back: it may have been published."""

    default_code = "platform_outcome_unknown"
    status_code = 504
    transient = True


class SocialAccountNotConfigured(ApplicationError):
    """The server has no OAuth client for that platform."""

    status_code = 503
    default_code = "social_platform_not_configured"
