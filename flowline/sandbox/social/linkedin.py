"""A fake LinkedIn: OAuth 2.0, OpenID userinfo and the versioned REST API.

OAuth: GET /oauth/v2/authorization (consent: 302 with code + state), POST
/oauth/v2/accessToken (authorization_code, refresh_token; client_secret in the form).
API: GET /v2/userinfo, POST /rest/posts (201, the post URN in `x-restli-id`),
GET /rest/posts?q=author&author=, POST /rest/images?action=initializeUpload, PUT the
upload URL, GET /rest/socialActions/{urn}. Requests to /rest/ need `LinkedIn-Version`.
Errors are {"status", "serviceErrorCode", "code", "message"}: 401 65600
INVALID_ACCESS_TOKEN, 429 throttles, 422 duplicate content, 500.
"""

from __future__ import annotations

import secrets
from urllib.parse import unquote, urlencode

from flowline.sandbox.social.base import LostReply, PlatformFake, form, next_id, split

CLIENT_ID = "fake-linkedin-client"
CLIENT_SECRET = "fake-linkedin-secret"
MEMBER = {"sub": "abc123XYZ", "name": "Ada Lovelace", "email": "ada@example.com"}


class FakeLinkedIn(PlatformFake):
    token_prefix = "AQV"

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, dict] = {}
        self.images: dict[str, dict] = {}
        self.member = dict(MEMBER)
        self.issue_refresh_tokens = True  # LinkedIn gives them to some apps only
        # Where initializeUpload says to PUT the bytes (default: this fake).
        self.upload_root = ""

    @property
    def urn(self) -> str:
        return f"urn:li:person:{self.member['sub']}"

    # --- error answers -----------------------------------------------------------------
    def error(self, reply, status: int, message: str, headers=None, **extra) -> None:
        reply.json(status, {"status": status, "message": message, **extra}, headers)

    def invalid_token(self, reply) -> None:
        self.error(
            reply, 401, "Invalid access token", serviceErrorCode=65600, code="INVALID_ACCESS_TOKEN"
        )

    def rate_limited(self, reply, retry_after) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        self.error(
            reply,
            429,
            "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
            headers,
        )

    def server_error(self, reply) -> None:
        self.error(reply, 500, "Internal Server Error")

    def rejected(self, reply, message: str) -> None:
        self.error(reply, 422, message, code="UNPROCESSABLE_ENTITY")

    # --- protocol ----------------------------------------------------------------------
    def handle(self, request: dict, reply) -> None:
        path, query = split(request["path"])
        if self.serve_media(path, reply):
            return None
        if path == "/oauth/v2/authorization":
            return self._consent(query, reply)
        method = request["method"]
        kind = (
            "oauth"
            if path == "/oauth/v2/accessToken"
            else "publish"
            if (method, path) == ("POST", "/rest/posts")
            else "upload"
            if path.startswith("/upload/") or path == "/rest/images"
            else "read"
        )
        return self.answer(
            kind, request, reply, lambda r: self._route(request, method, path, query, r)
        )

    def _route(self, request, method, path, query, reply):
        reply = reply or LostReply()
        if path == "/oauth/v2/accessToken":
            return self._token(request, reply)
        token = self.token_for(request)
        if token is None:
            return self.invalid_token(reply)
        if path == "/v2/userinfo":
            return reply.json(200, self.member)
        if path.startswith("/upload/") and method == "PUT":
            image = self.images.get(path.removeprefix("/upload/"))
            if image is None:
                return self.error(reply, 404, "Not Found")
            image["uploaded"] = len(request["body"])
            return reply.raw(201, b"", "text/plain")
        if not request["headers"].get("linkedin-version"):
            return self.error(reply, 426, "A version header is required", code="VERSION_MISSING")
        if path == "/rest/images" and query.get("action") == "initializeUpload":
            return self._init_upload(reply)
        if path == "/rest/posts" and method == "POST":
            return self._post(request["json"] or {}, reply)
        if path == "/rest/posts":
            return self._list(query, reply)
        if path.startswith("/rest/socialActions/"):
            return self._social_actions(unquote(path.removeprefix("/rest/socialActions/")), reply)
        return self.error(reply, 404, f"No resource at {path}")

    # --- OAuth -------------------------------------------------------------------------
    def _consent(self, query: dict, reply) -> None:
        if query.get("client_id") != CLIENT_ID:
            return self.error(reply, 401, "invalid client id")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"redirect_uri": query.get("redirect_uri"), "scope": query.get("scope")}
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        reply.raw(302, b"", "text/plain", {"Location": target})

    def _token(self, request: dict, reply) -> None:
        data = form(request)
        if data.get("client_id") != CLIENT_ID or data.get("client_secret") != CLIENT_SECRET:
            return reply.json(
                401,
                {"error": "invalid_client", "error_description": "Client authentication failed"},
            )
        invalid = {
            "error": "invalid_grant",
            "error_description": "The provided authorization grant or refresh token is invalid, "
            "expired or revoked",
        }
        if data.get("grant_type") == "authorization_code":
            issued = self.codes.pop(data.get("code", ""), None)
            if issued is None or issued["redirect_uri"] != data.get("redirect_uri"):
                return reply.json(400, invalid)
            access, refresh = self.issue_token(
                self.member["sub"], refresh=self.issue_refresh_tokens
            )
            return reply.json(200, self._grant(access, refresh, issued["scope"] or ""))
        if data.get("grant_type") == "refresh_token":
            old = self.refresh_tokens.get(data.get("refresh_token", ""))
            if old is None or not old.valid:
                return reply.json(400, invalid)
            self.refresh_count += 1
            # LinkedIn keeps the refresh token (it does not rotate) and repeats it.
            access, _ = self.issue_token(old.identity, refresh=False)
            return reply.json(200, self._grant(access, data["refresh_token"], old.scope))
        return reply.json(400, {"error": "unsupported_grant_type"})

    def _grant(self, access: str, refresh: str, scope: str) -> dict:
        body = {"access_token": access, "expires_in": 5184000, "scope": scope}
        if refresh:
            body |= {"refresh_token": refresh, "refresh_token_expires_in": 31536000}
        return body

    # --- API ---------------------------------------------------------------------------
    def _init_upload(self, reply) -> None:
        image = f"urn:li:image:C4D{next_id()}"
        key = secrets.token_hex(6)
        self.images[key] = {"urn": image, "uploaded": 0}
        reply.json(
            200,
            {
                "value": {
                    "uploadUrlExpiresAt": 1900000000000,
                    "uploadUrl": f"{self.upload_root or self.root}/upload/{key}",
                    "image": image,
                }
            },
        )

    def _post(self, body: dict, reply) -> None:
        text = body.get("commentary", "")
        if body.get("author") != self.urn:
            return self.error(
                reply,
                403,
                "Not enough permissions to post as this author",
                code="ACCESS_DENIED",
                serviceErrorCode=100,
            )
        if len(text) > 3000:
            return self.rejected(reply, "/commentary: length must be at most 3000")
        duplicate = next((p for p in self.posts_by(self.urn) if p["text"] == text), None)
        if duplicate:
            return self.rejected(reply, f"Content is a duplicate of {duplicate['id']}")
        urn = f"urn:li:share:{7_200_000_000_000_000_000 + next_id()}"
        self.record_post(self.urn, text, id=urn, content=body.get("content"))
        reply.raw(201, b"", "application/json", {"x-restli-id": urn})

    def _list(self, query: dict, reply) -> None:
        rows = [
            {
                "id": p["id"],
                "author": p["author"],
                "commentary": p["text"],
                "createdAt": int(p["created_at"] * 1000),
                "lifecycleState": "PUBLISHED",
            }
            for p in reversed(self.posts_by(query.get("author", "")))
        ]
        reply.json(200, {"elements": rows, "paging": {"start": 0, "count": 20, "total": len(rows)}})

    def _social_actions(self, urn: str, reply) -> None:
        values = self.metrics.get(urn, {})
        reply.json(
            200,
            {
                "target": urn,
                "likesSummary": {"totalLikes": values.get("likes", 0), "likedByCurrentUser": False},
                "commentsSummary": {
                    "aggregatedTotalComments": values.get("comments", 0),
                    "totalFirstLevelComments": values.get("comments", 0),
                },
            },
        )
