"""What can go wrong talking to a WordPress site, as errors the API and jobs understand.

Each is an `ApplicationError` (so a synchronous endpoint answers with its status and
code) and says whether trying again later can help (`transient`, read by the job runner
and the publish queue). WordPress's own error code (`rest_cannot_create`,
`incorrect_password`, ...) is kept in `wp_code`. They refine the outbound layer's errors
(`core.outbound.errors`), which the client maps to them.
"""

from __future__ import annotations

from flowline.core.outbound import errors as outbound


class WordPressError(outbound.OutboundError):
    """WordPress answered with an error, or did not answer."""

    status_code = 502
    default_code = "wordpress_error"
    transient = False

    def __init__(
        self,
        message: str,
        *,
        wp_code: str = "",
        wp_status: int | None = None,
        retry_after: float | None = None,
        **kwargs,
    ) -> None:
        extra = kwargs.pop("extra", None) or {}
        if wp_code:
            extra.setdefault("wordpress_code", wp_code)
        kwargs.setdefault("remote_status", wp_status)
        super().__init__(message, extra=extra, retry_after=retry_after, **kwargs)
        self.wp_code = wp_code
        self.wp_status = wp_status


class WordPressAuthError(WordPressError, outbound.AuthRefused):
    """401: the username or application password is wrong (or was revoked)."""

    status_code = 400
    default_code = "wordpress_auth_failed"


class WordPressForbidden(WordPressError, outbound.AuthRefused):
    """403: the WordPress user may not do this (an Author cannot create categories...)."""

    status_code = 400
    default_code = "wordpress_forbidden"


class WordPressNotFound(WordPressError, outbound.NotFound):
    """404: no REST API at that address, or the post/term is gone."""

    status_code = 400
    default_code = "wordpress_not_found"


class WordPressRejected(WordPressError, outbound.Rejected):
    """Another 4xx: WordPress refused what we sent (invalid parameter, term exists...)."""

    status_code = 400
    default_code = "wordpress_rejected"


class WordPressConflict(WordPressError):
    """The post changed on WordPress since Flowline last wrote it (its `modified_gmt`
    moved): publishing again would overwrite those changes. `changes` says what changed;
    publishing with `force` overwrites them."""

    status_code = 409
    default_code = "wordpress_conflict"

    def __init__(self, message: str, *, changes: dict, **kwargs) -> None:
        extra = {**(kwargs.pop("extra", None) or {}), "changes": changes}
        super().__init__(message, extra=extra, **kwargs)
        self.changes = changes


class WordPressUnavailable(WordPressError, outbound.Transient):
    """5xx, 429 or no connection: worth trying again later."""

    status_code = 502
    default_code = "wordpress_unavailable"
    transient = True


class WordPressTimeout(WordPressUnavailable, outbound.Timeout):
    """No answer in time before anything was changed (or for a read)."""

    status_code = 504
    default_code = "wordpress_timeout"


class UnknownOutcome(WordPressTimeout, outbound.UnknownOutcome):
    """A create was sent and no answer came: WordPress may have made the post. The next
    attempt looks for it before sending again (never re-sent blindly)."""

    default_code = "wordpress_unknown_outcome"
