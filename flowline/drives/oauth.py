"""Connecting a drive: OAuth 2.0 authorization code flow with a signed state and PKCE (S256).

`connect_init` signs a state naming the account, user and provider plus a one-time nonce,
and keeps the PKCE verifier server-side under that nonce. `connect_callback` accepts a
state only with a valid signature, for the same user and account, within
DRIVE_OAUTH_STATE_MAX_AGE, and only once (the verifier is taken from the cache, so a
replayed state finds nothing).
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from flowline.core import tenancy
from flowline.core.errors import ApplicationError
from flowline.drives import services
from flowline.drives.cloud_files import PROVIDERS
from flowline.drives.models import CloudConnection
from flowline.drives.providers import adapter_for

STATE_SALT = "flowline.drives.oauth-state"


class OAuthStateInvalid(ApplicationError):
    status_code = 400
    default_code = "oauth_state_invalid"


def _verifier_key(nonce: str) -> str:
    return f"drives:pkce:{nonce}"


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


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
    nonce = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43..128
    cache.set(_verifier_key(nonce), verifier, timeout=settings.DRIVE_OAUTH_STATE_MAX_AGE)
    state = signing.dumps(
        {"a": account_id, "u": user_id, "p": provider, "n": nonce}, salt=STATE_SALT
    )
    return {
        "provider": provider,
        "authorization_url": adapter.authorization_url(
            state=state, code_challenge=_challenge(verifier)
        ),
        "state": state,
        "expires_in": settings.DRIVE_OAUTH_STATE_MAX_AGE,
    }


def connect_callback(*, user_id: int, account_id: int, code: str, state: str) -> CloudConnection:
    """Exchange the code for tokens and store the connection; forged, foreign, expired or
    replayed states are refused before any call to the provider."""
    try:
        payload = signing.loads(state, salt=STATE_SALT, max_age=settings.DRIVE_OAUTH_STATE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise OAuthStateInvalid("This connect attempt has expired; start again.") from exc
    except signing.BadSignature as exc:
        raise OAuthStateInvalid("The OAuth state is invalid.") from exc
    if payload.get("u") != user_id or payload.get("a") != account_id:
        raise OAuthStateInvalid("The OAuth state belongs to another session.")
    key = _verifier_key(str(payload.get("n")))
    verifier = cache.get(key)
    if verifier is None or not cache.delete(key):
        raise OAuthStateInvalid("The OAuth state was already used or has expired.")
    provider = payload["p"]
    adapter = adapter_for(provider)
    grant = adapter.exchange_code(code=code, code_verifier=verifier)
    email = adapter.account_email(grant.access_token)
    with tenancy.tenant_scope(account_id, user_id=user_id):
        return services.connection_save(
            user_id=user_id, provider=provider, grant=grant, account_email=email
        )
