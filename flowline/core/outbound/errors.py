"""What can go wrong calling an outside service, as the few classes callers decide on.

- `Transient`: 429, 408, 5xx, no connection. Worth another try later (`retry_after`
  seconds when the service said so). `Timeout` and `UnknownOutcome` are kinds of it.
- `UnknownOutcome`: the request went out and no answer came back: what it asked for may
  have happened. Settle it by looking, never by sending again.
- `AuthRefused`: 401/403, the credentials are wrong, expired or lack the right.
- `NotFound`: 404/410.
- `Rejected`: any other answer the service gives to a request it will not do; sending the
  same again fails the same way. `ForbiddenURL` is the guard refusing an address,
  `TooLarge` an answer longer than the caller reads.

Integrations refine these: their own error classes subclass them (a social platform's
`TransientPlatformError` is a `Transient`), and their client maps each kind to their
class (`Client.errors`), so a caller can catch either the integration's class or the core
one. All are `ApplicationError`s: a view that lets one through renders the envelope.
"""

from __future__ import annotations

from flowline.core.errors import ApplicationError


class OutboundError(ApplicationError):
    """A call to an outside service failed. `remote_status` is its HTTP status, if any."""

    status_code = 502
    default_code = "outbound_error"
    transient = False

    def __init__(
        self,
        message: str,
        *,
        service: str = "",
        remote_status: int | None = None,
        retry_after: float | None = None,
        **kwargs,
    ) -> None:
        super().__init__(message, **kwargs)
        self.service = service
        self.remote_status = remote_status
        self.retry_after = retry_after


class Transient(OutboundError):
    """Rate limited, failing or unreachable: retry later."""

    status_code = 503
    default_code = "service_unavailable"
    transient = True


class Timeout(Transient):
    """No answer in time."""

    status_code = 504
    default_code = "service_timeout"


class UnknownOutcome(Timeout):
    """A request that changes something went out and no answer came back."""

    default_code = "service_outcome_unknown"


class AuthRefused(OutboundError):
    """The service refused our credentials (401) or their rights (403)."""

    default_code = "service_auth_refused"


class NotFound(OutboundError):
    """The service has no such thing (404, 410)."""

    default_code = "service_not_found"


class Rejected(OutboundError):
    """The service refused the request itself; the same request fails the same way."""

    default_code = "service_rejected"


class ForbiddenURL(Rejected):
    """The URL's host is an internal address that is not on the allow-list, or the URL
    is not one Flowline may call (scheme, redirects)."""

    status_code = 400
    default_code = "forbidden_url"


class TooLarge(Rejected):
    """The answer is larger than the caller reads."""

    status_code = 413
    default_code = "answer_too_large"


def kind_for_status(status: int) -> type[OutboundError]:
    """The one mapping of an HTTP status to an error class; integrations refine it."""
    if status == 408:
        return Timeout
    if status in (425, 429) or status >= 500:
        return Transient
    if status in (401, 403):
        return AuthRefused
    if status in (404, 410):
        return NotFound
    return Rejected
