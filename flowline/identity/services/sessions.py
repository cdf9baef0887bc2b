"""Sessions are JWT pairs: started at login, rotated on refresh, revoked at logout.

The API's auth views and the console's pages both go through these, so a session behaves
the same whichever of them the browser uses.
"""

from __future__ import annotations

import contextlib

from django.db import transaction

from flowline.core.errors import ApplicationError
from flowline.identity import tokens
from flowline.identity.models import Membership


def session_refresh(*, raw: str) -> dict:
    """A new pair for a valid refresh token, which is revoked (rotation); 401 otherwise."""
    with transaction.atomic():
        refresh = tokens.parse_refresh(raw)
        user_id, account_id = refresh.get("user_id"), refresh.get(tokens.ACCOUNT_CLAIM)
        membership = (
            Membership.unscoped.select_related("user")
            .filter(user_id=user_id, account_id=account_id, is_active=True, user__is_active=True)
            .first()
        )
        if membership is None or membership.user.token_version != refresh.get(tokens.VERSION_CLAIM):
            raise ApplicationError(
                "Refresh token is no longer valid.", code="token_not_valid", status=401
            )
        # Two requests racing with one token both parse it; only the one that revoked it
        # may get a new pair.
        if not tokens.blacklist(refresh):
            raise ApplicationError(
                "Refresh token has already been used.", code="token_not_valid", status=401
            )
        return tokens.issue_pair(
            user=membership.user, account_id=account_id, session=refresh.get(tokens.SESSION_CLAIM)
        )


def session_end(*, raw: str | None) -> None:
    """Revoke the refresh token and close the sockets its session opened, on every node
    (an access token outlives the logout by its lifetime; a socket must not). An already
    dead token is fine: logging out still succeeds."""
    if not raw:
        return
    with contextlib.suppress(ApplicationError):
        refresh = tokens.parse_refresh(raw)
        tokens.blacklist(refresh)
        session = refresh.get(tokens.SESSION_CLAIM)
        if session:
            from flowline.realtime.public import disconnect_session

            transaction.on_commit(lambda: disconnect_session(session=session))
