"""LinkedIn REST API (versioned): `POST /rest/posts`, image upload, socialActions.

Errors are `{"status", "serviceErrorCode", "code", "message"}`: 401 (serviceErrorCode 65600
or EXPIRED_ACCESS_TOKEN) is a dead token, 429 a throttle, 422 / 400 (duplicate content:
"DUPLICATE_POST") a refused post.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

import httpx
from django.conf import settings

from flowline.core.outbound import json_body
from flowline.social.errors import ContentRejected
from flowline.social.platforms.base import (
    PlatformAdapter,
    Published,
    download_media,
    same_text,
)


def api_url(path: str) -> str:
    return f"{settings.SOCIAL_LINKEDIN_API_BASE.rstrip('/')}/{path.lstrip('/')}"


class LinkedInAdapter(PlatformAdapter):
    """A LinkedIn member (`urn:li:person:…`) or organization (`urn:li:organization:…`)."""

    platform = "linkedin"

    @property
    def author(self) -> str:
        return self.account.meta.get("urn") or f"urn:li:person:{self.account.external_id}"

    def headers(self) -> dict[str, str]:
        return {
            **super().headers(),
            "LinkedIn-Version": settings.SOCIAL_LINKEDIN_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def raise_for(self, response: httpx.Response) -> None:
        body = json_body(response)
        message = body.get("message") or response.reason_phrase
        error = self.default_error(response, body, message)
        error.platform_code = str(body.get("serviceErrorCode") or response.status_code)
        raise error

    def _upload_image(self, item: dict) -> str:
        content, content_type = download_media(self.platform, item)
        init = json_body(
            self.request(
                "POST",
                api_url("rest/images"),
                params={"action": "initializeUpload"},
                json={"initializeUploadRequest": {"owner": self.author}},
            )
        )["value"]
        self.request(
            "PUT", init["uploadUrl"], content=content, headers={"Content-Type": content_type}
        )
        return init["image"]

    def publish(self, variant: dict) -> Published:
        text = variant.get("text") or ""
        media = variant.get("media") or []
        link = variant.get("link") or ""
        data: dict = {
            "author": self.author,
            "commentary": text,
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if any(item.get("type") == "video" for item in media):
            raise ContentRejected(
                "linkedin: video posts are not supported yet; post images or a link.",
                platform="linkedin",
            )
        if len(media) == 1:
            data["content"] = {"media": {"id": self._upload_image(media[0])}}
        elif media:
            images = [{"id": self._upload_image(item)} for item in media]
            data["content"] = {"multiImage": {"images": images}}
        elif link:
            data["content"] = {"article": {"source": link, "title": link}}
        response = self.request("POST", api_url("rest/posts"), json=data, sends=True)
        urn = response.headers.get("x-restli-id") or json_body(response).get("id", "")
        if not urn:
            raise ContentRejected("linkedin: the answer carried no post id.", platform="linkedin")
        return Published(urn, f"https://www.linkedin.com/feed/update/{urn}/")

    def find_published(self, variant: dict, since: datetime) -> Published | None:
        response = self.request(
            "GET",
            api_url("rest/posts"),
            params={"q": "author", "author": self.author, "count": 20, "sortBy": "LAST_MODIFIED"},
        )
        since_ms = since.timestamp() * 1000
        for post in json_body(response).get("elements", []):
            if post.get("createdAt", since_ms) < since_ms:
                continue
            if same_text(post.get("commentary", ""), variant):
                urn = post["id"]
                return Published(urn, f"https://www.linkedin.com/feed/update/{urn}/")
        return None

    def fetch_metrics(self, external_ids: list[str]) -> dict[str, dict]:
        metrics = {}
        for urn in external_ids:
            response = self.request("GET", api_url(f"rest/socialActions/{quote(urn, safe='')}"))
            body = json_body(response)
            likes = body.get("likesSummary", {}).get("totalLikes", 0)
            comments = body.get("commentsSummary", {}).get("aggregatedTotalComments", 0)
            # LinkedIn gives reach (impressions) only to organizations through share
            # statistics; socialActions gives engagement for every author.
            metrics[urn] = {
                "reach": 0,
                "engagement": likes + comments,
                "likes": likes,
                "comments": comments,
            }
        return metrics
