"""JWT pairs that carry the active account and the user's token version."""

from __future__ import annotations

from datetime import UTC, datetime

from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from flowline.core.errors import ApplicationError

ACCOUNT_CLAIM = "account_id"
VERSION_CLAIM = "tv"


def _expiry(token) -> str:
    return datetime.fromtimestamp(token["exp"], tz=UTC).isoformat().replace("+00:00", "Z")


def issue_pair(*, user, account_id: int) -> dict:
    """A fresh access/refresh pair for `user` acting in `account_id`."""
    refresh = RefreshToken.for_user(user)
    refresh[ACCOUNT_CLAIM] = account_id
    refresh[VERSION_CLAIM] = user.token_version
    access = refresh.access_token
    return {
        "access": str(access),
        "refresh": str(refresh),
        "access_expires_at": _expiry(access),
        "refresh_expires_at": _expiry(refresh),
    }


def parse_refresh(raw: str) -> RefreshToken:
    """A valid, unrevoked refresh token, or a 401."""
    try:
        return RefreshToken(raw)
    except TokenError as exc:
        raise ApplicationError(
            "Refresh token is invalid, expired or revoked.", code="token_not_valid", status=401
        ) from exc


def blacklist(refresh: RefreshToken) -> bool:
    """Revoke a refresh token (logout, rotation); False when it was already revoked.

    Rotation must see False as a replay: two requests racing with the same token both
    pass `parse_refresh`, and only the one that revoked it may get a new pair.
    """
    _, created = refresh.blacklist()
    return created
