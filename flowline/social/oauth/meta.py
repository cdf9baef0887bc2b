"""Meta login (Facebook pages, Instagram business accounts, WhatsApp Business numbers).

The code gives a short-lived user token, exchanged at once for a long-lived one (about 60
days), kept as the account's refresh token. Pages come from `/me/accounts` with their page
tokens (which do not expire while the user token lives); Instagram business accounts from
each page's `instagram_business_account`; WhatsApp numbers from the user's businesses'
WhatsApp business accounts. Refreshing exchanges the long-lived user token again.
"""

from __future__ import annotations

import httpx
from django.conf import settings

from flowline.social.errors import PlatformError
from flowline.social.oauth.base import Connector, Identity, RefreshedToken
from flowline.social.platforms.graph import graph_error, graph_url

SCOPES = {
    "facebook": "pages_show_list,pages_read_engagement,pages_manage_posts,read_insights,"
    "pages_messaging",
    "instagram": "pages_show_list,instagram_basic,instagram_content_publish,"
    "instagram_manage_insights,instagram_manage_messages,pages_messaging",
    "whatsapp": "business_management,whatsapp_business_management,whatsapp_business_messaging",
}
PAGE_FIELDS = "id,name,username,link,access_token,instagram_business_account{id,username,name}"
WHATSAPP_FIELDS = (
    "id,name,owned_whatsapp_business_accounts{id,name,"
    "phone_numbers{id,display_phone_number,verified_name}}"
)


class MetaConnector(Connector):
    uses_pkce = False  # Facebook Login's web flow uses the app secret

    @property
    def client_id(self) -> str:
        return settings.SOCIAL_FACEBOOK_APP_ID

    @property
    def auth_url(self) -> str:
        return settings.SOCIAL_FACEBOOK_AUTH_URL

    @property
    def scopes(self) -> str:
        return SCOPES[self.platform]

    def error(self, response: httpx.Response) -> PlatformError:
        return graph_error(self.platform, response)

    def _exchange(self, user_token: str) -> dict:
        return self.call(
            "GET",
            graph_url("oauth/access_token"),
            params={
                "grant_type": "fb_exchange_token",
                "client_id": self.client_id,
                "client_secret": settings.SOCIAL_FACEBOOK_APP_SECRET,
                "fb_exchange_token": user_token,
            },
        )

    def _get(self, path: str, token: str, **params) -> dict:
        return self.call("GET", graph_url(path), params={**params, "access_token": token})

    def identities(self, *, code: str, code_verifier: str) -> list[Identity]:
        short = self.call(
            "GET",
            graph_url("oauth/access_token"),
            params={
                "client_id": self.client_id,
                "client_secret": settings.SOCIAL_FACEBOOK_APP_SECRET,
                "redirect_uri": settings.SOCIAL_OAUTH_REDIRECT_URI,
                "code": code,
            },
        )
        grant = self._exchange(short["access_token"])
        user_token, expires_in = grant["access_token"], grant.get("expires_in")
        common = {"refresh_token": user_token, "expires_in": expires_in, "scope": self.scopes}
        if self.platform == "whatsapp":
            return self._whatsapp_numbers(user_token, common)
        pages = self._get("me/accounts", user_token, fields=PAGE_FIELDS, limit=100)
        identities = []
        for page in pages.get("data", []):
            if self.platform == "facebook":
                identities.append(
                    Identity(
                        external_id=str(page["id"]),
                        name=page.get("name", ""),
                        username=page.get("username", ""),
                        profile_url=page.get("link") or f"https://www.facebook.com/{page['id']}",
                        access_token=page["access_token"],
                        **common,
                    )
                )
            elif ig := page.get("instagram_business_account"):
                identities.append(
                    Identity(
                        external_id=str(ig["id"]),
                        name=ig.get("name") or ig.get("username", ""),
                        username=ig.get("username", ""),
                        profile_url=f"https://www.instagram.com/{ig.get('username', '')}",
                        access_token=page["access_token"],
                        meta={"page_id": str(page["id"])},
                        **common,
                    )
                )
        return identities

    def _whatsapp_numbers(self, user_token: str, common: dict) -> list[Identity]:
        businesses = self._get("me/businesses", user_token, fields=WHATSAPP_FIELDS)
        identities = []
        for business in businesses.get("data", []):
            wabas = business.get("owned_whatsapp_business_accounts", {}).get("data", [])
            for waba in wabas:
                for number in waba.get("phone_numbers", {}).get("data", []):
                    identities.append(
                        Identity(
                            external_id=str(number["id"]),
                            name=number.get("verified_name", ""),
                            username=number.get("display_phone_number", ""),
                            access_token=user_token,
                            meta={"waba_id": str(waba["id"]), "business_id": str(business["id"])},
                            **common,
                        )
                    )
        return identities

    def refresh(self, account) -> RefreshedToken:
        grant = self._exchange(account.refresh_token or account.access_token)
        user_token = grant["access_token"]
        if account.platform == "whatsapp":
            return RefreshedToken(user_token, user_token, grant.get("expires_in"))
        page_id = account.meta.get("page_id") or account.external_id
        page = self._get(page_id, user_token, fields="access_token")
        return RefreshedToken(page["access_token"], user_token, grant.get("expires_in"))
