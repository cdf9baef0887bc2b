"""Sessions are JWT pairs: started at login, rotated on refresh, revoked at logout.

The API's auth views and the console's pages both go through these, so a session behaves
the same whichever of them the browser uses.
"""

from __future__ import annotations

import contextlib

from django.db import transaction

from flowline.core.errors import ApplicationError
from flowline.identity import tokens
from flowline.identity.models import EndedSession, Membership


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
        session = refresh.get(tokens.SESSION_CLAIM)
        if (
            membership is None
            or membership.user.token_version != refresh.get(tokens.VERSION_CLAIM)
            # a sign-in logged out by its access token alone (its refresh token unsent)
            or (session and EndedSession.objects.filter(session=session).exists())
        ):
            raise ApplicationError(
                "Refresh token is no longer valid.", code="token_not_valid", status=401
            )
        # Two requests racing with one token both parse it; only the one that revoked it
        # may get a new pair.
        if not tokens.blacklist(refresh):
            raise ApplicationError(
                "Refresh token has already been used.", code="token_not_valid", status=401
            )
        return tokens.issue_pair(user=membership.user, account_id=account_id, session=session)


def session_end(*, raw: str | None, access_session: str | None = None) -> None:
    """Log a sign-in out: revoke its refresh token, refuse its access tokens from the next
    request on (they would otherwise live until they expire) and close the sockets it
    opened, on every node. The session is the refresh token's, or `access_session` (the
    access token's that authenticated the logout) when no refresh token came. An already
    dead token is fine: logging out still succeeds."""
    session = access_session if isinstance(access_session, str) else None
    if raw:
        with contextlib.suppress(ApplicationError):
            refresh = tokens.parse_refresh(raw)
            tokens.blacklist(refresh)
            session = refresh.get(tokens.SESSION_CLAIM) or session
    if session:
        _session_ended(session)


def _session_ended(session: str) -> None:
    from django.conf import settings
    from django.utils import timezone

    from flowline.realtime.public import disconnect_session

    now = timezone.now()
    EndedSession.objects.update_or_create(session=session, defaults={"ended_at": now})
    # An ended session's access tokens have all expired after one access lifetime: its
    # row is no longer needed, and the table stays as small as the recent logouts.
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    EndedSession.objects.filter(ended_at__lt=now - lifetime).delete()
    transaction.on_commit(lambda: disconnect_session(session=session))


@transaction.atomic
def sessions_end_all(*, user) -> None:
    """Log every sign-in of `user` out (logout everywhere): each access and refresh token
    issued before carries the old token version, which the next request refuses."""
    from flowline.identity.services.users import tokens_revoke_all

    tokens_revoke_all(user)
