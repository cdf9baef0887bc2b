"""What can go wrong talking to a user's cloud drive, as codes clients and callers rely on.

`transient` tells callers (agent pipelines, jobs) whether retrying later may succeed.
They refine the outbound layer's errors (`core.outbound.errors`): the drive client maps
each core class to one of these (`drives.providers.base.DriveClient`).
"""

from __future__ import annotations

from flowline.core.outbound import errors as outbound


class DriveError(outbound.OutboundError):
    """Base of every cloud drive error (a bare one is a 400: the request cannot be done)."""

    status_code = 400
    default_code = "invalid"
    transient = False


class DriveNotConnected(DriveError):
    """The user has no usable connection to that provider in this account."""

    status_code = 400
    default_code = "drive_not_connected"


class DriveTokenExpired(DriveError, outbound.AuthRefused):
    """The provider refused to refresh the tokens: the user must connect again."""

    status_code = 401
    default_code = "drive_token_expired"


class DriveNotFound(DriveError, outbound.NotFound):
    """The file or folder does not exist or the user cannot see it."""

    status_code = 404
    default_code = "drive_not_found"


class DriveUnavailable(DriveError):
    """The provider failed (timeout, 5xx, rate limit: `transient`) or answered something
    unusable (a refusal, a redirect: not transient)."""

    status_code = 502
    default_code = "drive_unavailable"

    def __init__(self, message: str, *, transient: bool = True, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.transient = transient
