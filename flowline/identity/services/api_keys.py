"""API keys: creation (the secret is shown once) and revocation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.utils import timezone

from flowline.core.errors import ForbiddenError
from flowline.core.permissions import api_key_allows
from flowline.identity.authentication import hash_secret
from flowline.identity.models import ApiKey, User


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    secret: str


def api_key_create(
    *,
    account_id: int,
    user: User,
    name: str,
    scopes: list[str],
    expires_at=None,
    within_scopes: list[str] | None = None,
) -> IssuedKey:
    """A new key for `account_id`; the clear secret exists only in the returned value.

    `within_scopes` are the scopes of the API key making the request, if one does: a key
    may only mint keys that can do no more than itself.
    """
    if within_scopes is not None:
        wider = [scope for scope in scopes if not _covers(within_scopes, scope)]
        if wider:
            raise ForbiddenError(
                "An API key cannot create a key with scopes it does not have.",
                code="api_key_scope",
                errors={"scopes": wider},
            )
    prefix = secrets.token_hex(6)
    secret = f"flk_{prefix}_{secrets.token_urlsafe(32).replace('_', '-')}"
    api_key = ApiKey.objects.create(
        account_id=account_id,
        name=name,
        prefix=prefix,
        hashed_secret=hash_secret(secret),
        scopes=sorted(set(scopes)),
        created_by=user,
        expires_at=expires_at,
    )
    return IssuedKey(api_key=api_key, secret=secret)


def _covers(granted: list[str], scope: str) -> bool:
    module, _, mode = scope.partition(":")
    return api_key_allows("GET" if mode == "read" else "POST", module, granted)


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key
