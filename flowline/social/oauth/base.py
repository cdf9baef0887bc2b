"""What the platform OAuth clients share: token endpoint calls with mapped errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
from django.conf import settings

from flowline.social.errors import AuthorizationError, PlatformError, TransientPlatformError
from flowline.social.platforms.base import json_body, retry_after_seconds


@dataclass(frozen=True, slots=True)
class Identity:
    """One publishing identity a grant covers, with the tokens to act as it."""

    external_id: str
    name: str
    access_token: str
    username: str = ""
    profile_url: str = ""
    refresh_token: str = ""
    expires_in: int | None = None
    scope: str = ""
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RefreshedToken:
    access_token: str
    refresh_token: str = ""  # empty: the provider returned none, keep the stored one
    expires_in: int | None = None


class Connector:
    """One platform's OAuth client. `uses_pkce`: the platform takes code_challenge."""

    platform: str
    uses_pkce = True
    auth_url = ""
    scopes = ""

    def __init__(self, platform: str) -> None:
        self.platform = platform

    @property
    def client_id(self) -> str:
        raise NotImplementedError

    def configured(self) -> bool:
        return bool(self.client_id and settings.SOCIAL_OAUTH_REDIRECT_URI)

    def authorization_url(self, *, state: str, code_challenge: str) -> str:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": settings.SOCIAL_OAUTH_REDIRECT_URI,
            "scope": self.scopes,
            "state": state,
        }
        if self.uses_pkce:
            params |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
        return f"{self.auth_url}?{urlencode(params)}"

    def identities(self, *, code: str, code_verifier: str) -> list[Identity]:
        raise NotImplementedError

    def refresh(self, account) -> RefreshedToken:
        """New tokens for a stored account: `AuthorizationError` when the platform refuses
        (the account is dead), `TransientPlatformError` when it could not answer."""
        raise NotImplementedError

    # --- HTTP --------------------------------------------------------------------------
    def call(self, method: str, url: str, **kwargs) -> dict:
        """A token or identity call; 400/401 answers are the grant being refused."""
        timeout = httpx.Timeout(
            settings.SOCIAL_HTTP_TIMEOUT, connect=settings.SOCIAL_HTTP_CONNECT_TIMEOUT
        )
        try:
            response = httpx.request(method, url, timeout=timeout, **kwargs)
        except httpx.HTTPError as exc:
            raise TransientPlatformError(
                f"{self.platform} sign-in is unreachable: {exc}", platform=self.platform
            ) from exc
        if response.status_code < 400:
            return json_body(response)
        raise self.error(response)

    def error(self, response: httpx.Response) -> PlatformError:
        body = json_body(response)
        status = response.status_code
        if status == 429 or status >= 500:
            return TransientPlatformError(
                f"{self.platform} sign-in answered {status}.",
                retry_after=retry_after_seconds(response),
                platform=self.platform,
            )
        detail = body.get("error_description") or body.get("error") or body.get("message")
        return AuthorizationError(
            f"{self.platform} refused the authorization: {detail or status}",
            platform=self.platform,
            platform_code=str(body.get("error") or status),
        )
