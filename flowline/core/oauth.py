"""The OAuth 2.0 authorization-code plumbing every connect flow shares: a signed state
naming the account, user and purpose with a one-time nonce, and a PKCE (S256) verifier
kept server-side under that nonce.

`begin()` returns the state and code challenge to put in the authorization URL;
`complete()` accepts a state only with a valid signature, for the same user and account,
within `max_age`, and only once (the verifier is taken from the cache, so a replayed
state finds nothing). Drives and social accounts use it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

from flowline.core.errors import ApplicationError


class OAuthStateInvalid(ApplicationError):
    status_code = 400
    default_code = "oauth_state_invalid"


@dataclass(frozen=True, slots=True)
class OAuthStart:
    state: str
    code_verifier: str
    code_challenge: str


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _verifier_key(salt: str, nonce: str) -> str:
    return f"oauth:pkce:{salt}:{nonce}"


def begin(*, salt: str, account_id: int, user_id: int, data: dict, max_age: int) -> OAuthStart:
    """A fresh signed state carrying `data` and a PKCE pair (the verifier stays here)."""
    nonce = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43..128
    cache.set(_verifier_key(salt, nonce), verifier, timeout=max_age)
    state = signing.dumps({"a": account_id, "u": user_id, "n": nonce, **data}, salt=salt)
    return OAuthStart(state=state, code_verifier=verifier, code_challenge=pkce_challenge(verifier))


def complete(
    *, salt: str, state: str, account_id: int, user_id: int, max_age: int
) -> tuple[dict, str]:
    """The state's data and the PKCE verifier; `OAuthStateInvalid` for a forged, foreign,
    expired or replayed state."""
    try:
        payload = signing.loads(state, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise OAuthStateInvalid("This connect attempt has expired; start again.") from exc
    except signing.BadSignature as exc:
        raise OAuthStateInvalid("The OAuth state is invalid.") from exc
    if payload.get("u") != user_id or payload.get("a") != account_id:
        raise OAuthStateInvalid("The OAuth state belongs to another session.")
    key = _verifier_key(salt, str(payload.get("n")))
    verifier = cache.get(key)
    if verifier is None or not cache.delete(key):
        raise OAuthStateInvalid("The OAuth state was already used or has expired.")
    return payload, verifier
