"""The sign-in providers and how allauth builds them from SOCIAL_LOGIN_PROVIDERS.

Google and Apple go through allauth's OpenID Connect provider (discovery from
`server_url`, ID token, userinfo), Microsoft through its Graph provider (tenant URLs,
`/me`), GitHub and Facebook through their OAuth2 providers. The adapter below builds each
allauth `SocialApp` from the settings on every call, so environment variables (and tests)
decide the client and every endpoint; a provider without a client id is off.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Client
from django.conf import settings

from flowline.core import outbound
from flowline.core.errors import ApplicationError, NotFoundError


@dataclass(frozen=True)
class ProviderSpec:
    """How one sign-in provider is reached through allauth."""

    id: str
    name: str
    allauth_provider: str  # allauth's provider class id
    pkce: bool  # send a PKCE S256 challenge
    oidc: bool = False  # an ID token comes back: send and check a nonce
    form_post: bool = False  # the provider posts the code back (Apple with email scope)


SPECS: dict[str, ProviderSpec] = {
    spec.id: spec
    for spec in (
        ProviderSpec("google", "Google", "openid_connect", pkce=True, oidc=True),
        ProviderSpec("apple", "Apple", "openid_connect", pkce=False, oidc=True, form_post=True),
        ProviderSpec("microsoft", "Microsoft", "microsoft", pkce=True),
        ProviderSpec("github", "GitHub", "github", pkce=True),
        ProviderSpec("facebook", "Facebook", "facebook", pkce=False),
    )
}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's adapter with the apps read from SOCIAL_LOGIN_PROVIDERS at call time, and
    its HTTP (discovery, token, userinfo, JWKS) sent through the guarded outbound session."""

    def get_requests_session(self):
        return outbound.guarded_session(timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)

    def list_apps(self, request, provider=None, client_id=None) -> list[SocialApp]:
        apps = []
        for spec in SPECS.values():
            conf = settings.SOCIAL_LOGIN_PROVIDERS.get(spec.id) or {}
            if not conf.get("client_id"):
                continue
            if provider and provider not in (spec.id, spec.allauth_provider):
                continue
            if client_id and client_id != conf["client_id"]:
                continue
            apps.append(_app(spec, conf))
        return apps


def _app(spec: ProviderSpec, conf: dict) -> SocialApp:
    app_settings = {k: v for k, v in conf.items() if k not in ("client_id", "secret")}
    app_settings["oauth_pkce_enabled"] = conf.get("pkce", spec.pkce)
    app_settings.pop("pkce", None)
    secret = conf.get("secret", "")
    if spec.id == "apple":
        app_settings["fetch_userinfo"] = False  # Apple has no userinfo; the ID token says it
        app_settings["auth_params"] = {"response_mode": "form_post"}
        app_settings["scope"] = ["openid", "name", "email"]
        secret = _apple_client_secret(conf) or secret
    return SocialApp(
        provider=spec.allauth_provider,
        provider_id=spec.id if spec.allauth_provider == "openid_connect" else "",
        name=spec.name,
        client_id=conf["client_id"],
        secret=secret,
        settings=app_settings,
    )


def _apple_client_secret(conf: dict) -> str:
    """Apple's client secret is a short-lived ES256 JWT signed with the team's key."""
    if not conf.get("private_key"):
        return ""
    now = int(time.time())
    claims = {
        "iss": conf["team_id"],
        "iat": now,
        "exp": now + 3600,
        "aud": conf.get("server_url", "https://appleid.apple.com"),
        "sub": conf["client_id"],
    }
    return jwt.encode(
        claims, conf["private_key"], algorithm="ES256", headers={"kid": conf["key_id"]}
    )


def spec_for(provider_id: str) -> ProviderSpec:
    spec = SPECS.get(provider_id)
    if spec is None:
        raise NotFoundError(
            "Unknown sign-in provider.",
            code="social_provider_unknown",
            errors={"provider": [f"Choose one of: {', '.join(SPECS)}."]},
        )
    return spec


def provider_for(request, provider_id: str):
    """allauth's provider object for `provider_id`, with its app; 503 when not configured."""
    spec = spec_for(provider_id)
    if not get_adapter().list_apps(request, provider=spec.id):
        raise ApplicationError(
            f"Sign-in with {spec.name} is not configured on this server.",
            code="social_provider_not_configured",
            status=503,
        )
    return get_adapter().get_provider(request, spec.id)


def configured() -> list[ProviderSpec]:
    """The providers a user can sign in with on this server."""
    return [
        spec
        for spec in SPECS.values()
        if (settings.SOCIAL_LOGIN_PROVIDERS.get(spec.id) or {}).get("client_id")
    ]


def oauth2_adapter_for(provider, request):
    """allauth's OAuth2 adapter for `provider`, its endpoints taken from the app's settings.

    GitHub's and Facebook's allauth adapters fix their URLs at import; these are set on
    the instance so a self-hosted GitHub Enterprise or a test server is reached instead.
    """
    adapter = provider.get_oauth2_adapter(request)
    conf = provider.app.settings
    if provider.id == "github":
        adapter.authorize_url = f"{conf['url'].rstrip('/')}/login/oauth/authorize"
        adapter.access_token_url = f"{conf['url'].rstrip('/')}/login/oauth/access_token"
        adapter.profile_url = f"{conf['api_url'].rstrip('/')}/user"
        adapter.emails_url = f"{conf['api_url'].rstrip('/')}/user/emails"
    elif provider.id == "facebook" and conf.get("authorize_url"):
        adapter.authorize_url = conf["authorize_url"]
    return adapter


def oauth2_client(adapter, app: SocialApp, redirect_uri: str) -> OAuth2Client:
    """allauth's OAuth2 client, with Flowline's one redirect URI (allauth would use its own
    callback route)."""
    return adapter.client_class(
        adapter.request,
        app.client_id,
        app.secret,
        adapter.access_token_method,
        adapter.access_token_url,
        redirect_uri,
        scope_delimiter=adapter.scope_delimiter,
        headers=adapter.headers,
        basic_auth=adapter.basic_auth,
    )


def redirect_uri() -> str:
    """The one redirect URI registered at every provider."""
    return settings.SOCIAL_LOGIN_REDIRECT_URI or (
        f"{settings.FRONTEND_URL.rstrip('/')}/auth/social/callback"
    )
