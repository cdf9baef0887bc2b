"""The OAuth 2.0 authorization code flow around allauth: start, then complete.

`login_start` builds the provider's authorization URL with a random `state`, a PKCE S256
challenge (where the provider takes one), an OpenID Connect nonce and the one configured
redirect URI, and keeps what the callback needs server-side under that state, with the
hash of a browser key the API sets as an HttpOnly cookie. `login_complete` accepts a state
once, only from the browser holding that key and within SOCIAL_LOGIN_STATE_MAX_AGE,
then exchanges the code with the stored verifier and redirect URI and lets allauth fetch
and read the profile. Nothing reaches the provider for a forged, foreign, expired or
replayed state.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from requests import RequestException

from flowline.core.errors import ApplicationError
from flowline.identity.social_login import providers


class SocialStateInvalid(ApplicationError):
    status_code = 400
    default_code = "oauth_state_invalid"


class SocialLoginFailed(ApplicationError):
    status_code = 400
    default_code = "social_login_failed"


@dataclass(frozen=True)
class LoginStart:
    provider: str
    authorization_url: str
    state: str
    browser_key: str  # goes to the browser as an HttpOnly cookie, never in the body
    expires_in: int
    form_post: bool


@dataclass(frozen=True)
class LoginAttempt:
    """What the callback learnt from the state: how to answer, where to go next."""

    provider: str
    cookie: bool
    next_path: str


def _key(state: str) -> str:
    return f"identity:social-login:{hashlib.sha256(state.encode()).hexdigest()}"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def login_start(*, request, provider_id: str, cookie: bool, next_path: str = "/") -> LoginStart:
    """The URL to send the browser to, and the browser key that binds the attempt."""
    spec = providers.spec_for(provider_id)
    provider = providers.provider_for(request, provider_id)
    adapter = providers.oauth2_adapter_for(provider, request)
    redirect_uri = providers.redirect_uri()
    state = secrets.token_urlsafe(32)
    browser_key = secrets.token_urlsafe(32)
    params = dict(provider.get_auth_params())
    pkce = provider.get_pkce_params()
    verifier = pkce.pop("code_verifier", None)
    params.update(pkce)
    nonce = secrets.token_urlsafe(24) if spec.oidc else None
    if nonce:
        params["nonce"] = nonce
    client = providers.oauth2_client(adapter, provider.app, redirect_uri)
    client.state = state
    url = client.get_redirect_url(adapter.authorize_url, provider.get_scope(), params)
    cache.set(
        _key(state),
        {
            "p": spec.id,
            "b": _digest(browser_key),
            "v": verifier,
            "n": nonce,
            "r": redirect_uri,
            "c": cookie,
            "x": next_path,
        },
        timeout=settings.SOCIAL_LOGIN_STATE_MAX_AGE,
    )
    return LoginStart(
        provider=spec.id,
        authorization_url=url,
        state=state,
        browser_key=browser_key,
        expires_in=settings.SOCIAL_LOGIN_STATE_MAX_AGE,
        form_post=spec.form_post,
    )


def take_attempt(*, state: str, browser_key: str) -> tuple[LoginAttempt, dict]:
    """The attempt `state` names, taken once; only for the browser that started it."""
    key = _key(state or "")
    record = cache.get(key)
    # delete() is the one-time gate: of two callbacks racing with one state, one wins.
    if record is None or not cache.delete(key):
        raise SocialStateInvalid("This sign-in attempt is unknown, expired or already used.")
    if not browser_key or not secrets.compare_digest(_digest(browser_key), record["b"]):
        raise SocialStateInvalid("This sign-in attempt was started in another browser.")
    return LoginAttempt(provider=record["p"], cookie=record["c"], next_path=record["x"]), record


def login_complete(*, request, record: dict, code: str) -> SocialLogin:
    """Exchange `code` and read the profile; allauth's unsaved SocialLogin comes back."""
    provider = providers.provider_for(request, record["p"])
    adapter = providers.oauth2_adapter_for(provider, request)
    client = providers.oauth2_client(adapter, provider.app, record["r"])
    try:
        response = client.get_access_token(code, pkce_code_verifier=record["v"])
        adapter.did_fetch_access_token = True
        token = adapter.parse_token(response)
        login = adapter.complete_login(request, provider.app, token, response=response)
    except (OAuth2Error, RequestException, ProviderException, PermissionDenied) as exc:
        raise SocialLoginFailed(
            f"{providers.SPECS[record['p']].name} did not confirm this sign-in. Try again."
        ) from exc
    if record["n"]:
        claims = (login.account.extra_data or {}).get("id_token") or {}
        if not secrets.compare_digest(str(claims.get("nonce", "")), record["n"]):
            raise SocialLoginFailed("The ID token does not belong to this sign-in attempt.")
    return login
