"""DRF authentication: JWT (header or HttpOnly cookie + CSRF) and API keys.

Both resolve the user's membership in one query and activate the tenant context for
the rest of the request.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework_simplejwt.authentication import JWTAuthentication

from flowline.core import tenancy
from flowline.core.permissions import api_key_allows
from flowline.identity.models import ApiKey, Membership
from flowline.identity.tokens import ACCOUNT_CLAIM, VERSION_CLAIM

API_KEY_KEYWORD = b"api-key"


def tenant_context_for(membership: Membership, *, api_key_id: int | None = None):
    """The tenant context a membership acts in (site ids only when it is restricted)."""
    site_ids = None
    if not membership.all_sites:
        from flowline.sites.public import granted_site_ids

        site_ids = frozenset(granted_site_ids(membership.account_id, membership.user_id))
    return tenancy.TenantContext(
        account_id=membership.account_id,
        user_id=membership.user_id,
        role=membership.role,
        site_ids=site_ids,
        api_key_id=api_key_id,
    )


def activate_membership(request, membership: Membership, *, api_key_id: int | None = None) -> None:
    """Make `membership`'s account the active tenant for the rest of this request."""
    tenancy.activate(tenant_context_for(membership, api_key_id=api_key_id))
    request._request.membership = membership


class TokenAuthentication(JWTAuthentication):
    """`Authorization: Bearer <access>` or the `access_token` cookie (with CSRF check)."""

    def authenticate(self, request):
        header = self.get_header(request)
        from_cookie = header is None
        if from_cookie:
            raw = request.COOKIES.get(settings.AUTH_COOKIE_ACCESS)
        else:
            raw = self.get_raw_token(header)
        if not raw:
            return None
        token = self.get_validated_token(raw)
        membership = self._membership(token)
        if from_cookie:
            enforce_csrf(request)
        activate_membership(request, membership)
        return membership.user, token

    def _membership(self, token) -> Membership:
        try:
            user_id = token[settings.SIMPLE_JWT["USER_ID_CLAIM"]]
            account_id = token[ACCOUNT_CLAIM]
            version = token.get(VERSION_CLAIM, -1)
        except KeyError as exc:
            raise exceptions.AuthenticationFailed(
                "Token is missing claims.", "token_not_valid"
            ) from exc
        membership = (
            Membership.unscoped.select_related("user")
            .filter(user_id=user_id, account_id=account_id, is_active=True, user__is_active=True)
            .first()
        )
        if membership is None or membership.user.token_version != version:
            raise exceptions.AuthenticationFailed("Token is no longer valid.", "token_not_valid")
        return membership

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def enforce_csrf(request) -> None:
    """Double-submit check: the X-CSRF-Token header must match the csrf cookie."""
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    cookie = request.COOKIES.get(settings.AUTH_COOKIE_CSRF, "")
    header = request.META.get(settings.AUTH_CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie, header):
        raise exceptions.PermissionDenied(
            {"detail": "CSRF token missing or incorrect.", "code": "csrf_failed"}
        )


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key flk_<prefix>_<secret>` for server-to-server clients."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != API_KEY_KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Malformed API key header.", "api_key_invalid")
        key = parts[1].decode(errors="replace")
        pieces = key.split("_")
        if len(pieces) != 3 or pieces[0] != "flk":
            raise exceptions.AuthenticationFailed("Invalid API key.", "api_key_invalid")
        api_key = ApiKey.unscoped.filter(prefix=pieces[1]).first()
        if api_key is None or not hmac.compare_digest(api_key.hashed_secret, hash_secret(key)):
            raise exceptions.AuthenticationFailed("Invalid API key.", "api_key_invalid")
        now = timezone.now()
        if api_key.revoked_at is not None:
            raise exceptions.AuthenticationFailed("API key has been revoked.", "api_key_revoked")
        if api_key.expires_at is not None and api_key.expires_at <= now:
            raise exceptions.AuthenticationFailed("API key has expired.", "api_key_expired")
        membership = (
            Membership.unscoped.select_related("user")
            .filter(
                user_id=api_key.created_by_id,
                account_id=api_key.account_id,
                is_active=True,
                user__is_active=True,
            )
            .first()
        )
        if membership is None:
            raise exceptions.AuthenticationFailed(
                "API key owner left the account.", "api_key_invalid"
            )
        # Set before the scope check so that refused requests are in the usage log too.
        request._request.api_key = api_key
        view = (getattr(request, "parser_context", None) or {}).get("view")
        # Keys only reach endpoints that declare an API scope their scopes grant; personal
        # endpoints (profile, password, accounts, export) never accept them.
        if view is None or not api_key_allows(
            request.method, getattr(view, "api_scope", None), api_key.scopes
        ):
            raise exceptions.PermissionDenied(
                {
                    "detail": "This API key's scopes do not allow this endpoint.",
                    "code": "api_key_scope",
                }
            )
        activate_membership(request, membership, api_key_id=api_key.id)
        return membership.user, api_key

    def authenticate_header(self, request):
        return "Api-Key"
