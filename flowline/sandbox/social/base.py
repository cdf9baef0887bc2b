"""What the platform fakes share: tokens, scripted failures, recorded posts, PUT support."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from flowline.sandbox.server import FakeServer, Reply, Sequence

# A 1x1 PNG the fakes serve at /media/<anything> so adapters that upload bytes have some.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
FAILURES = (
    "rate_limit",
    "server_error",
    "timeout",
    "timeout_after_accept",
    "token_revoked",
    "content_rejected",
    "answer",
)
_ids = Sequence(1000)


@dataclass
class Failure:
    kind: str
    on: str
    retry_after: int | None = None
    times: int = 1
    status: int = 400
    body: dict | None = None


@dataclass
class Token:
    identity: str  # the external id the token acts as
    refresh: str = ""
    valid: bool = True
    scope: str = ""
    extra: dict = field(default_factory=dict)


def next_id() -> int:
    return next(_ids)


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def split(path: str) -> tuple[str, dict]:
    parts = urlsplit(path)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def form(request: dict) -> dict:
    return {k: v[0] for k, v in parse_qs(request["body"].decode()).items()}


class PlatformFake(FakeServer):
    """Base of the Graph, X and LinkedIn fakes.

    Requests are classified as "oauth" (token endpoints), "publish" (creates a post or
    sends a message), "upload" or "read"; scripted failures apply to one class.
    """

    # How long a scripted timeout holds the answer back (the client gives up first).
    hang_seconds = 5.0

    def __init__(self) -> None:
        super().__init__()
        self.tokens: dict[str, Token] = {}  # access token -> Token
        self.refresh_tokens: dict[str, Token] = {}
        self.posts: list[dict] = []
        self.messages: list[dict] = []
        self.metrics: dict[str, dict] = {}
        self.failures: list[Failure] = []
        self.refresh_count = 0
        self._script_lock = threading.Lock()

    def start(self):
        super().start()
        fake = self
        handler = self._server.RequestHandlerClass
        handler.do_PUT = lambda h: fake._dispatch(h, "PUT")
        handler.do_DELETE = lambda h: fake._dispatch(h, "DELETE")
        return self

    # --- what tests call ---------------------------------------------------------------
    def fail_next(
        self,
        kind: str,
        *,
        on: str = "publish",
        retry_after: int | None = None,
        times: int = 1,
        status: int = 400,
        body: dict | None = None,
    ) -> None:
        """Script the next `times` requests of class `on` ("publish", "read", "upload",
        "oauth" or "any") to fail as `kind`: rate_limit (with `retry_after`), server_error,
        timeout (no answer, nothing done), timeout_after_accept (done, then no answer),
        token_revoked (the token is revoked, then the platform's invalid-token answer),
        content_rejected (the platform refuses the content), answer (exactly `status` and
        `body`: any other error the platform documents)."""
        assert kind in FAILURES, kind
        with self._script_lock:
            self.failures.append(Failure(kind, on, retry_after, times, status, body))

    def issue_token(self, identity: str, *, refresh: bool = True, **extra) -> tuple[str, str]:
        """A valid (access, refresh) pair acting as `identity`."""
        access = f"{self.token_prefix}-{secrets.token_hex(8)}"
        refresh_token = f"{self.token_prefix}-r-{secrets.token_hex(8)}" if refresh else ""
        token = Token(identity=identity, refresh=refresh_token, extra=extra)
        self.tokens[access] = token
        if refresh_token:
            self.refresh_tokens[refresh_token] = token
        return access, refresh_token

    def revoke_all(self) -> None:
        """The user removed the app: every access and refresh token is dead."""
        for token in [*self.tokens.values(), *self.refresh_tokens.values()]:
            token.valid = False

    def expire_access_tokens(self) -> None:
        """Access tokens stop working; refresh tokens still do."""
        self.tokens = {
            key: Token(token.identity, token.refresh, False, token.scope, token.extra)
            for key, token in self.tokens.items()
        }

    def set_metrics(self, post_id: str, **values) -> None:
        self.metrics[str(post_id)] = values

    def posts_by(self, author: str) -> list[dict]:
        return [p for p in self.posts if p["author"] == author]

    # --- for subclasses ----------------------------------------------------------------
    token_prefix = "tok"

    def record_post(self, author: str, text: str, **extra) -> dict:
        post = {
            "id": extra.pop("id", None) or str(next_id()),
            "author": author,
            "text": text,
            "created_at": time.time(),
            **extra,
        }
        self.posts.append(post)
        return post

    def token_for(self, request: dict, query: dict | None = None) -> Token | None:
        raw = self.bearer(request) or (query or {}).get("access_token", "")
        token = self.tokens.get(raw)
        return token if token and token.valid else None

    def scripted(self, request_class: str) -> Failure | None:
        """The failure scripted for this request, if any (consumed)."""
        with self._script_lock:
            for failure in self.failures:
                if failure.on == request_class or (
                    failure.on == "any" and request_class != "oauth"
                ):
                    failure.times -= 1
                    if failure.times <= 0:
                        self.failures.remove(failure)
                    return failure
        return None

    def hang(self, reply: Reply) -> None:
        """No answer until the client has given up (or the fake stops)."""
        self.release.wait(self.hang_seconds)
        reply.handler.close_connection = True

    def serve_media(self, path: str, reply: Reply) -> bool:
        if path.startswith("/media/"):
            reply.raw(200, PNG, "image/png")
            return True
        return False

    def answer(self, kind: str, request: dict, reply: Reply, route):
        """Answer with `route(reply)`, unless a failure is scripted for this kind of request
        (for timeout_after_accept, `route(None)` does the work with no one to hear it)."""
        failure = self.scripted(kind)
        if failure and self.apply_failure(failure, request, reply, lambda: route(None)):
            return None
        return route(reply)

    def apply_failure(self, failure: Failure, request: dict, reply: Reply, accept) -> bool:
        """Answer a scripted failure; `accept()` does the work (for timeout_after_accept).
        Returns True when the request was answered (or left hanging)."""
        if failure.kind == "timeout":
            self.hang(reply)
            return True
        if failure.kind == "timeout_after_accept":
            accept()
            self.hang(reply)
            return True
        if failure.kind == "token_revoked":
            self.revoke_all()  # the user removed the app: refreshing cannot help either
            self.invalid_token(reply)
            return True
        if failure.kind == "rate_limit":
            self.rate_limited(reply, failure.retry_after)
            return True
        if failure.kind == "server_error":
            self.server_error(reply)
            return True
        if failure.kind == "answer":
            reply.json(failure.status, failure.body or {})
            return True
        if failure.kind == "content_rejected":
            self.rejected(reply, "The content was refused.")
            return True
        return False

    def invalid_token(self, reply: Reply) -> None:
        raise NotImplementedError

    def rate_limited(self, reply: Reply, retry_after: int | None) -> None:
        raise NotImplementedError

    def server_error(self, reply: Reply) -> None:
        raise NotImplementedError

    def rejected(self, reply: Reply, message: str) -> None:
        raise NotImplementedError


class LostReply:
    """Where the answer of an accepted-then-timed-out request goes: nowhere."""

    def json(self, *args, **kwargs) -> None:
        pass

    def raw(self, *args, **kwargs) -> None:
        pass
