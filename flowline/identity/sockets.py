"""Who a Socket.IO connection is: registered with realtime so it need not know identity."""

from __future__ import annotations

from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

from flowline.identity.authentication import active_membership
from flowline.identity.models import Membership
from flowline.identity.tokens import ACCOUNT_CLAIM, SESSION_CLAIM, VERSION_CLAIM


def identify(raw: str) -> dict | None:
    """The member behind an access token, or None (expired, forged, revoked...), with
    when the token expires and the sign-in it belongs to: the socket lives no longer
    than either."""
    try:
        token = AccessToken(raw)
    except TokenError:
        return None
    session = token.get(SESSION_CLAIM)
    try:
        # The request path's statement: a logged-out sign-in cannot open a socket either.
        membership = active_membership(
            int(token.get("user_id")),
            int(token.get(ACCOUNT_CLAIM)),
            session if isinstance(session, str) else None,
        )
    except (TypeError, ValueError):
        return None
    if membership is None or membership.user.token_version != token.get(VERSION_CLAIM):
        return None
    return {
        "user_id": membership.user_id,
        "account_id": membership.account_id,
        "role": membership.role,
        "expires_at": token["exp"],
        "session": token.get(SESSION_CLAIM),
    }


def is_member(account_id: int, user_id: int) -> bool:
    """Whether the membership is still active (checked again on every room join)."""
    return Membership.unscoped.filter(
        user_id=user_id, account_id=account_id, is_active=True, user__is_active=True
    ).exists()
