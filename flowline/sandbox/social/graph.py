"""A fake Meta Graph API (Facebook pages, Instagram business, WhatsApp Business, Messenger).

Paths are served with or without the version prefix (`/v21.0/...`).
OAuth: GET /dialog/oauth (consent: 302 to redirect_uri with code + state),
GET /oauth/access_token (code -> short-lived user token; grant_type=fb_exchange_token ->
long-lived). Graph: /me/accounts (pages with page tokens and instagram_business_account),
/me/businesses (WhatsApp business accounts and phone numbers), /{page}?fields=access_token,
POST /{page}/feed | /photos | /videos | /messages, GET /{page}/published_posts,
POST /{ig}/media (containers), GET /{container}?fields=status_code, POST
/{ig}/media_publish, GET /{ig}/media, GET /{media}?fields=permalink, POST /{phone}/messages,
GET /{object}/insights. Errors are Graph's {"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}: 190 invalid token, 4 / 32 rate limits, 1 unknown
(is_transient), 506 duplicate status, 100 invalid parameter, 9004 bad media.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from urllib.parse import urlencode

from flowline.sandbox.social.base import LostReply, PlatformFake, form, next_id, split

APP_ID = "fake-meta-app"
APP_SECRET = "fake-meta-secret"
USER = "user"  # the identity of user tokens

# The sandbox customer who writes to the shop (/sandbox/customer/): the ids Meta gives them
# per channel and their profile as the User Profile API answers a page token (Messenger:
# first and last name; Instagram: name and username). Webhooks carry no name on those two
# channels; WhatsApp's carries `contacts[].profile.name`.
CUSTOMER_NAME = "Sam Customer"
CUSTOMER_PSID = "sandbox-customer-psid"
CUSTOMER_IGSID = "sandbox-customer-igsid"
CUSTOMER_WA_ID = "15550009999"
PROFILES = {
    CUSTOMER_PSID: {"first_name": "Sam", "last_name": "Customer", "profile_pic": ""},
    CUSTOMER_IGSID: {"name": CUSTOMER_NAME, "username": "sam.customer", "profile_pic": ""},
}


class FakeGraphAPI(PlatformFake):
    token_prefix = "EAAG"

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, dict] = {}
        self.pages: dict[str, dict] = {}
        self.instagram: dict[str, dict] = {}  # ig user id -> {"page_id", "username"}
        self.whatsapp: dict[str, dict] = {}  # phone number id -> {"waba_id", ...}
        self.containers: dict[str, dict] = {}
        self.user_tokens_issued = 0

    # --- what tests put in -------------------------------------------------------------
    def add_page(self, name: str = "Acme Store", *, instagram: str | None = "acme.store") -> dict:
        """A page the user manages (with an Instagram business account unless None)."""
        page_id = str(next_id() * 1000 + 17)
        page_token, _ = self.issue_token(page_id, refresh=False)
        page = {"id": page_id, "name": name, "access_token": page_token, "ig": None}
        if instagram:
            ig_id = f"1784{next_id()}"
            self.instagram[ig_id] = {"page_id": page_id, "username": instagram}
            page["ig"] = ig_id
        self.pages[page_id] = page
        return page

    def add_whatsapp_number(self, display: str = "+1 555 0100", name: str = "Acme") -> str:
        phone_id = str(next_id() * 1000 + 31)
        self.whatsapp[phone_id] = {"waba_id": "2001", "display": display, "name": name}
        return phone_id

    def user_token(self) -> str:
        """A valid long-lived user token (refresh: itself, exchanged again)."""
        token, _ = self.issue_token(USER, refresh=False)
        return token

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

    # --- protocol ----------------------------------------------------------------------
    def handle(self, request: dict, reply) -> None:
        path, query = split(request["path"])
        path = re.sub(r"^/v\d+\.\d+", "", path)
        if self.serve_media(path, reply):
            return None
        if path == "/dialog/oauth":
            return self._consent(query, reply)
        data = request["json"] if isinstance(request["json"], dict) else form(request)
        method = request["method"]
        kind = self._classify(method, path)
        return self.answer(
            kind, request, reply, lambda r: self._route(request, method, path, query, data, r)
        )

    def _classify(self, method: str, path: str) -> str:
        if path == "/oauth/access_token":
            return "oauth"
        if method == "POST" and re.search(r"/(feed|photos|videos|media_publish|messages)$", path):
            return "publish"
        if method == "POST":
            return "upload"
        return "read"

    def _route(self, request, method, path, query, data, reply):
        """Does the work; `reply` None means the answer is lost (timeout after accept)."""
        reply = reply or LostReply()
        if path == "/oauth/access_token":
            return self._token(query, reply)
        token = self.token_for(request, query)
        if token is None:
            return self.invalid_token(reply)
        parts = path.strip("/").split("/")
        if parts == ["me", "accounts"]:
            return self._accounts(token, reply)
        if parts == ["me", "businesses"]:
            return self._businesses(token, reply)
        if len(parts) == 1:
            return self._object(token, parts[0], query, reply)
        node, edge = parts[0], parts[1]
        handler = getattr(self, f"_{method.lower()}_{edge}", None)
        if handler is None:
            return self.error(reply, 400, 100, f"(#100) Unknown path components: /{edge}")
        return handler(token, node, query, data, reply)

    # --- OAuth -------------------------------------------------------------------------
    def _consent(self, query: dict, reply) -> None:
        if query.get("client_id") != APP_ID:
            return self.error(
                reply, 400, 101, "Error validating application. Invalid application ID."
            )
        code = f"AQ{secrets.token_hex(10)}"
        self.codes[code] = {"redirect_uri": query.get("redirect_uri"), "scope": query.get("scope")}
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        reply.raw(302, b"", "text/plain", {"Location": target})

    def _token(self, query: dict, reply) -> None:
        if query.get("client_id") != APP_ID or query.get("client_secret") != APP_SECRET:
            return self.error(reply, 400, 1, "Error validating client secret.")
        if query.get("grant_type") == "fb_exchange_token":
            old = self.tokens.get(query.get("fb_exchange_token", ""))
            if old is None or not old.valid:
                return self.invalid_token(reply)
            self.refresh_count += 1
            token = self.user_token()
            return reply.json(
                200, {"access_token": token, "token_type": "bearer", "expires_in": 5183944}
            )
        issued = self.codes.pop(query.get("code", ""), None)
        if issued is None or issued["redirect_uri"] != query.get("redirect_uri"):
            return self.error(
                reply, 400, 100, "Invalid verification code format.", error_subcode=36007
            )
        self.user_tokens_issued += 1
        return reply.json(
            200, {"access_token": self.user_token(), "token_type": "bearer", "expires_in": 5400}
        )

    def _accounts(self, token, reply) -> None:
        if token.identity != USER:
            return self.error(
                reply, 400, 100, "(#100) Tried accessing nonexisting field (accounts)"
            )
        data = []
        for page in self.pages.values():
            row = {"id": page["id"], "name": page["name"], "access_token": page["access_token"]}
            if page["ig"]:
                ig = self.instagram[page["ig"]]
                row["instagram_business_account"] = {"id": page["ig"], "username": ig["username"]}
            data.append(row)
        reply.json(200, {"data": data, "paging": {"cursors": {"before": "b", "after": "a"}}})

    def _businesses(self, token, reply) -> None:
        numbers = [
            {
                "id": phone_id,
                "display_phone_number": number["display"],
                "verified_name": number["name"],
            }
            for phone_id, number in self.whatsapp.items()
        ]
        waba = {"id": "2001", "name": "Acme WABA", "phone_numbers": {"data": numbers}}
        business = {
            "id": "3001",
            "name": "Acme Inc",
            "owned_whatsapp_business_accounts": {"data": [waba] if numbers else []},
        }
        reply.json(200, {"data": [business]})

    # --- objects -----------------------------------------------------------------------
    def _object(self, token, node: str, query: dict, reply) -> None:
        if node in PROFILES:
            return self._profile(token, node, query, reply)
        if node in self.pages and "access_token" in query.get("fields", ""):
            if token.identity != USER:
                return self.invalid_token(reply)
            page = self.pages[node]
            return reply.json(200, {"id": node, "access_token": page["access_token"]})
        if node in self.containers:
            return reply.json(200, {"id": node, "status_code": "FINISHED"})
        post = next((p for p in self.posts if p["id"] == node), None)
        if post is None:
            return self.error(
                reply, 400, 100, f"(#100) Object with ID '{node}' does not exist.", error_subcode=33
            )
        return reply.json(200, {"id": node, "permalink": post.get("permalink", "")})

    def _profile(self, token, node: str, query: dict, reply) -> None:
        """The User Profile API: a person who wrote to a page, seen with a page token;
        only the fields asked for."""
        if token.identity not in self.pages:
            return self.error(
                reply, 400, 100, "(#100) Profile information needs a page access token."
            )
        fields = [f for f in query.get("fields", "").split(",") if f] or ["first_name"]
        profile = PROFILES[node]
        return reply.json(200, {"id": node, **{f: profile[f] for f in fields if f in profile}})

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
