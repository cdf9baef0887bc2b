"""X API v2: `POST /2/tweets`, media upload, the user's timeline and public metrics.

Errors come as problem documents `{"title", "detail", "type", "status"}` (or
`{"errors": [...]}` on 400): 401 is a dead token; 429 carries `x-rate-limit-reset`;
403 "duplicate content" and 400 invalid requests refuse the content.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from django.conf import settings

from flowline.core.outbound import json_body
from flowline.social.errors import AuthorizationError, ContentRejected
from flowline.social.platforms.base import (
    PlatformAdapter,
    Published,
    download_media,
    same_text,
)

# 403s that are about the app or token rather than the content.
_AUTH_PROBLEMS = ("client-forbidden", "unsupported-authentication", "not-authorized-for-resource")


def api_url(path: str) -> str:
    return f"{settings.SOCIAL_TWITTER_API_BASE.rstrip('/')}/{path.lstrip('/')}"


class TwitterAdapter(PlatformAdapter):
    """An X user (OAuth 2.0 user-context token)."""

    platform = "twitter"

    def raise_for(self, response: httpx.Response) -> None:
        body = json_body(response)
        details = [e.get("message", "") for e in body.get("errors", []) if isinstance(e, dict)]
        message = body.get("detail") or "; ".join(details) or response.reason_phrase
        problem = str(body.get("type", ""))
        if response.status_code == 403 and any(p in problem for p in _AUTH_PROBLEMS):
            raise AuthorizationError(f"twitter: {message}", platform="twitter", platform_code=403)
        error = self.default_error(response, body, message)
        error.platform_code = str(response.status_code)
        raise error

    def _upload(self, item: dict) -> str:
        content, content_type = download_media(self.platform, item)
        category = "tweet_video" if item.get("type") == "video" else "tweet_image"
        response = self.request(
            "POST",
            api_url("2/media/upload"),
            files={"media": ("media", content, content_type)},
            data={"media_category": category},
        )
        return str(json_body(response).get("data", {}).get("id", ""))

    def publish(self, variant: dict) -> Published:
        text = variant.get("text") or ""
        link = variant.get("link") or ""
        if link and link not in text:
            text = f"{text} {link}".strip()
        data: dict = {"text": text}
        media = variant.get("media") or []
        if media:
            data["media"] = {"media_ids": [self._upload(item) for item in media]}
        body = json_body(self.request("POST", api_url("2/tweets"), json=data, sends=True))
        tweet_id = str(body.get("data", {}).get("id", ""))
        if not tweet_id:
            raise ContentRejected("twitter: the answer carried no tweet id.", platform="twitter")
        return Published(tweet_id, self._url(tweet_id))

    def _url(self, tweet_id: str) -> str:
        handle = self.account.username or "i/web"
        return f"https://x.com/{handle}/status/{tweet_id}"

    def find_published(self, variant: dict, since: datetime) -> Published | None:
        response = self.request(
            "GET",
            api_url(f"2/users/{self.account.external_id}/tweets"),
            params={
                "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "tweet.fields": "created_at,text",
                "max_results": 20,
            },
        )
        for tweet in json_body(response).get("data", []):
            if same_text(tweet.get("text", ""), variant):
                return Published(str(tweet["id"]), self._url(str(tweet["id"])))
        return None

    def fetch_metrics(self, external_ids: list[str]) -> dict[str, dict]:
        metrics: dict[str, dict] = {}
        for start in range(0, len(external_ids), 100):  # the lookup takes 100 ids
            response = self.request(
                "GET",
                api_url("2/tweets"),
                params={
                    "ids": ",".join(external_ids[start : start + 100]),
                    "tweet.fields": "public_metrics",
                },
            )
            for tweet in json_body(response).get("data", []):
                public = tweet.get("public_metrics", {})
                engagement = sum(
                    public.get(key, 0)
                    for key in ("like_count", "retweet_count", "reply_count", "quote_count")
                )
                metrics[str(tweet["id"])] = {
                    "reach": public.get("impression_count", 0),
                    "engagement": engagement,
                    **public,
                }
        return metrics
