"""API keys: creation (the secret is shown once) and revocation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.utils import timezone

from flowline.identity.authentication import hash_secret
from flowline.identity.models import ApiKey, User


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    secret: str


def api_key_create(
    *, account_id: int, user: User, name: str, scopes: list[str], expires_at=None
) -> IssuedKey:
    """A new key for `account_id`; the clear secret exists only in the returned value."""
    prefix = secrets.token_hex(6)
    secret = f"flk_{prefix}_{secrets.token_urlsafe(32).replace('_', '-')}"
    api_key = ApiKey.unscoped.create(
        account_id=account_id,
        name=name,
        prefix=prefix,
        hashed_secret=hash_secret(secret),
        scopes=sorted(set(scopes)),
        created_by=user,
        expires_at=expires_at,
    )
    return IssuedKey(api_key=api_key, secret=secret)


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key
