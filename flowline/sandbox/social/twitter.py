"""A fake X API v2 with its OAuth 2.0 (PKCE) endpoints.

OAuth: GET /i/oauth2/authorize (consent: 302 with code + state; PKCE S256 required),
POST /2/oauth2/token (HTTP Basic client auth; authorization_code with code_verifier;
refresh_token rotates: the old refresh token stops working). API: GET /2/users/me,
POST /2/tweets (201), POST /2/media/upload (multipart), GET /2/users/{id}/tweets
(start_time), GET /2/tweets?ids=&tweet.fields=public_metrics. Errors are problem
documents {"title", "detail", "type", "status"}: 401 Unauthorized, 403 duplicate content,
400 invalid request, 429 with x-rate-limit-* headers (and Retry-After when scripted), 503.
"""

from __future__ import annotations

import base64
import secrets
import time
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from urllib.parse import urlencode

from flowline.sandbox.social.base import LostReply, PlatformFake, form, next_id, s256, split

CLIENT_ID = "fake-x-client"
CLIENT_SECRET = "fake-x-secret"
USER = {"id": "1500000000000000001", "name": "Acme Store", "username": "acmestore"}


class FakeXAPI(PlatformFake):
    token_prefix = "x"

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, dict] = {}
        self.media: dict[str, dict] = {}
        self.user = dict(USER)

    # --- error answers -----------------------------------------------------------------
    def problem(self, reply, status: int, title: str, detail: str, headers=None, **extra) -> None:
        body = {"title": title, "detail": detail, "type": "about:blank", "status": status, **extra}
        reply.json(status, body, headers)

    def invalid_token(self, reply) -> None:
        self.problem(reply, 401, "Unauthorized", "Unauthorized")

    def rate_limited(self, reply, retry_after) -> None:
        reset = int(time.time()) + (retry_after if retry_after is not None else 900)
        headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        }
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        self.problem(reply, 429, "Too Many Requests", "Too Many Requests", headers)

    def server_error(self, reply) -> None:
        self.problem(reply, 503, "Service Unavailable", "Service Unavailable")

    def rejected(self, reply, message: str) -> None:
        reply.json(
            400,
            {
                "errors": [{"parameters": {"text": ["..."]}, "message": message}],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            },
        )

    # --- protocol ----------------------------------------------------------------------
    def handle(self, request: dict, reply) -> None:
        path, query = split(request["path"])
        if self.serve_media(path, reply):
            return None
        if path == "/i/oauth2/authorize":
            return self._consent(query, reply)
        method = request["method"]
        kind = (
            "oauth"
            if path == "/2/oauth2/token"
            else "publish"
            if (method, path) == ("POST", "/2/tweets")
            else "upload"
            if path == "/2/media/upload"
            else "read"
        )
        return self.answer(
            kind, request, reply, lambda r: self._route(request, method, path, query, r)
        )

    def _route(self, request, method, path, query, reply):
        reply = reply or LostReply()
        if path == "/2/oauth2/token":
            return self._token(request, reply)
        token = self.token_for(request)
        if token is None:
            return self.invalid_token(reply)
        if path == "/2/users/me":
            return reply.json(200, {"data": self.user})
        if (method, path) == ("POST", "/2/tweets"):
            return self._tweet(token, request["json"] or {}, reply)
        if path == "/2/media/upload" and method == "POST":
            return self._upload(request, reply)
        if path == f"/2/users/{self.user['id']}/tweets":
            return self._timeline(query, reply)
        if path == "/2/tweets":
            return self._lookup(query, reply)
        return self.problem(reply, 404, "Not Found Error", f"Could not find {path}")

    # --- OAuth -------------------------------------------------------------------------
    def _consent(self, query: dict, reply) -> None:
        if query.get("client_id") != CLIENT_ID:
            return self.problem(reply, 400, "Bad Request", "Invalid client_id")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return self.problem(reply, 400, "Bad Request", "PKCE S256 is required")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query.get("redirect_uri"),
            "challenge": query["code_challenge"],
            "scope": query.get("scope", ""),
        }
        target = f"{query['redirect_uri']}?{urlencode({'state': query['state'], 'code': code})}"
        reply.raw(302, b"", "text/plain", {"Location": target})

    def _token(self, request: dict, reply) -> None:
        basic = request["headers"].get("authorization", "").removeprefix("Basic ")
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if basic != expected:
            return reply.json(
                401,
                {
                    "error": "unauthorized_client",
                    "error_description": "Missing valid authorization header",
                },
            )
        data = form(request)
        invalid = {
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        }
        if data.get("grant_type") == "authorization_code":
            issued = self.codes.pop(data.get("code", ""), None)
            if (
                issued is None
                or issued["redirect_uri"] != data.get("redirect_uri")
                or s256(data.get("code_verifier", "")) != issued["challenge"]
            ):
                return reply.json(400, invalid)
            access, refresh = self.issue_token(self.user["id"])
            return reply.json(200, self._grant(access, refresh, issued["scope"]))
        if data.get("grant_type") == "refresh_token":
            old = self.refresh_tokens.pop(data.get("refresh_token", ""), None)
            if old is None or not old.valid:
                return reply.json(400, invalid)
            self.refresh_count += 1
            access, refresh = self.issue_token(old.identity)
            return reply.json(200, self._grant(access, refresh, old.scope))
        return reply.json(400, {"error": "unsupported_grant_type"})

    def _grant(self, access: str, refresh: str, scope: str) -> dict:
        return {
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": access,
            "scope": scope or "tweet.read tweet.write users.read offline.access",
            "refresh_token": refresh,
        }

    # --- API ---------------------------------------------------------------------------
    def _tweet(self, token, body: dict, reply) -> None:
        text = body.get("text", "")
        media_ids = (body.get("media") or {}).get("media_ids", [])
        if len(text) > 280:
            return self.rejected(reply, "Your Tweet text is too long.")
        if any(m not in self.media for m in media_ids):
            return self.rejected(reply, "Your media IDs are invalid.")
        if text and any(p["text"] == text for p in self.posts_by(token.identity)):
            return self.problem(
                reply,
                403,
                "Forbidden",
                "You are not allowed to create a Tweet with duplicate content.",
            )
        tweet_id = str(1_860_000_000_000_000_000 + next_id())
        self.record_post(token.identity, text, id=tweet_id, media_ids=media_ids)
        reply.json(
            201, {"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}}
        )

    def serve_media(self, path: str, reply) -> bool:
        """An uploaded image at /media/<media id>; the sample image anywhere else."""
        uploaded = (
            self.media.get(path.removeprefix("/media/")) if path.startswith("/media/") else None
        )
        if uploaded and uploaded.get("data"):
            reply.raw(
                200, uploaded["data"], uploaded["type"], {"X-Content-Type-Options": "nosniff"}
            )
            return True
        return super().serve_media(path, reply)

    def _upload(self, request: dict, reply) -> None:
        if not request["headers"].get("content-type", "").startswith("multipart/form-data"):
            return self.rejected(reply, "media is required")
        media_id = str(1_870_000_000_000_000_000 + next_id())
        data, content_type = _uploaded_file(request)
        # Kept, so the sandbox feed shows the post's images as X would.
        self.media[media_id] = {"bytes": len(request["body"]), "data": data, "type": content_type}
        reply.json(
            200,
            {"data": {"id": media_id, "media_key": f"3_{media_id}", "expires_after_secs": 86400}},
        )

    def _timeline(self, query: dict, reply) -> None:
        since = query.get("start_time")
        floor = datetime.fromisoformat(since.replace("Z", "+00:00")).timestamp() if since else 0
        rows = [
            {
                "id": p["id"],
                "text": p["text"],
                "created_at": datetime.fromtimestamp(p["created_at"], UTC).isoformat(),
            }
            for p in reversed(self.posts_by(self.user["id"]))
            if p["created_at"] >= floor
        ]
        reply.json(200, {"data": rows, "meta": {"result_count": len(rows)}})

    def _lookup(self, query: dict, reply) -> None:
        rows = []
        for tweet_id in query.get("ids", "").split(","):
            post = next((p for p in self.posts if p["id"] == tweet_id), None)
            if post is None:
                continue
            metrics = {
                "retweet_count": 0,
                "reply_count": 0,
                "like_count": 0,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 0,
                **self.metrics.get(tweet_id, {}),
            }
            rows.append({"id": tweet_id, "text": post["text"], "public_metrics": metrics})
        reply.json(200, {"data": rows})


def _uploaded_file(request: dict) -> tuple[bytes, str]:
    """The image or video part of a multipart media upload (its bytes and type), or nothing."""
    head = f"Content-Type: {request['headers'].get('content-type', '')}\r\n\r\n".encode()
    message = BytesParser(policy=policy.default).parsebytes(head + request["body"])
    for part in message.iter_parts() if message.is_multipart() else ():
        kind = part.get_content_type()
        if kind.startswith(("image/", "video/")):
            return part.get_payload(decode=True) or b"", kind
    return b"", ""
