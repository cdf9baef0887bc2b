"""A local OAuth 2.0 / OpenID Connect provider for tests, built on Authlib's server (its
pieces, over this provider's state, are in `authorization.py`).

It is a real authorization server (Authlib's `AuthorizationServer` with the authorization
code grant, PKCE S256 from RFC 7636 and OpenID Connect's ID token), served over HTTP by a
thread on 127.0.0.1. One server speaks three dialects so each social login path can be
tested against it:

- OpenID Connect (Google, Apple style): discovery, `/authorize`, `/token`, `/jwks`,
  `/userinfo`; RS256 ID tokens carrying the nonce.
- GitHub style: `/login/oauth/authorize`, `/login/oauth/access_token`, `/api/v3/user`,
  `/api/v3/user/emails` (GitHub Enterprise's layout).
- Microsoft style: `/<tenant>/oauth2/v2.0/authorize|token` and Graph's `/v1.0/me`.

The authorization endpoint plays the user's browser page: GET answers a login form,
POST with `username` and `password` (one of `users`) consents and redirects to the client
with a code; `deny=1` answers `access_denied`. Codes work once, are bound to the client,
redirect URI and PKCE challenge, and registered redirect URIs match exactly.

    with local_oidc_provider(users=[ProviderUser("ann@example.com")]) as provider:
        provider.configure(settings)          # SOCIAL_LOGIN_* point at this server
        data = social_sign_in(api_client, provider, "google", email="ann@example.com")
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, parse_qsl, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
from authlib.oauth2 import OAuth2Error
from joserfc.jwk import RSAKey

from flowline.core.testing.outbound import allow_private_host
from flowline.sandbox.oidc import wiring
from flowline.sandbox.oidc.authorization import (
    EnvironRequest,
    IssuedCode,
    PKCERequired,
    ProviderServer,
    RegisteredClient,
)

CLIENT_ID, CLIENT_SECRET = wiring.CLIENT_ID, wiring.CLIENT_SECRET
REDIRECT_URI = "http://127.0.0.1:3000/auth/social/callback"
PASSWORD = "provider-password"
_ids = itertools.count(1001)


@dataclass
class ProviderUser:
    """Someone who can sign in at the provider."""

    email: str
    email_verified: bool = True
    password: str = PASSWORD
    given_name: str = "Pat"
    family_name: str = "Doe"
    # More addresses for the GitHub dialect: [(email, verified), ...].
    other_emails: list[tuple[str, bool]] = field(default_factory=list)
    sub: str = field(default_factory=lambda: f"sub-{secrets.token_hex(6)}")
    numeric_id: int = field(default_factory=lambda: next(_ids))


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class LocalOIDCProvider:
    """The provider's state: clients, users, codes, tokens and its signing key."""

    def __init__(
        self,
        users: list[ProviderUser] | None = None,
        *,
        redirect_uris: list[str] | None = None,
        require_pkce: bool = True,
    ):
        self.users = {u.email.lower(): u for u in users or []}
        self.clients = {
            CLIENT_ID: RegisteredClient(
                CLIENT_ID, CLIENT_SECRET, list(redirect_uris or [REDIRECT_URI])
            )
        }
        self.require_pkce = require_pkce
        self.codes: dict[str, IssuedCode] = {}
        self.tokens: dict[str, ProviderUser] = {}
        self.authorization_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self.token_errors: list[str] = []  # error_description of each refused exchange
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4)})
        self.server = ProviderServer(self)
        self._httpd = None
        self._thread = None
        self.url = ""

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> LocalOIDCProvider:
        self._httpd = make_server(
            "127.0.0.1", 0, self.wsgi, server_class=_ThreadingServer, handler_class=_Quiet
        )
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    def __enter__(self) -> LocalOIDCProvider:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def issuer(self) -> str:
        return self.url

    # --- wiring Flowline to it -------------------------------------------------------
    def provider_settings(self, provider: str) -> dict:
        """One entry of SOCIAL_LOGIN_PROVIDERS pointing `provider` at this server."""
        return wiring.provider_settings(self.url, provider)

    def configure(self, settings, *providers: str, redirect_uri: str = REDIRECT_URI) -> None:
        """Point Flowline's social login (pytest-django `settings`) at this server, and
        allow-list its address."""
        allow_private_host(settings, self.url)
        providers = providers or wiring.PROVIDERS
        settings.SOCIAL_LOGIN_PROVIDERS = {p: self.provider_settings(p) for p in providers}
        settings.SOCIAL_LOGIN_REDIRECT_URI = redirect_uri

    # --- the browser's part ----------------------------------------------------------
    def authorize(self, authorization_url: str, *, email: str, password: str | None = None) -> dict:
        """Sign in at the provider's page as `email` and consent, like a browser.

        Returns what the provider sends to the redirect URI (its query, or the fields of
        the form_post page) plus `redirect_uri`: `code` and `state`, or `error`. Raises
        AssertionError when the provider refuses to redirect at all (unknown client,
        unregistered redirect URI).
        """
        user = self.users.get(email.lower())
        password = password if password is not None else (user.password if user else "")
        with httpx.Client(timeout=10) as browser:
            page = browser.get(authorization_url)
            assert page.status_code == 200, page.text
            answer = browser.post(authorization_url, data={"username": email, "password": password})
        if answer.status_code == 200 and "<form method=post action=" in answer.text:
            # form_post: what the page would post, and where
            target = html.unescape(re.search(r'action="([^"]+)"', answer.text).group(1))
            fields = re.findall(r'name="([^"]+)" value="([^"]*)"', answer.text)
            return {k: html.unescape(v) for k, v in fields} | {"redirect_uri": target}
        assert answer.status_code == 302, answer.text
        location = answer.headers["location"]
        return dict(parse_qsl(urlsplit(location).query)) | {"redirect_uri": location}

    # --- protocol --------------------------------------------------------------------
    def claims(self, user: ProviderUser) -> dict:
        return {
            "sub": user.sub,
            "email": user.email,
            "email_verified": user.email_verified,
            "given_name": user.given_name,
            "family_name": user.family_name,
            "name": f"{user.given_name} {user.family_name}",
        }

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def wsgi(self, environ, start_response):
        status, body, headers = self._route(environ)
        if isinstance(body, str):
            body = body.encode()
        start_response(f"{status} {_REASONS.get(status, 'OK')}", list(headers))
        return [body]

    def _route(self, environ) -> tuple[int, bytes | str, list]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {}
        if method == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(size).decode()
            form = {k: v[0] for k, v in parse_qs(raw).items()}
        headers = {
            k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        url = f"{self.url}{path}"
        if environ.get("QUERY_STRING"):
            url += "?" + environ["QUERY_STRING"]
        request = EnvironRequest(method, url, query, form, headers)

        if path == "/.well-known/openid-configuration":
            return _json(200, self.discovery())
        if path == "/jwks":
            return _json(200, {"keys": [self.key.as_dict(private=False) | {"use": "sig"}]})
        if path in ("/authorize", "/login/oauth/authorize", "/dialog/oauth") or path.endswith(
            "/oauth2/v2.0/authorize"
        ):
            return self._authorize(request, method, form)
        if path in ("/token", "/login/oauth/access_token") or path.endswith("/oauth2/v2.0/token"):
            self.token_requests.append(dict(form))
            status, body, headers = self.server.create_token_response(request)
            if status != 200:
                self.token_errors.append(json.loads(body).get("error_description", ""))
            return status, body, headers
        user = self.tokens.get(_bearer(headers.get("Authorization", "")))
        if user is None and path in _RESOURCES:
            return _json(401, {"error": "invalid_token"})
        if path == "/userinfo":
            return _json(200, self.claims(user))
        if path == "/api/v3/user":
            return _json(
                200,
                {
                    "id": user.numeric_id,
                    "login": user.email.split("@")[0],
                    "name": f"{user.given_name} {user.family_name}",
                    "email": None,  # GitHub hides it unless public; /user/emails tells
                },
            )
        if path == "/api/v3/user/emails":
            emails = [{"email": user.email, "primary": True, "verified": user.email_verified}]
            emails += [{"email": e, "primary": False, "verified": v} for e, v in user.other_emails]
            return _json(200, emails)
        if path == "/v1.0/me":
            return _json(
                200,
                {
                    "id": user.sub,
                    "mail": user.email,
                    "userPrincipalName": user.email,
                    "givenName": user.given_name,
                    "surname": user.family_name,
                    "displayName": f"{user.given_name} {user.family_name}",
                },
            )
        return _json(404, {"error": "not_found"})

    def _authorize(self, request: EnvironRequest, method: str, form: dict):
        self.authorization_requests.append(dict(request.args))
        try:
            if self.require_pkce and not request.args.get("code_challenge"):
                raise PKCERequired()
            grant = self.server.get_consent_grant(request=request, end_user=None)
        except OAuth2Error as error:
            return self.server.handle_error_response(request, error)
        if method == "GET":
            return 200, LOGIN_FORM, [("Content-Type", "text/html; charset=utf-8")]
        user = None
        if not form.get("deny"):
            user = self.users.get(form.get("username", "").lower())
            if user is None or not secrets.compare_digest(form.get("password", ""), user.password):
                return 401, LOGIN_FORM, [("Content-Type", "text/html; charset=utf-8")]
        status, body, headers = self.server.create_authorization_response(
            request=request, grant_user=user, grant=grant
        )
        if status == 302 and request.args.get("response_mode") == "form_post":
            return _form_post(dict(headers)["Location"])
        return status, body, headers


_RESOURCES = {"/userinfo", "/api/v3/user", "/api/v3/user/emails", "/v1.0/me"}
_REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
# The provider's own plain sign-in form (sandbox mode shows a console-styled one posting
# the same fields: flowline.sandbox.views.signin.oidc_provider).
LOGIN_FORM = (
    "<!doctype html><title>Sign in</title><form method=post>"
    "<label>Email <input name=username></label>"
    "<label>Password <input name=password type=password></label>"
    "<button>Sign in</button><button name=deny value=1>Cancel</button></form>"
)


def _form_post(location: str) -> tuple[int, str, list]:
    """Apple's response_mode=form_post: a page that posts the answer to the redirect URI."""
    parts = urlsplit(location)
    target = f"{parts.scheme}://{parts.netloc}{parts.path}"
    fields = "".join(
        f'<input type=hidden name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in parse_qsl(parts.query)
    )
    page = (
        f'<!doctype html><body onload="document.forms[0].submit()">'
        f'<form method=post action="{html.escape(target)}">{fields}</form>'
    )
    return 200, page, [("Content-Type", "text/html; charset=utf-8")]


def _json(status: int, body) -> tuple[int, str, list]:
    return status, json.dumps(body), [("Content-Type", "application/json")]


def _bearer(header: str) -> str:
    scheme, _, token = header.partition(" ")
    return token if scheme.lower() in ("bearer", "token") else ""


@contextlib.contextmanager
def local_oidc_provider(
    users: list[ProviderUser] | None = None, **kwargs
) -> Iterator[LocalOIDCProvider]:
    """A running local provider; stopped when the block ends."""
    with LocalOIDCProvider(users, **kwargs) as provider:
        yield provider


def social_sign_in(
    client, provider: LocalOIDCProvider, platform: str, *, email: str, cookie: bool = False
) -> dict:
    """The whole sign-in dance as a browser and frontend do it, returning Flowline's answer.

    `client` is an API client of the Flowline under test (it keeps the binding cookie
    between init and callback). Returns the callback's `data` ({"user", "tokens"});
    fails the test when a step is refused.
    """
    init = client.get(
        f"/api/v1/social/auth/{platform}/init/", {"cookie": "true" if cookie else "false"}
    )
    assert init.status_code == 200, init.content
    redirect = provider.authorize(init.json()["data"]["authorization_url"], email=email)
    assert "code" in redirect, redirect
    done = client.post(
        "/api/v1/social/auth/callback/",
        {"code": redirect["code"], "state": redirect["state"]},
        format="json",
    )
    assert done.status_code == 200, done.content
    return done.json()["data"]


__all__ = [
    "CLIENT_ID",
    "CLIENT_SECRET",
    "REDIRECT_URI",
    "LocalOIDCProvider",
    "ProviderUser",
    "local_oidc_provider",
    "social_sign_in",
]
