"""LinkedIn OAuth 2.0 (3-legged; refresh tokens for apps LinkedIn enabled them for) and
the member's identity from the OpenID userinfo endpoint."""

from __future__ import annotations

from django.conf import settings

from flowline.social.errors import AuthorizationError
from flowline.social.oauth.base import Connector, Identity, RefreshedToken


class LinkedInConnector(Connector):
    scopes = "openid profile w_member_social"
    uses_pkce = False  # LinkedIn's web flow takes the client secret, not PKCE

    @property
    def client_id(self) -> str:
        return settings.SOCIAL_LINKEDIN_CLIENT_ID

    @property
    def auth_url(self) -> str:
        return settings.SOCIAL_LINKEDIN_AUTH_URL

    def _token(self, data: dict) -> dict:
        return self.call(
            "POST",
            settings.SOCIAL_LINKEDIN_TOKEN_URL,
            data={
                **data,
                "client_id": self.client_id,
                "client_secret": settings.SOCIAL_LINKEDIN_CLIENT_SECRET,
            },
        )

    def identities(self, *, code: str, code_verifier: str) -> list[Identity]:
        grant = self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": settings.SOCIAL_OAUTH_REDIRECT_URI,
            }
        )
        me = self.call(
            "GET",
            f"{settings.SOCIAL_LINKEDIN_API_BASE.rstrip('/')}/v2/userinfo",
            headers={"Authorization": f"Bearer {grant['access_token']}"},
        )
        return [
            Identity(
                external_id=str(me["sub"]),
                name=me.get("name", ""),
                username=me.get("email", ""),
                access_token=grant["access_token"],
                refresh_token=grant.get("refresh_token", ""),
                expires_in=grant.get("expires_in"),
                scope=grant.get("scope", ""),
                meta={"urn": f"urn:li:person:{me['sub']}"},
            )
        ]

    def refresh(self, account) -> RefreshedToken:
        if not account.refresh_token:
            # Without a refresh token the member must sign in again before expiry.
            raise AuthorizationError(
                "linkedin: the token expires and LinkedIn gave no refresh token.",
                platform="linkedin",
            )
        grant = self._token({"grant_type": "refresh_token", "refresh_token": account.refresh_token})
        return RefreshedToken(
            grant["access_token"], grant.get("refresh_token", ""), grant.get("expires_in")
        )
