"""DRF authentication: JWT (header or HttpOnly cookie + CSRF) and API keys.

Both resolve the user's membership in one query and activate the tenant context for
the rest of the request.

Cost per request (benchmarks/README.md): a JWT's signature is checked once per process
and token (the decoded token is kept until it expires: a signature cannot become invalid,
and access tokens have no blacklist); the membership and its user are read on EVERY
request with one prepared SQL statement, so a removed membership, a deactivated user, a
bumped token version (logout everywhere, password change) or a logged-out session (the
same statement joins the ended sessions) refuses the next request, with no caching bound
to wait out.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time

from django.conf import settings
from django.db import connections, router
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework_simplejwt.authentication import JWTAuthentication

from flowline.core import tenancy
from flowline.core.csrf import double_submit_ok
from flowline.core.permissions import api_key_allows
from flowline.identity.models import ApiKey, Membership
from flowline.identity.tokens import ACCOUNT_CLAIM, SESSION_CLAIM, VERSION_CLAIM

API_KEY_KEYWORD = b"api-key"


def tenant_context_for(membership: Membership, *, api_key_id: int | None = None):
    """The tenant context a membership acts in (site ids only when it is restricted)."""
    site_ids = None
    if not membership.all_sites:
        from flowline.identity.hooks import site_directory

        granted = site_directory().granted_site_ids(membership.account_id, membership.user_id)
        site_ids = frozenset(granted)
    if "account_rates" in membership.__dict__:  # read with it by active_membership
        rates = membership.account_rates
    elif Membership.account.is_cached(membership):
        rates = membership.account.rate_limits
    else:
        rates = {}
    return tenancy.TenantContext(
        account_id=membership.account_id,
        user_id=membership.user_id,
        role=membership.role,
        site_ids=site_ids,
        api_key_id=api_key_id,
        rates=tuple(sorted((rates or {}).items())),
    )


def activate_membership(request, membership: Membership, *, api_key_id: int | None = None) -> None:
    """Make `membership`'s account the active tenant for the rest of this request."""
    tenancy.activate(tenant_context_for(membership, api_key_id=api_key_id))
    request._request.membership = membership


class _MembershipQuery:
    """The active membership of a user in an account, with its user and its account's
    throttle rates (`membership.account_rates`), in one SELECT; none when the token's
    sign-in has ended (an anti-join on the ended sessions' primary key).

    What `Membership.unscoped.select_related("user").filter(user_id=..., account_id=...,
    is_active=True, user__is_active=True).first()` returns, without building and compiling
    that queryset on every request (that was a quarter of a list request's CPU): the SQL
    and the column converters are prepared once per database connection vendor, rows
    become model instances through `Model.from_db` as Django's own iterator does.
    """

    def __init__(self, connection):
        from flowline.identity.models import Account, EndedSession, User

        qn = connection.ops.quote_name
        self.m_fields = Membership._meta.concrete_fields
        self.u_fields = User._meta.concrete_fields
        columns = [f"m.{qn(f.column)}" for f in self.m_fields]
        columns += [f"u.{qn(f.column)}" for f in self.u_fields]
        self.rates_field = Account._meta.get_field("rate_limits")
        columns.append(f"a.{qn(self.rates_field.column)}")
        user_fk = Membership._meta.get_field("user")
        account_fk = Membership._meta.get_field("account")
        self.set_user = user_fk.set_cached_value
        # Only quoted model metadata is formatted in; the values are parameters.
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {qn(Membership._meta.db_table)} m "  # noqa: S608
            f"INNER JOIN {qn(User._meta.db_table)} u ON u.{qn(User._meta.pk.column)} = "
            f"m.{qn(user_fk.column)} "
            f"INNER JOIN {qn(Account._meta.db_table)} a ON a.{qn(Account._meta.pk.column)} = "
            f"m.{qn(account_fk.column)} "
            f"LEFT JOIN {qn(EndedSession._meta.db_table)} e ON e.{qn(EndedSession._meta.pk.column)}"
            f" = %s WHERE e.{qn(EndedSession._meta.pk.column)} IS NULL AND "
            f"m.{qn(user_fk.column)} = %s AND "
            f"m.{qn(Membership._meta.get_field('account').column)} = %s AND "
            f"m.{qn(Membership._meta.get_field('is_active').column)} = %s AND "
            f"u.{qn(User._meta.get_field('is_active').column)} = %s "
            f"ORDER BY m.{qn(Membership._meta.pk.column)} LIMIT 1"
        )
        self.converters = []
        for index, (alias, field) in enumerate(
            [("m", f) for f in self.m_fields]
            + [("u", f) for f in self.u_fields]
            + [("a", self.rates_field)]
        ):
            col = field.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((index, col, found))

    def fetch(self, connection, using: str, user_id, account_id, session) -> Membership | None:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, (session, user_id, account_id, True, True))
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = list(row)
            for index, col, converters in self.converters:
                value = row[index]
                for converter in converters:
                    value = converter(value, col, connection)
                row[index] = value
        split = len(self.m_fields)
        membership = Membership.from_db(using, None, row[:split])
        from flowline.identity.models import User

        self.set_user(membership, User.from_db(using, None, row[split:-1]))
        membership.account_rates = row[-1]
        return membership


_membership_queries: dict[str, _MembershipQuery] = {}


def active_membership(user_id, account_id, session: str | None = None) -> Membership | None:
    """The active membership of an active user in an account (with `.user`), or None; None
    too when `session` (a token's sign-in) was logged out."""
    using = router.db_for_read(Membership)
    connection = connections[using]
    query = _membership_queries.get(connection.vendor)
    if query is None:
        query = _membership_queries[connection.vendor] = _MembershipQuery(connection)
    return query.fetch(connection, using, user_id, account_id, session)


class _TokenCache:
    """Decoded, verified access tokens by their raw bytes, until they expire.

    Checking a token means base64, JSON and an HMAC: about 0.2 ms. A valid signature
    stays valid, access tokens are not blacklisted (revocation goes through the token
    version and the ended sessions in the membership query, read on every request, never
    through this cache), so a verified token can be
    reused until its `exp`, which is checked again on every hit. Bounded: emptied when full.
    """

    def __init__(self, size: int = 4096):
        self.size = size
        self.tokens: dict[bytes, tuple[float, object]] = {}
        self.lock = threading.Lock()

    def get(self, raw: bytes):
        entry = self.tokens.get(raw)
        if entry is None:
            return None
        if entry[0] <= time.time():
            self.tokens.pop(raw, None)
            return None
        return entry[1]

    def put(self, raw: bytes, token) -> None:
        exp = token.get("exp")
        if not isinstance(exp, (int, float)):
            return
        with self.lock:
            if len(self.tokens) >= self.size:
                self.tokens.clear()
            self.tokens[raw] = (float(exp), token)

    def clear(self) -> None:
        self.tokens.clear()


_verified_tokens = _TokenCache()


class TokenAuthentication(JWTAuthentication):
    """`Authorization: Bearer <access>` or the `access_token` cookie (with CSRF check)."""

    def get_validated_token(self, raw_token):
        key = raw_token if isinstance(raw_token, bytes) else str(raw_token).encode()
        token = _verified_tokens.get(key)
        if token is None:
            token = super().get_validated_token(raw_token)
            _verified_tokens.put(key, token)
        return token

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
            session = token.get(SESSION_CLAIM)
        except KeyError as exc:
            raise exceptions.AuthenticationFailed(
                "Token is missing claims.", "token_not_valid"
            ) from exc
        try:
            membership = active_membership(
                int(user_id), int(account_id), session if isinstance(session, str) else None
            )
        except (TypeError, ValueError) as exc:
            raise exceptions.AuthenticationFailed(
                "Token is missing claims.", "token_not_valid"
            ) from exc
        if membership is None or membership.user.token_version != version:
            raise exceptions.AuthenticationFailed("Token is no longer valid.", "token_not_valid")
        return membership

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def enforce_csrf(request) -> None:
    """Double-submit check: the X-CSRF-Token header must match the csrf cookie."""
    if not double_submit_ok(request):
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
            Membership.unscoped.select_related("user", "account")
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
