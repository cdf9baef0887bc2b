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
from urllib.parse import urlencode

from flowline.sandbox.social.base import LostReply, form, next_id, split
from flowline.sandbox.social.graph_edges import USER, GraphEdges

APP_ID = "fake-meta-app"
APP_SECRET = "fake-meta-secret"

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


class FakeGraphAPI(GraphEdges):
    """Meta's Graph API: OAuth, the user's pages and businesses, objects by id; the edges
    they publish and read through are `GraphEdges`."""

    token_prefix = "EAAG"

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, dict] = {}
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
