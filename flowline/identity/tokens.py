"""JWT pairs that carry the active account, the user's token version and the session."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, Token

from flowline.core.errors import ApplicationError

ACCOUNT_CLAIM = "account_id"
VERSION_CLAIM = "tv"
# One sign-in: every pair rotated from it carries the same id, so logging out can close
# the sockets its access tokens opened (realtime's session room).
SESSION_CLAIM = "session"


def _expiry(token) -> str:
    return datetime.fromtimestamp(token["exp"], tz=UTC).isoformat().replace("+00:00", "Z")


def issue_pair(*, user, account_id: int, session: str | None = None) -> dict:
    """A fresh access/refresh pair for `user` acting in `account_id`, in `session` (a
    rotation keeps its sign-in's session) or a new one."""
    refresh = RefreshToken.for_user(user)
    refresh[ACCOUNT_CLAIM] = account_id
    refresh[VERSION_CLAIM] = user.token_version
    refresh[SESSION_CLAIM] = session or uuid.uuid4().hex
    access = refresh.access_token
    return {
        "access": str(access),
        "refresh": str(refresh),
        "access_expires_at": _expiry(access),
        "refresh_expires_at": _expiry(refresh),
    }


def session_of(token) -> str | None:
    """The sign-in a verified token belongs to (None for an API key or no token)."""
    session = token.get(SESSION_CLAIM) if isinstance(token, Token) else None
    return session if isinstance(session, str) else None


def access_session(raw: str | None) -> str | None:
    """The sign-in of a raw access token when its signature and expiry hold, else None."""
    if not raw:
        return None
    try:
        return session_of(AccessToken(raw))
    except TokenError:
        return None


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
