"""X OAuth 2.0 (authorization code with PKCE, confidential client, rotating refresh tokens)."""

from __future__ import annotations

from django.conf import settings

from flowline.social.oauth.base import Connector, Identity, RefreshedToken

SCOPES = "tweet.read tweet.write users.read media.write offline.access"


class TwitterConnector(Connector):
    scopes = SCOPES

    @property
    def client_id(self) -> str:
        return settings.SOCIAL_TWITTER_CLIENT_ID

    @property
    def auth_url(self) -> str:
        return settings.SOCIAL_TWITTER_AUTH_URL

    def _token(self, data: dict) -> dict:
        return self.call(
            "POST",
            f"{settings.SOCIAL_TWITTER_API_BASE.rstrip('/')}/2/oauth2/token",
            data={**data, "client_id": self.client_id},
            auth=(self.client_id, settings.SOCIAL_TWITTER_CLIENT_SECRET),
        )

    def identities(self, *, code: str, code_verifier: str) -> list[Identity]:
        grant = self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": settings.SOCIAL_OAUTH_REDIRECT_URI,
                "code_verifier": code_verifier,
            }
        )
        me = self.call(
            "GET",
            f"{settings.SOCIAL_TWITTER_API_BASE.rstrip('/')}/2/users/me",
            headers={"Authorization": f"Bearer {grant['access_token']}"},
        ).get("data", {})
        return [
            Identity(
                external_id=str(me["id"]),
                name=me.get("name", ""),
                username=me.get("username", ""),
                profile_url=f"https://x.com/{me.get('username', '')}",
                access_token=grant["access_token"],
                refresh_token=grant.get("refresh_token", ""),
                expires_in=grant.get("expires_in"),
                scope=grant.get("scope", ""),
            )
        ]

    def refresh(self, account) -> RefreshedToken:
        grant = self._token({"grant_type": "refresh_token", "refresh_token": account.refresh_token})
        return RefreshedToken(
            grant["access_token"], grant.get("refresh_token", ""), grant.get("expires_in")
        )
