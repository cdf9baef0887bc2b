"""What the platform OAuth clients share: token endpoint calls with mapped errors
(through `social.http.SignInClient`, the guarded outbound client)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
from django.conf import settings

from flowline.core import outbound
from flowline.social.errors import PlatformError
from flowline.social.http import SignInClient


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
        with SignInClient(self.platform) as client:
            response = client.request(method, url, check=False, **kwargs)
        if response.is_success:
            return outbound.json_body(response)
        raise self.error(response)

    def error(self, response: httpx.Response) -> PlatformError:
        return SignInClient(self.platform).answer_error(response)
