"""Connecting a drive: OAuth 2.0 authorization code flow with a signed state and PKCE (S256).

The state and verifier handling is `flowline.core.oauth` (signed, same user and account,
within DRIVE_OAUTH_STATE_MAX_AGE, once only); this module adds the drive providers.
"""

from __future__ import annotations

from django.conf import settings

from flowline.core import oauth, tenancy
from flowline.core.errors import ApplicationError
from flowline.core.oauth import OAuthStateInvalid
from flowline.drives import services
from flowline.drives.cloud_files import PROVIDERS
from flowline.drives.models import CloudConnection
from flowline.drives.providers import adapter_for

STATE_SALT = "flowline.drives.oauth-state"

__all__ = ["OAuthStateInvalid", "connect_callback", "connect_init"]


def connect_init(*, user_id: int, account_id: int, provider: str) -> dict:
    """The URL to send the user to for consent, and the state it carries."""
    if provider not in PROVIDERS:
        raise ApplicationError(
            "Unknown cloud drive provider.",
            code="validation_error",
            errors={"provider": [provider]},
        )
    adapter = adapter_for(provider)
    if not adapter.client_id or not settings.DRIVE_OAUTH_REDIRECT_URI:
        raise ApplicationError(
            f"{adapter.label} is not configured on this server.",
            code="drive_not_configured",
            status=503,
        )
    start = oauth.begin(
        salt=STATE_SALT,
        account_id=account_id,
        user_id=user_id,
        data={"p": provider},
        max_age=settings.DRIVE_OAUTH_STATE_MAX_AGE,
    )
    return {
        "provider": provider,
        "authorization_url": adapter.authorization_url(
            state=start.state, code_challenge=start.code_challenge
        ),
        "state": start.state,
        "expires_in": settings.DRIVE_OAUTH_STATE_MAX_AGE,
    }


def connect_callback(
    *,
    user_id: int,
    account_id: int,
    state: str,
    code: str = "",
    error: str = "",
    error_description: str = "",
) -> CloudConnection:
    """Exchange the code for tokens and store the connection; forged, foreign, expired or
    replayed states are refused before any call to the provider. An `error` instead of a
    code (the person cancelled, or the provider refused) ends the attempt: its state is
    spent and nothing is stored."""
    payload, verifier = oauth.complete(
        salt=STATE_SALT,
        state=state,
        account_id=account_id,
        user_id=user_id,
        max_age=settings.DRIVE_OAUTH_STATE_MAX_AGE,
    )
    provider = payload["p"]
    adapter = adapter_for(provider)
    if error == "access_denied":
        raise ApplicationError(
            f"Connecting {adapter.label} was cancelled.", code="drive_connection_cancelled"
        )
    if error:
        said = f": {error_description[:200]}" if error_description else ""
        raise ApplicationError(
            f"{adapter.label} refused the connection ({error[:50]}){said}.",
            code="drive_connection_refused",
        )
    grant = adapter.exchange_code(code=code, code_verifier=verifier)
    email = adapter.account_email(grant.access_token)
    with tenancy.tenant_scope(account_id, user_id=user_id):
        return services.connection_save(
            user_id=user_id, provider=provider, grant=grant, account_email=email
        )
