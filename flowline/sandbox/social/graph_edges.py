"""The edges of the fake Meta Graph API that pages, Instagram business accounts and WhatsApp
numbers publish and read through, and Graph's error answers.

POST /{page}/feed | /photos | /videos | /messages, GET /{page}/published_posts, POST
/{ig}/media (containers), POST /{ig}/media_publish, GET /{ig}/media, POST
/{phone}/messages, GET /{object}/insights. `FakeGraphAPI` (graph.py) routes `POST
/{node}/{edge}` to `_post_{edge}` and `GET` to `_get_{edge}` here.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flowline.sandbox.social.base import PlatformFake, next_id

USER = "user"  # the identity of user tokens


class GraphEdges(PlatformFake):
    """The nodes that publish (pages, Instagram accounts, WhatsApp numbers) and their edges."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, dict] = {}
        self.instagram: dict[str, dict] = {}  # ig user id -> {"page_id", "username"}
        self.whatsapp: dict[str, dict] = {}  # phone number id -> {"waba_id", ...}
        self.containers: dict[str, dict] = {}

    # --- error answers -----------------------------------------------------------------
    def error(self, reply, status: int, code: int, message: str, **extra) -> None:
        body = {"message": message, "type": "OAuthException", "code": code, **extra}
        body["fbtrace_id"] = secrets.token_hex(8)
        reply.json(status, {"error": body})

    def invalid_token(self, reply) -> None:
        self.error(
            reply,
            400,
            190,
            "Error validating access token: The session has been invalidated because the "
            "user changed their password or Facebook has changed the session for security "
            "reasons.",
            error_subcode=460,
        )

    def rate_limited(self, reply, retry_after) -> None:
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        body = {
            "message": "(#32) Page request limit reached",
            "type": "OAuthException",
            "code": 32,
            "fbtrace_id": secrets.token_hex(8),
        }
        reply.json(400, {"error": body}, headers)

    def server_error(self, reply) -> None:
        self.error(reply, 500, 1, "An unknown error has occurred.", is_transient=True)

    def rejected(self, reply, message: str) -> None:
        self.error(reply, 400, 100, f"(#100) {message}")

    # --- edges ------------------------------------------------------------------------
    def _may_act(self, token, node: str) -> bool:
        if node in self.pages:
            return token.identity == node
        if node in self.instagram:
            return token.identity == self.instagram[node]["page_id"]
        if node in self.whatsapp:
            return token.identity == USER
        return False

    def _duplicate(self, author: str, text: str) -> bool:
        return bool(text) and any(p["text"] == text for p in self.posts_by(author))

    def _post_feed(self, token, node, query, data, reply) -> None:
        if not self._may_act(token, node):
            return self.error(reply, 403, 200, "(#200) The user hasn't authorized the application")
        message = data.get("message", "")
        if len(message) > 63206:
            return self.error(reply, 400, 100, "(#100) Param message must be at most 63206 chars")
        if self._duplicate(node, message):
            return self.error(reply, 400, 506, "Duplicate status message", error_subcode=1455006)
        post_id = f"{node}_{next_id()}"
        self.record_post(
            node,
            message,
            id=post_id,
            link=data.get("link", ""),
            attached=data.get("attached_media", []),
            permalink=f"https://www.facebook.com/{post_id}",
        )
        reply.json(200, {"id": post_id})

    def _post_photos(self, token, node, query, data, reply) -> None:
        if not self._may_act(token, node):
            return self.error(reply, 403, 200, "(#200) The user hasn't authorized the application")
        url = data.get("url", "")
        if "broken" in url:
            return self.error(reply, 400, 324, "(#324) Missing or invalid image file")
        photo_id = str(next_id())
        if data.get("published") in (False, "false"):
            return reply.json(200, {"id": photo_id})
        post_id = f"{node}_{next_id()}"
        self.record_post(node, data.get("caption", ""), id=post_id, media=[url], photo_id=photo_id)
        reply.json(200, {"id": photo_id, "post_id": post_id})

    def _post_videos(self, token, node, query, data, reply) -> None:
        if not self._may_act(token, node):
            return self.error(reply, 403, 200, "(#200) The user hasn't authorized the application")
        video_id = str(next_id())
        self.record_post(
            node, data.get("description", ""), id=video_id, media=[data.get("file_url")]
        )
        reply.json(200, {"id": video_id})

    def _get_published_posts(self, token, node, query, data, reply) -> None:
        since = float(query.get("since", 0))
        rows = [
            {
                "id": p["id"],
                "message": p["text"],
                "created_time": _graph_time(p["created_at"]),
                "permalink_url": p.get("permalink", ""),
            }
            for p in reversed(self.posts_by(node))
            if p["created_at"] >= since
        ]
        reply.json(200, {"data": rows})

    def _post_media(self, token, node, query, data, reply) -> None:
        if not self._may_act(token, node):
            return self.error(reply, 403, 10, "(#10) Application does not have permission")
        url = data.get("image_url") or data.get("video_url") or ""
        if data.get("media_type") != "CAROUSEL" and ("broken" in url or not url):
            return self.error(
                reply,
                400,
                9004,
                "Only photo or video can be accepted as media type.",
                error_subcode=2207052,
                error_user_title="Media download has failed.",
            )
        container_id = str(next_id())
        self.containers[container_id] = {"ig": node, **data}
        reply.json(200, {"id": container_id})

    def _post_media_publish(self, token, node, query, data, reply) -> None:
        if not self._may_act(token, node):
            return self.error(reply, 403, 10, "(#10) Application does not have permission")
        container = self.containers.pop(str(data.get("creation_id")), None)
        if container is None or container["ig"] != node:
            return self.error(reply, 400, 100, "(#100) The media is not ready for publishing")
        caption = container.get("caption", "")
        if len(caption) > 2200:
            return self.error(
                reply, 400, 100, "(#100) The caption is too long", error_subcode=2207010
            )
        media_id = str(next_id())
        code = secrets.token_urlsafe(8)
        self.record_post(
            node,
            caption,
            id=media_id,
            container=container,
            permalink=f"https://www.instagram.com/p/{code}/",
        )
        reply.json(200, {"id": media_id})

    def _get_media(self, token, node, query, data, reply) -> None:
        rows = [
            {
                "id": p["id"],
                "caption": p["text"],
                "permalink": p["permalink"],
                "timestamp": _graph_time(p["created_at"]),
            }
            for p in reversed(self.posts_by(node))
        ]
        reply.json(200, {"data": rows})

    def _post_messages(self, token, node, query, data, reply) -> None:
        if not self._may_act(token, node):
            return self.error(reply, 403, 10, "(#10) Application does not have permission")
        if node in self.whatsapp:
            if data.get("messaging_product") != "whatsapp":
                return self.error(
                    reply, 400, 100, "(#100) The parameter messaging_product is required."
                )
            message_id = f"wamid.{secrets.token_hex(12)}"
            self.messages.append({"id": message_id, "from": node, **data})
            return reply.json(
                200,
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": data.get("to"), "wa_id": data.get("to")}],
                    "messages": [{"id": message_id}],
                },
            )
        message_id = f"m_{secrets.token_hex(12)}"
        recipient = data.get("recipient", {}).get("id")
        self.messages.append({"id": message_id, "from": node, **data})
        reply.json(200, {"recipient_id": recipient, "message_id": message_id})

    def _get_insights(self, token, node, query, data, reply) -> None:
        values = self.metrics.get(node, {})
        rows = [
            {"name": name, "period": "lifetime", "values": [{"value": values.get(name, 0)}]}
            for name in query.get("metric", "").split(",")
            if name
        ]
        reply.json(200, {"data": rows})


def _graph_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
