"""The OAuth 2.0 half both drive fakes share: consent, code exchange with PKCE, refresh.

`authorize` plays the user's consent: it answers 302 to redirect_uri with a code and the
state. The token endpoint checks the client, redirect URI and PKCE S256 verifier, like
Google's and Microsoft's do, and answers their JSON (errors as {"error", "error_description"}).
Tests expire or revoke tokens by calling `expire_access_tokens()` / `revoke_refresh_tokens()`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from flowline.sandbox.server import FakeServer, Reply

CLIENT_ID = "flowline-fake-client"
CLIENT_SECRET = "flowline-fake-secret"
REDIRECT_URI = "http://127.0.0.1/oauth/drive/callback"


class OAuthFake(FakeServer):
    """Holds issued codes and tokens; subclasses add the provider's file API."""

    token_prefix = "tok"
    scope = ""

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, bool] = {}  # token -> still valid
        self.refresh_tokens: dict[str, bool] = {}
        self.refresh_count = 0

    # --- helpers for tests -----------------------------------------------------------
    def issue_tokens(self) -> tuple[str, str]:
        """A fresh (access, refresh) pair, as if the user had consented."""
        access = f"{self.token_prefix}-access-{secrets.token_hex(8)}"
        refresh = f"{self.token_prefix}-refresh-{secrets.token_hex(8)}"
        self.access_tokens[access] = True
        self.refresh_tokens[refresh] = True
        return access, refresh

    def expire_access_tokens(self) -> None:
        self.access_tokens = dict.fromkeys(self.access_tokens, False)

    def revoke_refresh_tokens(self) -> None:
        self.refresh_tokens = dict.fromkeys(self.refresh_tokens, False)

    def authorized(self, request: dict) -> bool:
        return self.access_tokens.get(self.bearer(request), False)

    # --- endpoints -------------------------------------------------------------------
    def authorize(self, query: dict, reply: Reply) -> None:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return reply.json(400, {"error": "invalid_request", "error_description": "Bad client."})
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return reply.json(
                400, {"error": "invalid_request", "error_description": "PKCE S256 required."}
            )
        code = f"code-{secrets.token_hex(8)}"
        self.codes[code] = {
            "redirect_uri": query.get("redirect_uri"),
            "challenge": query["code_challenge"],
        }
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        reply.raw(302, b"", "text/plain", {"Location": target})

    def token(self, request: dict, reply: Reply) -> None:
        form = {k: v[0] for k, v in parse_qs(request["body"].decode()).items()}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return reply.json(
                401, {"error": "invalid_client", "error_description": "Unknown client."}
            )
        grant = form.get("grant_type")
        if grant == "authorization_code":
            issued = self.codes.pop(form.get("code", ""), None)  # codes work once
            if issued is None or issued["redirect_uri"] != form.get("redirect_uri"):
                return self._invalid_grant(reply, "Malformed auth code or redirect URI mismatch.")
            if _s256(form.get("code_verifier", "")) != issued["challenge"]:
                return self._invalid_grant(reply, "Invalid code verifier.")
            access, refresh = self.issue_tokens()
            return reply.json(200, self._grant_body(access, refresh))
        if grant == "refresh_token":
            if not self.refresh_tokens.get(form.get("refresh_token", ""), False):
                return self._invalid_grant(reply, "Token has been expired or revoked.")
            self.refresh_count += 1
            access, refresh = self.issue_tokens()
            return reply.json(200, self._grant_body(access, self.rotated(form, refresh)))
        return reply.json(400, {"error": "unsupported_grant_type"})

    def rotated(self, form: dict, new_refresh: str) -> str | None:
        """The refresh token a refresh answers with (None: the old one stays)."""
        return new_refresh

    def _grant_body(self, access: str, refresh: str | None) -> dict:
        body = {
            "access_token": access,
            "expires_in": 3599,
            "scope": self.scope,
            "token_type": "Bearer",
        }
        if refresh:
            body["refresh_token"] = refresh
        return body

    def _invalid_grant(self, reply: Reply, description: str) -> None:
        reply.json(400, {"error": "invalid_grant", "error_description": description})


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def split(path: str) -> tuple[str, dict]:
    """A request path as (path, single-valued query)."""
    parts = urlsplit(path)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
