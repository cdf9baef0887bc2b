"""Meta Graph API: Facebook pages, Instagram business accounts, WhatsApp Business.

Every answer's error is Graph's `{"error": {"message", "type", "code", "error_subcode"}}`;
`raise_for` maps its code: 190 and the permission codes mean a dead token, the rate-limit
codes (4, 17, 32, 613, 80001..., Instagram's publishing limit) and 1/2 are transient, the
rest refuse the content.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

import httpx
from django.conf import settings

from flowline.core.outbound import json_body
from flowline.social.errors import (
    AuthorizationError,
    ContentRejected,
    PlatformError,
    TransientPlatformError,
)
from flowline.social.http import retry_after_seconds
from flowline.social.platforms.base import PlatformAdapter, Published, same_text

# Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling, and
# the WhatsApp Cloud API error codes). Permission errors (10, 200-299) mean the grant no
# longer covers the call: the account must be reconnected.
AUTH_CODES = {0, 102, 190, 10} | set(range(200, 300))
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008}
WHATSAPP_TRANSIENT_CODES = {130429, 131000, 131016, 131048, 131056, 133004}
TRANSIENT_CODES = {1, 2} | RATE_LIMIT_CODES | WHATSAPP_TRANSIENT_CODES
IG_PUBLISH_LIMIT_SUBCODE = 2207042
# Code 10 / 200 with these subcodes is Messenger/Instagram's messaging window (the person
# has not written in the last 24 hours): that message is refused, the token is fine.
MESSAGING_WINDOW_SUBCODES = {2018278, 2018108, 2534022}


def graph_url(path: str) -> str:
    return f"{settings.SOCIAL_GRAPH_API_BASE.rstrip('/')}/{path.lstrip('/')}"


def graph_error(platform: str, response: httpx.Response) -> PlatformError:
    """The error class a Graph error answer means."""
    error = json_body(response).get("error")
    error = error if isinstance(error, dict) else {}
    code = error.get("code")
    subcode = error.get("error_subcode")
    message = f"{platform}: {error.get('message') or response.reason_phrase}"
    kwargs = {"platform": platform, "platform_code": code or response.status_code}
    if subcode in MESSAGING_WINDOW_SUBCODES:
        return ContentRejected(message, **kwargs)
    if code in AUTH_CODES or (code is None and response.status_code == 401):
        return AuthorizationError(message, **kwargs)
    if (
        code in TRANSIENT_CODES
        or subcode == IG_PUBLISH_LIMIT_SUBCODE
        or error.get("is_transient")
        or response.status_code == 429
        or response.status_code >= 500
    ):
        return TransientPlatformError(message, retry_after=retry_after_seconds(response), **kwargs)
    return ContentRejected(message, **kwargs)


class GraphAdapter(PlatformAdapter):
    """Calls as the account's page (or system user) token."""

    def raise_for(self, response: httpx.Response) -> None:
        raise graph_error(self.platform, response)

    def get(self, path: str, **params) -> dict:
        return json_body(self.request("GET", graph_url(path), params=params))

    def post(self, path: str, data: dict, *, sends: bool = True) -> dict:
        return json_body(self.request("POST", graph_url(path), json=data, sends=sends))

    def insights(self, object_id: str, metrics: str) -> dict[str, int]:
        """{metric: value} from `/{id}/insights` (lifetime values or total_value)."""
        body = self.get(f"{object_id}/insights", metric=metrics)
        values: dict[str, int] = {}
        for row in body.get("data", []):
            if "total_value" in row:
                value = row["total_value"].get("value", 0)
            else:
                points = row.get("values") or [{}]
                value = points[-1].get("value", 0)
            if isinstance(value, dict):  # post_reactions_by_type_total: {"like": 3, ...}
                value = sum(v for v in value.values() if isinstance(v, int))
            values[row.get("name", "")] = int(value or 0)
        return values

    def customer_name(self, customer_id: str) -> str:
        """The name of a person who wrote to the page (Messenger's User Profile API); ""
        when the profile has none."""
        body = self.get(customer_id, fields="first_name,last_name")
        return " ".join(part for part in (body.get("first_name"), body.get("last_name")) if part)

    def send_message(self, *, recipient: str, text: str, media: list | None = None) -> str:
        """Messenger / Instagram Direct reply through the page (Send API); the message id."""
        page_id = self.account.meta.get("page_id") or self.account.external_id
        message: dict = {"text": text}
        if media and not text:
            message = {"attachment": {"type": "image", "payload": {"url": media[0]["url"]}}}
        body = self.post(
            f"{page_id}/messages",
            {"recipient": {"id": recipient}, "messaging_type": "RESPONSE", "message": message},
        )
        return str(body.get("message_id", ""))


class FacebookPageAdapter(GraphAdapter):
    """A Facebook page: posts to its feed (text, link, photos, one video)."""

    platform = "facebook"

    def publish(self, variant: dict) -> Published:
        page = self.account.external_id
        text = variant.get("text") or ""
        media = variant.get("media") or []
        link = variant.get("link") or ""
        if media and media[0].get("type") == "video":
            body = self.post(f"{page}/videos", {"file_url": media[0]["url"], "description": text})
            video_id = str(body["id"])
            return Published(video_id, f"https://www.facebook.com/{page}/videos/{video_id}")
        if len(media) == 1:
            body = self.post(f"{page}/photos", {"url": media[0]["url"], "caption": text})
            post_id = str(body.get("post_id") or body["id"])
            return Published(post_id, f"https://www.facebook.com/{post_id}")
        data: dict = {"message": text}
        if link:
            data["link"] = link
        if media:  # several photos: upload unpublished, then one feed post attaching them
            photo_ids = [
                self.post(f"{page}/photos", {"url": item["url"], "published": False})["id"]
                for item in media
            ]
            data["attached_media"] = [{"media_fbid": photo_id} for photo_id in photo_ids]
        body = self.post(f"{page}/feed", data)
        post_id = str(body["id"])
        return Published(post_id, f"https://www.facebook.com/{post_id}")

    def find_published(self, variant: dict, since: datetime) -> Published | None:
        body = self.get(
            f"{self.account.external_id}/published_posts",
            fields="id,message,created_time,permalink_url",
            since=int(since.timestamp()),
            limit=50,
        )
        for post in body.get("data", []):
            if same_text(post.get("message", ""), variant):
                post_id = str(post["id"])
                return Published(
                    post_id, post.get("permalink_url") or f"https://www.facebook.com/{post_id}"
                )
        return None

    def fetch_metrics(self, external_ids: list[str]) -> dict[str, dict]:
        metrics = {}
        for post_id in external_ids:
            values = self.insights(
                post_id,
                "post_impressions_unique,post_impressions,post_clicks,post_reactions_by_type_total",
            )
            metrics[post_id] = {
                "reach": values.get("post_impressions_unique", 0),
                "impressions": values.get("post_impressions", 0),
                "clicks": values.get("post_clicks", 0),
                "reactions": values.get("post_reactions_by_type_total", 0),
                "engagement": values.get("post_clicks", 0)
                + values.get("post_reactions_by_type_total", 0),
            }
        return metrics


class InstagramAdapter(GraphAdapter):
    """An Instagram business account: media containers, then `media_publish`."""

    platform = "instagram"

    def customer_name(self, customer_id: str) -> str:
        """Instagram's User Profile API: the person's name, else their username."""
        body = self.get(customer_id, fields="name,username")
        return str(body.get("name") or body.get("username") or "")

    def _container(self, item: dict, *, caption: str | None, carousel_item: bool) -> str:
        data: dict = {}
        if item.get("type") == "video":
            data = {
                "media_type": "REELS" if not carousel_item else "VIDEO",
                "video_url": item["url"],
            }
        else:
            data = {"image_url": item["url"]}
        if carousel_item:
            data["is_carousel_item"] = True
        if caption is not None:
            data["caption"] = caption
        # Creating a container publishes nothing: a lost answer here is only transient.
        return str(self.post(f"{self.account.external_id}/media", data, sends=False)["id"])

    def publish(self, variant: dict) -> Published:
        user = self.account.external_id
        text = variant.get("text") or ""
        media = variant.get("media") or []
        if not media:
            raise ContentRejected(
                "instagram: a post needs an image or a video.", platform="instagram"
            )
        if len(media) == 1:
            container = self._container(media[0], caption=text, carousel_item=False)
        else:
            children = [self._container(m, caption=None, carousel_item=True) for m in media]
            container = str(
                self.post(
                    f"{user}/media",
                    {"media_type": "CAROUSEL", "children": ",".join(children), "caption": text},
                    sends=False,
                )["id"]
            )
        self._wait_ready(container)
        media_id = str(self.post(f"{user}/media_publish", {"creation_id": container})["id"])
        permalink = ""
        with contextlib.suppress(TransientPlatformError):  # published all the same
            permalink = self.get(media_id, fields="permalink").get("permalink", "")
        return Published(media_id, permalink)

    def _wait_ready(self, container: str) -> None:
        """Video containers are processed before they can be published; a container still
        in progress is a transient error (the next attempt makes a new one)."""
        status = self.get(container, fields="status_code").get("status_code", "FINISHED")
        if status == "ERROR":
            raise ContentRejected(
                "instagram: the media could not be processed.", platform="instagram"
            )
        if status not in ("FINISHED", "PUBLISHED"):
            raise TransientPlatformError(
                "instagram: the media is still being processed.",
                retry_after=60,
                platform="instagram",
            )

    def find_published(self, variant: dict, since: datetime) -> Published | None:
        body = self.get(
            f"{self.account.external_id}/media", fields="id,caption,permalink,timestamp", limit=50
        )
        for item in body.get("data", []):
            posted_at = _graph_time(item.get("timestamp"))
            if posted_at and posted_at < since:
                continue
            if same_text(item.get("caption", ""), variant):
                return Published(str(item["id"]), item.get("permalink", ""))
        return None

    def fetch_metrics(self, external_ids: list[str]) -> dict[str, dict]:
        metrics = {}
        for media_id in external_ids:
            values = self.insights(media_id, "reach,total_interactions,likes,comments")
            metrics[media_id] = {
                "reach": values.get("reach", 0),
                "engagement": values.get("total_interactions", 0),
                "likes": values.get("likes", 0),
                "comments": values.get("comments", 0),
            }
        return metrics


class WhatsAppAdapter(GraphAdapter):
    """A WhatsApp Business phone number. WhatsApp has no feed: a "post" is a message to the
    number's broadcast recipients (`meta["broadcast_to"]`), which Meta only delivers inside
    a customer's 24-hour window unless it is a template. Messages cannot be looked up, so
    an unknown outcome stays unknown, and there are no reach metrics."""

    platform = "whatsapp"

    def send_message(self, *, recipient: str, text: str, media: list | None = None) -> str:
        data: dict = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": recipient,
        }
        if media:
            kind = "video" if media[0].get("type") == "video" else "image"
            data |= {"type": kind, kind: {"link": media[0]["url"], "caption": text}}
        else:
            data |= {"type": "text", "text": {"body": text, "preview_url": "http" in text}}
        body = self.post(f"{self.account.external_id}/messages", data)
        messages = body.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    def publish(self, variant: dict) -> Published:
        recipients = self.account.meta.get("broadcast_to") or []
        if not recipients:
            raise ContentRejected(
                "whatsapp: the number has no broadcast recipients to send the post to.",
                platform="whatsapp",
            )
        text = " ".join(p for p in (variant.get("text") or "", variant.get("link") or "") if p)
        ids = [
            self.send_message(recipient=r, text=text, media=variant.get("media"))
            for r in recipients
        ]
        return Published(ids[0], "")

    def find_published(self, variant: dict, since: datetime) -> Published | None:
        return None

    def fetch_metrics(self, external_ids: list[str]) -> dict[str, dict]:
        return {}


def _graph_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:  # Graph writes "2025-03-01T10:00:00+0000"
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
